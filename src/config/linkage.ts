// Prompt and model-config linkage, per session: what a session resolved is stamped on the spans it starts afterwards
// (never a module-global "next trace", which races between concurrent requests). A lookup made with a sessionId
// before the session object exists (the Fallom docs' order) is kept, keyed by that sessionId, for sessions created later.
import type { Session } from "../core/index";
import { ambientSession } from "./ambient";

/** sessions remembered per isolate; the oldest is forgotten first */
const MAX_SESSIONS = 1000;
const bySession = new Map<string, Record<string, unknown>>();

/** The linkage attributes recorded for `sessionId`, if any */
export const linkageOf = (sessionId: unknown): Record<string, unknown> | undefined =>
  typeof sessionId == "string" ? bySession.get(sessionId) : undefined;

/**
 * Records linkage attributes for `sessionId` and stamps them on the given session, else on the ambient one
 * (trace.setSession / runWithSession). Unchanged values cost nothing (the warm path allocates nothing).
 */
export function link(session: Session | undefined, sessionId: string | undefined, attributes: Record<string, unknown>): void {
  try {
    let same = false;
    if (sessionId !== undefined) {
      const known = bySession.get(sessionId);
      same = !!known;
      for (const k in attributes) if (known?.[k] !== attributes[k]) same = false;
      if (!same) {
        if (!known && bySession.size >= MAX_SESSIONS) bySession.delete(bySession.keys().next().value!);
        bySession.set(sessionId, { ...known, ...attributes });
      }
    }
    const target = session ?? ambientSession();
    if (target) {
      let stamped = true;
      for (const k in attributes) if (target.attributes[k] !== attributes[k]) stamped = false;
      if (!stamped) target.setAttributes(attributes);
    }
  } catch {}
}

/** Test-only */
export const _resetLinkage = (): void => bySession.clear();
