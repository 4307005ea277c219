export const REDACTED = "[REDACTED]";

// whole key or suffix after `_`/`-` (camelCase split first); "tokens"/"max_tokens" don't end in "token"
const SECRET =
  /(^|[_-])(auth(orization)?|cookies?|pass(word|wd|phrase)|pwd|secret|(api|private|session|access|secret|subscription)[_-]?key|token|bearer|credentials?|jwt)$/i;

/** true for keys that hold secrets (authorization, cookie, password, api_key, *_token, secret…); false for token counts like max_tokens */
export function isSecretKey(key: string): boolean {
  // the same few keys (role, content, type…) come back on every message: remember them, bounded
  let secret = seen.get(key);
  if (secret === undefined) {
    if (seen.size > 512) seen.clear();
    seen.set(key, (secret = SECRET.test(key.replace(/[a-z\d](?=[A-Z])/g, "$&_"))));
  }
  return secret;
}
const seen = new Map<string, boolean>();

/** redact values of secret query/fragment parameters; returns input unchanged when nothing matches */
export function redactUrl(s: string): string {
  return s.includes("=")
    ? s.replace(/([?&#;]([^=&#;\s]+)=)[^&#;\s"']+/g, (m, a: string, k: string) => (isSecretKey(k) ? a + REDACTED : m))
    : s;
}
