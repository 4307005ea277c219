// semconv `gen_ai.provider.name` of an API's base URL: well-known hosts by name, others by their domain's name
// (openrouter.ai → openrouter, api.groq.com → groq); local or IP hosts speak the wrapped SDK's API.
const HOSTS: Array<[RegExp, string]> = [
  [/\.azure\.com$/, "azure.ai.openai"],
  [/(^|\.)x\.ai$/, "x_ai"],
  [/(^|\.)mistral\.ai$/, "mistral_ai"],
  [/aiplatform\.googleapis\.com$/, "gcp.vertex_ai"],
  [/googleapis\.com$/, "gcp.gemini"],
];

export function providerFromUrl(url: unknown, fallback: string): string {
  try {
    const { hostname, port } = new URL(String(url));
    for (const [host, name] of HOSTS) if (host.test(hostname)) return name;
    if (port == "11434") return "ollama";
    const labels = hostname.split(".");
    return labels.length > 1 && !/^[\d.]+$|^\[/.test(hostname) ? labels[labels.length - 2]! : fallback;
  } catch {
    return fallback;
  }
}
