// Random ids from Web Crypto, drawn from a pooled buffer: one getRandomValues call per ~170 spans.
const HEX: string[] = [];
let pool: Uint8Array<ArrayBuffer> | undefined;
let offset = 4096;

function hex(bytes: number): string {
  if (offset + bytes > 4096) {
    if (!pool) for (let i = 0; i < 256; i++) HEX[i] = (i + 256).toString(16).slice(1);
    crypto.getRandomValues((pool ??= new Uint8Array(4096)));
    offset = 0;
  }
  let out = "";
  let any = 0;
  for (let i = 0; i < bytes; i++) {
    const b = pool![offset++]!;
    any |= b;
    out += HEX[b];
  }
  // an all-zero id is invalid in W3C/OTLP
  return any ? out : hex(bytes);
}

/** 32 lowercase hex chars */
export const newTraceId = (): string => hex(16);
/** 16 lowercase hex chars */
export const newSpanId = (): string => hex(8);
