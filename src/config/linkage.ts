// Prompt and model-config linkage, per session: what a session resolved is stamped on the spans it starts afterwards
// (never a module-global "next trace", which races between concurrent requests). A lookup made with a sessionId
// before the session object exists (the Fallom docs' order) is kept, keyed by that sessionId, for sessions created later.
import type { Session } from "../core/index";
import { ambientSession } from "./ambient";

/** sessionIds remembered per isolate and kind; the oldest is forgotten first */
const MAX_SESSIONS = 4096;
export type LinkKind = "model" | "prompt";
const bySession: Record<LinkKind, Map<string, Record<string, unknown>>> = { model: new Map(), prompt: new Map() };

/** The linkage attributes recorded for `sessionId`, if any */
export function linkageOf(sessionId: unknown): Record<string, unknown> | undefined {
  if (typeof sessionId != "string") return;
  const model = bySession.model.get(sessionId);
  const prompt = bySession.prompt.get(sessionId);
  return model || prompt ? { ...model, ...prompt } : undefined;
}

/**
 * Records `attributes` (an object the caller reuses for equal values: the warm path allocates nothing) for
 * `sessionId`, and stamps them on the given session, else on the ambient one (trace.setSession / runWithSession).
 */
export function link(kind: LinkKind, session: Session | undefined, sessionId: string | undefined, attributes: Record<string, unknown>): void {
  try {
    const map = bySession[kind];
    if (sessionId !== undefined && map.get(sessionId) !== attributes) {
      if (map.size >= MAX_SESSIONS && !map.has(sessionId)) map.delete(map.keys().next().value!);
      map.set(sessionId, attributes);
    }
    const target = session ?? ambientSession();
    if (target) {
      for (const k in attributes) {
        if (target.attributes[k] !== attributes[k]) {
          target.setAttributes(attributes);
          break;
        }
      }
    }
  } catch {}
}

/** Test-only */
export const _resetLinkage = (): void => {
  bySession.model.clear();
  bySession.prompt.clear();
};
