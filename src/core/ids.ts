// Random ids from Web Crypto: one getRandomValues call fills a pool of hex text that ~85 spans slice their ids from.
const POOL_BYTES = 2048;
const DIGITS = [..."0123456789abcdef"].map((c) => c.charCodeAt(0));
const ZEROS = "0000000000000000";
let pool = "";
let offset = 0;

function hex(chars: number): string {
  if (offset + chars > pool.length) {
    const bytes = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    const text = new Uint8Array(POOL_BYTES * 2);
    for (let i = 0; i < POOL_BYTES; i++) {
      text[2 * i] = DIGITS[bytes[i]! >> 4]!;
      text[2 * i + 1] = DIGITS[bytes[i]! & 15]!;
    }
    // one decode instead of thousands of string concatenations
    pool = new TextDecoder().decode(text);
    offset = 0;
  }
  const id = pool.slice(offset, (offset += chars));
  // an all-zero id is invalid in W3C/OTLP
  return id == ZEROS.repeat(chars / 16) ? hex(chars) : id;
}

/** 32 lowercase hex chars */
export const newTraceId = (): string => hex(32);
/** 16 lowercase hex chars */
export const newSpanId = (): string => hex(16);
