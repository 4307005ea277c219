// The one export of the Workers runtime module this integration uses (types only; workerd provides the module)
declare module "cloudflare:workers" {
  /** Extends the current request's lifetime until the promise settles (2025+) */
  export function waitUntil(promise: Promise<unknown>): void;
}
