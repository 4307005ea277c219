// Bearer-key checks for the SDK-facing and admin endpoints, and optional Basic auth for the viewer.

/** Compares in time independent of where the strings first differ. */
function sameSecret(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/** undefined when the request carries `Authorization: Bearer <expected>`, else why not. */
export function bearerProblem(req: Request, expected: string | undefined, setting: string): string | undefined {
  if (!expected) return `this collector has no key configured: set ${setting} (or pass it to createCollector)`;
  const header = req.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match) return "missing Authorization: Bearer <key> header";
  return sameSecret(match[1]!, expected) ? undefined : "wrong key in Authorization header";
}

/** true when no password is set or the request's Basic auth carries it (any user name). */
export function viewerAllowed(req: Request, password: string | undefined): boolean {
  if (!password) return true;
  const match = /^Basic\s+(.+)$/i.exec(req.headers.get("authorization") ?? "");
  if (!match) return false;
  try {
    const decoded = atob(match[1]!);
    return sameSecret(decoded.slice(decoded.indexOf(":") + 1), password);
  } catch {
    return false;
  }
}
