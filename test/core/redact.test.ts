import { describe, it, expect, vi } from "vitest";
import fc from "fast-check";
import { isSecretKey, redactUrl, REDACTED } from "../../src/core/redact";
import { serialize } from "../../src/core/serialize";

const SECRET = [
  "authorization", "Authorization", "AUTHORIZATION", "proxy-authorization", "Proxy-Authorization",
  "cookie", "Cookie", "set-cookie", "Set-Cookie", "cookies",
  "password", "Password", "passwd", "pwd", "db_password", "passphrase",
  "secret", "client_secret", "clientSecret", "CLIENT_SECRET", "secret_key", "secretKey",
  "api_key", "api-key", "apikey", "apiKey", "APIKey", "x-api-key", "X-API-Key", "x-goog-api-key", "OPENAI_API_KEY", "openaiApiKey",
  "access_token", "accessToken", "refresh_token", "refreshToken", "id_token", "auth_token", "authToken", "token", "Token",
  "x-auth-token", "x-amz-security-token", "csrf_token", "sessionToken",
  "bearer", "private_key", "privateKey", "credential", "credentials", "session_key", "sessionKey",
  "access_key", "aws_secret_access_key", "ocp-apim-subscription-key", "auth", "basic_auth", "jwt",
];
const NOT_SECRET = [
  "max_tokens", "maxTokens", "max_completion_tokens", "maxOutputTokens", "input_tokens", "inputTokens", "output_tokens",
  "tokens", "token_count", "tokenCount", "total_tokens", "totalTokens", "prompt_tokens", "completion_tokens",
  "reasoning_tokens", "cached_input_tokens", "tokenizer", "token_type", "tokenUsage",
  "model", "content", "role", "messages", "key", "keys", "monkey", "author", "authorId", "oauth", "session_id",
  "description", "secretary", "passage", "keyboard", "temperature", "", "tool_call_id",
];

describe("isSecretKey", () => {
  for (const k of SECRET) it(`secret: ${k}`, () => expect(isSecretKey(k)).toBe(true));
  for (const k of NOT_SECRET) it(`not secret: ${JSON.stringify(k)}`, () => expect(isSecretKey(k)).toBe(false));
  it("never throws on arbitrary strings", () => {
    fc.assert(fc.property(fc.string({ unit: "binary" }), (k) => typeof isSecretKey(k) === "boolean"), { numRuns: 2000 });
  });
});

describe("redactUrl", () => {
  it("redacts secret query params, keeps keys and other params", () => {
    expect(redactUrl("https://x.test/a?api_key=abc&q=1&token=t")).toBe(
      `https://x.test/a?api_key=${REDACTED}&q=1&token=${REDACTED}`,
    );
  });
  it("handles fragments, mixed case and padded values", () => {
    expect(redactUrl("https://x.test/cb#access_token=eyJ.a.b&state=s1")).toBe(
      `https://x.test/cb#access_token=${REDACTED}&state=s1`,
    );
    expect(redactUrl("https://x.test/?X-Amz-Security-Token=abc%3D%3D&X-Amz-Date=1")).toBe(
      `https://x.test/?X-Amz-Security-Token=${REDACTED}&X-Amz-Date=1`,
    );
    expect(redactUrl("https://x.test/?key=1&apiKey=zz==")).toBe(`https://x.test/?key=1&apiKey=${REDACTED}`);
  });
  it("URL embedded in text", () => {
    expect(redactUrl('fetch failed: GET https://x.test/v1?password=hunter2 (status 401) "q=1"')).toBe(
      `fetch failed: GET https://x.test/v1?password=${REDACTED} (status 401) "q=1"`,
    );
  });
  it("leaves non-secret params alone", () => {
    const u = "https://x.test/?max_tokens=100&model=gpt&tokens=5";
    expect(redactUrl(u)).toBe(u);
    expect(redactUrl("a=b")).toBe("a=b");
    expect(redactUrl("token=abc")).toBe("token=abc");
    expect(redactUrl("?token=")).toBe("?token=");
  });
  it("fast path: returns the same string when there is no '='", () => {
    const s = "https://x.test/a?flag";
    expect(redactUrl(s)).toBe(s);
    expect(redactUrl("")).toBe("");
  });
  it("never throws", () => {
    fc.assert(fc.property(fc.string({ unit: "binary" }), (s) => typeof redactUrl(s) === "string"), { numRuns: 2000 });
  });
});

describe("serialize with redactSecrets", () => {
  it("header-like object", () => {
    expect(serialize({ Authorization: "Bearer x", "Content-Type": "application/json", "x-api-key": "k" }, undefined, true)).toBe(
      '{"Authorization":"[REDACTED]","Content-Type":"application/json","x-api-key":"[REDACTED]"}',
    );
  });
  it("nested objects and arrays of objects", () => {
    const v = {
      config: { apiKey: "sk-1", model: "m", nested: { client_secret: { deep: 1 }, max_tokens: 5 } },
      users: [{ name: "a", password: "p" }, { name: "b", password: null }],
      usage: { input_tokens: 1, output_tokens: 2, total_tokens: 3 },
    };
    expect(JSON.parse(serialize(v, undefined, true))).toEqual({
      config: { apiKey: REDACTED, model: "m", nested: { client_secret: REDACTED, max_tokens: 5 } },
      users: [{ name: "a", password: REDACTED }, { name: "b", password: REDACTED }],
      usage: { input_tokens: 1, output_tokens: 2, total_tokens: 3 },
    });
  });
  it("values under secret keys are never read", () => {
    const get = vi.fn(() => "s3cr3t");
    const o = Object.defineProperty({ a: 1 }, "token", { get, enumerable: true });
    expect(serialize(o, undefined, true)).toBe('{"a":1,"token":"[REDACTED]"}');
    expect(get).toHaveBeenCalledTimes(0);
    // even undefined / throwing values under a secret key are replaced
    const t = {
      password: undefined,
      get secret(): string {
        throw new Error("x");
      },
    };
    expect(serialize(t, undefined, true)).toBe('{"password":"[REDACTED]","secret":"[REDACTED]"}');
  });
  it("Map keys and Headers", () => {
    const m = new Map<unknown, unknown>([["cookie", "c=1"], ["ok", 1]]);
    expect(serialize(m, undefined, true)).toBe('{"cookie":"[REDACTED]","ok":1}');
    const h = new Headers({ Authorization: "Bearer x", Accept: "*/*" });
    expect(JSON.parse(serialize({ h }, undefined, true))).toEqual({ h: { accept: "*/*", authorization: REDACTED } });
  });
  it("URL strings and URL objects", () => {
    const u = "https://x.test/a?api_key=abc&q=1&token=t";
    expect(JSON.parse(serialize({ url: u, u: new URL(u) }, undefined, true))).toEqual({
      url: `https://x.test/a?api_key=${REDACTED}&q=1&token=${REDACTED}`,
      u: `https://x.test/a?api_key=${REDACTED}&q=1&token=${REDACTED}`,
    });
  });
  it("truncated strings are redacted before the marker is added", () => {
    const s = "https://x.test/?token=" + "a".repeat(100) + " tail";
    const out = JSON.parse(serialize(s, { maxDepth: 10, maxKeys: 10, maxItems: 10, maxStringLength: 40 }, true));
    expect(out).toBe(`https://x.test/?token=${REDACTED}…[truncated ${s.length} chars]`);
  });
  it("off by default", () => {
    expect(serialize({ password: "p", u: "https://x.test/?token=t" })).toBe(
      '{"password":"p","u":"https://x.test/?token=t"}',
    );
  });
  it("error objects keep their fields", () => {
    const o = JSON.parse(serialize(new Error("GET https://x.test/?api_key=abc failed"), undefined, true));
    expect(o.message).toBe(`GET https://x.test/?api_key=${REDACTED} failed`);
  });
});
