// Platform waitUntil discovery (Vercel / next start request contexts) and background work tracked by flush().
import { afterEach, expect, it } from "vitest";
import fallom from "../../src/index";
import { track } from "../../src/core/sdk";
import { setupSdk, type TestSdk } from "../support/sdk";

let sdk: TestSdk | undefined;
const NEXT = Symbol.for("@next/request-context");
const VERCEL = Symbol.for("@vercel/request-context");
afterEach(async () => {
  delete (globalThis as any)[NEXT];
  delete (globalThis as any)[VERCEL];
  await sdk?.close();
});

it.each([
  ["next start", NEXT],
  ["Vercel", VERCEL],
])("registers one debounced flush with the %s request context's waitUntil", async (_, symbol) => {
  sdk = await setupSdk();
  const registered: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => registered.push(p) };
  (globalThis as any)[symbol] = { get: () => ctx };
  const s = fallom.session();
  s.startSpan("a").end();
  s.startSpan("b").end();
  expect(registered).toHaveLength(1);
  await Promise.all(registered);
  expect(sdk.collector.spans().map((x) => x.name).sort()).toEqual(["a", "b"]);
});

it("flush waits for tracked background work and ends what is still open at its deadline", async () => {
  sdk = await setupSdk({ flushTimeoutMs: 600 });
  const s = fallom.session();
  const quick = s.startSpan("quick-stream");
  track(new Promise<void>((r) => setTimeout(() => r(void quick.end()), 50)));
  const stuck = s.startSpan("never-read");
  track(new Promise(() => {}), () => {
    stuck.setAttribute("fallom.stream.unconsumed", true);
    stuck.end();
  });
  const started = Date.now();
  const result = await fallom.flush();
  expect(Date.now() - started).toBeLessThan(700);
  expect(result).toMatchObject({ sent: 2, timedOut: true });
  const spans = sdk.collector.spans();
  expect(spans.find((x) => x.name === "never-read")!.attributes["fallom.stream.unconsumed"]).toBe(true);
});
