// Next's edge sandbox has a CompressionStream that throws when constructed: export must fall back to plain JSON.
import { afterEach, expect, it, vi } from "vitest";
import fallom from "../../src/index";
import { setupSdk, type TestSdk } from "../support/sdk";

let sdk: TestSdk | undefined;
afterEach(async () => {
  vi.unstubAllGlobals();
  await sdk?.close();
});

it("sends uncompressed when constructing CompressionStream throws, and keeps doing so", async () => {
  vi.stubGlobal(
    "CompressionStream",
    class {
      constructor() {
        throw new Error("A Node.js API is used (CompressionStream) which is not supported in the Edge Runtime.");
      }
    },
  );
  sdk = await setupSdk();
  const s = fallom.session();
  for (let i = 0; i < 30; i++) s.startSpan("span-" + i).end();
  await fallom.flush();
  for (let i = 0; i < 30; i++) s.startSpan("again-" + i).end();
  await fallom.flush();
  expect(sdk.collector.requests.map((r) => r.gzip)).toEqual([false, false]);
  expect(sdk.collector.spans()).toHaveLength(60);
});
