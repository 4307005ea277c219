// Issue 7, process exit: a Node, Bun or Deno script that never calls flush() still delivers its spans (flushed
// once when the event loop runs dry, bounded by flushTimeoutMs) and exits promptly; with nothing queued, or with
// `flushOnExit: false`, it exits at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCollector, type Collector } from "../support/collector";
import { bundle, runBun, runDeno, runNode, tempDir, type ChildResult } from "./harness";

const SCRIPT = `
import fallom from "@fallom/trace";
const g = globalThis as any;
const [url, id, mode] = JSON.parse(g.Deno ? g.Deno.args[0] : g.process.argv[2]);
// the default background interval would also export: turn it off, so only the exit flush can deliver
await fallom.init({ apiKey: "exit-key", baseUrl: url, flushIntervalMs: 0, flushOnExit: mode !== "opt-out" });
if (mode !== "nothing") {
  const session = fallom.session({ sessionId: id });
  await session.trace("script", async (root) => {
    root.startSpan("step-1").end();
    await new Promise((r) => setTimeout(r, 5));
    root.startSpan("step-2").end();
  });
}
console.log("script done");
`;

let collector: Collector;
let file: string;
let tmp: ReturnType<typeof tempDir>;
let runs = 0;

beforeAll(async () => {
  collector = await startCollector();
  tmp = tempDir("fallom-exit-");
  file = tmp.write("exit.mjs", await bundle({ contents: SCRIPT }, "esm"));
}, 60_000);

afterAll(async () => {
  tmp?.remove();
  await collector?.close();
});

const RUNTIMES: Array<[string, (file: string, args: string[], timeoutMs?: number) => Promise<ChildResult>]> = [
  ["Node", runNode],
  ["Bun", runBun],
  ["Deno", runDeno],
];

describe.each(RUNTIMES)("%s", (name, run) => {
  const script = async (mode: string) => {
    const id = `exit-${++runs}-${name}-${mode}`;
    const out = await run(file, [JSON.stringify([collector.url, id, mode])], 20_000);
    expect(out.stdout, out.stderr).toContain("script done");
    expect(out.code, out.stderr).toBe(0);
    return { id, out, spans: collector.spans().filter((s) => s.attributes["session.id"] === id) };
  };

  it("a script that never calls flush() delivers its spans at exit and exits promptly", async () => {
    const { spans, out } = await script("spans");
    expect(spans.map((s) => s.name).sort()).toEqual(["script", "step-1", "step-2"]);
    expect(out.ms, "exits promptly").toBeLessThan(8000);
  });

  it("flushOnExit: false exits without exporting; nothing queued exits at once", async () => {
    const optOut = await script("opt-out");
    expect(optOut.spans).toHaveLength(0);
    const nothing = await script("nothing");
    expect(nothing.spans).toHaveLength(0);
    expect(nothing.out.ms, "nothing to wait for").toBeLessThan(5000);
    // no export request was made by either run
    expect(collector.requests.filter((r) => r.spans.some((s) => [optOut.id, nothing.id].includes(s.attributes["session.id"] as string)))).toEqual([]);
  });
});
