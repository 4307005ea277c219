// End to end, as `npm run demo` runs it: worker-example (Hono + AI SDK + @fallom/trace in workerd) → SDK export →
// the collector (workerd + D1) → its JSON API and viewer. The JSON API must show the expected trees, tokens, costs
// and A/B assignments; the viewer is driven in a real headless Chromium (playwright-core + @sparticuz/chromium).
// Screenshots go to test/artifacts/ (gitignored).
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AbRow, StoredSpan, TraceDetail, TraceSummary } from "../../src/collector";
import { startCollector, startExample } from "../../demo/workers.mjs";
import { runWorkload, waitForDelivery } from "../../demo/workload.mjs";
import { launchBrowser } from "../support/browser";

const ARTIFACTS = new URL("../artifacts/", import.meta.url).pathname;
let collector: Awaited<ReturnType<typeof startCollector>>;
let example: Awaited<ReturnType<typeof startExample>>;
let seen: Awaited<ReturnType<typeof runWorkload>>;
let traces: TraceSummary[];
let details: TraceDetail[];

const api = async <T>(path: string): Promise<T> => (await fetch(collector.url + path)).json() as Promise<T>;

beforeAll(async () => {
  collector = await startCollector({ apiKey: "e2e-key" });
  example = await startExample({ collectorUrl: collector.url, apiKey: "e2e-key", bindings: { OPENAI_API_KEY: "", ANTHROPIC_API_KEY: "" } });
  seen = await runWorkload(example.url);
  await waitForDelivery(collector.url, seen.requests);
  traces = (await api<{ traces: TraceSummary[] }>("/api/traces")).traces;
  details = await Promise.all(traces.map((t) => api<TraceDetail>(`/api/traces/${t.traceId}`)));
}, 120_000);

afterAll(async () => {
  await example?.dispose();
  await collector?.dispose();
});

const llmSpans = (d: TraceDetail) => d.spans.filter((s) => s.type === "llm");

describe("JSON API", () => {
  it("one trace per request: a SERVER root with the session, LLM calls and tool calls as its children", () => {
    expect(seen).toMatchObject({ requests: 30, streamed: 15, nonStreamed: 15, failed: 1 });
    expect(traces).toHaveLength(30);
    expect(new Set(traces.map((t) => t.sessionId)).size).toBe(20);
    for (const d of details) {
      const root = d.spans.find((s) => s.parentSpanId === null)!;
      expect(root).toMatchObject({ name: "POST /chat", type: "http", kind: 2 });
      expect(d.spans.filter((s) => s !== root).every((s) => s.parentSpanId === root.spanId)).toBe(true);
      expect(d.spans.every((s) => s.sessionId === root.sessionId && s.configKey === "support-bot")).toBe(true);
    }
  });

  it("order questions: LLM → lookupOrder tool → LLM, in time order, and the client saw the streamed tool call", () => {
    const orderTraces = details.filter((d) => d.spans.some((s) => s.type === "tool"));
    expect(orderTraces).toHaveLength(seen.calls.filter((c) => c.kind === "order").length);
    for (const d of orderTraces) {
      // on Workers the clock moves only across I/O: the tool (no I/O) and the next call can start at the same ms
      const children = d.spans.filter((s) => s.parentSpanId !== null).sort((a, b) => a.startMs - b.startMs || a.durationMs - b.durationMs);
      expect(children.map((s) => s.type)).toEqual(["llm", "tool", "llm"]);
      expect(children[1]!.name).toBe("execute_tool lookupOrder");
      expect(children[1]!.attributes["gen_ai.tool.name"]).toBe("lookupOrder");
    }
    expect(seen.calls.filter((c) => c.kind === "order" && c.stream).every((c) => c.tools.join() === "lookupOrder" && /order [A-C]-\d+/i.test(c.answer))).toBe(true);
  });

  it("tokens and costs: every successful LLM call has usage (incl. cached input) and a cost; traces sum their calls", () => {
    for (const d of details) {
      const calls = llmSpans(d).filter((s) => s.status.code !== 2);
      for (const s of calls) {
        expect(s.tokens.input).toBeGreaterThan(0);
        expect(s.tokens.output).toBeGreaterThan(0);
        expect(s.tokens.cacheRead).toBeGreaterThan(0);
        expect(s.costUsd).toBeGreaterThan(0);
        if (s.attributes["gen_ai.request.stream"] === true) expect(s.ttftMs).toBeGreaterThan(0);
      }
      expect(d.summary.inputTokens).toBe(calls.reduce((n, s) => n + s.tokens.input!, 0));
      expect(d.summary.costUsd ?? 0).toBeCloseTo(calls.reduce((n, s) => n + s.costUsd!, 0), 12);
    }
  });

  it("A/B assignments: each session's spans name the model and prompt its responses used; both variants of both tests occur", async () => {
    const bySession = new Map(details.map((d) => [d.summary.sessionId, d]));
    for (const call of seen.calls) {
      const d = details.filter((x) => x.summary.sessionId === call.sessionId);
      expect(d.length).toBeGreaterThan(0);
      for (const s of d.flatMap(llmSpans)) {
        expect(s.model).toBe(call.model);
        expect(s.modelConfig).toMatchObject({ key: "support-bot", version: 1, variant: call.model === "gpt-4o-mini" ? 0 : 1 });
        expect(s.prompt).toMatchObject({ key: call.prompt, abTest: "support-tone", variant: call.prompt === "support-friendly" ? 0 : 1 });
        expect(String(s.attributes["gen_ai.system_instructions"])).toContain(call.prompt === "support-friendly" ? "warm, upbeat" : "one or two plain sentences");
      }
    }
    expect(bySession.size).toBe(20);
    const ab = (await api<{ variants: AbRow[] }>("/api/ab")).variants;
    const split = (kind: string) => ab.filter((r) => r.kind === kind).map((r) => [r.variant, r.value]);
    expect(split("model")).toEqual([[0, "gpt-4o-mini"], [1, "gpt-4.1-mini"]]);
    expect(split("prompt")).toEqual([[0, "support-friendly"], [1, "support-concise"]]);
    const sessionsPerModel = ab.filter((r) => r.kind === "model").reduce((n, r) => n + r.sessions, 0);
    expect(sessionsPerModel).toBe(20);
  });

  it("the provider error: the LLM span and the request span are errors, the client got a 502", () => {
    const failed = seen.calls.filter((c) => c.status !== 200);
    expect(failed).toEqual([expect.objectContaining({ sessionId: "demo-session-14", status: 502 })]);
    const d = details.find((x) => x.summary.sessionId === "demo-session-14")!;
    const llm = llmSpans(d)[0]!;
    expect(llm.status).toEqual({ code: 2, message: expect.stringMatching(/overloaded \(mock provider 529\)/) });
    expect(llm.events.map((e) => e.name)).toContain("exception");
    const root = d.spans.find((s) => s.parentSpanId === null) as StoredSpan;
    expect(root.attributes["http.response.status_code"]).toBe(502);
    expect(root.status.code).toBe(2);
  });

  it("workerd printed no cross-request I/O warning or error in either Worker", () => {
    const output = [...example.output, ...collector.output].join("\n");
    expect(output).not.toMatch(/different request|Cannot perform I\/O|hung|uncaught/i);
  });
});

describe("viewer in headless Chromium", () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);
  afterAll(() => browser?.close());

  const sessionsShown = () => page.locator("#traces tbody tr td:nth-child(3)").allInnerTexts();

  it("the demo's traces render, newest first", async () => {
    const errors: string[] = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(collector.url + "/");
    expect(await page.locator("#traces tbody tr").count()).toBe(30);
    const times = await page.locator("#traces tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-trace")));
    expect(times).toEqual(traces.map((t) => t.traceId));
    expect(traces.map((t) => t.startMs)).toEqual([...traces.map((t) => t.startMs)].sort((a, b) => b - a));
    expect(await page.locator(".stats").innerText()).toMatch(/TRACES\s*30/i);
    await page.screenshot({ path: ARTIFACTS + "viewer-traces.png", fullPage: true });
    expect(errors).toEqual([]);
  });

  it("a trace opens with its waterfall; a row opens to the LLM call's facts and conversation", async () => {
    const withTool = details.find((d) => d.spans.some((s) => s.type === "tool") && d.spans.some((s) => s.ttftMs !== null))!;
    await page.goto(collector.url + "/");
    await page.locator(`#traces tr[data-trace="${withTool.summary.traceId}"] td.name a`).click();
    await page.waitForSelector("#waterfall");
    const rows = page.locator("#waterfall details.span");
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-type")))).toEqual(["http", "llm", "tool", "llm"]);
    const bars = await page.locator(".wf-bar").evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, right: r.right })));
    for (const b of bars.slice(1)) {
      expect(b.x).toBeGreaterThanOrEqual(bars[0]!.x - 1);
      expect(b.right).toBeLessThanOrEqual(bars[0]!.right + 1);
    }
    expect(bars[2]!.x).toBeGreaterThanOrEqual(bars[1]!.right - 1); // the tool runs after the first LLM call
    expect(await page.locator(".wf-ttft").count()).toBeGreaterThanOrEqual(1);
    await rows.nth(3).locator("summary").click();
    const detail = await rows.nth(3).locator(".detail").innerText();
    expect(detail).toMatch(/cached input\s*\d+/i);
    expect(detail).toMatch(/support-tone · variant [01]/);
    expect(detail).toMatch(/order [A-C]-\d+/i);
    await page.screenshot({ path: ARTIFACTS + "viewer-trace.png", fullPage: true });
  });

  it("filters: model, errors only, session", async () => {
    await page.goto(collector.url + "/");
    await page.selectOption("select[name=model]", "gpt-4o-mini");
    await page.click("form.filters button[type=submit]");
    await page.waitForURL(/model=gpt-4o-mini/);
    const expected = traces.filter((t) => t.models.includes("gpt-4o-mini")).map((t) => t.sessionId);
    expect(await sessionsShown()).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(30);

    await page.goto(collector.url + "/");
    await page.check("input[name=errors]");
    await page.click("form.filters button[type=submit]");
    await page.waitForURL(/errors=1/);
    expect(await sessionsShown()).toEqual(["demo-session-14"]);
    await page.screenshot({ path: ARTIFACTS + "viewer-filtered.png" });

    await page.goto(collector.url + "/");
    await page.fill("input[name=session]", "demo-session-03");
    await page.press("input[name=session]", "Enter");
    await page.waitForURL(/session=demo-session-03/);
    expect(await sessionsShown()).toEqual(["demo-session-03", "demo-session-03"]);
  });

  it("sessions page: 20 sessions with totals; A/B page: both tests, both variants", async () => {
    await page.goto(collector.url + "/sessions");
    expect(await page.locator("#sessions tbody tr").count()).toBe(20);
    await page.screenshot({ path: ARTIFACTS + "viewer-sessions.png", fullPage: true });
    await page.goto(collector.url + "/ab");
    const tables = page.locator("table.ab");
    expect(await tables.nth(0).innerText()).toMatch(/support-bot[\s\S]*gpt-4o-mini[\s\S]*support-bot[\s\S]*gpt-4\.1-mini/);
    expect(await tables.nth(1).innerText()).toMatch(/support-tone[\s\S]*support-friendly[\s\S]*support-tone[\s\S]*support-concise/);
    await page.screenshot({ path: ARTIFACTS + "viewer-ab.png", fullPage: true });
  });
});
