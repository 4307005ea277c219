// The hand-written price table against a maintained price database, @pydantic/genai-prices (pinned): for every model
// both know, at the table's date, the base-tier input, output, cache-read and cache-write rates agree, except the
// differences kept on purpose, each listed with its reason in docs/pricing.md.
import { readFileSync } from "node:fs";
import { calcPrice } from "@pydantic/genai-prices";
import { describe, expect, it } from "vitest";
import { PRICES, PRICES_DATE } from "../../src/pricing/prices";

const docs = readFileSync(new URL("../../docs/pricing.md", import.meta.url), "utf8");
// rows of the "Differences from genai-prices" table: | `id` | what differs | why |
const kept = new Map(
  [...docs.slice(docs.indexOf("## Differences from genai-prices")).matchAll(/^\| `([^`]+)` \| ([^|]+) \| ([^|]+) \|$/gm)].map((m) => [m[1]!, m[3]!.trim()]),
);

const base = (v: unknown): number | undefined => (v && typeof v === "object" ? (v as { base: number }).base : (v as number | undefined));
// midday: DeepSeek's off-peak discount applies around midnight UTC
const at = new Date(PRICES_DATE + "T12:00:00Z");

function compare() {
  const known: string[] = [];
  const differing = new Map<string, string>();
  for (const [id, p] of Object.entries(PRICES)) {
    const r = calcPrice({ input_tokens: 1 }, id, { timestamp: at });
    if (!r) continue;
    known.push(id);
    const m = r.model_price;
    // a rate genai-prices does not list is not compared; ours bills a missing cache rate at the input rate
    const pairs: Array<[string, number | undefined, number | undefined]> = [
      ["input", p[0], base(m.input_mtok)],
      ["output", p[1], base(m.output_mtok)],
      ["cache read", p[2] ?? p[0], base(m.cache_read_mtok)],
      ["cache write", p[3] ?? p[0], base(m.cache_write_mtok)],
    ];
    const off = pairs.filter(([, ours, theirs]) => theirs !== undefined && Math.abs(ours! - theirs) > 1e-9);
    if (off.length) differing.set(id, `${r.provider.id}/${r.model.id}: ` + off.map(([n, o, t]) => `${n} ${o} vs ${t}`).join(", "));
  }
  return { known, differing };
}

describe("prices vs @pydantic/genai-prices", () => {
  const { known, differing } = compare();

  it("covers most of the table", () => {
    console.log(`[prices] ${known.length} of ${Object.keys(PRICES).length} models known to genai-prices; ${differing.size} differ on purpose`);
    expect(known.length).toBeGreaterThan(90);
  });

  it("every difference is kept on purpose, with a reason in docs/pricing.md", () => {
    const unexplained = [...differing].filter(([id]) => !kept.has(id)).map(([id, what]) => `${id} (${what})`);
    expect(unexplained, "fix the table or list the difference in docs/pricing.md").toEqual([]);
    for (const [id, why] of kept) expect(why.length, id).toBeGreaterThan(20);
  });

  it("docs/pricing.md lists no difference that is gone (stale rows)", () => {
    expect([...kept.keys()].filter((id) => !differing.has(id))).toEqual([]);
  });
});
