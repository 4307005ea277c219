/** A token count as reported, or undefined when absent or not a count (never a made-up 0) */
export const num = (v: unknown): number | undefined => (typeof v === "number" && v >= 0 && v < Infinity ? v : undefined);
