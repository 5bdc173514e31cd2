// The deliberate differences from the seed service (docs/seed-differences.md), as predicates over the
// recorded cases, so the conformance suite can tell a documented difference from a regression. Each
// line has a behaviour test in seed-differences.test.ts.
import { DSL_OPS } from "../../src/dsl/ops";

export interface Difference {
  id: string;
  covers(c: { seed_bug: string | null; mapping: Record<string, unknown> }): boolean;
  /** For validator verdicts: true when this difference explains mapstack's verdict on the mapping. */
  validation?(mapping: Record<string, unknown>, mapstackValid: boolean, firstProblem: string): boolean;
}

type Raw = Record<string, unknown>;

function* opsOf(mapping: Raw): Generator<Raw> {
  const walk = function* (ops: unknown): Generator<Raw> {
    if (!Array.isArray(ops)) return;
    for (const o of ops) {
      if (!o || typeof o !== "object") continue;
      yield o as Raw;
      yield* walk((o as Raw).then);
      yield* walk((o as Raw).else);
    }
  };
  for (const f of (mapping.fields as Raw[] | undefined) ?? []) yield* walk(f?.pipeline);
}

/** Whether the mapping uses a spelling the seed's executor or docs accept but its schema rejects (read from the op catalogue). */
function usesVariant(mapping: Raw): boolean {
  for (const o of opsOf(mapping)) {
    const spec = DSL_OPS.find((s) => s.name === o.op || s.aliases.includes(String(o.op)));
    if (!spec) continue;
    if (spec.aliases.includes(String(o.op))) return true;
    if (spec.name === "dict" && "name" in o) return true;
    for (const [k, v] of Object.entries(o)) {
      const p = Object.entries(spec.params).find(([name, ps]) => name === k || (ps.aliases ?? []).includes(k));
      if (p && (p[1].variant || (p[1].aliases ?? []).includes(k))) return true;
      if (spec.name === "cast" && k === "to" && !["long", "double", "boolean"].includes(String(v))) return true;
    }
  }
  for (const f of (mapping.fields as Raw[] | undefined) ?? []) {
    if (f && ("normalizer" in f || "multi_fields" in f || "options" in f)) return true;
    if (f && ["standard", "simple", "whitespace", "keyword", "english", "french"].includes(String(f.analyzer))) return true;
    if (f && (f.type === "object" || f.type === "nested")) return true;
    if (f && Array.isArray(f.input) && f.input.some((i: Raw) => i?.kind === "literal" && i.value === null)) return true;
  }
  return false;
}

const bug = (marker: string) => (c: { seed_bug: string | null }) => (c.seed_bug ?? "").includes(marker);

export const SEED_DIFFERENCES: Difference[] = [
  { id: "variants", covers: bug("§8 op parameters"), validation: (m, ok) => ok && usesVariant(m) },
  { id: "docs-ops", covers: (c) => bug("§8 op the docs show")(c) || bug("§8 regex_replace without")(c) },
  // mapstack reports at validate time what the seed only meets at run time (or never).
  {
    id: "stricter-validate",
    covers: () => false,
    validation: (_m, ok, why) => !ok && /bad regular expression|bad JSONPath|time zone|condition object|is inside|input \(it takes|input needs|E_NULL_VALUE_INVALID_TYPE|unknown op/.test(why),
  },
  { id: "when", covers: bug("§9.1") },
  { id: "zip-objectify", covers: bug("§9.2") },
  { id: "dict-name", covers: bug("§9.3") },
  { id: "cast-numeric", covers: bug("§9.4") },
  { id: "date-parse-keys", covers: bug("§9.5") },
  { id: "hash-phonetic-algorithm", covers: bug("§9.6") },
  { id: "wildcard-list", covers: bug("§9.7") },
  { id: "geo-list", covers: bug("§9.8") },
  { id: "containers", covers: bug("§9.9") },
  { id: "id-conflicts", covers: bug("§9.11") },
  { id: "sort-unique", covers: bug("§9.12") },
  { id: "matches-short-form", covers: bug("§9.13") },
  { id: "java-date-formats", covers: bug("§9.15") },
  { id: "request-errors", covers: bug("request fails") },
];
