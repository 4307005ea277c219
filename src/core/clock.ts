// Wall-clock ms with sub-ms precision from performance.now(), re-anchored when the two clocks drift apart (sleep,
// NTP; checked every 16th reading, as reading a clock can cost ~100 ns) — and plain Date.now() on Workers,
// where performance.timeOrigin is 0 and time moves only on I/O.
let anchor = NaN;
let reads = 0;

export function nowMs(): number {
  const perf = globalThis.performance?.now?.();
  if (perf === undefined) return Date.now();
  // NaN (first call) fails the comparison too
  if (!(reads++ & 15)) {
    const wall = Date.now();
    if (!(Math.abs(anchor + perf - wall) <= 50)) anchor = wall - perf;
  }
  const t = anchor + perf;
  // never report a time before 2000-01-01 (frozen/zeroed clocks)
  return t > 946684800000 ? t : Date.now();
}

/** ms (float) → OTLP fixed64 nanoseconds as a decimal string */
export function toNanos(ms: number): string {
  const whole = Math.floor(ms);
  const frac = Math.round((ms - whole) * 1e6);
  return frac < 1e6 ? whole + String(frac).padStart(6, "0") : whole + 1 + "000000";
}
