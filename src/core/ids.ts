// Random ids from Web Crypto, drawn from a pooled buffer: one getRandomValues call per ~170 spans.
const POOL_SIZE = 4096;
const HEX: string[] = [];
let pool: Uint8Array<ArrayBuffer> | undefined;
let offset = POOL_SIZE;

function hex(bytes: number): string {
  if (offset + bytes > POOL_SIZE) {
    if (!pool) {
      pool = new Uint8Array(POOL_SIZE);
      for (let i = 0; i < 256; i++) HEX[i] = (i < 16 ? "0" : "") + i.toString(16);
    }
    crypto.getRandomValues(pool);
    offset = 0;
  }
  let out = "";
  let zero = true;
  for (let i = 0; i < bytes; i++) {
    const b = pool![offset++]!;
    if (b) zero = false;
    out += HEX[b];
  }
  // an all-zero id is invalid in W3C/OTLP
  return zero ? hex(bytes) : out;
}

/** 32 lowercase hex chars */
export const newTraceId = (): string => hex(16);
/** 16 lowercase hex chars */
export const newSpanId = (): string => hex(8);
