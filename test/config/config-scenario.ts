// The config/prompt conformance case, public API only: bundled with esbuild and run in workerd, edge-runtime,
// Deno, Bun and Node 22 (conformance.test.ts). Snapshots come from the fake origin, spans go to the collector.
import fallom, { models, prompts, trace } from "@fallom/trace";
import { memoryStore } from "../../src/adapters/index";

export interface ConfigScenarioOptions {
  origin: string;
  collector: string;
  sessionId: string;
}

export async function runConfigScenario(o: ConfigScenarioOptions) {
  const errors: string[] = [];
  const store = memoryStore();
  await fallom.init({
    apiKey: "k",
    tracesUrl: o.collector,
    configsUrl: o.origin,
    promptsUrl: o.origin,
    cache: store,
    flushIntervalMs: 0,
    onError: (e) => errors.push(String((e as Error)?.message ?? e)),
  });
  const { sessionId } = o;
  const model = await models.get("linkedin-agent", sessionId);
  const dict = await models.get("support-chat", sessionId);
  const targeted = await models.get("linkedin-agent", sessionId, { customerId: "vip-1" });
  const pinned = await models.get("linkedin-agent", sessionId, { version: 1 });
  const fallback = await models.get("missing-config", sessionId, { fallback: "fb-model" });
  const prompt = await prompts.get("onboarding", { variables: { userName: "Ada", company: "Acme" } });
  const ab = await prompts.getAB("support-agent-test", sessionId);
  let unknown = "";
  try {
    await prompts.get("missing-prompt");
  } catch (error) {
    unknown = String((error as Error).message);
  }
  const session = fallom.session({ configKey: "linkedin-agent", sessionId });
  const sessionModel = await session.getModel({ fallback: "x" });
  session.startSpan("chat", { type: "llm" }).end();
  // Fallom's ambient session: only under AsyncLocalStorage, else a clear error
  let ambient = "";
  try {
    ambient = trace.runWithSession("cfg", sessionId + "-ambient", () => {
      trace.setSession("cfg", sessionId + "-set");
      return trace.getSession()?.getContext().sessionId === sessionId + "-set" ? "ok" : "lost";
    });
  } catch (error) {
    ambient = String((error as Error).message);
  }
  const flushed = await fallom.flush();
  return {
    ambient, model, dict, targeted, pinned, fallback, prompt, ab, unknown, sessionModel, storeKeys: store.size(), errors, pending: flushed.pending };
}
