import fallom from "@fallom/trace";

/** Starts the SDK once per isolate (later calls are no-ops); the backend comes from the environment. */
export const initFallom = (): Promise<void> =>
  fallom.init({
    apiKey: process.env.FALLOM_API_KEY,
    // a local collector in tests and the demo; Fallom's hosted backend when unset
    baseUrl: process.env.FALLOM_BASE_URL,
  });
