// `/sessions`: per-session totals, most recent first.
import { html } from "hono/html";
import type { SessionSummary } from "../queries";
import { clock, count, ms, usd } from "./format";
import { layout } from "./layout";

const pills = (csv: string | null) => (csv ? csv.split(",").map((v) => html`<span class="pill">${v}</span>`) : html`<span class="muted">–</span>`);

export function sessionsPage(sessions: SessionSummary[]) {
  const body = html`
<h1>Sessions</h1>
<div class="card">
${
  sessions.length === 0
    ? html`<div class="empty">No sessions yet.</div>`
    : html`<table id="sessions">
<thead><tr><th>session</th><th>customer</th><th>config key</th><th>models</th><th>prompts</th><th class="num">traces</th><th class="num">LLM calls</th><th class="num">tokens in / out</th><th class="num">cost</th><th class="num">errors</th><th>first (UTC)</th><th class="num">span of time</th></tr></thead>
<tbody>${sessions.map(
        (s) => html`<tr>
<td><a href="/?session=${encodeURIComponent(s.sessionId)}">${s.sessionId}</a></td>
<td>${s.customerId ?? "–"}</td><td>${s.configKey ?? "–"}</td>
<td>${pills(s.models)}</td><td>${pills(s.prompts)}</td>
<td class="num">${s.traces}</td><td class="num">${s.llmCalls}</td>
<td class="num">${count(s.inputTokens)} / ${count(s.outputTokens)}</td><td class="num">${usd(s.costUsd)}</td>
<td class="num">${s.errors > 0 ? html`<span class="err">${s.errors}</span>` : "0"}</td>
<td class="mono">${clock(s.firstMs)}</td><td class="num">${ms(s.lastMs - s.firstMs)}</td>
</tr>`,
      )}</tbody></table>`
}
</div>`;
  return layout("Sessions", "sessions", body);
}
