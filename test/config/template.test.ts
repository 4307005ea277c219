// {{ var }} rendering: Fallom's pattern /\{\{(\s*\w+\s*)\}\}/, String(value), unknown names left, nothing evaluated.
import { expect, it } from "vitest";
import { render } from "../../src/config/template";

// Fallom's own rendering, as its SDKs do it, for comparison
const fallom = (t: string, v: Record<string, unknown>) => t.replace(/\{\{(\s*\w+\s*)\}\}/g, (m, n: string) => (Object.prototype.hasOwnProperty.call(v, n.trim()) ? String(v[n.trim()]) : m));

it("matches Fallom's rendering on placeholders, spacing, repeats, unknown names and odd values", () => {
  const variables = { a: "A", b: 2, c: null, d: { x: 1 }, e: "$& $1 {{a}}", f: "" };
  for (const t of [
    "",
    "plain text",
    "{{a}}",
    "{{ a }}-{{b}}-{{  c  }}-{{d}}-{{e}}-{{f}}-{{missing}}",
    "{{a}}{{a}}{{ a}}{{a }}",
    "{{ a b }} {{}} {{-a}} {a} {{{a}}} }}{{",
    "{{constructor}} {{toString}} {{__proto__}}",
    "${a} `{{a}}` {{ a }}!",
  ]) {
    expect(render(t, variables), t).toBe(fallom(t, variables));
  }
});

it("without variables the template is returned as is; values are never evaluated", () => {
  expect(render("Hi {{ name }}")).toBe("Hi {{ name }}");
  expect(render("{{x}}", { x: "${globalThis.process.exit(1)}" })).toBe("${globalThis.process.exit(1)}");
  // the second render of the same template uses the parsed parts, same result
  expect(render("Hi {{ name }}, {{ name }}", { name: "Ada" })).toBe("Hi Ada, Ada");
  expect(render("Hi {{ name }}, {{ name }}", { name: "Bob" })).toBe("Hi Bob, Bob");
});
