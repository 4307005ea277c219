// Streams an AI SDK answer through a traced model; after() hands flush() to the platform once the response is sent.
import fallom from "@fallom/trace";
import { streamText } from "ai";
import { after } from "next/server";
import { initFallom } from "../../../lib/fallom";
import { mockModel } from "../../../lib/mock-model";

export const runtime = "edge";

export async function POST(req: Request): Promise<Response> {
  await initFallom();
  const { prompt, sessionId } = (await req.json()) as { prompt: string; sessionId?: string };
  const session = fallom.session({ sessionId, customerId: "next-edge-user" });
  const result = streamText({ model: session.traceModel(mockModel()), prompt });
  after(() => fallom.flush());
  return result.toTextStreamResponse({ headers: { "x-edge-runtime": String((globalThis as any).EdgeRuntime) } });
}
