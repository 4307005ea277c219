// Deterministic budgets on the artefacts edge users bundle: the "./core" entry (src/core/index.ts) and the
// main entry (src/index.ts), minified ESM for platform "neutral" (no Node built-ins resolvable).
// - no `node:` import (a static one breaks every Worker without nodejs_compat; a literal dynamic one too,
//   because bundlers resolve string-literal import() calls);
// - no use of Node globals: `process` only as a property (`globalThis.process`), never `Buffer`, `require`,
//   `XMLHttpRequest` (absent on Workers/Vercel Edge) or `setImmediate` (a throwing stub in Next's edge sandbox);
// - the core entry's min+gzip size stays within CORE_BUDGET.
import { gzipSync } from "node:zlib";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { bundle, CORE_ENTRY, SDK_ENTRY } from "./harness";

/**
 * Budgets, minified + gzip (level 9), in bytes: regression guards at today's size plus ~2 %. Issue 2 asks for the
 * core at ≤ 6 KB and issue 3 for core + traced AI SDK model at ≤ 8 KB; both are still missed (7.9 KB and 11.7 KB,
 * see the closing note and bench/README.md). Lower them as the code shrinks; raise them only on purpose.
 */
// 7900 until the review fixes (auth header precedence, redaction on every path) added ~70 B; raised from 8000 on purpose
// for the hot-path redesign (raw attribute pairs + later(), ids on first read, O(1) open spans): ~5× cheaper spans
// Raised on purpose for issue 8 (OTLP/GenAI conformance): core 8076 → 8335 B and core + traceModel 12008 → 12301 B
// for doubles by semantic type, uniform arrays, key repair, operation names, error.type, the evaluation event,
// User-Agent, telemetry.sdk.language, the profile hook and the named session export; then ~+520 B for issue 7's flush
// lifecycle: per-flush coverage of the sessions active since the previous flush (a waitUntil(flush()) handed over
// before a stream starts covers it), polling instead of cross-request promises, concurrent bounded exports, the exit
// flush on Node/Bun/Deno
const CORE_BUDGET = 8950;
// +350 B on purpose for init's uploadAttachment (issue 10): traceModel's prompt media handed to the app's uploader
const AI_SDK_BUDGET = 13350;
// core + fallomHono: its session (c.get("fallom")) brings traceModel, wrapAISDK and the config/prompt methods
// (getModel, getPrompt, getPromptAB) along; 14000 before the configs landed, 19500 before the conformance fixes
// 19800 before the session carried the four provider wrappers (issue 10), 26000 before the flush lifecycle (issue 7):
// measured 26342 B; 26729 B with init's uploadAttachment (issue 10)
const HONO_BUDGET = 26780;
const TARGETS = { core: 6144, aiSdk: 8192 };

const NODE_GLOBALS = ["process", "Buffer", "require", "XMLHttpRequest", "setImmediate", "__dirname", "__filename"];

const HONO_ENTRY = new URL("../../src/integrations/hono/index.ts", import.meta.url).pathname;
const entries = { core: CORE_ENTRY, index: SDK_ENTRY, hono: HONO_ENTRY } as const;
const minified: Record<string, string> = {};
const findings: Record<string, Finding[]> = {};

beforeAll(async () => {
  for (const [name, entry] of Object.entries(entries)) {
    minified[name] = await bundle(entry, "esm", { minify: true, platform: "neutral" });
    findings[name] = scan(minified[name]!);
  }
});

interface Finding {
  what: string;
  at: string;
}

/** Semantic scan of a bundle with the TypeScript parser: imports and free references to Node globals. */
function scan(code: string): Finding[] {
  const file = ts.createSourceFile("bundle.js", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const findings: Finding[] = [];
  const at = (node: ts.Node) => code.slice(Math.max(0, node.getStart() - 30), node.getEnd() + 30);
  const isNameOnly = (node: ts.Identifier): boolean => {
    const p = node.parent;
    // `x.process`, `{ process: … }`, methods/properties named so, `import { x as process }` is not expected
    if (ts.isPropertyAccessExpression(p) && p.name === node) return true;
    if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p)) && p.name === node) return true;
    if (ts.isBindingElement(p) && p.propertyName === node) return true;
    return false;
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      findings.push({ what: `static import of ${(node.moduleSpecifier as ts.StringLiteral).text}`, at: at(node) });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg))) {
        findings.push({ what: `literal dynamic import("${arg.text}") (bundlers resolve it)`, at: at(node) });
      } else findings.push({ what: "import() with a computed specifier (strict loaders refuse the bundle)", at: at(node) });
    } else if (ts.isIdentifier(node) && NODE_GLOBALS.includes(node.text) && !isNameOnly(node)) {
      findings.push({ what: `free reference to ${node.text}`, at: at(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return findings;
}

describe.each(Object.keys(entries))("%s entry, minified ESM, platform neutral", (name) => {
  it("has no node: import, static or dynamic, and no import() at all (raw Miniflare refuses computed specifiers)", () => {
    const code = minified[name]!;
    expect(code).not.toMatch(/\bfrom\s*["']node:/);
    expect(code).not.toMatch(/\bimport\s*["']node:/);
    expect(code).not.toMatch(/\bimport\s*\(\s*["'`]node:/);
    expect(code).not.toMatch(/\brequire\s*\(/);
    expect(findings[name]!.filter((f) => f.what.includes("import"))).toEqual([]);
  });

  it("uses no Node globals: process only as a property (globalThis.process), no Buffer / require / XMLHttpRequest", () => {
    const code = minified[name]!;
    expect(code).not.toMatch(/\bBuffer\b/);
    expect(code).not.toMatch(/XMLHttpRequest/);
    expect(findings[name]).toEqual([]);
  });
});

it(`core entry min+gzip size is within CORE_BUDGET (${CORE_BUDGET} bytes)`, () => {
  const code = minified.core!;
  const gz = gzipSync(code, { level: 9 }).length;
  const indexGz = gzipSync(minified.index!, { level: 9 }).length;
  console.log(`[budget] core entry: ${code.length} B minified, ${gz} B min+gzip (budget ${CORE_BUDGET}, target ${TARGETS.core}); main entry: ${minified.index!.length} B minified, ${indexGz} B min+gzip`);
  expect(gz).toBeLessThanOrEqual(CORE_BUDGET);
});

it(`core + traceModel (what an app pays to trace an AI SDK model) is within AI_SDK_BUDGET (${AI_SDK_BUDGET} bytes)`, async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = mkdtempSync(join(tmpdir(), "fallom-budget-"));
  try {
    const root = new URL("../../src/", import.meta.url).pathname;
    const entry = join(dir, "app.ts");
    writeFileSync(
      entry,
      `import fallom from ${JSON.stringify(root + "core/index")};\n` +
        `import { traceModel } from ${JSON.stringify(root + "integrations/ai-sdk/index")};\n` +
        `await fallom.init({});\nexport const model = traceModel({}, { session: fallom.session({}) });\n`,
    );
    const code = await bundle(entry, "esm", { minify: true, platform: "neutral" });
    const gz = gzipSync(code, { level: 9 }).length;
    console.log(`[budget] core + traceModel: ${gz} B min+gzip (budget ${AI_SDK_BUDGET}, target ${TARGETS.aiSdk})`);
    expect(scan(code)).toEqual([]);
    expect(gz).toBeLessThanOrEqual(AI_SDK_BUDGET);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it(`the Hono middleware is paid only by apps importing its subpath; core + fallomHono is within HONO_BUDGET (${HONO_BUDGET} bytes)`, async () => {
  // none of the middleware in the core or main entries (their figures are the budgets above)
  for (const name of ["core", "index"]) {
    expect(minified[name], name).not.toContain("http.route");
    expect(minified[name], name).not.toContain("fallomSpan");
  }
  // the hono entry imports hono as types only: nothing from it at runtime
  expect(findings.hono).toEqual([]);
  const gz = gzipSync(minified.hono!, { level: 9 }).length;
  console.log(`[budget] core + fallomHono: ${gz} B min+gzip (budget ${HONO_BUDGET})`);
  expect(gz).toBeLessThanOrEqual(HONO_BUDGET);
});

it("the scanner catches what it must (self-check on known-bad code)", () => {
  const bad = [
    `import{AsyncLocalStorage as a}from"node:async_hooks";export{a};`,
    `export async function f(){return import("node:async_hooks")}`,
    `export const e=()=>process.env.X;`,
    `export const b=typeof Buffer<"u";`,
    `export const r=()=>require("x");`,
    `export const x=new XMLHttpRequest;`,
    `const s="node:async_hooks";export async function f(){return import(s)}`,
  ];
  for (const code of bad) expect(scan(code), code).not.toEqual([]);
  const good = `const p=globalThis.process;export const o={process:1,Buffer:2},q=p?.env,m="process.env.X is read when present",a=p?.getBuiltinModule?.("node:async_hooks")`;
  expect(scan(good)).toEqual([]);
});
