// The published package: exports map matches the build, and publint / arethetypeswrong pass on the packed tarball.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { entries } from "../../tsup.config";

const root = new URL("../../", import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(root + "package.json", "utf8"));
const bin = (name: string) => root + "node_modules/.bin/" + name;

describe("package", () => {
  it("every tsup entry is exported (types first) and every export is built", () => {
    const subpaths = Object.keys(pkg.exports).filter((k) => k !== "./package.json");
    const expected = Object.keys(entries).map((e) => (e === "index" ? "." : "./" + e));
    expect(subpaths.sort()).toEqual(expected.sort());
    for (const key of subpaths) {
      const target = pkg.exports[key];
      expect(Object.keys(target)[0]).toBe("types");
      expect(existsSync(root + target.default)).toBe(true);
      expect(existsSync(root + target.types)).toBe(true);
      // condition-specific files (./hono's "workerd" build) exist too
      for (const file of Object.values<string>(target)) expect(existsSync(root + file), file).toBe(true);
    }
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.type).toBe("module");
  });

  it("dependencies: none at runtime, host libraries only as optional peers, dev versions pinned exactly", () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    for (const name of Object.keys(pkg.peerDependencies ?? {})) expect(pkg.peerDependenciesMeta[name].optional).toBe(true);
    for (const [name, version] of Object.entries<string>(pkg.devDependencies)) {
      expect(version, name).toMatch(/^(npm:[@\w/.-]+@)?\d+\.\d+\.\d+(-[\w.]+)?$/);
    }
  });

  it("every entry loads the core from dist/core.js: one file for a cold import of the core, one SDK state per app", async () => {
    const [core, main, ai] = await Promise.all(["core", "index", "ai-sdk"].map((e) => import(root + `dist/${e}.js`)));
    expect(main.Span).toBe(core.Span);
    expect(main.init).toBe(core.init);
    expect(main.default.flush).toBe(core.flush);
    expect(ai.traceModel).toBe(main.traceModel);
    expect(readFileSync(root + "dist/core.js", "utf8")).not.toMatch(/from\s*["']\.\/chunk-/);
  });

  it("publint passes", () => {
    const out = execFileSync(bin("publint"), ["--strict"], { cwd: root, encoding: "utf8" });
    expect(out).toContain("All good");
  });

  it("arethetypeswrong passes for ESM consumers", () => {
    // exits non-zero on any problem in the resolutions an ESM-only package supports
    execFileSync(bin("attw"), ["--pack", ".", "--profile", "esm-only", "--format", "table-flipped"], { cwd: root, encoding: "utf8" });
  }, 60_000);
});
