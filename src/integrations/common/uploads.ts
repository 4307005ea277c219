// init's uploadAttachment: the inline media of a call's input goes to it from the request that made the call (after the
// call is sent), and each part it returns a URL for becomes a semconv `uri` part. The span joins the export queue once
// the uploads settled: the flush covering it waits for them up to its deadline, then the placeholders are sent.
import { getOptions, trackFor } from "../../core/sdk";
import type { Span } from "../../core/span";

type Out = Record<string, unknown>;

// the placeholder parts made while uploads() converts a call's content, with their inline data
let found: [Out, unknown][] | undefined;

/** A `blob_omitted` part for inline `data`: handed to the uploader when one is configured */
export const inline = (part: Out, data: unknown): Out => (found?.push([part, data]), part);

// inline data as bytes: base64 (a data URL's too), a typed array / Buffer, or an ArrayBuffer
const bytes = (d: any): Uint8Array =>
  typeof d == "string"
    ? Uint8Array.from(atob(d.slice(d.indexOf(",") + 1)), (c) => c.charCodeAt(0))
    : d.buffer
      ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength)
      : new Uint8Array(d);

/**
 * The content attributes of `span` for `span.later`: without an uploader (or content capture) `content` itself, run
 * at export; with one, run in a microtask of this request, its inline media uploaded in the background.
 */
export function uploads(span: Span, content: () => Out): () => Out {
  const o = getOptions();
  const upload = o?.uploadAttachment;
  const tracer = span.tracer;
  if (!upload || !o.captureContent || !tracer) return content;
  let attrs: Out | undefined;
  let ended = false;
  let settled = false;
  const enqueue = (): void => {
    if (ended && settled) (ended = false), tracer.onEnd(span);
  };
  const done = (): void => {
    if (!settled) (settled = true), enqueue();
  };
  // the span ends as usual (end time kept, setters ignored from then on) but is queued for export once uploads settled
  span.tracer = Object.assign(Object.create(tracer), { onEnd: () => ((ended = true), enqueue()) });
  const work = Promise.resolve().then(() => {
    found = [];
    let parts: [Out, unknown][];
    try {
      attrs = content();
    } finally {
      parts = found;
      found = undefined;
    }
    const one = async ([part, data]: [Out, unknown]): Promise<void> => {
      try {
        const b = bytes(data);
        const uri = await upload({ data: b, mediaType: (part.mime_type as string) ?? "application/octet-stream", byteLength: b.byteLength });
        if (typeof uri == "string" && uri) {
          part.type = "uri";
          delete part.byte_length;
          part.uri = uri;
        }
      } catch (error) {
        try {
          o.onError?.(error);
        } catch {}
      }
    };
    return Promise.all(parts.map(one));
  });
  work.then(done, done);
  trackFor(span.owner, work, done);
  // without a flush (long-lived servers export on a timer) the uploads get the same time as one
  (setTimeout(done, o.flushTimeoutMs) as any).unref?.();
  return () => attrs ?? content();
}
