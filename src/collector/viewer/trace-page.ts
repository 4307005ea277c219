// `/traces/:id`: the span tree as a waterfall; each row opens to its facts, captured content, events and attributes.
import { html } from "hono/html";
import type { StoredSpan, TraceDetail } from "../queries";
import { clock, count, ms, usd } from "./format";
import { layout } from "./layout";
import { stat, typeBadge } from "./traces-page";

// attributes shown as content blocks rather than in the attribute table
const CONTENT_KEYS = [
  "gen_ai.system_instructions",
  "gen_ai.input.messages",
  "gen_ai.output.messages",
  "fallom.input",
  "fallom.output",
  "gen_ai.tool.call.arguments",
  "gen_ai.tool.call.result",
  "gen_ai.tool.definitions",
];

interface Row {
  span: StoredSpan;
  depth: number;
}

// by start; on a tie (Workers' clock moves only across I/O) the shorter span first, as it ended first
const byStart = (a: StoredSpan, b: StoredSpan) => a.startMs - b.startMs || a.durationMs - b.durationMs;

/** Depth-first order, children by start time; spans whose parent is missing are shown as roots. */
export function treeOrder(spans: StoredSpan[]): Row[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, StoredSpan[]>();
  const roots: StoredSpan[] = [];
  for (const s of spans) {
    if (s.parentSpanId && ids.has(s.parentSpanId)) children.set(s.parentSpanId, [...(children.get(s.parentSpanId) ?? []), s]);
    else roots.push(s);
  }
  const rows: Row[] = [];
  const visit = (s: StoredSpan, depth: number) => {
    rows.push({ span: s, depth });
    for (const c of (children.get(s.spanId) ?? []).sort(byStart)) visit(c, depth + 1);
  };
  for (const r of roots.sort(byStart)) visit(r, 0);
  return rows;
}

/** Pretty JSON when the string is JSON, else the string. */
function pretty(v: unknown): string {
  if (typeof v !== "string") return JSON.stringify(v, null, 2);
  try {
    return JSON.stringify(JSON.parse(v), null, 2);
  } catch {
    return v;
  }
}

type Part = { type?: string; content?: unknown; name?: string; id?: string; arguments?: unknown; response?: unknown; result?: unknown };
type Message = { role?: string; parts?: Part[] };

const isMessage = (m: unknown): m is Message => !!m && typeof m === "object" && typeof (m as Message).role === "string" && Array.isArray((m as Message).parts);
const isPart = (p: unknown): p is Part => !!p && typeof p === "object" && typeof (p as Part).type === "string";
const compact = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

function partBlock(p: Part) {
  if (p.type === "text" && typeof p.content === "string") return html`<div class="text">${p.content}</div>`;
  if (p.type === "tool_call") return html`<div class="call">→ ${p.name ?? "tool"}(${compact(p.arguments ?? {})})</div>`;
  if (p.type === "tool_call_response") return html`<div class="call">← ${compact(p.response ?? p.result)}</div>`;
  return html`<pre>${pretty(p)}</pre>`;
}

function messageBlock(m: Message) {
  return html`<div class="msg ${m.role}"><small>${m.role}</small>${m.parts!.map(partBlock)}</div>`;
}

/** GenAI semconv messages (or system instruction parts) as a readable conversation; anything else as pretty JSON. */
function contentBlock(key: string, value: unknown) {
  let parsed: unknown = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch {
      return html`<pre>${value}</pre>`;
    }
  }
  if (Array.isArray(parsed) && parsed.length > 0 && parsed.every(isMessage)) return html`<div class="msgs">${parsed.map(messageBlock)}</div>`;
  if (key === "gen_ai.system_instructions" && Array.isArray(parsed) && parsed.every(isPart)) return html`<div class="msgs">${messageBlock({ role: "system", parts: parsed })}</div>`;
  return html`<pre>${pretty(value)}</pre>`;
}

/** Attribute values as sent, floats without binary noise. */
function attrText(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" && !Number.isInteger(v)) return String(Number(v.toPrecision(12)));
  return JSON.stringify(v);
}

function tokens(s: StoredSpan): string {
  const t = s.tokens;
  if (t.input === null && t.output === null) return "";
  const extra = [t.cacheRead ? `${count(t.cacheRead)} cached` : "", t.reasoning ? `${count(t.reasoning)} reasoning` : ""].filter(Boolean);
  return `${count(t.input)} → ${count(t.output)} tok${extra.length ? ` (${extra.join(", ")})` : ""}`;
}

function fact(label: string, value: unknown) {
  return value === null || value === undefined || value === "" ? "" : html`<div><small>${label}</small>${value}</div>`;
}

function detail(s: StoredSpan) {
  const content = CONTENT_KEYS.filter((k) => s.attributes[k] !== undefined);
  const rest = Object.entries(s.attributes).filter(([k]) => !CONTENT_KEYS.includes(k)).sort(([a], [b]) => a.localeCompare(b));
  const t = s.tokens;
  return html`<div class="detail">
<div class="facts">
  ${fact("type", s.type)}${fact("model", s.model)}${fact("provider", s.provider)}${fact("duration", ms(s.durationMs))}
  ${fact("TTFT", s.ttftMs === null ? null : ms(s.ttftMs))}
  ${fact("input tokens", t.input === null ? null : count(t.input))}${fact("output tokens", t.output === null ? null : count(t.output))}
  ${fact("cached input", t.cacheRead === null ? null : count(t.cacheRead))}${fact("cache write", t.cacheWrite === null ? null : count(t.cacheWrite))}
  ${fact("reasoning", t.reasoning === null ? null : count(t.reasoning))}${fact("cost", s.costUsd === null ? null : usd(s.costUsd))}
  ${fact("prompt", s.prompt.key ? `${s.prompt.key}${s.prompt.version !== null ? ` v${s.prompt.version}` : ""}` : null)}
  ${fact("prompt A/B", s.prompt.abTest ? `${s.prompt.abTest} · variant ${s.prompt.variant ?? "?"}` : null)}
  ${fact("model config", s.modelConfig.key ? `${s.modelConfig.key} v${s.modelConfig.version ?? "?"} · variant ${s.modelConfig.variant ?? "?"}` : null)}
  ${fact("status", s.status.code === 2 ? html`<span class="err">error${s.status.message ? `: ${s.status.message}` : ""}</span>` : s.status.code === 1 ? "ok" : "unset")}
  ${fact("span id", html`<span class="mono">${s.spanId}</span>`)}
</div>
${content.length ? html`<div class="content">${content.map((k) => html`<div><h4>${k}</h4>${contentBlock(k, s.attributes[k])}</div>`)}</div>` : ""}
${
  s.events.length
    ? html`<h4>events</h4>${s.events.map(
        (e) => html`<div class="event"><b class="${e.name === "exception" ? "err" : ""}">${e.name}</b>${
          Object.keys(e.attributes).length
            ? html`<table class="attrs">${Object.entries(e.attributes).map(([k, v]) => html`<tr><td>${k}</td><td>${k.endsWith("stacktrace") ? html`<pre>${attrText(v)}</pre>` : attrText(v)}</td></tr>`)}</table>`
            : ""
        }</div>`,
      )}`
    : ""
}
<h4>attributes</h4>
<table class="attrs">${rest.map(([k, v]) => html`<tr><td>${k}</td><td>${attrText(v)}</td></tr>`)}</table>
</div>`;
}

export function tracePage({ summary: sum, spans }: TraceDetail) {
  const start = Math.min(...spans.map((s) => s.startMs));
  const total = Math.max(1e-3, Math.max(...spans.map((s) => s.startMs + s.durationMs)) - start);
  const pct = (v: number) => `${Math.min(100, Math.max(0, (100 * v) / total)).toFixed(3)}%`;
  const rows = treeOrder(spans);
  const body = html`
<h1>${typeBadge(sum.type)} ${sum.name}</h1>
<div class="meta">
  <span>trace <b class="mono">${sum.traceId}</b></span><span>started <b>${clock(sum.startMs)}</b> UTC</span>
  ${sum.sessionId ? html`<span>session <a href="/?session=${encodeURIComponent(sum.sessionId)}"><b>${sum.sessionId}</b></a></span>` : ""}
  ${sum.customerId ? html`<span>customer <b>${sum.customerId}</b></span>` : ""}${sum.configKey ? html`<span>config <b>${sum.configKey}</b></span>` : ""}
  ${sum.service ? html`<span>service <b>${sum.service}</b></span>` : ""}
</div>
<div class="stats">
  ${stat("duration", ms(sum.durationMs))}${stat("spans", count(sum.spans))}${stat("LLM calls", count(sum.llmCalls))}
  ${stat("tokens in / out", `${count(sum.inputTokens)} / ${count(sum.outputTokens)}`)}${stat("cost", usd(sum.costUsd))}
  ${stat("TTFT", ms(sum.ttftMs))}${stat("errors", count(sum.errors))}
</div>
<div class="card" id="waterfall">
<div class="wf-head"><span>span</span><span class="ticks"><span>0</span><span>${ms(total / 4)}</span><span>${ms(total / 2)}</span><span>${ms((3 * total) / 4)}</span><span>${ms(total)}</span></span></div>
${rows.map(({ span: s, depth }) => {
  const left = s.startMs - start;
  const facts = [s.model, tokens(s), s.costUsd !== null ? usd(s.costUsd) : ""].filter(Boolean).join(" · ");
  const leftPct = (100 * left) / total;
  const widthPct = (100 * s.durationMs) / total;
  // the facts go inside a wide bar, else right of it, else (a bar ending late) left of it
  const factsStyle =
    widthPct >= 45
      ? `left:${pct(left)};width:${pct(s.durationMs)};color:#fff;overflow:hidden;text-overflow:ellipsis`
      : leftPct + widthPct <= 62
        ? `left:${pct(left + s.durationMs)}`
        : `right:${(100 - leftPct).toFixed(3)}%;max-width:${leftPct.toFixed(3)}%;text-align:right;padding-right:6px;overflow:hidden;text-overflow:ellipsis`;
  return html`<details class="span" data-span="${s.spanId}" data-type="${s.type}">
<summary class="wf-row">
  <span class="wf-label" style="padding-left:${depth * 18}px">${typeBadge(s.type)}<span class="nm">${s.name}</span>${s.status.code === 2 ? html`<span class="err">✕</span>` : ""}<span class="dur">${ms(s.durationMs)}</span></span>
  <span class="wf-track">
    <span class="wf-bar ${s.type}${s.status.code === 2 ? " error" : ""}" style="left:${pct(left)};width:${pct(s.durationMs)}"></span>
    ${s.ttftMs !== null ? html`<span class="wf-ttft" title="time to first token ${ms(s.ttftMs)}" style="left:${pct(left + s.ttftMs)}"></span>` : ""}
    ${facts ? html`<span class="wf-facts" style="${factsStyle}">${facts}</span>` : ""}
  </span>
</summary>
${detail(s)}
</details>`;
})}
</div>`;
  return layout(sum.name || "Trace", "traces", body);
}
