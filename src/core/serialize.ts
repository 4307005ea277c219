import { isSecretKey, redactUrl, REDACTED } from "./redact";

export interface SerializeLimits {
  /** containers nested this deep (top level = 0) become "[MaxDepth]"; default 10 */
  maxDepth: number;
  /** own enumerable keys read per object; later keys are silently dropped; default 1000 */
  maxKeys: number;
  /** items per array/Set/Map; the rest become one "[+N items]" item (Maps: key "…"); default 1000 */
  maxItems: number;
  /** chars per string; longer ones are cut and suffixed "…[truncated N chars]" (N = original length); default 32768 */
  maxStringLength: number;
}

export const DEFAULT_SERIALIZE_LIMITS: SerializeLimits = {
  maxDepth: 10,
  maxKeys: 1000,
  maxItems: 1000,
  maxStringLength: 32768,
};

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const G = globalThis as Any;
const q = JSON.stringify as (s: string) => string;
const is = (x: object, n: string): boolean => typeof G[n] == "function" && x instanceof G[n];
const OPAQUE = ["ReadableStream", "WritableStream", "Request", "Response"];
const ERR = ["name", "message", "stack", "cause", "errors"];

/** make a string well-formed UTF-16 (lone surrogates -> U+FFFD); uses String.prototype.toWellFormed when present */
export function wellFormed(s: string): string {
  return (s as Any).toWellFormed ? (s as Any).toWellFormed() : s.replace(/\p{Cs}/gu, "\ufffd");
}

// decoded size of the last p base64 chars of x, from the length alone
const b64 = (x: string, p: number): number => ((p - (x.endsWith("==") ? 2 : x.endsWith("=") ? 1 : 0)) * 3) >>> 2;

/** JSON text of any value; never throws; secret-looking keys redacted when `redactSecrets` is true */
export function serialize(value: unknown, limits?: SerializeLimits, redactSecrets?: boolean): string {
  try {
    const { maxDepth: D, maxKeys: K, maxItems: I, maxStringLength: M } = { ...DEFAULT_SERIALIZE_LIMITS, ...limits };
    // path[0..d-1] is the current ancestor path
    const path: unknown[] = [];

    // a string as JSON: a base64 data URL becomes a placeholder that says so, any other text is text, cut to M
    const str = (x: string): string => {
      const n = x.length;
      // bounded quantifiers keep this cheap on huge strings
      const m = /^data:([^,;]{0,99})[^,]{0,199};base64,/i.exec(x);
      if (m) x = `[data:${m[1]};base64 ${b64(x, n - m[0].length)} bytes omitted]`;
      else {
        // cut before any other work
        if (n > M) x = x.slice(0, M);
        if (redactSecrets) x = redactUrl(x);
        if (n > M) x += `…[truncated ${n} chars]`;
      }
      return q(wellFormed(x));
    };

    // `,"key":value`, or "" when the value is undefined
    const kv = (k: string, o: Any, p: PropertyKey, d: number): string => {
      const v = redactSecrets && isSecretKey(k) ? q(REDACTED) : s(o, p, d);
      return v ? "," + str(k) + ":" + v : "";
    };

    // serializes o[p], so a throwing getter only spoils its own field
    const s = (o: Any, p: PropertyKey, d: number, jsoned?: 1): string | undefined => {
      try {
        let x = o[p];
        const t = typeof x;
        if (t == "boolean" || (t == "number" && isFinite(x))) return "" + x;
        if (t == "number" || t == "bigint") return `"${x}"`;
        if (x == null) return x === null ? "null" : x;
        if (x instanceof Date) return q(isNaN(x.getTime()) ? "Invalid Date" : x.toISOString());
        if (t == "symbol") x = String(x);
        if (t == "function") x = typeof x.name == "string" && x.name ? `[Function ${x.name}]` : "[Function]";
        if (x instanceof RegExp) x = `/${x.source}/${x.flags}`;
        if (typeof x == "string") return str(x);
        const proto = Object.getPrototypeOf(x);
        // plain objects and arrays (nearly everything) skip the platform-class checks
        if (proto != Object.prototype && proto && !Array.isArray(x)) {
          const blob = is(x, "Blob");
          if (blob || x instanceof ArrayBuffer || ArrayBuffer.isView(x))
            return q({ type: "binary", mediaType: blob ? x.type : undefined, byteLength: x[blob ? "size" : "byteLength"] } as Any);
          for (const n of OPAQUE) if (is(x, n)) return `"[${n}]"`;
        }
        if (!jsoned && typeof x.toJSON == "function") return s([x.toJSON()], 0, d, 1);
        if (d >= D) return '"[MaxDepth]"';
        path.length = d++;
        if (path.includes(x)) return '"[Circular]"';
        path.push(x);

        let r = "",
          c = 0,
          n: Any;
        const map = x instanceof Map || is(x, "Headers");
        if (map || x instanceof Set || Array.isArray(x)) {
          // entries() yields [key, value] for all four kinds
          for (const e of x.entries()) {
            if (c++ >= I) break;
            r += map
              ? // string, number, bigint, boolean keys (not symbol)
                kv(/^[snb][^y]/.test(typeof e[0]) ? "" + e[0] : "[object]", e, 1, d)
              : "," + (s(e, 1, d) ?? "null");
          }
          if ((n = x.size ?? x.length) > I) r += (map ? ',"…":' : ",") + `"[+${n - I} items]"`;
          if (!map) return "[" + r.slice(1) + "]";
        } else if (x instanceof Error) for (const k of ERR) r += kv(k, x, k, d);
        // for…in + hasOwn: no key array of our own, stop reading at maxKeys
        else
          for (const k in x)
            if (Object.hasOwn(x, k)) {
              if (c++ >= K) break;
              r += kv(k, x, k, d);
            }
        return "{" + r.slice(1) + "}";
      } catch (e: Any) {
        // may throw on a hostile error object; the outer catch then handles that
        const m = e?.message ?? e;
        return q(wellFormed(`[Unserializable: ${typeof m == "string" ? m.slice(0, 100) : typeof m}]`));
      }
    };

    return s([value], 0, 0) ?? "null";
  } catch {
    return '"[Unserializable]"';
  }
}
