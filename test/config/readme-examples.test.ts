// The README's "Model A/B configs" and "Managed prompts" examples, run as written (bundled, in a Node child process)
// against the local fake Fallom origin: FALLOM_API_KEY and FALLOM_BASE_URL point the SDK at it.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startFakeOrigin, type FakeOrigin } from "../support/fake-origin";
import { bundle, ROOT, runNode, SDK_ENTRY, tempDir } from "../runtimes/harness";

const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const section = (title: string) => readme.split("\n## ").find((s) => s.startsWith(title + "\n"))!;
const examples = (title: string) => [...section(title).matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((code) => code.includes("import fallom"));

const reference = (sessionId: string, weights: number[]) => {
  const bucket = createHash("md5").update(sessionId).digest().readUInt32BE(0) % 1_000_000;
  let sum = 0;
  for (let i = 0; i < weights.length; i++) if (bucket < (sum += weights[i]! * 10000)) return i;
  return weights.length - 1;
};

let origin: FakeOrigin;
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  origin = await startFakeOrigin();
  tmp = tempDir("fallom-readme-");
});
afterAll(async () => {
  tmp?.remove();
  await origin?.close();
});

async function run(code: string): Promise<string> {
  const js = await bundle({ contents: code, resolveDir: ROOT }, "esm", {
    platform: "node",
    extra: { alias: { "@fallom/trace": SDK_ENTRY, "@mastra/core": join(ROOT, "test/support/mastra-agent.ts") } },
  });
  const file = tmp.write(`example-${Math.random().toString(36).slice(2)}.mjs`, js);
  const r = await runNode(file, [], 30_000);
  if (r.code !== 0) throw new Error(`example failed (${r.code}):\n${r.stderr}\n${code}`);
  // runNode passes the parent env; the SDK reads FALLOM_* from process.env
  return r.stdout.trim().split("\n").pop()!;
}

it("has the two sections with runnable examples", () => {
  expect(examples("Model A/B configs")).toHaveLength(1);
  expect(examples("Managed prompts")).toHaveLength(1);
});

it("Model A/B configs example: sticky model, targeting, pinned version, session.getModel; the exposure is recorded", async () => {
  process.env.FALLOM_API_KEY = "readme-key";
  process.env.FALLOM_BASE_URL = origin.url;
  try {
    const out = await run(examples("Model A/B configs")[0]!);
    const model = ["claude-opus", "gpt-4o"][reference("session-123", [50, 50])];
    expect(out).toBe(`${model} gpt-4o gpt-4o-mini ${model}`); // vip-1 is individually targeted to variant 1
    expect(origin.exposures()).toContainEqual({ config_key: "linkedin-agent", config_version: 2, session_id: "session-123", assigned_model: model });
  } finally {
    delete process.env.FALLOM_API_KEY;
    delete process.env.FALLOM_BASE_URL;
  }
});

it("Managed prompts example: rendered prompt, sticky A/B variant given to a Mastra-style agent", async () => {
  process.env.FALLOM_API_KEY = "readme-key";
  process.env.FALLOM_BASE_URL = origin.url;
  try {
    const out = await run(examples("Managed prompts")[0]!);
    const index = reference("user-session-123", [50, 50]);
    const [key, system] = index == 0 ? ["support-agent-v1", "Be brief. (variant A)"] : ["support-agent-v2", "Be warm, thorough and cite docs. (variant B2)"];
    expect(out).toBe(`Hi, I am John from Acme. ${key} ${index} SupportAgent: ${system}`);
  } finally {
    delete process.env.FALLOM_API_KEY;
    delete process.env.FALLOM_BASE_URL;
  }
});
