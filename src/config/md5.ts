// MD5 (RFC 1321) of a string's UTF-8 bytes, for sticky A/B assignment only (Web Crypto has no MD5).
// In-house because it measured smaller and faster than @noble/hashes/legacy here (npm run bench, "md5" rows),
// and it needs no TextEncoder allocation: the bytes go into one reused buffer.

// prettier-ignore
const K = new Int32Array([
  0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
  0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
  0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
  0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
  0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
  0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
  0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
  0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
]);
// left-rotation amounts, 4 per round
const S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

let bytes = new Uint8Array(256);
const state = new Int32Array(4);
const W = new Int32Array(16);

// UTF-8 of `text` into `bytes` (lone surrogates become U+FFFD, as TextEncoder and Node do); returns the length
function encode(text: string): number {
  const need = text.length * 3 + 72;
  if (bytes.length < need) bytes = new Uint8Array(need);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) bytes[n++] = c;
    else if (c < 0x800) {
      bytes[n++] = 0xc0 | (c >> 6);
      bytes[n++] = 0x80 | (c & 63);
    } else {
      if (c >= 0xd800 && c < 0xe000) {
        const next = text.charCodeAt(i + 1);
        if (c < 0xdc00 && next >= 0xdc00 && next < 0xe000) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
          bytes[n++] = 0xf0 | (c >> 18);
          bytes[n++] = 0x80 | ((c >> 12) & 63);
          bytes[n++] = 0x80 | ((c >> 6) & 63);
          bytes[n++] = 0x80 | (c & 63);
          continue;
        }
        c = 0xfffd;
      }
      bytes[n++] = 0xe0 | (c >> 12);
      bytes[n++] = 0x80 | ((c >> 6) & 63);
      bytes[n++] = 0x80 | (c & 63);
    }
  }
  return n;
}

/** Runs MD5 over `text`; the digest is left in `state` (four little-endian words). */
function digest(text: string): Int32Array {
  const length = encode(text);
  // padding: 0x80, zeros up to 56 mod 64, then the bit length as a little-endian 64-bit number
  let end = length + 1;
  bytes[length] = 0x80;
  while (end % 64 != 56) bytes[end++] = 0;
  const bits = length * 8;
  bytes[end] = bits;
  bytes[end + 1] = bits >>> 8;
  bytes[end + 2] = bits >>> 16;
  bytes[end + 3] = bits >>> 24;
  const high = Math.floor(length / 0x20000000);
  bytes[end + 4] = high;
  bytes[end + 5] = high >>> 8;
  bytes[end + 6] = high >>> 16;
  bytes[end + 7] = high >>> 24;
  end += 8;
  let a0 = 0x67452301,
    b0 = 0xefcdab89 | 0,
    c0 = 0x98badcfe | 0,
    d0 = 0x10325476;
  for (let o = 0; o < end; o += 64) {
    for (let j = 0; j < 16; j++) {
      const p = o + j * 4;
      W[j] = bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24);
    }
    let a = a0,
      b = b0,
      c = c0,
      d = d0,
      x: number,
      s: number;
    // four rounds of 16 steps, one loop each (no per-step branching)
    for (let i = 0; i < 16; i++) {
      x = (a + ((b & c) | (~b & d)) + K[i]! + W[i]!) | 0;
      s = S[i & 3]!;
      a = d;
      d = c;
      c = b;
      b = (b + ((x << s) | (x >>> (32 - s)))) | 0;
    }
    for (let i = 16; i < 32; i++) {
      x = (a + ((d & b) | (~d & c)) + K[i]! + W[(5 * i + 1) & 15]!) | 0;
      s = S[4 + (i & 3)]!;
      a = d;
      d = c;
      c = b;
      b = (b + ((x << s) | (x >>> (32 - s)))) | 0;
    }
    for (let i = 32; i < 48; i++) {
      x = (a + (b ^ c ^ d) + K[i]! + W[(3 * i + 5) & 15]!) | 0;
      s = S[8 + (i & 3)]!;
      a = d;
      d = c;
      c = b;
      b = (b + ((x << s) | (x >>> (32 - s)))) | 0;
    }
    for (let i = 48; i < 64; i++) {
      x = (a + (c ^ (b | ~d)) + K[i]! + W[(7 * i) & 15]!) | 0;
      s = S[12 + (i & 3)]!;
      a = d;
      d = c;
      c = b;
      b = (b + ((x << s) | (x >>> (32 - s)))) | 0;
    }
    a0 = (a0 + a) | 0;
    b0 = (b0 + b) | 0;
    c0 = (c0 + c) | 0;
    d0 = (d0 + d) | 0;
  }
  state[0] = a0;
  state[1] = b0;
  state[2] = c0;
  state[3] = d0;
  return state;
}

/** The digest's first 4 bytes read as a big-endian unsigned 32-bit number (what Fallom's assignment uses). */
export function md5Uint32(text: string): number {
  const a = digest(text)[0]!;
  return (((a & 0xff) << 24) | (((a >>> 8) & 0xff) << 16) | (((a >>> 16) & 0xff) << 8) | (a >>> 24)) >>> 0;
}

/** Lower-case hex digest (tests, cache-key namespacing). */
export function md5Hex(text: string): string {
  const words = digest(text);
  let hex = "";
  for (let i = 0; i < 16; i++) hex += ((words[i >> 2]! >>> ((i & 3) * 8)) & 0xff).toString(16).padStart(2, "0");
  return hex;
}
