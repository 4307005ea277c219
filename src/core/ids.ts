// Random ids from Web Crypto: one getRandomValues call hex-encodes a pool that ~85 spans slice their ids from.
const POOL_BYTES = 2048;
const HEX: string[] = [];
let pool = "";
const ZEROS = "0000000000000000";
let offset = 0;

function hex(chars: number): string {
  if (offset + chars > pool.length) {
    if (!HEX.length) for (let i = 0; i < 256; i++) HEX[i] = (i + 256).toString(16).slice(1);
    const bytes = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    let s = "";
    for (let i = 0; i < POOL_BYTES; i++) s += HEX[bytes[i]!];
    pool = s;
    offset = 0;
  }
  const id = pool.slice(offset, (offset += chars));
  // an all-zero id is invalid in W3C/OTLP
  return id == (chars == 32 ? ZEROS + ZEROS : ZEROS) ? hex(chars) : id;
}

/** 32 lowercase hex chars */
export const newTraceId = (): string => hex(32);
/** 16 lowercase hex chars */
export const newSpanId = (): string => hex(16);
