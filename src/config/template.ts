const VARIABLE = /\{\{(\s*\w+\s*)\}\}/g;

/** `{{ name }}` replaced by `String(variables[name])`; unknown names are left as is. Plain substitution: nothing is evaluated. */
export function render(template: string, variables?: Record<string, unknown>): string {
  if (!variables || typeof variables != "object" || !template.includes("{{")) return template;
  return template.replace(VARIABLE, (match, name: string) => {
    const key = name.trim();
    // own keys only: "{{constructor}}" is not a variable
    return Object.prototype.hasOwnProperty.call(variables, key) ? String(variables[key]) : match;
  });
}
