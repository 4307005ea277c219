// The example's one tool: an order lookup against a tiny in-memory "order service".
import { tool } from "ai";
import { z } from "zod";

const ORDERS: Record<string, { status: string; eta: string }> = {
  "A-17": { status: "shipped", eta: "tomorrow" },
  "B-42": { status: "packed", eta: "on Friday" },
  "C-7": { status: "delayed", eta: "next week" },
};

export const lookupOrder = tool({
  description: "Look up the status and delivery estimate of an order by its id (e.g. A-17).",
  inputSchema: z.object({ orderId: z.string() }),
  execute: async ({ orderId }) => ({ orderId, ...(ORDERS[orderId] ?? { status: "unknown", eta: "unknown" }) }),
});
