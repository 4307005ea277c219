// `npm run demo -- --once`: offline, exits 0 and prints the summary and the viewer URL.
import { expect, it } from "vitest";
import { runChild, ROOT } from "./runtimes/harness";

it("npm run demo -- --once drives the example through the collector and prints the summary", async () => {
  const env = { OPENAI_API_KEY: "", ANTHROPIC_API_KEY: "" };
  const r = await runChild(process.execPath, ["demo/demo.mjs", "--once"], { timeoutMs: 150_000, env });
  const out = r.stdout + r.stderr;
  expect(r.code, out).toBe(0);
  expect(out).toMatch(/starting the local collector .* http:\/\/127\.0\.0\.1:\d+/);
  expect(out).toMatch(/starting worker-example .*\(built-in mock model\)/);
  expect(out).toMatch(/30 requests: 15 streamed, 15 not; \d+ tool calls; 1 failed/);
  expect(out).toMatch(/Traces {2}30 \(20 sessions, \d+ spans, \d+ LLM calls\)/);
  expect(out).toMatch(/Tokens {2}[\d,]+ in \/ [\d,]+ out {4}Cost \$0\.\d+/);
  expect(out).toMatch(/TTFT {4}p50 \d+ ms \/ p95 \d+ ms/);
  expect(out).toMatch(/A\/B {5}support-bot: variant 0 gpt-4o-mini \d+ calls \(\d+%\).*variant 1 gpt-4\.1-mini/);
  expect(out).toMatch(/A\/B {5}support-tone: variant 0 support-friendly .*variant 1 support-concise/);
  expect(out).toMatch(/Viewer {2}http:\/\/127\.0\.0\.1:\d+\//);
}, 180_000);
