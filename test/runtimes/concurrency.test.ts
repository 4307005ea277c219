// C1/C2: 1000 interleaved sessions in ONE workerd isolate, with nodejs_compat and without any flag → zero cross-talk.
// C4: concurrent requests each handing fallom.flush() to ctx.waitUntil → every span delivered exactly once,
// every waitUntil settles (reported back to the collector from inside the Worker).
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { startCollector, type Collector, type DecodedSpan } from "../support/collector";
import { bundle, runWorkerd, type WorkerdHandle } from "./harness";

const N = 1000;
// Concurrent dispatchFetch requests for C4 (each with its own waitUntil(flush) → one export + one report each).
// Every request costs a few ms of Miniflare proxying on this 2-core box, so C4 uses fewer than N; the
// 1000-session isolation check runs inside one request (same isolate, same interleaving, no proxy cost).
const N_REQ = 400;
const FANOUT = 2;
// root + FANOUT × (fan + leaf + implicit) + handle
const SPANS_PER_UNIT = 2 + FANOUT * 3;

// One unit of work per session: random awaits (timers), Promise.all fan-out, nested callbacks, a handle,
// and spans started with NO parent inside a callback (implicit nesting through ALS when the isolate has it).
// Every span carries the unit's oracle tag, set from the closure, never from SDK state.
const WORKER = `
import fallom from "@fallom/trace";
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const rand = (n) => Math.floor(Math.random() * n);

async function unit(i, variant) {
  const tag = { "test.oracle": i, "test.variant": variant };
  const session = fallom.session({ sessionId: "s-" + variant + "-" + i, customerId: "u-" + variant + "-" + i, tags: ["t-" + i] });
  await session.trace("root", async (root) => {
    root.setAttributes(tag);
    await sleep(rand(3));
    await Promise.all(Array.from({ length: ${FANOUT} }, (_, k) =>
      root.span("fan-" + k, async (fan) => {
        fan.setAttributes(tag);
        await sleep(rand(3));
        await fan.span("leaf", async (leaf) => {
          leaf.setAttributes(tag);
          await sleep(rand(2));
        }, { type: "tool" });
        const implicit = session.startSpan("implicit");
        implicit.setAttributes(tag);
        await sleep(rand(2));
        implicit.end();
      }, { type: "agent" })));
    const handle = root.startSpan("handle", { type: "retrieval" });
    handle.setAttributes(tag);
    await sleep(rand(2));
    handle.end();
  });
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const collector = url.searchParams.get("collector");
    await fallom.init({ apiKey: "concurrency-key", baseUrl: collector, maxQueueSize: 50000, retryBaseMs: 10 });
    if (url.pathname === "/many") {
      // one request, N interleaved sessions
      const n = Number(url.searchParams.get("n"));
      await Promise.all(Array.from({ length: n }, (_, i) => unit(i, "many")));
      return Response.json(await fallom.flush());
    }
    const i = Number(url.searchParams.get("i"));
    await unit(i, "req");
    ctx.waitUntil(
      fallom.flush().then((result) =>
        fetch(collector + "/done", { method: "POST", body: JSON.stringify({ i, ...result }) }).then((r) => r.text()),
      ),
    );
    return new Response("ok " + i);
  },
};`;

let script: string;
const open = new Set<{ close(): Promise<void> } | WorkerdHandle>();

beforeAll(async () => {
  script = await bundle({ contents: WORKER }, "esm");
});

// every Miniflare (a workerd process) and collector goes away with the test that started it
afterEach(async () => {
  const all = [...open];
  open.clear();
  await Promise.all(all.map((x) => ("dispose" in x ? x.dispose() : x.close())));
});

async function setup(flags: string[]): Promise<{ collector: Collector; worker: WorkerdHandle }> {
  const collector = await startCollector();
  open.add(collector);
  const worker = await runWorkerd(script, { flags });
  open.add(worker);
  return { collector, worker };
}

/** Every violation of isolation, as readable lines (empty = zero cross-talk). */
function crossTalk(spans: DecodedSpan[], variant: string, n: number, als: boolean): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const byTrace = new Map<string, DecodedSpan[]>();
  const perUnit = new Map<number, DecodedSpan[]>();
  for (const s of spans) {
    const key = s.traceId + ":" + s.spanId;
    if (seen.has(key)) problems.push(`duplicate span ${key}`);
    seen.add(key);
    const oracle = s.attributes["test.oracle"] as number;
    if (s.attributes["test.variant"] !== variant || typeof oracle !== "number") {
      problems.push(`span ${s.name} ${s.spanId} has no oracle tag`);
      continue;
    }
    // the session attributes must be those of the unit that created the span
    if (s.attributes["session.id"] !== `s-${variant}-${oracle}`) problems.push(`${s.name} of unit ${oracle} has session.id ${s.attributes["session.id"]}`);
    if (s.attributes["user.id"] !== `u-${variant}-${oracle}`) problems.push(`${s.name} of unit ${oracle} has user.id ${s.attributes["user.id"]}`);
    if (JSON.stringify(s.attributes["fallom.tags"]) !== JSON.stringify([`t-${oracle}`])) problems.push(`${s.name} of unit ${oracle} has tags ${JSON.stringify(s.attributes["fallom.tags"])}`);
    (byTrace.get(s.traceId) ?? byTrace.set(s.traceId, []).get(s.traceId)!).push(s);
    (perUnit.get(oracle) ?? perUnit.set(oracle, []).get(oracle)!).push(s);
  }
  const bySpanId = new Map(spans.map((s) => [s.spanId, s]));
  for (const [traceId, members] of byTrace) {
    const oracles = new Set(members.map((s) => s.attributes["test.oracle"]));
    if (oracles.size !== 1) problems.push(`trace ${traceId} mixes units ${[...oracles].join(",")}`);
    const roots = members.filter((s) => !s.parentSpanId);
    if (roots.length !== 1) problems.push(`trace ${traceId} has ${roots.length} roots`);
    for (const s of members) {
      if (!s.parentSpanId) continue;
      const parent = bySpanId.get(s.parentSpanId);
      if (!parent) problems.push(`${s.name} ${s.spanId}: parent ${s.parentSpanId} never arrived`);
      else if (parent.traceId !== s.traceId) problems.push(`${s.name} ${s.spanId}: parent in another trace`);
      else if (parent.attributes["test.oracle"] !== s.attributes["test.oracle"]) problems.push(`${s.name} of unit ${s.attributes["test.oracle"]}: parent belongs to unit ${parent.attributes["test.oracle"]}`);
    }
  }
  // the exact tree of every unit
  for (let i = 0; i < n; i++) {
    const members = perUnit.get(i) ?? [];
    if (members.length !== SPANS_PER_UNIT) {
      problems.push(`unit ${i}: ${members.length} spans, expected ${SPANS_PER_UNIT}`);
      continue;
    }
    const named = (name: string) => members.filter((s) => s.name === name);
    const root = named("root");
    if (root.length !== 1 || root[0]!.parentSpanId) {
      problems.push(`unit ${i}: no single root`);
      continue;
    }
    const rootId = root[0]!.spanId;
    const parentName = (s: DecodedSpan) => (s.parentSpanId ? bySpanId.get(s.parentSpanId)?.name : undefined);
    for (let k = 0; k < FANOUT; k++) {
      const fan = named("fan-" + k);
      if (fan.length !== 1 || fan[0]!.parentSpanId !== rootId) problems.push(`unit ${i}: fan-${k} not under its root`);
    }
    if (named("handle")[0]?.parentSpanId !== rootId) problems.push(`unit ${i}: handle not under its root`);
    for (const leaf of named("leaf")) if (!parentName(leaf)?.startsWith("fan-")) problems.push(`unit ${i}: leaf under ${parentName(leaf)}`);
    for (const imp of named("implicit")) {
      if (als && !parentName(imp)?.startsWith("fan-")) problems.push(`unit ${i}: implicit span not nested under a fan span (parent ${parentName(imp)})`);
      if (!als && imp.parentSpanId) problems.push(`unit ${i}: implicit span has a parent without ALS`);
    }
    if (als && new Set(members.map((s) => s.traceId)).size !== 1) problems.push(`unit ${i}: spans in several traces`);
  }
  return problems;
}

function expectNoCrossTalk(spans: DecodedSpan[], variant: string, n: number, als: boolean): void {
  expect(spans.length).toBe(n * SPANS_PER_UNIT);
  const problems = crossTalk(spans, variant, n, als);
  expect(problems.slice(0, 20), `${problems.length} isolation problems`).toEqual([]);
}

describe.each([
  { name: "no flags (no ALS)", flags: [] as string[], als: false },
  // implicit nesting needs nodejs_compat (nodejs_als alone offers AsyncLocalStorage only through import())
  { name: "nodejs_compat", flags: ["nodejs_compat"], als: true },
])("workerd $name: one isolate", ({ flags, als }) => {
  it(`one request running ${N} interleaved sessions (random awaits, fan-out, nesting): zero cross-talk`, async () => {
    const { collector, worker } = await setup(flags);
    const res = await worker.fetch(`/many?n=${N}&collector=${encodeURIComponent(collector.url)}`);
    const text = await res.text();
    expect(res.status, text).toBe(200);
    const flushed = JSON.parse(text);
    expect(flushed).toMatchObject({ sent: N * SPANS_PER_UNIT, dropped: 0, pending: 0, timedOut: false });
    // flush() resolved after the collector acknowledged: everything is there, nothing twice
    expect(collector.allSpans()).toHaveLength(N * SPANS_PER_UNIT);
    expectNoCrossTalk(collector.spans(), "many", N, als);
  }, 60_000);

  it(`${N_REQ} concurrent requests, each ctx.waitUntil(fallom.flush()): zero cross-talk, every span exactly once, no waitUntil hangs`, async () => {
    const { collector, worker } = await setup(flags);
    const c = encodeURIComponent(collector.url);
    const bodies = await Promise.all(
      Array.from({ length: N_REQ }, (_, i) => worker.fetch(`/req?i=${i}&collector=${c}`).then((r) => r.text())),
    );
    expect(bodies.filter((b, i) => b !== `ok ${i}`)).toEqual([]);
    // every request's waitUntil(flush) settled and reported back (bounded: a hang would time out here)
    const done = await collector.waitForRequests(N_REQ, 30_000, "/done");
    const reports = done.map((r) => r.json as { i: number; sent: number; dropped: number; pending: number; timedOut: boolean });
    expect(new Set(reports.map((r) => r.i)).size).toBe(N_REQ);
    expect(reports.filter((r) => r.timedOut || r.dropped), "no flush timed out or dropped").toEqual([]);
    const sentByFlushes = reports.reduce((sum, r) => sum + r.sent, 0);
    expect(sentByFlushes, "flush results count each span once").toBe(N_REQ * SPANS_PER_UNIT);
    // exactly once on the wire: allSpans() includes every request, accepted or not
    const all = collector.allSpans();
    expect(all).toHaveLength(N_REQ * SPANS_PER_UNIT);
    expect(new Set(all.map((s) => s.traceId + ":" + s.spanId)).size).toBe(all.length);
    expect(collector.requests.filter((r) => r.path === "/v1/traces" && r.status !== 200)).toEqual([]);
    expectNoCrossTalk(collector.spans(), "req", N_REQ, als);
  }, 60_000);
});

// Workers users call `await fallom.init({ env })` at the top of every request. On a cold isolate, concurrent callers
// must all get a ready SDK: AsyncLocalStorage is found synchronously (process.getBuiltinModule with nodejs_compat),
// so no caller can trace before it is there.
it("workerd nodejs_compat, cold isolate: concurrent init() callers all resume with AsyncLocalStorage ready", async () => {
  const script = await bundle(
    {
      contents: `
import fallom from "@fallom/trace";
export default {
  async fetch(request) {
    const baseUrl = new URL(request.url).searchParams.get("collector");
    const work = async (i) => {
      await fallom.init({ apiKey: "k", baseUrl });
      const session = fallom.session({ sessionId: "init-" + i });
      return session.trace("root", async (root) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        const child = session.startSpan("implicit");
        child.end();
        return child.parentSpanId === root.spanId;
      });
    };
    const nested = await Promise.all([0, 1, 2, 3].map(work));
    await fallom.flush();
    return Response.json(nested);
  },
};`,
    },
    "esm",
  );
  const collector = await startCollector();
  open.add(collector);
  const cold = await runWorkerd(script, { flags: ["nodejs_compat"] });
  open.add(cold);
  const res = await cold.fetch(`/?collector=${encodeURIComponent(collector.url)}`);
  expect(await res.json(), "implicit nesting for every concurrent init() caller").toEqual([true, true, true, true]);
  expect(collector.spans()).toHaveLength(8);
});
