// Per-test setup of the provider-wrapper tests: a fresh SDK against a local collector and a fresh fake provider.
import { afterEach, beforeEach } from "vitest";
import { startFakeProvider, type FakeProvider } from "./fake-provider";
import { setupSdk, type TestSdk } from "./sdk";

export interface ProviderEnv {
  sdk: TestSdk;
  fake: FakeProvider;
}

/** Registers beforeEach / afterEach hooks; the returned object holds the current test's SDK and fake provider. */
export function providerEnv(): ProviderEnv {
  const env = {} as ProviderEnv;
  beforeEach(async () => {
    env.sdk = await setupSdk();
    env.fake = await startFakeProvider();
  });
  afterEach(async () => {
    await env.fake.close();
    await env.sdk.close();
  });
  return env;
}
