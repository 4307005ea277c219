// MD5 and Fallom's sticky assignment: RFC 1321 vectors, non-ASCII and long inputs, Node's md5 on thousands of random
// strings, and the full assignment (targeting + bucket walk through models.get's code path) against an independent
// reference implementation for 10,000 session ids and several weight tables.
import { createHash, randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bucketOf, pickVariant } from "../../src/config/assignment";
import { md5Hex, md5Uint32 } from "../../src/config/md5";
import { evaluateTargeting } from "../../src/config/targeting";

const nodeMd5 = (s: string) => createHash("md5").update(s).digest("hex");

describe("md5", () => {
  it("RFC 1321 test suite (A.5)", () => {
    const vectors: Record<string, string> = {
      "": "d41d8cd98f00b204e9800998ecf8427e",
      a: "0cc175b9c0f1b6a831c399e269772661",
      abc: "900150983cd24fb0d6963f7d28e17f72",
      "message digest": "f96b697d7cb7938d525a2f31aaf161d0",
      abcdefghijklmnopqrstuvwxyz: "c3fcd3d76192e4007dfb496cca67e13b",
      ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789: "d174ab98d277d9f5a5611c2c9f419d9f",
      "12345678901234567890123456789012345678901234567890123456789012345678901234567890": "57edf4a22be3c955ac49da2e2107b67a",
    };
    for (const [input, digest] of Object.entries(vectors)) expect(md5Hex(input), input).toBe(digest);
  });

  it("non-ASCII: 2-, 3- and 4-byte UTF-8, and lone surrogates (encoded as U+FFFD, like Node)", () => {
    for (const s of ["é", "日本語のセッション", "😀🎉", "a\ud800b", "\udc00", "x\ud83d", "mixed-ü-中-𝄞-end"]) expect(md5Hex(s), s).toBe(nodeMd5(s));
  });

  it("long inputs and every length around the 64-byte block boundary", () => {
    for (let n = 0; n < 200; n++) expect(md5Hex("x".repeat(n))).toBe(nodeMd5("x".repeat(n)));
    for (const n of [1000, 65_536, 1_000_003]) {
      const s = randomBytes(n).toString("base64");
      expect(md5Hex(s)).toBe(nodeMd5(s));
    }
  });

  it("matches Node's crypto md5 on 5,000 random strings (full unicode)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (s) => md5Hex(s) === nodeMd5(s)),
      { numRuns: 5000 },
    );
  });

  it("md5Uint32 is the digest's first 4 bytes, big-endian", () => {
    for (let i = 0; i < 1000; i++) {
      const s = crypto.randomUUID();
      expect(md5Uint32(s)).toBe(createHash("md5").update(s).digest().readUInt32BE(0));
    }
  });
});

// ----- reference implementation of Fallom's algorithm, independent of src/config (Node's md5, its own walk) -----
type Variant = { model: string; weight: number };
function referenceAssign(config: { variants: Variant[] | Record<string, Variant>; targeting?: any }, sessionId: string, customerId?: string, context?: Record<string, string>): string {
  const variants = Array.isArray(config.variants) ? config.variants : Object.values(config.variants);
  const t = config.targeting;
  // Fallom: the first matching target/rule decides; an index with no variant falls through to hashing
  let picked: number | undefined;
  if (t && t.enabled !== false) picked = firstMatch(t, customerId, context);
  if (picked !== undefined && variants[picked]) return variants[picked]!.model;
  const hash = createHash("md5").update(sessionId).digest().readUInt32BE(0) % 1_000_000;
  let cumulative = 0;
  for (const v of variants) {
    cumulative += v.weight * 10000;
    if (hash < cumulative) return v.model;
  }
  return variants[variants.length - 1]!.model;
}

function firstMatch(t: any, customerId?: string, context?: Record<string, string>): number | undefined {
  {
    const ctx: Record<string, string> = { ...(context ?? {}), ...(customerId ? { customerId } : {}) };
    for (const x of t.individualTargets ?? []) if (ctx[x.field] === x.value) return x.variantIndex;
    for (const rule of t.rules ?? []) {
      const ok = rule.conditions.every((c: any) => {
        const v = ctx[c.field];
        if (v === undefined) return false;
        if (c.operator == "eq") return v === c.value;
        if (c.operator == "neq") return v !== c.value;
        if (c.operator == "in") return Array.isArray(c.value) && c.value.includes(v);
        if (c.operator == "nin") return Array.isArray(c.value) && !c.value.includes(v);
        if (c.operator == "contains") return typeof c.value == "string" && v.includes(c.value);
        if (c.operator == "startsWith") return typeof c.value == "string" && v.startsWith(c.value);
        if (c.operator == "endsWith") return typeof c.value == "string" && v.endsWith(c.value);
        return false;
      });
      if (ok) return rule.variantIndex;
    }
  }
}

// the SDK's path, as models.get runs it
function sdkAssign(config: { variants: Variant[] | Record<string, Variant>; targeting?: any }, sessionId: string, customerId?: string, context?: Record<string, string>): string {
  const variants = Array.isArray(config.variants) ? config.variants : Object.values(config.variants);
  let index = evaluateTargeting(config.targeting, customerId, context);
  if (index === null || !variants[index]) index = pickVariant(variants, bucketOf(sessionId));
  return variants[index]!.model;
}

const TABLES: Record<string, { variants: Variant[] | Record<string, Variant>; targeting?: any }> = {
  "50/50": { variants: [{ model: "a", weight: 50 }, { model: "b", weight: 50 }] },
  "three, fractional": { variants: [{ model: "a", weight: 33.33 }, { model: "b", weight: 33.33 }, { model: "c", weight: 33.34 }] },
  "sum 80 (rest → last)": { variants: [{ model: "a", weight: 30 }, { model: "b", weight: 50 }] },
  "sum 150": { variants: [{ model: "a", weight: 90 }, { model: "b", weight: 60 }] },
  "0.01 % slice": { variants: [{ model: "a", weight: 0.01 }, { model: "b", weight: 99.99 }] },
  "zero weight first": { variants: [{ model: "a", weight: 0 }, { model: "b", weight: 100 }] },
  "single": { variants: [{ model: "only", weight: 100 }] },
  "dict-shaped": { variants: { control: { model: "a", weight: 70 }, treatment: { model: "b", weight: 20 }, holdout: { model: "c", weight: 10 } } },
  "targeting": {
    variants: [{ model: "a", weight: 50 }, { model: "b", weight: 50 }, { model: "c", weight: 0 }],
    targeting: {
      individualTargets: [{ field: "customerId", value: "vip", variantIndex: 2 }, { field: "customerId", value: "ghost", variantIndex: 9 }],
      rules: [
        { conditions: [{ field: "plan", operator: "in", value: ["pro", "team"] }, { field: "region", operator: "startsWith", value: "eu-" }], variantIndex: 1 },
        { conditions: [{ field: "plan", operator: "neq", value: "free" }], variantIndex: 0 },
        { conditions: [{ field: "email", operator: "endsWith", value: "@acme.com" }], variantIndex: 2 },
        { conditions: [{ field: "email", operator: "contains", value: "test" }, { field: "plan", operator: "nin", value: ["pro"] }], variantIndex: 1 },
      ],
    },
  },
  "targeting disabled": { variants: [{ model: "a", weight: 50 }, { model: "b", weight: 50 }], targeting: { enabled: false, individualTargets: [{ field: "customerId", value: "vip", variantIndex: 1 }] } },
};

describe("assignment vs a reference implementation, 10,000 session ids", () => {
  const ids = Array.from({ length: 10_000 }, (_, i) => (i % 3 == 0 ? crypto.randomUUID() : i % 3 == 1 ? `user-${i}-sess` : `sessión-${i}-日本`));
  const contexts = [undefined, { plan: "pro", region: "eu-west" }, { plan: "free" }, { plan: "team", region: "us" }, { email: "x@acme.com" }, { email: "test@x.io", plan: "free" }];
  const customers = [undefined, "vip", "ghost", "someone"];

  it.each(Object.keys(TABLES))("%s", (name) => {
    const table = TABLES[name]!;
    const counts = new Map<string, number>();
    for (let i = 0; i < ids.length; i++) {
      const customerId = customers[i % customers.length];
      const context = contexts[i % contexts.length] as Record<string, string> | undefined;
      const got = sdkAssign(table, ids[i]!, customerId, context);
      expect(got).toBe(referenceAssign(table, ids[i]!, customerId, context));
      counts.set(got, (counts.get(got) ?? 0) + 1);
    }
    if (name == "50/50") for (const n of counts.values()) expect(Math.abs(n / ids.length - 0.5)).toBeLessThan(0.03);
  });

  it("bucketOf is MD5 bytes 0–3, big-endian, modulo 1,000,000", () => {
    for (const id of ids.slice(0, 2000)) expect(bucketOf(id)).toBe(createHash("md5").update(id).digest().readUInt32BE(0) % 1_000_000);
  });
});
