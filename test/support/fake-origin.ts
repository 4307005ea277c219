// A small fake of Fallom's config and prompt API (DESIGN 3.2) on 127.0.0.1 for config/prompt tests.
// Serves GET /configs, /configs/{key}/version/{n}, /prompts, /prompt-ab-tests and records POST /sessions.
// Node only; stopped by close(). Answers can be overridden per path (status, raw body, delay, hang).
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface OriginRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export type Override = { status?: number; body?: string; delayMs?: number; hang?: boolean };

export interface OriginData {
  configs: unknown[];
  /** pinned versions: "key/version/n" → config */
  versions: Record<string, unknown>;
  prompts: unknown[];
  prompt_ab_tests: unknown[];
}

export interface FakeOrigin {
  url: string;
  data: OriginData;
  requests: OriginRequest[];
  /** GET requests to `path` so far */
  gets(path: string): number;
  /** POST /sessions bodies so far */
  exposures(): Record<string, unknown>[];
  /** answers for one path until removed (undefined) */
  override(path: string, answer: Override | undefined): void;
  /** send ETag headers and answer If-None-Match with 304 */
  etags: boolean;
  close(): Promise<void>;
}

/** The Fallom docs' examples as origin data: a model A/B config, a prompt, a prompt A/B test. */
export const docsData = (): OriginData => ({
  configs: [
    {
      key: "linkedin-agent",
      version: 2,
      variants: [
        { model: "claude-opus", weight: 50 },
        { model: "gpt-4o", weight: 50 },
      ],
      targeting: {
        individualTargets: [{ field: "customerId", value: "vip-1", variantIndex: 1 }],
        rules: [{ conditions: [{ field: "plan", operator: "eq", value: "enterprise" }], variantIndex: 0 }],
      },
    },
    { key: "support-chat", version: 1, variants: { control: { model: "gpt-4o-mini", weight: 70 }, test: { model: "gpt-4o", weight: 30 } } },
  ],
  versions: { "linkedin-agent/version/1": { key: "linkedin-agent", version: 1, variants: [{ model: "gpt-4o-mini", weight: 100 }] } },
  prompts: [
    { key: "onboarding", version: 3, system_prompt: "You help {{ userName }} get started.", user_template: "Hi, I am {{userName}} from {{company}}." },
    {
      key: "support-agent-instructions",
      version: 1,
      system_prompt: "You are the support agent of {{companyName}}. Escalate to {{supportEmail}}.",
      user_template: "",
    },
    { key: "support-agent-v1", version: 1, system_prompt: "Be brief. (variant A)", user_template: "" },
    { key: "support-agent-v2", version: 1, system_prompt: "Be warm and thorough. (variant B)", user_template: "" },
    { key: "support-agent-v2", version: 2, system_prompt: "Be warm, thorough and cite docs. (variant B2)", user_template: "" },
  ],
  prompt_ab_tests: [
    {
      key: "support-agent-test",
      version: 1,
      variants: [
        { prompt_key: "support-agent-v1", prompt_version: 1, weight: 50 },
        { prompt_key: "support-agent-v2", prompt_version: null, weight: 50 },
      ],
    },
  ],
});

export async function startFakeOrigin(data: OriginData = docsData()): Promise<FakeOrigin> {
  const requests: OriginRequest[] = [];
  const overrides = new Map<string, Override>();
  const sockets = new Set<Socket>();
  const origin: FakeOrigin = {
    url: "",
    data,
    requests,
    etags: false,
    gets: (path) => requests.filter((r) => r.method == "GET" && r.path == path).length,
    exposures: () => requests.filter((r) => r.method == "POST" && r.path == "/sessions").map((r) => JSON.parse(r.body)),
    override: (path, answer) => (answer ? overrides.set(path, answer) : overrides.delete(path)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };

  const answer = (path: string): { status: number; body: string } => {
    const json = (value: unknown) => ({ status: 200, body: JSON.stringify(value) });
    if (path == "/configs") return json({ configs: origin.data.configs });
    if (path == "/prompts") return json({ prompts: origin.data.prompts });
    if (path == "/prompt-ab-tests") return json({ prompt_ab_tests: origin.data.prompt_ab_tests });
    const pinned = /^\/configs\/(.+)$/.exec(path);
    const config = pinned && origin.data.versions[decodeURIComponent(pinned[1]!)];
    return config ? json(config) : { status: 404, body: JSON.stringify({ error: "not found" }) };
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("error", () => {});
    req.on("end", () => {
      const path = (req.url ?? "/").split("?")[0]!;
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      requests.push({ method: req.method ?? "GET", path, headers, body: Buffer.concat(chunks).toString("utf8") });
      const o = overrides.get(path);
      if (o?.hang) return;
      const send = () => {
        if (res.destroyed) return;
        if (req.method == "POST") return res.writeHead(o?.status ?? 200, { "content-type": "application/json" }).end(o?.body ?? "{}");
        const a = o?.status || o?.body !== undefined ? { status: o.status ?? 200, body: o.body ?? "" } : answer(path);
        const etag = `"${createHash("sha1").update(a.body).digest("hex")}"`;
        if (origin.etags && a.status == 200 && req.headers["if-none-match"] == etag) return res.writeHead(304, { etag }).end();
        res.writeHead(a.status, { "content-type": "application/json", ...(origin.etags && a.status == 200 ? { etag } : {}) }).end(a.body);
      };
      if (o?.delayMs) setTimeout(send, o.delayMs);
      else send();
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  origin.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return origin;
}
