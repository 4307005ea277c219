import { describe, it, expect, vi } from "vitest";
import fc from "fast-check";
import { serialize, wellFormed, DEFAULT_SERIALIZE_LIMITS, type SerializeLimits } from "../../src/core/serialize";

const parse = (v: unknown, l?: Partial<SerializeLimits>, r?: boolean): any =>
  JSON.parse(serialize(v, l && { ...DEFAULT_SERIALIZE_LIMITS, ...l }, r));

const b64 = (n: number): string => {
  const u = new Uint8Array(n);
  for (let i = 0; i < n; i++) u[i] = (i * 7919 + 13) & 255;
  let s = "";
  for (let i = 0; i < n; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000));
  return btoa(s);
};

describe("serialize: golden representations (B9)", () => {
  function named() {}
  class Klass {}
  class Priv {
    #secret = 1;
    pub = 2;
    get g() {
      return this.#secret;
    }
  }
  const cases: [string, unknown, string][] = [
    ["undefined top level", undefined, "null"],
    ["null", null, "null"],
    ["true", true, "true"],
    ["false", false, "false"],
    ["integer", 42, "42"],
    ["float", 1.5, "1.5"],
    ["big float", 1e21, "1e+21"],
    ["-0", -0, "0"],
    ["NaN", NaN, '"NaN"'],
    ["Infinity", Infinity, '"Infinity"'],
    ["-Infinity", -Infinity, '"-Infinity"'],
    ["bigint", 12345678901234567890n, '"12345678901234567890"'],
    ["negative bigint", -5n, '"-5"'],
    ["string", 'a"b\n', '"a\\"b\\n"'],
    ["symbol", Symbol("desc"), '"Symbol(desc)"'],
    ["symbol no desc", Symbol(), '"Symbol()"'],
    ["named function", named, '"[Function named]"'],
    ["anonymous function", [() => 1][0], '"[Function]"'],
    ["class", Klass, '"[Function Klass]"'],
    ["Date", new Date(0), '"1970-01-01T00:00:00.000Z"'],
    ["invalid Date", new Date(NaN), '"Invalid Date"'],
    ["RegExp", /a+b\//gi, '"/a+b\\\\//gi"'],
    ["undefined in object omitted", { a: undefined, b: 1 }, '{"b":1}'],
    ["undefined/function/symbol in array", [undefined, , 1], "[null,null,1]"],
    ["function in object", { f: named }, '{"f":"[Function named]"}'],
    ["Map", new Map<unknown, unknown>([[1, "a"], ["k", 2], [{}, 3], [10n, 4], [true, 5], [null, 6]]),
      '{"1":"a","k":2,"[object]":3,"10":4,"true":5,"[object]":6}'],
    ["Set", new Set([1, "a", 1n]), '[1,"a","1"]'],
    ["empty Map/Set", [new Map(), new Set()], "[{},[]]"],
    ["ArrayBuffer", new ArrayBuffer(8), '{"type":"binary","byteLength":8}'],
    ["Uint8Array", new Uint8Array(3), '{"type":"binary","byteLength":3}'],
    ["Float64Array", new Float64Array(2), '{"type":"binary","byteLength":16}'],
    ["DataView", new DataView(new ArrayBuffer(5), 1), '{"type":"binary","byteLength":4}'],
    ["Blob", new Blob(["abc"], { type: "text/plain" }), '{"type":"binary","mediaType":"text/plain","byteLength":3}'],
    ["File", new File(["abcd"], "a.png", { type: "image/png" }), '{"type":"binary","mediaType":"image/png","byteLength":4}'],
    ["ReadableStream", new ReadableStream(), '"[ReadableStream]"'],
    ["WritableStream", new WritableStream(), '"[WritableStream]"'],
    ["Request", new Request("https://x.test/"), '"[Request]"'],
    ["Response", new Response("hi"), '"[Response]"'],
    ["class instance with private fields", new Priv(), '{"pub":2}'],
    ["URL via toJSON", new URL("https://x.test/a?b=1"), '"https://x.test/a?b=1"'],
    ["toJSON", { toJSON: () => ({ x: 1 }) }, '{"x":1}'],
    ["toJSON result's toJSON not called", { toJSON: () => ({ toJSON: () => 1, y: 2 }) }, '{"toJSON":"[Function toJSON]","y":2}'],
    ["Headers as object", new Headers({ "X-A": "1" }), '{"x-a":"1"}'],
    ["arguments-like", { 0: "a", 1: "b", length: 2 }, '{"0":"a","1":"b","length":2}'],
    ["nested", { a: [1, { b: null }], c: "d" }, '{"a":[1,{"b":null}],"c":"d"}'],
    ["boxed primitives have no own enumerable keys", [new Number(1), new Boolean(true)], "[{},{}]"],
  ];
  for (const [name, value, expected] of cases)
    it(name, () => {
      const out = serialize(value);
      expect(out).toBe(expected);
      expect(() => JSON.parse(out)).not.toThrow();
    });

  it("Error with cause chain", () => {
    const e = new Error("outer", { cause: new TypeError("inner", { cause: "root" }) });
    const o = parse(e);
    expect(o.name).toBe("Error");
    expect(o.message).toBe("outer");
    expect(typeof o.stack).toBe("string");
    expect(o.cause.name).toBe("TypeError");
    expect(o.cause.message).toBe("inner");
    expect(o.cause.cause).toBe("root");
    expect(Object.keys(o)).toEqual(["name", "message", "stack", "cause"]);
  });

  it("Error without stack/cause omits them", () => {
    const e = new RangeError("r");
    e.stack = undefined;
    expect(serialize(e)).toBe('{"name":"RangeError","message":"r"}');
  });

  it("AggregateError.errors", () => {
    const o = parse(new AggregateError([new Error("a"), "b"], "agg"));
    expect(o.name).toBe("AggregateError");
    expect(o.message).toBe("agg");
    expect(o.errors[0].message).toBe("a");
    expect(o.errors[1]).toBe("b");
  });

  it("Error cause chain is depth-limited and self-cause is circular", () => {
    let e = new Error("0");
    for (let i = 1; i < 50; i++) e = new Error(String(i), { cause: e });
    const out = serialize(e);
    expect(out).toContain('"cause":"[MaxDepth]"');
    const self = new Error("self");
    (self as any).cause = self;
    expect(parse(self).cause).toBe("[Circular]");
  });

  it("custom Error subclass name", () => {
    class MyErr extends Error {
      override name = "MyErr";
    }
    expect(parse(new MyErr("m")).name).toBe("MyErr");
  });

  it("is deterministic", () => {
    const v = { a: [1, new Map([["x", new Set([1])]])], d: new Date(5), e: new Uint8Array(2) };
    expect(serialize(v)).toBe(serialize(v));
  });
});

describe("serialize: circular references (B1)", () => {
  it("self", () => {
    const a: any = { x: 1 };
    a.self = a;
    expect(serialize(a)).toBe('{"x":1,"self":"[Circular]"}');
  });
  it("mutual", () => {
    const a: any = { n: "a" };
    const b: any = { n: "b", a };
    a.b = b;
    expect(parse(a)).toEqual({ n: "a", b: { n: "b", a: "[Circular]" } });
  });
  it("through arrays", () => {
    const arr: any[] = [1];
    arr.push(arr);
    arr.push({ arr });
    expect(serialize(arr)).toBe('[1,"[Circular]",{"arr":"[Circular]"}]');
  });
  it("through Maps and Sets", () => {
    const m = new Map<string, unknown>();
    m.set("me", m);
    const s = new Set<unknown>();
    s.add(s);
    m.set("s", s);
    expect(serialize(m)).toBe('{"me":"[Circular]","s":["[Circular]"]}');
  });
  it("repeated non-circular references are serialized each time", () => {
    const shared = { v: 1 };
    expect(serialize({ a: shared, b: shared, c: [shared, shared] })).toBe(
      '{"a":{"v":1},"b":{"v":1},"c":[{"v":1},{"v":1}]}',
    );
  });
  it("through toJSON and errors", () => {
    const o: any = { toJSON: () => ({ o }) };
    expect(() => JSON.parse(serialize(o))).not.toThrow();
    const e: any = new Error("x");
    e.cause = { e };
    expect(parse(e).cause.e).toBe("[Circular]");
  });
});

describe("serialize: BigInt (B2)", () => {
  it("top level, nested, as Map key", () => {
    expect(serialize(1n)).toBe('"1"');
    expect(serialize({ a: [2n] })).toBe('{"a":["2"]}');
    expect(serialize(new Map([[3n, 4n]]))).toBe('{"3":"4"}');
  });
});

describe("serialize: huge strings (B3)", () => {
  it("10 MB string is truncated with the original length", () => {
    const big = "hello world ".repeat(1e6).slice(0, 10_000_000);
    const out = serialize(big);
    const marker = "…[truncated 10000000 chars]";
    expect(out.length).toBeLessThanOrEqual(32768 + marker.length + 2);
    const s = JSON.parse(out) as string;
    expect(s.endsWith(marker)).toBe(true);
    expect(s.length).toBe(32768 + marker.length);
  });
  it("custom maxStringLength", () => {
    expect(parse("abcdefgh", { maxStringLength: 3 })).toBe("abc…[truncated 8 chars]");
    expect(parse("abc", { maxStringLength: 3 })).toBe("abc");
  });
  it("a 100 MB payload stays under 1 MiB", () => {
    const big = "lorem ipsum ".repeat(833_334);
    const payload = Array.from({ length: 10 }, () => ({ content: big }));
    const out = serialize(payload);
    expect(out.length).toBeLessThan(1 << 20);
    expect(JSON.parse(out)).toHaveLength(10);
  });
  it("truncation never leaves a lone surrogate", () => {
    const s = "a" + "😀".repeat(10);
    const out = parse(s, { maxStringLength: 4 }) as string;
    expect(out.startsWith("a😀\uFFFD")).toBe(true);
    expect(wellFormed(out)).toBe(out);
  });
});

describe("serialize: binary (B4)", () => {
  it("typed arrays, ArrayBuffer, DataView are never inlined", () => {
    const u = new Uint8Array(1 << 20).fill(65);
    const out = serialize({ u, b: u.buffer, v: new DataView(u.buffer), i: new Int32Array(4) });
    expect(JSON.parse(out)).toEqual({
      u: { type: "binary", byteLength: 1 << 20 },
      b: { type: "binary", byteLength: 1 << 20 },
      v: { type: "binary", byteLength: 1 << 20 },
      i: { type: "binary", byteLength: 16 },
    });
  });
  it("ReadableStream is not consumed or locked", async () => {
    const rs = new ReadableStream({
      start(c) {
        c.enqueue("x");
        c.close();
      },
    });
    expect(parse({ rs })).toEqual({ rs: "[ReadableStream]" });
    expect(rs.locked).toBe(false);
    const r = rs.getReader();
    expect((await r.read()).value).toBe("x");
  });
  it("Response and Request bodies are not consumed", async () => {
    const res = new Response("body");
    const req = new Request("https://x.test/", { method: "POST", body: "req" });
    expect(parse([res, req])).toEqual(["[Response]", "[Request]"]);
    expect(res.bodyUsed).toBe(false);
    expect(res.body!.locked).toBe(false);
    expect(await res.text()).toBe("body");
    expect(await req.text()).toBe("req");
  });
  it("data URIs become a placeholder with decoded byte length", () => {
    const fixtures: [string, number][] = [];
    const mimes = ["image/png", "image/jpeg", "image/webp", "image/gif", "audio/wav", "audio/mpeg", "application/pdf", "video/mp4", "text/plain;charset=utf-8", ""];
    for (const mime of mimes) for (const n of [0, 1, 2, 3, 4, 5, 100, 1001, 30000, 200000]) fixtures.push([`data:${mime};base64,${b64(n)}`, n]);
    let hits = 0;
    for (const [uri, n] of fixtures) {
      const mime = uri.slice(5, uri.indexOf(";"));
      const out = parse({ image: uri });
      if (out.image === `[data:${mime};base64 ${n} bytes omitted]`) hits++;
    }
    expect(hits / fixtures.length).toBeGreaterThanOrEqual(0.99);
    expect(parse("DATA:IMAGE/PNG;BASE64,QQ==")).toBe("[data:IMAGE/PNG;base64 1 bytes omitted]");
    expect(parse("data:image/png;base64,QUI=")).toBe("[data:image/png;base64 2 bytes omitted]");
    // not base64: left as text
    expect(parse("data:text/plain,hello")).toBe("data:text/plain,hello");
  });
  it("text is text: a long base64-alphabet string (100k × \"y\", raw base64) is kept as text, cut to the limit", () => {
    for (const text of ["y".repeat(100_000), b64(60000)]) {
      expect(parse({ text })).toEqual({ text: text.slice(0, 32768) + `…[truncated ${text.length} chars]` });
    }
  });
});

describe("serialize: lone surrogates (B5)", () => {
  it("keys and values become well-formed with U+FFFD", () => {
    const out = serialize({ "\uD800": "a\uDFFFb", ok: "😀", k: ["\uDBFF"] });
    expect(wellFormed(out)).toBe(out);
    const o = JSON.parse(out);
    expect(o).toEqual({ "\uFFFD": "a\uFFFDb", ok: "😀", k: ["\uFFFD"] });
    const bytes = new TextEncoder().encode(out);
    expect(new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toBe(out);
  });
  it("wellFormed with and without String.prototype.toWellFormed", () => {
    const inputs = ["\uD800", "a\uDFFFb", "\uD800\uD800\uDC00", "😀", "x\uDC00\uD800y", ""];
    const expected = ["\uFFFD", "a\uFFFDb", "\uFFFD\uD800\uDC00", "😀", "x\uFFFD\uFFFDy", ""];
    expect(inputs.map(wellFormed)).toEqual(expected);
    const proto = String.prototype as any;
    const saved = proto.toWellFormed;
    delete proto.toWellFormed;
    try {
      expect(inputs.map(wellFormed)).toEqual(expected);
      expect(serialize({ "\uD800": "\uDFFF" })).toBe('{"\uFFFD":"\uFFFD"}');
    } finally {
      proto.toWellFormed = saved;
    }
  });
});

describe("serialize: hostile objects (B6)", () => {
  it("throwing getter spoils only its field", () => {
    const o = {
      a: 1,
      get b(): number {
        throw new Error("nope");
      },
      c: 3,
    };
    expect(serialize(o)).toBe('{"a":1,"b":"[Unserializable: nope]","c":3}');
  });
  it("throwing toJSON", () => {
    expect(serialize({ x: { toJSON: () => { throw new Error("tj"); } } })).toBe('{"x":"[Unserializable: tj]"}');
    expect(serialize({ toJSON: () => { throw new Error("top"); } })).toBe('"[Unserializable: top]"');
  });
  it("thrown non-errors and long messages", () => {
    const o = {
      get s() {
        throw "str";
      },
      get n() {
        throw 42;
      },
      get l() {
        throw new Error("x".repeat(500));
      },
    };
    const r = parse(o);
    expect(r.s).toBe("[Unserializable: str]");
    expect(r.n).toBe("[Unserializable: number]");
    expect(r.l).toBe(`[Unserializable: ${"x".repeat(100)}]`);
  });
  it("never calls user toString / valueOf / Symbol.toPrimitive", () => {
    const toString = vi.fn(() => "S");
    const valueOf = vi.fn(() => 1);
    const toPrimitive = vi.fn(() => "P");
    const evil = { toString, valueOf, [Symbol.toPrimitive]: toPrimitive, v: 1 };
    const fnWithEvilName = () => 1;
    Object.defineProperty(fnWithEvilName, "name", { value: evil });
    const err = new Error("e");
    // V8 formats .stack lazily through Error.prepareStackTrace (vite installs one); settle it first
    void err.stack;
    (err as any).message = evil;
    (err as any).name = evil;
    const thrower = {
      get x() {
        throw evil;
      },
    };
    const m = new Map<unknown, unknown>([[evil, evil]]);
    const out = serialize({ evil, m, fnWithEvilName, err, thrower, arr: [evil], s: new Set([evil]) }, undefined, true);
    expect(() => JSON.parse(out)).not.toThrow();
    expect(toString).toHaveBeenCalledTimes(0);
    expect(valueOf).toHaveBeenCalledTimes(0);
    expect(toPrimitive).toHaveBeenCalledTimes(0);
    const o = JSON.parse(out);
    expect(o.fnWithEvilName).toBe("[Function]");
    expect(o.m["[object]"].v).toBe(1);
    expect(o.m["[object]"].toString).toBe("[Function Mock]");
    expect(o.thrower.x).toBe("[Unserializable: object]");
  });
  it("Proxy with throwing traps", () => {
    const boom = () => {
      throw new Error("trap");
    };
    const proxies = [
      new Proxy({}, { ownKeys: boom }),
      new Proxy({ a: 1 }, { get: boom }),
      new Proxy({}, { getPrototypeOf: boom }),
      new Proxy({ a: 1 }, { getOwnPropertyDescriptor: boom }),
      new Proxy([1, 2], { get: boom }),
      new Proxy(() => 1, { get: boom }),
    ];
    for (const p of proxies) {
      const out = serialize({ p, ok: 1 });
      const o = JSON.parse(out);
      expect(o.ok).toBe(1);
      expect(o.p).toBe("[Unserializable: trap]");
      expect(serialize(p)).toBe('"[Unserializable: trap]"');
    }
  });
  it("Proxy with throwing get only for one key", () => {
    const p = new Proxy(
      { a: 1, b: 2 },
      {
        get(t, k) {
          if (k === "b") throw new Error("b!");
          return (t as any)[k];
        },
      },
    );
    expect(serialize(p)).toBe('{"a":1,"b":"[Unserializable: b!]"}');
  });
  it("revoked Proxy top level and nested", () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const top = JSON.parse(serialize(proxy));
    expect(top).toMatch(/^\[Unserializable: .*revoked/);
    expect(parse({ proxy, x: 1 })).toEqual({ proxy: top, x: 1 });
  });
  it("hostile error thrown whose message getter throws", () => {
    const hostile = {
      get message(): string {
        throw hostile;
      },
    };
    const o = {
      get x() {
        throw hostile;
      },
    };
    expect(() => JSON.parse(serialize(o))).not.toThrow();
    expect(() => JSON.parse(serialize({ deep: { o } }))).not.toThrow();
    expect(JSON.parse(serialize(o))).toMatch(/^\[Unserializable/);
  });
  it("frozen, sealed, null-prototype objects", () => {
    const n = Object.create(null);
    n.a = 1;
    n.toString = "not a function";
    expect(serialize(Object.freeze({ a: [1] }))).toBe('{"a":[1]}');
    expect(serialize(Object.seal({ b: 2 }))).toBe('{"b":2}');
    expect(serialize(n)).toBe('{"a":1,"toString":"not a function"}');
    expect(serialize(Object.freeze(n))).toBe('{"a":1,"toString":"not a function"}');
  });
  it("inherited enumerable keys are skipped", () => {
    const o = Object.create({ inherited: 1 });
    o.own = 2;
    expect(serialize(o)).toBe('{"own":2}');
  });
  it("hostile limits object does not throw", () => {
    const limits = new Proxy({} as SerializeLimits, {
      ownKeys() {
        throw new Error("l");
      },
    });
    expect(() => JSON.parse(serialize({ a: 1 }, limits))).not.toThrow();
  });
});

describe("serialize: deep and wide (B7, B8)", () => {
  const deep = (n: number, arr = false) => {
    let o: any = {};
    for (let i = 0; i < n; i++) o = arr ? [o] : { c: o };
    return o;
  };
  it("depth 100k objects and arrays hit MaxDepth without overflow", () => {
    for (const arr of [false, true]) {
      const out = serialize(deep(100_000, arr));
      expect(out).toContain('"[MaxDepth]"');
      expect(out.length).toBeLessThan(200);
      JSON.parse(out);
    }
  });
  it("maxDepth semantics: top level is depth 0", () => {
    expect(serialize({ a: { b: 1 } }, { ...DEFAULT_SERIALIZE_LIMITS, maxDepth: 1 })).toBe('{"a":"[MaxDepth]"}');
    expect(serialize({ a: 1 }, { ...DEFAULT_SERIALIZE_LIMITS, maxDepth: 0 })).toBe('"[MaxDepth]"');
    // leaves at the limit are still rendered
    expect(serialize({ d: new Date(0), u: new Uint8Array(1) }, { ...DEFAULT_SERIALIZE_LIMITS, maxDepth: 1 })).toBe(
      '{"d":"1970-01-01T00:00:00.000Z","u":{"type":"binary","byteLength":1}}',
    );
    const out = serialize(deep(20));
    expect(out.split('"c"').length - 1).toBe(10);
  });
  it("unbounded maxDepth on 100k nesting still never throws", () => {
    const out = serialize(deep(100_000), { ...DEFAULT_SERIALIZE_LIMITS, maxDepth: Infinity });
    expect(() => JSON.parse(out)).not.toThrow();
  });
  it("1M keys stop at maxKeys", () => {
    const o: Record<string, number> = {};
    for (let i = 0; i < 1_000_000; i++) o["k" + i] = i;
    const r = parse(o);
    expect(Object.keys(r)).toHaveLength(1000);
    expect(r.k999).toBe(999);
    expect(Object.keys(parse(o, { maxKeys: 3 }))).toEqual(["k0", "k1", "k2"]);
  });
  it("10M-element array stops at maxItems with a count marker", () => {
    const a = new Array(10_000_000).fill(1);
    const r = parse(a);
    expect(r).toHaveLength(1001);
    expect(r[1000]).toBe("[+9999000 items]");
    const sparse = parse(new Array(10_000_000), { maxItems: 2 });
    expect(sparse).toEqual([null, null, "[+9999998 items]"]);
  });
  it("Set and Map stop at maxItems", () => {
    const s = new Set(Array.from({ length: 50 }, (_, i) => i));
    expect(parse(s, { maxItems: 3 })).toEqual([0, 1, 2, "[+47 items]"]);
    const m = new Map(Array.from({ length: 50 }, (_, i) => ["k" + i, i]));
    expect(parse(m, { maxItems: 2 })).toEqual({ k0: 0, k1: 1, "…": "[+48 items]" });
  });
  it("missing limit fields fall back to defaults", () => {
    expect(serialize("x".repeat(40000), { maxDepth: 2 } as SerializeLimits).length).toBeLessThan(33000);
  });
});

describe("serialize: timings (informational, no assertions on time)", () => {
  const time = (label: string, f: () => string) => {
    const t = performance.now();
    const out = f();
    console.log(`${label}: ${(performance.now() - t).toFixed(2)} ms, ${out.length} chars`);
  };
  it("prints timings", () => {
    const s10 = "hello world ".repeat(1e6).slice(0, 1e7);
    // slice(1) flattens the rope that repeat() builds, so flattening isn't timed below
    const b10 = ("x" + "a".repeat(1e7)).slice(1);
    const keys: Record<string, number> = {};
    for (let i = 0; i < 1_000_000; i++) keys["k" + i] = i;
    const arr = new Array(10_000_000).fill(1);
    time("10 MB text string", () => serialize(s10));
    time("10 MB base64-alphabet string", () => serialize(b10));
    time("1M-key object", () => serialize(keys));
    time("10M-element array", () => serialize(arr));
  });
});

describe("serialize: property-based (B11)", () => {
  const anything = fc.anything({
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withTypedArray: true,
    withSparseArray: true,
    withNullPrototype: true,
    withObjectString: true,
    withBoxedValues: true,
  });
  const small: SerializeLimits = { maxDepth: 3, maxKeys: 4, maxItems: 4, maxStringLength: 16 };
  // every leaf: at most max(string limit + marker, placeholder/unserializable text) chars, each escaped to ≤ 6
  const leaf = 6 * (Math.max(small.maxStringLength + 40, 160) + 40) + 2;
  const width = Math.max(small.maxKeys, small.maxItems + 1, 5);
  let entries = 0;
  for (let d = 1; d <= small.maxDepth; d++) entries += width ** d;
  const bound = leaf + entries * (2 * leaf + 4);

  it("never throws, always parses, stays bounded", () => {
    fc.assert(
      fc.property(anything, fc.boolean(), (v, redact) => {
        const out = serialize(v, small, redact);
        JSON.parse(out);
        expect(wellFormed(out)).toBe(out);
        expect(out.length).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 2000 },
    );
  });
  it("default limits: never throws, always parses", () => {
    fc.assert(
      fc.property(anything, (v) => {
        JSON.parse(serialize(v, undefined, true));
      }),
      { numRuns: 2000 },
    );
  });
  it("equals JSON.stringify for plain JSON values", () => {
    const wide = { ...DEFAULT_SERIALIZE_LIMITS, maxDepth: 1000 };
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(serialize(v, wide)).toBe(JSON.stringify(v));
      }),
      { numRuns: 2000 },
    );
  });
});
