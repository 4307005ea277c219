// The viewer in a real headless Chromium (playwright-core + @sparticuz/chromium): traces render newest first, a
// trace opens with its waterfall and span details, filters work, the session and A/B pages add up. Screenshots go
// to test/artifacts/ (gitignored).
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import fallom from "../../src/index";
import { _reset } from "../../src/core/sdk";
import { startCollector } from "../../demo/workers.mjs";
import { launchBrowser } from "../support/browser";

const ARTIFACTS = new URL("../artifacts/", import.meta.url).pathname;
let collector: Awaited<ReturnType<typeof startCollector>>;
let browser: Browser;
let page: Page;

const MODELS = ["gpt-4o-mini", "gpt-4.1-mini"];
const PROMPTS = ["support-friendly", "support-concise"];

/** Six sessions of a support agent: an LLM call (A/B model + A/B prompt, tokens, cost, TTFT, content) and a tool. */
async function workload() {
  _reset();
  await fallom.init({ apiKey: "viewer-key", baseUrl: collector.url, serviceName: "viewer-test", flushIntervalMs: 0 });
  for (let i = 0; i < 6; i++) {
    const v = i % 2;
    const session = fallom.session({ sessionId: `conv-${i}`, customerId: `user-${i % 3}`, configKey: "support-bot" });
    await session
      .trace(
        "POST /chat",
        async (root) => {
          root.setInput({ message: `Where is order A-${i}?` });
          await root.span(
            `chat ${MODELS[v]}`,
            async (llm) => {
              llm.setModel(MODELS[v]!, "openai").setTokens({ input: 300 + i * 10, output: 40 + i, cacheRead: 128, reasoning: v ? 16 : undefined });
              for (const [k, val] of Object.entries({
                "fallom.model_config.key": "support-bot",
                "fallom.model_config.version": 1,
                "fallom.model_config.variant_index": v,
                "gen_ai.prompt.name": PROMPTS[v]!,
                "fallom.prompt.ab_test_key": "support-tone",
                "fallom.prompt.variant_index": v,
                "fallom.cost.total_usd": 0.0001 * (1 + v) + i * 1e-6,
                "gen_ai.response.time_to_first_chunk": 0.08 + 0.01 * i,
                "gen_ai.input.messages": JSON.stringify([{ role: "user", parts: [{ type: "text", content: `Where is order A-${i}?` }] }]),
                "gen_ai.output.messages": JSON.stringify([{ role: "assistant", parts: [{ type: "text", content: `Order A-${i} ships tomorrow.` }] }]),
              })) llm.setAttribute(k, val);
              await new Promise((r) => setTimeout(r, 15));
            },
            { type: "llm" },
          );
          await root.span(
            "lookupOrder",
            async (tool) => {
              tool.setAttribute("gen_ai.tool.name", "lookupOrder");
              await new Promise((r) => setTimeout(r, 5));
              if (i === 4) throw new Error("order service unavailable");
            },
            { type: "tool" },
          );
        },
        { type: "agent" },
      )
      .catch(() => {});
  }
  const flushed = await fallom.flush();
  _reset();
  return flushed;
}

beforeAll(async () => {
  collector = await startCollector({ apiKey: "viewer-key" });
  expect(await workload()).toMatchObject({ sent: 18, dropped: 0 });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await collector?.dispose();
});

it("lists the traces newest first with sessions, models, tokens and status", async () => {
  const consoleErrors: string[] = [];
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  await page.goto(collector.url + "/");
  const rows = page.locator("#traces tbody tr");
  expect(await rows.count()).toBe(6);
  const sessions = await rows.locator("td:nth-child(3)").allInnerTexts();
  expect(sessions).toEqual(["conv-5", "conv-4", "conv-3", "conv-2", "conv-1", "conv-0"]);
  expect(await rows.nth(1).innerText()).toMatch(/2 errors/); // the tool and the root it failed
  expect(await rows.first().innerText()).toMatch(/gpt-4\.1-mini/);
  await page.screenshot({ path: ARTIFACTS + "viewer-traces.png", fullPage: true });
  expect(consoleErrors).toEqual([]);
});

it("a trace opens with its waterfall; a span row opens to its content and facts", async () => {
  await page.goto(collector.url + "/");
  await page.locator("#traces tbody tr").nth(1).locator("td.name a").click();
  await page.waitForSelector("#waterfall");
  const spans = page.locator("#waterfall details.span");
  expect(await spans.count()).toBe(3);
  expect(await spans.evaluateAll((els) => els.map((e) => e.getAttribute("data-type")))).toEqual(["agent", "llm", "tool"]);
  // bars are laid out on one time axis: the children start inside the root's bar
  const boxes = await page.locator(".wf-bar").evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, w: r.width })));
  expect(boxes[1]!.x).toBeGreaterThanOrEqual(boxes[0]!.x - 1);
  expect(boxes[2]!.x + boxes[2]!.w).toBeLessThanOrEqual(boxes[0]!.x + boxes[0]!.w + 1);
  expect(await page.locator(".wf-ttft").count()).toBe(1);
  expect(await page.locator(".wf-bar.error").count()).toBeGreaterThanOrEqual(1);
  await spans.nth(1).locator("summary").click();
  const detail = spans.nth(1).locator(".detail");
  await detail.waitFor();
  const text = await detail.innerText();
  expect(text).toContain("Order A-4 ships tomorrow.");
  expect(text).toMatch(/cached input\s*128/i);
  expect(text).toMatch(/support-tone · variant 0/);
  await spans.nth(2).locator("summary").click();
  expect(await spans.nth(2).locator(".detail").innerText()).toContain("order service unavailable");
  await page.screenshot({ path: ARTIFACTS + "viewer-trace.png", fullPage: true });
});

it("filters: by model, by customer, errors only", async () => {
  await page.goto(collector.url + "/");
  await page.selectOption("select[name=model]", "gpt-4o-mini");
  await page.click("form.filters button[type=submit]");
  await page.waitForURL(/model=gpt-4o-mini/);
  expect(await page.locator("#traces tbody tr td:nth-child(3)").allInnerTexts()).toEqual(["conv-4", "conv-2", "conv-0"]);

  await page.goto(collector.url + "/?customer=user-1");
  expect(await page.locator("#traces tbody tr td:nth-child(3)").allInnerTexts()).toEqual(["conv-4", "conv-1"]);

  await page.goto(collector.url + "/");
  await page.check("input[name=errors]");
  await page.click("form.filters button[type=submit]");
  await page.waitForURL(/errors=1/);
  expect(await page.locator("#traces tbody tr td:nth-child(3)").allInnerTexts()).toEqual(["conv-4"]);
  await page.screenshot({ path: ARTIFACTS + "viewer-filtered.png" });
});

it("sessions show totals, the A/B page splits calls per variant with p50/p95", async () => {
  await page.goto(collector.url + "/sessions");
  expect(await page.locator("#sessions tbody tr").count()).toBe(6);
  const api = (await (await fetch(collector.url + "/api/ab")).json()) as { variants: Array<{ kind: string; key: string; variant: number; value: string; calls: number; sessions: number; p50Ms: number; p95Ms: number }> };
  const models = api.variants.filter((r) => r.kind === "model");
  expect(models.map((r) => [r.variant, r.value, r.calls, r.sessions])).toEqual([
    [0, "gpt-4o-mini", 3, 3],
    [1, "gpt-4.1-mini", 3, 3],
  ]);
  expect(models.every((r) => r.p50Ms > 0 && r.p95Ms >= r.p50Ms)).toBe(true);
  await page.goto(collector.url + "/ab");
  const tables = page.locator("table.ab");
  expect(await tables.count()).toBe(2);
  expect(await tables.nth(1).innerText()).toMatch(/support-tone[\s\S]*support-friendly[\s\S]*50%/);
  await page.screenshot({ path: ARTIFACTS + "viewer-ab.png", fullPage: true });
});
