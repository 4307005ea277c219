// Wall-clock ms with sub-ms precision from performance.now(), re-anchored whenever the two clocks drift apart
// (sleep, NTP) — and plain Date.now() on Workers, where performance.timeOrigin is 0 and time moves only on I/O.
let anchor = NaN;

export function nowMs(): number {
  const wall = Date.now();
  const perf = globalThis.performance?.now?.();
  if (perf === undefined) return wall;
  // NaN (first call) fails the comparison too
  if (!(Math.abs(anchor + perf - wall) <= 50)) anchor = wall - perf;
  const t = anchor + perf;
  // never report a time before 2000-01-01 (frozen/zeroed clocks)
  return t > 946684800000 ? t : wall;
}

/** ms (float) → OTLP fixed64 nanoseconds as a decimal string */
export function toNanos(ms: number): string {
  const whole = Math.floor(ms);
  const frac = Math.round((ms - whole) * 1e6);
  return frac < 1e6 ? whole + String(frac).padStart(6, "0") : whole + 1 + "000000";
}
