// request settings under every SDK's spelling → `gen_ai.request.*` names
const REQUEST: Record<string, string> = {};
for (const [name, keys] of Object.entries({
  temperature: "temperature",
  top_p: "top_p topP",
  top_k: "top_k topK",
  max_tokens: "max_tokens max_completion_tokens max_output_tokens maxOutputTokens",
  frequency_penalty: "frequency_penalty frequencyPenalty",
  presence_penalty: "presence_penalty presencePenalty",
  seed: "seed",
  stop_sequences: "stop stop_sequences stopSequences",
  "choice.count": "n candidateCount",
}))
  for (const k of keys.split(" ")) REQUEST[k] = "gen_ai.request." + name;

/** `gen_ai.request.*` of a request body or generation config (OpenAI, Anthropic and Google spellings) */
export function requestAttributes(params: any): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (params && typeof params == "object")
    for (const k in REQUEST) {
      const v = params[k];
      if (v != null) out[REQUEST[k]!] = typeof v == "string" && k == "stop" ? [v] : v;
    }
  return out;
}
