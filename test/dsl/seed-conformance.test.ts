// Differential suite against the mapping service itself: every case under test/seed-conformance/cases
// was recorded by running the seed's own executor and validator (see that folder's README). Here the
// same mappings and rows go through mapstack's validator and evaluator.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compileText } from "../../src/dsl/compile";
import { createEvaluator } from "../../src/dsl/evaluate";
import { parseJson } from "../../src/dsl/json-lossless";
import { SEED_DIFFERENCES } from "./seed-differences";

interface SeedCase {
  name: string;
  file: string;
  mapping: Record<string, unknown>;
  rows: unknown[];
  seed: {
    validator: { valid: boolean };
    dry_run: { docs_preview: Array<{ _id: unknown; _source: unknown }>; issues: Array<{ row: number; field: string; code: string }> } | { request_error: string };
  };
  seed_works: boolean;
  seed_bug: string | null;
}

const ROOT = path.join(__dirname, "..", "seed-conformance", "cases");
// Rows are read as the seed reads JSON (1.0 stays a float); the rest of a case with the native parser.
const cases: SeedCase[] = fs.readdirSync(ROOT).flatMap((group) =>
  fs.readdirSync(path.join(ROOT, group)).filter((f) => f.endsWith(".json")).map((f) => {
    const text = fs.readFileSync(path.join(ROOT, group, f), "utf8");
    const c = JSON.parse(text);
    const lossless = parseJson(text) as { rows: unknown[] };
    return { ...c, rows: lossless.rows, file: `${group}/${f}` };
  }),
);

interface RowVerdict {
  case: string;
  row: number;
  same: boolean;
  detail?: string;
}

const canon = (v: unknown): string => JSON.stringify(v, (_k, x) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));

/** Row-by-row comparison of mapstack's dry-run with the seed's recorded one. */
function compareRows(c: SeedCase): RowVerdict[] {
  const dry = c.seed.dry_run;
  if ("request_error" in dry) return c.rows.map((_, row) => ({ case: c.file, row, same: false, detail: `seed request error: ${dry.request_error}` }));
  const r = compileText(`${c.file}.json`, JSON.stringify(c.mapping), { dslDir: ROOT, lenient: true });
  if (!r.datasets.length) return c.rows.map((_, row) => ({ case: c.file, row, same: false, detail: `not compiled: ${r.diagnostics[0]?.message}` }));
  const ev = createEvaluator(r.datasets[0]);
  const seedDocs = [...dry.docs_preview];
  return c.rows.map((rowValue, row) => {
    const ours = ev.map(rowValue);
    const seedCodes = dry.issues.filter((i) => i.row === row).map((i) => `${i.field}:${i.code}`).sort();
    const ourCodes = ours.issues.map((i) => `${i.field}:${i.code}`).sort();
    const seedSkipped = seedCodes.some((x) => x === "_id:E_ID_CONFLICT") && (c.mapping.id_policy as { on_conflict?: string } | undefined)?.on_conflict === "skip";
    const seedDoc = seedSkipped ? null : seedDocs.shift() ?? null;
    const ourDoc = ours.ok ? ours.doc : null;
    const same = canon(seedDoc) === canon(ourDoc) && canon(seedCodes) === canon(ourCodes);
    return { case: c.file, row, same, detail: same ? undefined : `seed ${canon(seedDoc)} ${seedCodes.join(",")} | ours ${canon(ourDoc)} ${ourCodes.join(",")}` };
  });
}

describe("dry-run agreement with the seed executor", () => {
  const working = cases.filter((c) => c.seed_works);
  const verdicts = working.flatMap(compareRows);
  const same = verdicts.filter((v) => v.same).length;

  it(`is ≥ 98 % on the rows where the seed works as documented (${working.length} cases)`, () => {
    const ratio = same / verdicts.length;
    const misses = verdicts.filter((v) => !v.same);
    console.log(`seed dry-run agreement: ${same}/${verdicts.length} rows = ${(ratio * 100).toFixed(2)} %`);
    for (const m of misses.slice(0, 40)) console.log(`  ${m.case} row ${m.row}: ${m.detail}`);
    expect(verdicts.length).toBeGreaterThan(1000);
    expect(ratio).toBeGreaterThanOrEqual(0.98);
  });

  it("every case where the seed is buggy is covered by a line of the differences table", () => {
    const uncovered = cases.filter((c) => !c.seed_works).filter((c) => !SEED_DIFFERENCES.some((d) => d.covers(c)));
    expect(uncovered.map((c) => `${c.file}: ${c.seed_bug}`)).toEqual([]);
  });
});

describe("validation agreement with the seed validator", () => {
  it("gives the seed's valid/invalid verdict on every mapping, except documented differences", () => {
    const disagreements: string[] = [];
    for (const c of cases) {
      const r = compileText(`${c.file}.json`, JSON.stringify(c.mapping), { dslDir: ROOT });
      const ours = r.diagnostics.length === 0;
      if (ours === c.seed.validator.valid) continue;
      const why = SEED_DIFFERENCES.find((d) => d.validation?.(c.mapping, ours, r.diagnostics[0]?.message ?? ""));
      if (!why) disagreements.push(`${c.file}: seed ${c.seed.validator.valid ? "valid" : "invalid"}, mapstack ${ours ? "valid" : `invalid (${r.diagnostics[0]?.message})`}`);
    }
    console.log(`validator disagreements not covered by the differences table: ${disagreements.length}/${cases.length}`);
    expect(disagreements).toEqual([]);
  });
});
