// The README's main-job command must keep working: run the demo against the built package.
import { execFileSync } from "node:child_process";
import { expect, it } from "vitest";

it("npm run demo traces an agent run and a streamed AI SDK call into its local sink", () => {
  const root = new URL("..", import.meta.url).pathname;
  const out = execFileSync(process.execPath, ["demo/demo.mjs"], { cwd: root, encoding: "utf8", timeout: 60_000 });
  expect(out).toContain('streamText answered: "Your order A-17 ships tomorrow."');
  expect(out).toMatch(/flush\(\): \{"sent":10,"dropped":0,"pending":0,"timedOut":false\}/);
  expect(out).toMatch(/\[llm\] chat gpt-4o-mini .*ttft=\d+ ms .*cost=\$/);
  expect(out).toContain("[tool] execute_tool lookupOrder");
});
