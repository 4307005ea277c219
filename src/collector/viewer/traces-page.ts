// `/`: totals, filters and the trace list, newest first.
import { html } from "hono/html";
import type { Totals, TraceFilters, TraceSummary } from "../queries";
import { clock, count, ms, shortId, usd } from "./format";
import { layout } from "./layout";

export interface TracesPageData {
  traces: TraceSummary[];
  filters: TraceFilters;
  menus: { configKeys: string[]; models: string[]; prompts: string[]; customers: string[] };
  totals: Totals;
}

function select(name: string, label: string, options: string[], value: string | undefined) {
  return html`<label>${label}<select name="${name}"><option value="">any</option>${options.map(
    (o) => html`<option value="${o}" ${o === value ? "selected" : ""}>${o}</option>`,
  )}</select></label>`;
}

export function stat(label: string, value: string) {
  return html`<div class="stat"><small>${label}</small><b>${value}</b></div>`;
}

export function typeBadge(type: string) {
  return html`<span class="badge ${type}">${type}</span>`;
}

export function tracesPage({ traces, filters: f, menus, totals: t }: TracesPageData) {
  const filtered = Object.entries(f).some(([k, v]) => k !== "limit" && v !== undefined && v !== false);
  const body = html`
<h1>Traces</h1>
<div class="stats">
  ${stat("traces", count(t.traces))}${stat("sessions", count(t.sessions))}${stat("LLM calls", count(t.llmCalls))}
  ${stat("tokens in / out", `${count(t.inputTokens)} / ${count(t.outputTokens)}`)}${stat("cost", usd(t.costUsd))}
  ${stat("TTFT p50 / p95", t.ttftP50Ms === null ? "–" : `${ms(t.ttftP50Ms)} / ${ms(t.ttftP95Ms)}`)}${stat("error spans", count(t.errors))}
</div>
<form class="filters" method="get" action="/">
  ${select("config", "config key", menus.configKeys, f.configKey)}
  <label>session<input name="session" value="${f.session ?? ""}" placeholder="session id"></label>
  ${select("customer", "customer", menus.customers, f.customer)}
  ${select("model", "model", menus.models, f.model)}
  ${select("prompt", "prompt / A/B test", menus.prompts, f.prompt)}
  <label>variant<input name="variant" value="${f.variant ?? ""}" placeholder="index" size="5" style="min-width:70px"></label>
  <label class="check"><input type="checkbox" name="errors" value="1" ${f.errors ? "checked" : ""}> errors only</label>
  <button type="submit">Filter</button>${filtered ? html`<a class="btn ghost" href="/">Clear</a>` : ""}
</form>
<div class="card">
${
  traces.length === 0
    ? html`<div class="empty">${filtered ? "No trace matches these filters." : "No traces yet. Point the SDK's baseUrl at this collector."}</div>`
    : html`<table id="traces">
<thead><tr><th>time (UTC)</th><th>trace</th><th>session</th><th>customer</th><th>model</th><th>prompt</th><th class="num">spans</th><th class="num">LLM / tool calls</th><th class="num">tokens in / out</th><th class="num">cost</th><th class="num">TTFT</th><th class="num">duration</th><th>status</th></tr></thead>
<tbody>${traces.map(
        (tr) => html`<tr data-trace="${tr.traceId}">
<td class="mono">${clock(tr.startMs)}</td>
<td class="name">${typeBadge(tr.type)} <a href="/traces/${tr.traceId}">${tr.name || shortId(tr.traceId)}</a></td>
<td>${tr.sessionId ? html`<a href="/?session=${encodeURIComponent(tr.sessionId)}">${tr.sessionId}</a>` : html`<span class="muted">–</span>`}</td>
<td>${tr.customerId ?? html`<span class="muted">–</span>`}</td>
<td>${tr.models.length ? tr.models.map((m) => html`<span class="pill">${m}</span>`) : html`<span class="muted">–</span>`}</td>
<td>${tr.prompt ? html`<span class="pill">${tr.prompt}${tr.promptVariant !== null ? html` <span class="muted">#${tr.promptVariant}</span>` : ""}</span>` : html`<span class="muted">–</span>`}</td>
<td class="num">${tr.spans}</td><td class="num">${tr.llmCalls} / ${tr.toolCalls}</td>
<td class="num">${count(tr.inputTokens)} / ${count(tr.outputTokens)}</td>
<td class="num">${usd(tr.costUsd)}</td><td class="num">${ms(tr.ttftMs)}</td><td class="num">${ms(tr.durationMs)}</td>
<td>${tr.errors > 0 ? html`<span class="err">${tr.errors} error${tr.errors > 1 ? "s" : ""}</span>` : html`<span class="ok">ok</span>`}</td>
</tr>`,
      )}</tbody></table>`
}
</div>`;
  return layout("Traces", "traces", body);
}
