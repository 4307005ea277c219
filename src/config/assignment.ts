import { md5Uint32 } from "./md5";

/** Fallom's sticky bucket of a session: MD5(utf8(sessionId)) bytes 0–3 as a big-endian uint32, modulo 1,000,000. */
export const bucketOf = (sessionId: string): number => md5Uint32(String(sessionId)) % 1_000_000;

/** Index of the first variant whose cumulative `weight * 10_000` exceeds the bucket, else the last one (weights in percent). */
export function pickVariant(variants: readonly { weight: number }[], bucket: number): number {
  let cumulative = 0;
  for (let i = 0; i < variants.length; i++) {
    cumulative += variants[i]!.weight * 10_000;
    if (bucket < cumulative) return i;
  }
  return variants.length - 1;
}
