// Exposure records: `POST {configsUrl}/sessions` tells Fallom which model a session was assigned, in the background
// (tracked by flush()). Repeats of the same assignment in an isolate are sent once.
import { track } from "../core/index";
import type { ConfigOptions } from "./settings";
import { report } from "./cache";
import type { ModelConfig } from "./types";

const MAX_REMEMBERED = 10_000;
// sessionId → model already recorded, kept on the config object itself (a property read is cheaper than a WeakMap)
const SENT = Symbol("fallom.exposures");

export function recordExposure(o: ConfigOptions, config: ModelConfig, version: number, sessionId: string, model: string): void {
  const holder = config as ModelConfig & { [SENT]?: Map<string, string> };
  let seen = holder[SENT];
  if (seen?.get(sessionId) === model) return;
  if (!seen) holder[SENT] = seen = new Map();
  if (seen.size >= MAX_REMEMBERED) seen.clear();
  seen.set(sessionId, model);
  const body = JSON.stringify({ config_key: config.key, config_version: version, session_id: sessionId, assigned_model: model });
  track(
    (async () => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), o.configTimeoutMs);
      try {
        const response = await o.fetch(o.configsUrl + "/sessions", {
          method: "POST",
          headers: { Authorization: "Bearer " + o.apiKey, "Content-Type": "application/json" },
          body,
          signal: controller.signal,
        });
        response.body?.cancel().catch(() => {});
        if (!response.ok) report(o, `POST ${o.configsUrl}/sessions: HTTP ${response.status}`);
      } catch (error) {
        report(o, `POST ${o.configsUrl}/sessions failed`, error);
      } finally {
        clearTimeout(timer);
      }
    })(),
  );
}
