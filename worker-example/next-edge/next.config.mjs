import { fileURLToPath } from "node:url";

/** @type {import("next").NextConfig} */
export default {
  // the repo root: the SDK is consumed from its build (../../dist) through the tsconfig paths
  turbopack: { root: fileURLToPath(new URL("../..", import.meta.url)) },
  outputFileTracingRoot: fileURLToPath(new URL("../..", import.meta.url)),
};
