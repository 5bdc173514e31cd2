// Shared helpers: build a small mapping document (JSON is YAML), compile it, run rows through it.
import * as path from "node:path";
import { compileText, type CompileResult } from "../../src/dsl/compile";
import { formatDiagnostic } from "../../src/dsl/diagnostics";
import { createEvaluator, type MapResult, type RunCounters } from "../../src/dsl/evaluate";
import type { CompiledDataset } from "../../src/dsl/types";

export const REPO = path.resolve(__dirname, "..", "..");
export const DSL_DIR = path.join(REPO, "dsl");

export const GLOBALS = {
  nulls: [""], bool_true: [], bool_false: [], decimal_sep: ".", thousands_sep: "", date_formats: [], default_tz: "UTC", empty_as_null: true,
  preview: { sample_size: 10, seed: 1 },
};

/** A complete seed-format mapping document with these fields. */
export function mappingDoc(fields: object[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { globals, ...rest } = extra as { globals?: Record<string, unknown> };
  return { dsl_version: "2.2", index: "t", globals: { ...GLOBALS, ...(globals ?? {}) }, id_policy: { from: ["id"], op: "concat", sep: ":", on_conflict: "error" }, fields, ...rest };
}

export function datasetText(fields: object[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify(mappingDoc(fields, extra), null, 2);
}

export function compileYaml(text: string | Uint8Array, file = path.join(DSL_DIR, "t.yaml")): CompileResult {
  return compileText(file, text, { dslDir: DSL_DIR });
}

/** Compiles or throws with every diagnostic (so a test shows why a dataset it expects to be valid is not). */
export function compileOk(fields: object[], extra: Record<string, unknown> = {}): CompiledDataset {
  const r = compileYaml(datasetText(fields, extra));
  if (r.diagnostics.length) throw new Error(r.diagnostics.map(formatDiagnostic).join("\n"));
  return r.datasets[0];
}

/** Diagnostics (as "line:col: message") of a dataset built from `fields`. */
export function problemsOf(fields: object[], extra: Record<string, unknown> = {}): string[] {
  return compileYaml(datasetText(fields, extra)).diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`);
}

/** Runs one field targeted `v`, reading row column `v`, over each row. */
export function runField(field: Record<string, unknown>, rows: unknown[], extra: Record<string, unknown> = {}): { results: MapResult[]; counters: RunCounters } {
  const ev = createEvaluator(compileOk([{ target: "v", type: "keyword", input: [{ kind: "column", name: "v" }], pipeline: [], ...field }], extra));
  const results = rows.map((d) => ev.map(d));
  return { results, counters: ev.counters };
}

/** The mapped value of field `v` for one row (throws when the row was skipped). */
export function valueOf(field: Record<string, unknown>, row: unknown): unknown {
  const r = runField(field, [row]).results[0];
  if (!r.ok) throw new Error("row skipped");
  return r.doc._source.v;
}
