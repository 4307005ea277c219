// Issue 7: the flush recipes under the real `wrangler dev` (the devDependency), offline, on 127.0.0.1 and a free
// port, stopped by its own PID. Each request's spans and flush report must arrive before the next request is made
// (so no later request helps), and wrangler's output must carry none of workerd's cross-request warnings.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startCollector, type Collector } from "../support/collector";
import { bundle, COMPATIBILITY_DATE, CROSS_REQUEST_WARNINGS, HERE, ROOT, tempDir, until } from "./harness";

let collector: Collector;
let tmp: ReturnType<typeof tempDir>;
let child: ChildProcess | undefined;
let output = "";
let base = "";

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });

beforeAll(async () => {
  collector = await startCollector();
  tmp = tempDir("fallom-wrangler-dev-");
  tmp.write("worker.mjs", await bundle(join(HERE, "flush-recipes-worker.ts"), "esm"));
  // no nodejs_compat: the strictest setting users deploy with
  const config = tmp.write(
    "wrangler.toml",
    `name = "flush-recipes"\nmain = "worker.mjs"\nno_bundle = true\ncompatibility_date = "${COMPATIBILITY_DATE}"\n[vars]\nCOLLECTOR = "${collector.url}"\n`,
  );
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, [join(ROOT, "node_modules/wrangler/bin/wrangler.js"), "dev", "--config", config, "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(await freePort())], {
    cwd: tmp.dir,
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", CI: "1", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  await until(() => /Ready on/i.test(output), () => "wrangler dev to be ready:\n" + output, 60_000);
}, 90_000);

afterAll(async () => {
  if (child?.exitCode === null) {
    const exited = new Promise((r) => child!.once("exit", r));
    child.kill("SIGTERM"); // its own PID only
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
  }
  await collector?.close();
  tmp?.remove();
});

const CASES = [
  { kind: "text", path: "traceModel", spans: 1 },
  { kind: "ui", path: "middleware", spans: 1 },
  { kind: "sse", path: "wrapAISDK", spans: 2 },
  { kind: "json", path: "telemetry", spans: 2 },
];

it("wrangler dev, no nodejs_compat: each recipe's spans arrive from its own waitUntil(flush()), no cross-request warnings", async () => {
  for (const { kind, path, spans } of CASES) {
    const id = `wrangler-${kind}-${path}`;
    const res = await fetch(`${base}/?` + new URLSearchParams({ kind, path, id }));
    const body = await res.text();
    expect(res.status, body).toBe(200);
    const report = await until(() => collector.requests.find((r) => r.path === "/done" && (r.json as any)?.id === id)?.json, () => `the flush report of ${id}\n${output}`);
    expect(report).toMatchObject({ pending: 0, dropped: 0, timedOut: false });
    const got = await until(() => {
      const s = collector.spans().filter((x) => x.attributes["session.id"] === id);
      return s.length >= spans && s;
    }, () => `${spans} spans of ${id}`);
    expect(got).toHaveLength(spans);
  }
  await new Promise((r) => setTimeout(r, 300));
  expect(output).not.toMatch(CROSS_REQUEST_WARNINGS);
}, 60_000);
