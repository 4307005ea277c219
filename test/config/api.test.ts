// models.get / session.getModel / prompts.get / prompts.getAB against a local fake of Fallom's API (Node).
import { createHash } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import fallom, { models, prompts, trace } from "../../src/index";
import { _resetConfigCache } from "../../src/config/cache";
import { _resetLinkage } from "../../src/config/linkage";
import { setupSdk, type TestSdk } from "../support/sdk";
import { docsData, startFakeOrigin, type FakeOrigin } from "../support/fake-origin";

// Fallom's algorithm, written independently from src/config: Node's md5, readUInt32BE, cumulative weight walk
const referenceIndex = (sessionId: string, weights: number[]): number => {
  const bucket = createHash("md5").update(sessionId).digest().readUInt32BE(0) % 1_000_000;
  let sum = 0;
  for (let i = 0; i < weights.length; i++) if (bucket < (sum += weights[i]! * 10000)) return i;
  return weights.length - 1;
};

let origin: FakeOrigin;
let sdk: TestSdk;
const errors: unknown[] = [];

beforeAll(async () => {
  origin = await startFakeOrigin();
});
afterAll(async () => {
  await origin.close();
});
beforeEach(async () => {
  origin.data = docsData();
  origin.requests.length = 0;
  errors.length = 0;
  _resetConfigCache();
  _resetLinkage();
  sdk = await setupSdk({ configsUrl: origin.url, promptsUrl: origin.url, onError: (e) => errors.push(e) });
});
afterEach(async () => {
  await sdk.close();
});

describe("models.get", () => {
  it("assigns the sticky variant of Fallom's algorithm, list- and dict-shaped", async () => {
    for (const sessionId of ["user-1", "user-2", "session-abc", "😀-unicode"]) {
      expect(await models.get("linkedin-agent", sessionId)).toBe(["claude-opus", "gpt-4o"][referenceIndex(sessionId, [50, 50])]);
      expect(await fallom.models.get("support-chat", sessionId)).toBe(["gpt-4o-mini", "gpt-4o"][referenceIndex(sessionId, [70, 30])]);
    }
    // one snapshot request serves every key and session
    expect(origin.gets("/configs")).toBe(1);
  });

  it("targeting wins over hashing: individual targets, then rules", async () => {
    expect(await models.get("linkedin-agent", "any", { customerId: "vip-1" })).toBe("gpt-4o");
    expect(await models.get("linkedin-agent", "any", { context: { plan: "enterprise" } })).toBe("claude-opus");
  });

  it("fetches a pinned version on demand", async () => {
    expect(await models.get("linkedin-agent", "s", { version: 1 })).toBe("gpt-4o-mini");
    expect(origin.gets("/configs/linkedin-agent/version/1")).toBe(1);
    expect(await models.get("linkedin-agent", "s", { version: 2 })).toMatch(/claude-opus|gpt-4o/);
  });

  it("unknown config: a clear error naming the key; with a fallback, the fallback", async () => {
    await expect(models.get("nope", "s")).rejects.toThrow("Config 'nope' not found");
    await expect(models.get("linkedin-agent", "s", { version: 9 })).rejects.toThrow("Config 'linkedin-agent' version 9 not found");
    expect(await models.get("nope", "s", { fallback: "gpt-4o-mini" })).toBe("gpt-4o-mini");
  });

  it("records the exposure (POST /sessions) in the background, settled by flush()", async () => {
    const model = await models.get("linkedin-agent", "user-1");
    await fallom.flush();
    expect(origin.exposures()).toEqual([{ config_key: "linkedin-agent", config_version: 2, session_id: "user-1", assigned_model: model }]);
    expect(origin.requests.find((r) => r.path == "/sessions")!.headers.authorization).toBe("Bearer test-key");
    await models.get("linkedin-agent", "user-1");
    await fallom.flush();
    expect(origin.exposures()).toHaveLength(1); // the same assignment is recorded once per isolate
  });

  it("session.getModel uses the session's configKey and stamps fallom.model_config.* on its later spans", async () => {
    const session = fallom.session({ configKey: "linkedin-agent", sessionId: "user-1", customerId: "vip-1" });
    expect(await session.getModel({ fallback: "x" })).toBe("gpt-4o"); // customerId targeting
    session.startSpan("call", { type: "llm" }).end();
    const other = fallom.session({ configKey: "linkedin-agent", sessionId: "user-2" });
    other.startSpan("other", { type: "llm" }).end();
    const spans = await sdk.flushSpans();
    const call = spans.find((s) => s.name == "call")!;
    expect(call.attributes["fallom.model_config.key"]).toBe("linkedin-agent");
    expect(call.attributes["fallom.model_config.version"]).toBe(2);
    expect(call.attributes["fallom.model_config.variant_index"]).toBe(1);
    expect(spans.find((s) => s.name == "other")!.attributes["fallom.model_config.key"]).toBeUndefined();
  });

  it("session.getModel without configKey: the fallback, or an error saying what the session needs", async () => {
    const session = fallom.session({ sessionId: "s" });
    expect(await session.getModel({ fallback: "fb" })).toBe("fb");
    await expect(session.getModel()).rejects.toThrow("fallom.session({ configKey, sessionId })");
  });

  it("origin down and nothing cached: an error saying the configs are unavailable (not 'not found'), or the fallback", async () => {
    origin.override("/configs", { status: 503 });
    try {
      await expect(models.get("linkedin-agent", "s")).rejects.toThrow("configs are unavailable");
      expect(errors.map(String).join()).toMatch(/HTTP 503/);
    } finally {
      origin.override("/configs", undefined);
    }
  });

  it("without init: fallback, or an error saying to call init", async () => {
    await sdk.close();
    expect(await models.get("linkedin-agent", "s", { fallback: "fb" })).toBe("fb");
    await expect(models.get("linkedin-agent", "s")).rejects.toThrow("fallom.init");
    sdk = await setupSdk({ configsUrl: origin.url, promptsUrl: origin.url });
  });
});

describe("prompts", () => {
  it("prompts.get renders {{ variables }}; unknown names stay; nothing is evaluated", async () => {
    const p = await prompts.get("onboarding", { variables: { userName: "John", company: "${process.exit()}" } });
    expect(p).toEqual({ key: "onboarding", version: 3, system: "You help John get started.", user: "Hi, I am John from ${process.exit()}." });
    expect((await prompts.get("onboarding")).user).toBe("Hi, I am {{userName}} from {{company}}.");
    expect((await prompts.get("onboarding", { variables: { constructor: 1 } as any })).system).toContain("{{ userName }}");
  });

  it("unknown key or version: a clear error", async () => {
    await expect(prompts.get("nope")).rejects.toThrow("Prompt 'nope' not found");
    await expect(prompts.get("onboarding", { version: 7 })).rejects.toThrow("Prompt 'onboarding' version 7 not found");
    await expect(prompts.getAB("nope", "s")).rejects.toThrow("Prompt A/B test 'nope' not found");
  });

  it("prompts.getAB picks the sticky variant; a null prompt_version means the current one", async () => {
    for (const sessionId of ["user-session-123", "a", "b", "c", "d"]) {
      const p = await fallom.prompts.getAB("support-agent-test", sessionId);
      const index = referenceIndex(sessionId, [50, 50]);
      expect(p.variantIndex).toBe(index);
      expect(p.abTestKey).toBe("support-agent-test");
      expect([p.key, p.version]).toEqual(index == 0 ? ["support-agent-v1", 1] : ["support-agent-v2", 2]);
    }
  });

  it("getAB before the session exists (the docs' order): the session's spans carry the prompt linkage", async () => {
    const prompt = await prompts.getAB("support-agent-test", "user-session-123");
    const session = fallom.session({ configKey: "support-chat", sessionId: "user-session-123" });
    session.startSpan("agent", { type: "llm" }).end();
    fallom.session({ sessionId: "someone-else" }).startSpan("other", { type: "llm" }).end();
    const spans = await sdk.flushSpans();
    const a = spans.find((s) => s.name == "agent")!.attributes;
    expect(a["gen_ai.prompt.name"]).toBe(prompt.key);
    expect(a["fallom.prompt.version"]).toBe(prompt.version);
    expect(a["fallom.prompt.ab_test_key"]).toBe("support-agent-test");
    expect(a["fallom.prompt.variant_index"]).toBe(prompt.variantIndex);
    expect(spans.find((s) => s.name == "other")!.attributes["gen_ai.prompt.name"]).toBeUndefined();
  });

  it("concurrent sessions never swap their prompt linkage", async () => {
    await Promise.all(
      ["s-1", "s-2", "s-3", "s-4", "s-5", "s-6"].map(async (sessionId) => {
        const session = fallom.session({ sessionId });
        const p = await session.getPromptAB("support-agent-test");
        await new Promise((r) => setTimeout(r, Math.random() * 10));
        session.startSpan("llm-" + sessionId, { type: "llm", attributes: { expected: p.key } }).end();
      }),
    );
    for (const s of await sdk.flushSpans()) expect(s.attributes["gen_ai.prompt.name"]).toBe(s.attributes.expected);
  });
});

describe("trace ambient session (AsyncLocalStorage)", () => {
  it("setSession inside runWithSession scopes to that context; trace.span uses it", async () => {
    await Promise.all(
      ["a", "b"].map((id) =>
        trace.runWithSession("cfg", "run-" + id, async () => {
          await new Promise((r) => setTimeout(r, 5));
          trace.setSession("cfg", "set-" + id);
          await new Promise((r) => setTimeout(r, 5));
          trace.span({ score: id == "a" ? 1 : 2 });
          expect(trace.getSession()!.getContext().sessionId).toBe("set-" + id);
        }),
      ),
    );
    const spans = await sdk.flushSpans();
    expect(spans.map((s) => [s.attributes["session.id"], s.attributes["fallom.metric.score"]]).sort()).toEqual([
      ["set-a", 1],
      ["set-b", 2],
    ]);
    trace.clearSession();
  });
});
