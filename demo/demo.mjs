// `npm run demo`: the local collector and the example Worker in workerd (Miniflare) on free local ports, ~20 scripted
// chat sessions through the example, then a summary of what reached the collector and the viewer's URL.
// Keeps serving until Ctrl-C; `npm run demo -- --once` exits after the summary. Offline: the model is a mock
// unless OPENAI_API_KEY / ANTHROPIC_API_KEY is set.
import { startCollector, startExample } from "./workers.mjs";
import { runWorkload, waitForDelivery } from "./workload.mjs";

const once = process.argv.includes("--once");
const tty = process.stdout.isTTY;
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

/** One progress line per step; on a terminal it is rewritten in place. */
function step(label) {
  const started = Date.now();
  process.stdout.write(`• ${label}…`);
  return {
    progress(text) {
      if (tty) process.stdout.write(`\r• ${label}… ${text}`);
    },
    done(text = "") {
      const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
      process.stdout.write(`${tty ? `\r• ${label}… ` : " "}${text ? `${text} ` : ""}(${took})\n`);
    },
  };
}

const usd = (v) => (v == null ? "–" : `$${v.toFixed(6)}`);
const ms = (v) => (v == null ? "–" : `${Math.round(v)} ms`);
const pct = (n, total) => (total ? `${Math.round((100 * n) / total)}%` : "–");

const apiKey = "demo-key";
let collector;
let example;
async function stop() {
  await example?.dispose();
  await collector?.dispose();
}

try {
  let s = step("starting the local collector (Hono + D1 in workerd)");
  collector = await startCollector({ apiKey });
  s.done(collector.url);

  s = step("starting worker-example (Hono + AI SDK + @fallom/trace in workerd)");
  example = await startExample({
    collectorUrl: collector.url,
    apiKey,
    bindings: Object.fromEntries(["OPENAI_API_KEY", "ANTHROPIC_API_KEY"].filter((k) => process.env[k]).map((k) => [k, process.env[k]])),
  });
  const provider = process.env.OPENAI_API_KEY ? "OpenAI" : process.env.ANTHROPIC_API_KEY ? "Anthropic" : "built-in mock model";
  s.done(`${example.url} (${provider})`);

  s = step("driving 20 chat sessions");
  const seen = await runWorkload(example.url, { onProgress: (done, total) => s.progress(`${done}/${total} requests`) });
  s.done(`${seen.requests} requests: ${seen.streamed} streamed, ${seen.nonStreamed} not; ${seen.toolCalls} tool calls; ${seen.failed} failed`);

  s = step("waiting for the spans to reach the collector");
  const sum = await waitForDelivery(collector.url, seen.requests);
  s.done(`${sum.spans} spans`);

  const { variants } = await (await fetch(`${collector.url}/api/ab`)).json();
  const lines = [
    "",
    `Traces  ${sum.traces} (${sum.sessions} sessions, ${sum.spans} spans, ${sum.llmCalls} LLM calls)`,
    `Tokens  ${sum.inputTokens.toLocaleString("en-US")} in / ${sum.outputTokens.toLocaleString("en-US")} out    Cost ${usd(sum.costUsd)}`,
    `TTFT    p50 ${ms(sum.ttftP50Ms)} / p95 ${ms(sum.ttftP95Ms)}    Errors ${sum.errors} error spans (${seen.failed} failed request${seen.failed === 1 ? "" : "s"})`,
  ];
  for (const kind of ["model", "prompt"]) {
    const rows = variants.filter((v) => v.kind === kind);
    const calls = rows.reduce((n, r) => n + r.calls, 0);
    if (rows.length === 0) continue;
    lines.push(
      `A/B     ${rows[0].key}: ${rows.map((r) => `variant ${r.variant} ${r.value} ${r.calls} calls (${pct(r.calls, calls)}), ${r.sessions} sessions, ${usd(r.costUsd)}, p50 ${ms(r.p50Ms)}`).join("; ")}`,
    );
  }
  lines.push("", `Viewer  ${collector.url}/   (sessions: ${collector.url}/sessions, A/B: ${collector.url}/ab)`, `Ready in ${elapsed()}.`);
  console.log(lines.join("\n"));

  if (once) {
    await stop();
  } else {
    console.log("Serving until Ctrl-C. The example also takes your own requests:");
    console.log(`  curl -N ${example.url}/chat -H 'x-session-id: me' -H 'content-type: application/json' -d '{"message":"Where is my order A-17?"}'`);
    console.log("Change the model A/B test (new sessions follow it once the SDK's config cache expires, 30 s):");
    console.log(`  curl ${collector.url}/admin/configs -H 'authorization: Bearer ${apiKey}' -H 'content-type: application/json' -d '{"key":"support-bot","variants":[{"model":"gpt-4o","weight":100}]}'`);
    process.once("SIGINT", async () => {
      console.log("\nstopping…");
      await stop();
      process.exit(0);
    });
  }
} catch (error) {
  console.error(`\ndemo failed: ${error?.stack ?? error}`);
  await stop().catch(() => {});
  process.exit(1);
}
