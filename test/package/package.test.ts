// The published package: exports map matches the build, and publint / arethetypeswrong pass on the packed tarball.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { entries } from "../../tsup.config";

const root = new URL("../../", import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(root + "package.json", "utf8"));
const bin = (name: string) => root + "node_modules/.bin/" + name;

describe("package", () => {
  it("every tsup entry is exported for import and require (types first in each) and every export is built", () => {
    const subpaths = Object.keys(pkg.exports).filter((k) => k !== "./package.json");
    const expected = Object.keys(entries).map((e) => (e === "index" ? "." : "./" + e));
    expect(subpaths.sort()).toEqual(expected.sort());
    for (const key of subpaths) {
      // shape: { import: { types: "*.d.ts", default: "*.js" }, require: { types: "*.d.cts", default: "*.cjs" } }
      const target = pkg.exports[key];
      // runtime-specific builds (./hono's "workerd") come first, then import and require
      const conditions = Object.keys(target).filter((c) => c !== "import" && c !== "require");
      expect(Object.keys(target).slice(conditions.length), key).toEqual(["import", "require"]);
      for (const c of conditions) {
        expect(existsSync(root + target[c].default), target[c].default).toBe(true);
        expect(existsSync(root + target[c].types), target[c].types).toBe(true);
      }
      for (const [condition, ext] of [["import", ".js"], ["require", ".cjs"]]) {
        const t = target[condition];
        expect(Object.keys(t)[0], key).toBe("types");
        expect(t.default.endsWith(ext) && t.types.endsWith(ext.replace("js", "d.ts").replace(".cd.ts", ".d.cts")), `${key} ${condition}`).toBe(true);
        expect(existsSync(root + t.default), t.default).toBe(true);
        expect(existsSync(root + t.types), t.types).toBe(true);
      }
    }
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.type).toBe("module");
  });

  it("CommonJS: require() gets the same API, session included (one core state per module system)", () => {
    const out = execFileSync(
      process.execPath,
      ["-e", `const f = require("@fallom/trace"); const c = require("@fallom/trace/core"); console.log(JSON.stringify([typeof f.session, typeof f.init, typeof f.default.session, f.session().startSpan("x").constructor === c.Span, typeof require("@fallom/trace/ai-sdk").traceModel, typeof require("@fallom/trace/pricing").computeCost]))`],
      { cwd: root, encoding: "utf8" },
    );
    expect(JSON.parse(out)).toEqual(["function", "function", "function", true, "function", "function"]);
  });

  it("import { session } works; the core's shared helpers are neither public types nor an importable subpath", async () => {
    const main = await import(root + "dist/index.js");
    expect(main.session).toBe(main.default.session);
    expect(typeof main.session().traceModel).toBe("function");
    for (const name of ["core", "getOptions", "nowMs", "runInContext", "tokenAttributes"]) {
      expect(main[name], name).toBeUndefined();
      // `core` is also the name of the public SDK object type's source; the helpers must not appear at all
      if (name !== "core") for (const file of ["index.d.ts", "core.d.ts", "ai-sdk.d.ts", "index.d.cts"]) expect(readFileSync(root + "dist/" + file, "utf8"), `${name} in ${file}`).not.toContain(name);
    }
    expect(pkg.exports["./internal"]).toBeUndefined();
    expect(() => execFileSync(process.execPath, ["-e", `require("@fallom/trace/internal")`], { cwd: root, stdio: "pipe" })).toThrow(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  it("docs the README links to are shipped in the package", () => {
    const readme = readFileSync(root + "README.md", "utf8");
    const links = [...readme.matchAll(/\]\((?!https?:|#)([^)#]+)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      expect(existsSync(root + link), link).toBe(true);
      expect(pkg.files.some((f: string) => link === f || link.startsWith(f + "/")), `${link} is in package.json "files"`).toBe(true);
    }
  });

  it("dependencies: none at runtime, host libraries only as optional peers, dev versions pinned exactly", () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    for (const name of Object.keys(pkg.peerDependencies ?? {})) expect(pkg.peerDependenciesMeta[name].optional).toBe(true);
    for (const [name, version] of Object.entries<string>(pkg.devDependencies)) {
      expect(version, name).toMatch(/^(npm:[@\w/.-]+@)?\d+\.\d+\.\d+(-[\w.]+)?$/);
    }
  });

  it("every entry loads the core from dist/internal.js: one core file for a cold import, one SDK state per app", async () => {
    const [core, main, ai] = await Promise.all(["core", "index", "ai-sdk"].map((e) => import(root + `dist/${e}.js`)));
    expect(main.Span).toBe(core.Span);
    expect(main.init).toBe(core.init);
    expect(main.default.flush).toBe(core.flush);
    expect(ai.traceModel).toBe(main.traceModel);
    expect(readFileSync(root + "dist/internal.js", "utf8")).not.toMatch(/from\s*["']\.\/chunk-/);
    expect(readFileSync(root + "dist/core.js", "utf8")).toMatch(/^export\{[^}]+\}from'\.\/internal\.js';/);
  });

  it("publint passes", () => {
    const out = execFileSync(bin("publint"), ["--strict"], { cwd: root, encoding: "utf8" });
    expect(out).toContain("All good");
  });

  it("arethetypeswrong passes for ESM and CommonJS consumers (node16 and bundler resolution)", () => {
    // exits non-zero on any problem in the resolutions a package with import and require paths supports
    execFileSync(bin("attw"), ["--pack", ".", "--profile", "node16", "--format", "table-flipped"], { cwd: root, encoding: "utf8" });
  }, 60_000);
});
