// Images, audio and files in prompts: URLs are kept, inline data (data URLs, base64, bytes) becomes a placeholder
// with its media type and byte length, as the core's serializer does for data URLs (or a link from init's uploadAttachment).
import { inline } from "./uploads";

/** tool-call arguments as a JSON value: JSON text (model results) is parsed, text that is not JSON kept as it is */
export const toolArguments = (input: unknown): unknown => {
  if (typeof input !== "string") return input;
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
};

/** decoded size of the base64 text in `s` from index `from`, from its length (no copy, no decoding) */
export const base64Bytes = (s: string, from = 0): number =>
  (((s.length - from) * 3) >> 2) - (s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0);

/** A message part for inline or linked media: `{ type: "uri", uri }`, or `{ type: "blob_omitted", byte_length }` (never the data) */
export function media(data: unknown, mime?: string, modality?: string): Record<string, unknown> {
  let bytes: number | undefined;
  if (typeof data == "string") {
    const m = /^data:([^;,]{0,99})[^,]{0,199},/.exec(data);
    if (m) mime = m[1] || mime;
    // any other scheme (https:, gs:, file ids as URIs) is a link to keep
    else if (/^[a-z][\w+.-]*:/i.test(data)) return { type: "uri", modality: modality ?? mime?.split("/")[0], mime_type: mime, uri: data };
    bytes = base64Bytes(data, m ? m[0].length : 0);
  } else bytes = (data as ArrayBufferLike | undefined)?.byteLength;
  // a semconv `blob` part requires its base64 content, which is never recorded: this part type says it was left out
  return inline({ type: "blob_omitted", modality: modality ?? mime?.split("/")[0], mime_type: mime, byte_length: bytes }, data);
}
