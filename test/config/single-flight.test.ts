// Single-flight without cross-request waits (Node, injected fetch): followers poll the memory tier on their own timers
// and never await the leader's promise, so a leader whose request was cancelled (its fetch never settles, as on Workers
// when a request ends) is replaced: the next lookup fetches on its own after configTimeoutMs + a short slack.
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { models } from "../../src/index";
import { _resetConfigCache } from "../../src/config/cache";
import { setupSdk, type TestSdk } from "../support/sdk";
import { startFakeOrigin, type FakeOrigin } from "../support/fake-origin";

let origin: FakeOrigin;
let sdk: TestSdk;
let calls = 0;
let hangFirst = true;

// the first snapshot request never settles and ignores its abort signal: a leader whose request is gone
const fetchImpl: typeof fetch = (input, init) => {
  const url = String(input);
  if (url.endsWith("/configs") && calls++ == 0 && hangFirst) return new Promise(() => {});
  return fetch(input, init);
};

beforeAll(async () => {
  origin = await startFakeOrigin();
});
afterAll(async () => {
  await origin.close();
});
beforeEach(async () => {
  calls = 0;
  _resetConfigCache();
  sdk = await setupSdk({ configsUrl: origin.url, promptsUrl: origin.url, fetch: fetchImpl, configTimeoutMs: 300 } as any);
});
afterEach(async () => {
  await sdk.close();
});

it("a lookup whose leader is gone fetches on its own after the leader's timeout, never awaiting the leader's promise", async () => {
  hangFirst = true;
  models.get("linkedin-agent", "a").catch(() => {}); // the gone leader: its fetch never settles
  const started = Date.now();
  const model = await models.get("linkedin-agent", "user-1");
  const waited = Date.now() - started;
  expect(["claude-opus", "gpt-4o"]).toContain(model);
  expect(calls).toBe(2); // the follower's own request
  expect(waited).toBeGreaterThanOrEqual(300); // it waited for the leader's timeout first…
  expect(waited).toBeLessThan(3000); // …then took over (generous slack for a loaded machine)
});

it("with a fallback, a follower never waits longer than configTimeoutMs", async () => {
  hangFirst = true;
  models.get("linkedin-agent", "a").catch(() => {});
  const started = Date.now();
  const model = await models.get("linkedin-agent", "user-1", { fallback: "fb" });
  expect(model).toBe("fb");
  expect(Date.now() - started).toBeLessThan(300 + 1500);
});

it("1000 concurrent cold lookups → one origin request", async () => {
  hangFirst = false;
  const all = await Promise.all(Array.from({ length: 1000 }, (_, i) => models.get("linkedin-agent", "s" + i)));
  expect(new Set(all).size).toBe(2);
  expect(calls).toBe(1);
});
