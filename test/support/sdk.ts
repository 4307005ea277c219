// Starts a real local collector and initialises the SDK against it; every test gets a fresh SDK.
import fallom from "../../src/index";
import { _reset } from "../../src/core/sdk";
import type { InitOptions } from "../../src/core/options";
import { startCollector, type Collector, type DecodedSpan } from "./collector";

export interface TestSdk {
  collector: Collector;
  /** flush() then every span the collector accepted */
  flushSpans(): Promise<DecodedSpan[]>;
  close(): Promise<void>;
}

export async function setupSdk(options: InitOptions = {}, collector?: Collector): Promise<TestSdk> {
  _reset();
  const c = collector ?? (await startCollector());
  await fallom.init({ apiKey: "test-key", baseUrl: c.url, flushIntervalMs: 0, retryBaseMs: 5, ...options });
  return {
    collector: c,
    async flushSpans() {
      await fallom.flush();
      return c.spans();
    },
    async close() {
      _reset();
      await c.close();
    },
  };
}
