// gzip via CompressionStream when it really works: missing in edge-runtime, a throwing stub in Next's edge sandbox.
let broken = false;

export async function gzip(text: string): Promise<Uint8Array | undefined> {
  if (!broken) {
    try {
      const stream = new Response(text).body!.pipeThrough(new CompressionStream("gzip"));
      return new Uint8Array(await new Response(stream).arrayBuffer());
    } catch {
      broken = true;
    }
  }
}
