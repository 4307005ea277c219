// The same config/prompt case (config-scenario.ts), bundled like users deploy it, in workerd (no flags),
// edge-runtime, Deno, Bun and Node 22 against the fake Fallom origin: assignments match Fallom's algorithm
// (Node's md5 as reference), prompts render, exposures and linked spans arrive after flush().
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCollector, type Collector } from "../support/collector";
import { startFakeOrigin, type FakeOrigin } from "../support/fake-origin";
import { bundle, runBun, runDeno, runEdgeRuntime, runNode, runWorkerd, tempDir } from "../runtimes/harness";

const HERE = new URL(".", import.meta.url).pathname;
const MARKER = "CONFIG-SUMMARY:";

const WORKER = `import { runConfigScenario } from "./config-scenario";
export default { async fetch(request) { return Response.json(await runConfigScenario(await request.json())); } };`;
const EDGE = `import { runConfigScenario } from "./config-scenario";
addEventListener("fetch", (event) => event.respondWith(event.request.json().then(runConfigScenario).then((s) => Response.json(s))));`;
const CLI = `import { runConfigScenario } from "./config-scenario";
const g = globalThis as any;
const arg = g.Deno ? g.Deno.args[0] : g.process.argv[2];
console.log(${JSON.stringify(MARKER)} + JSON.stringify(await runConfigScenario(JSON.parse(arg))));`;

const reference = (sessionId: string, weights: number[]): number => {
  const bucket = createHash("md5").update(sessionId).digest().readUInt32BE(0) % 1_000_000;
  let sum = 0;
  for (let i = 0; i < weights.length; i++) if (bucket < (sum += weights[i]! * 10000)) return i;
  return weights.length - 1;
};

let origin: FakeOrigin;
let collector: Collector;
let tmp: ReturnType<typeof tempDir>;
let cliFile: string;
let workerScript: string;
let edgeScript: string;

beforeAll(async () => {
  [origin, collector] = await Promise.all([startFakeOrigin(), startCollector()]);
  const resolveDir = HERE;
  [workerScript, edgeScript] = await Promise.all([bundle({ contents: WORKER, resolveDir }, "esm"), bundle({ contents: EDGE, resolveDir }, "iife")]);
  tmp = tempDir("fallom-config-");
  cliFile = tmp.write("config.mjs", await bundle({ contents: CLI, resolveDir }, "esm"));
});

afterAll(async () => {
  tmp?.remove();
  await Promise.all([origin?.close(), collector?.close()]);
});

const fromCli = (r: { stdout: string; stderr: string }) => {
  const line = r.stdout.split("\n").find((l) => l.startsWith(MARKER));
  if (!line) throw new Error("no summary:\n" + r.stdout + r.stderr);
  return JSON.parse(line.slice(MARKER.length));
};

const RUNTIMES: Record<string, (args: string) => Promise<any>> = {
  workerd: async (args) => {
    const w = await runWorkerd(workerScript);
    try {
      return await (await w.fetch("/", { method: "POST", body: args })).json();
    } finally {
      await w.dispose();
    }
  },
  "edge-runtime": async (args) => (await runEdgeRuntime(edgeScript, "plain").fetch("/", { method: "POST", body: args })).json(),
  deno: async (args) => fromCli(await runDeno(cliFile, [args])),
  bun: async (args) => fromCli(await runBun(cliFile, [args])),
  node: async (args) => fromCli(await runNode(cliFile, [args])),
};

describe.each(Object.keys(RUNTIMES))("%s", (runtime) => {
  it("models.get / prompts.get / getAB / session.getModel conform, exposures and linked spans are flushed", async () => {
    const sessionId = `conf-${runtime}-${Date.now()}`;
    const s = await RUNTIMES[runtime]!(JSON.stringify({ origin: origin.url, collector: collector.url, sessionId }));
    const index = reference(sessionId, [50, 50]);
    expect(s.errors).toEqual([]);
    expect(s.model).toBe(["claude-opus", "gpt-4o"][index]);
    expect(s.dict).toBe(["gpt-4o-mini", "gpt-4o"][reference(sessionId, [70, 30])]);
    expect(s.targeted).toBe("gpt-4o");
    expect(s.pinned).toBe("gpt-4o-mini");
    expect(s.fallback).toBe("fb-model");
    expect(s.prompt).toEqual({ key: "onboarding", version: 3, system: "You help Ada get started.", user: "Hi, I am Ada from Acme." });
    expect(s.ab.variantIndex).toBe(index);
    expect(s.unknown).toContain("Prompt 'missing-prompt' not found");
    expect(s.sessionModel).toBe(s.model);
    expect(s.storeKeys).toBe(4); // configs, pinned version, prompts, A/B tests: written to the shared store
    expect(s.pending).toBe(0);
    // no AsyncLocalStorage in plain workerd / edge-runtime: a clear error pointing to fallom.session()
    if (runtime == "workerd" || runtime == "edge-runtime") expect(s.ambient).toContain("AsyncLocalStorage, which this runtime does not offer");
    if (runtime == "workerd" || runtime == "edge-runtime") expect(s.ambient).toContain("fallom.session({ configKey, sessionId, customerId })");
    else expect(s.ambient).toBe("ok");
    const exposures = origin.exposures().filter((e) => e.session_id === sessionId);
    expect(exposures).toContainEqual({ config_key: "linkedin-agent", config_version: 2, session_id: sessionId, assigned_model: s.model });
    const chat = collector.allSpans().find((x) => x.name == "chat" && x.attributes["session.id"] === sessionId)!;
    expect(chat.attributes["fallom.model_config.key"]).toBe("linkedin-agent");
    expect(chat.attributes["fallom.model_config.variant_index"]).toBe(index);
    expect(chat.attributes["gen_ai.prompt.name"]).toBe(s.ab.key);
    expect(chat.attributes["fallom.prompt.ab_test_key"]).toBe("support-agent-test");
  });
});
