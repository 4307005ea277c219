const VARIABLE = /\{\{(\s*\w+\s*)\}\}/g;

// parsed once per template string: [text, placeholder, name, text, placeholder, name, …, text]
const parsed = new Map<string, string[]>();
const MAX_PARSED = 1000;

function parse(template: string): string[] {
  let parts = parsed.get(template);
  if (!parts) {
    parts = [];
    let last = 0;
    for (const m of template.matchAll(VARIABLE)) {
      parts.push(template.slice(last, m.index), m[0], m[1]!.trim());
      last = m.index! + m[0].length;
    }
    parts.push(template.slice(last));
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(template, parts);
  }
  return parts;
}

/** `{{ name }}` replaced by `String(variables[name])`; unknown names are left as is. Plain substitution: nothing is evaluated. */
export function render(template: string, variables?: Record<string, unknown>): string {
  if (!variables || typeof variables != "object" || !template.includes("{{")) return template;
  const parts = parse(template);
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 3) {
    const name = parts[i + 1]!;
    // own keys only: "{{constructor}}" is not a variable
    out += (Object.prototype.hasOwnProperty.call(variables, name) ? String(variables[name]) : parts[i]!) + parts[i + 2]!;
  }
  return out;
}
