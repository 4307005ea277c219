// Reads a request body with a byte cap, gunzipping when Content-Encoding says so (the cap also bounds the
// decompressed size, so a small gzip bomb cannot blow up the isolate's memory).

export class BodyTooLarge extends Error {}
export class BodyUnreadable extends Error {}

async function readCapped(stream: ReadableStream<Uint8Array>, max: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLarge(`request body is larger than ${max} bytes`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

export async function readBody(req: Request, max: number): Promise<string> {
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > max) throw new BodyTooLarge(`request body is ${declared} bytes, the limit is ${max}`);
  if (!req.body) return "";
  const raw = await readCapped(req.body, max);
  const encoding = (req.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  let bytes = raw;
  if (encoding === "gzip") {
    try {
      const gunzip = new Blob([raw as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("gzip"));
      bytes = await readCapped(gunzip, max);
    } catch (err) {
      if (err instanceof BodyTooLarge) throw new BodyTooLarge(`decompressed request body is larger than ${max} bytes`);
      throw new BodyUnreadable("Content-Encoding is gzip but the body is not valid gzip");
    }
  } else if (encoding !== "identity") {
    throw new BodyUnreadable(`unsupported Content-Encoding "${encoding}" (send gzip or no encoding)`);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new BodyUnreadable("body is not valid UTF-8");
  }
}
