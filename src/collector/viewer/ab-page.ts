// `/ab`: per variant of each model config and prompt A/B test, what it cost and how it behaved.
import { html } from "hono/html";
import type { AbRow } from "../queries";
import { count, ms, usd } from "./format";
import { layout } from "./layout";

function table(title: string, rows: AbRow[], valueLabel: string) {
  const byKey = new Map<string, AbRow[]>();
  for (const r of rows) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  return html`<h2>${title}</h2>
<div class="card">${
    rows.length === 0
      ? html`<div class="empty">No LLM call carries one yet.</div>`
      : html`<table class="ab">
<thead><tr><th>key</th><th>variant</th><th>${valueLabel}</th><th>share of calls</th><th class="num">calls</th><th class="num">sessions</th><th class="num">tokens in / out</th><th class="num">cost</th><th class="num">errors</th><th class="num">p50</th><th class="num">p95</th></tr></thead>
<tbody>${[...byKey.entries()].map(([key, group]) => {
          const total = group.reduce((n, r) => n + r.calls, 0);
          return group.map((r) => {
            const share = total ? (100 * r.calls) / total : 0;
            return html`<tr>
<td><a href="/?prompt=${r.kind === "prompt" ? encodeURIComponent(key) : ""}&config=${r.kind === "model" ? encodeURIComponent(key) : ""}">${key}</a></td>
<td>${r.variant ?? "–"}</td><td>${r.value ? html`<span class="pill">${r.value}</span>` : "–"}</td>
<td><div class="bar-cell"><i style="width:${Math.max(2, Math.round(share * 1.2))}px"></i>${share.toFixed(0)}%</div></td>
<td class="num">${r.calls}</td><td class="num">${r.sessions}</td>
<td class="num">${count(r.inputTokens)} / ${count(r.outputTokens)}</td><td class="num">${usd(r.costUsd)}</td>
<td class="num">${r.errors > 0 ? html`<span class="err">${r.errors}</span>` : "0"}</td>
<td class="num">${ms(r.p50Ms)}</td><td class="num">${ms(r.p95Ms)}</td></tr>`;
          });
        })}</tbody></table>`
  }</div>`;
}

export function abPage(rows: AbRow[]) {
  const body = html`<h1>A/B tests</h1>
${table("Model configs", rows.filter((r) => r.kind === "model"), "model")}
${table("Prompt A/B tests", rows.filter((r) => r.kind === "prompt"), "prompt")}`;
  return layout("A/B tests", "ab", body);
}
