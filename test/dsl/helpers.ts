// Shared helpers: build a small JSON-format dataset (JSON is YAML), compile it, run documents through it.
import * as path from "node:path";
import { compileText, type CompileResult } from "../../src/dsl/compile";
import { formatDiagnostic } from "../../src/dsl/diagnostics";
import { createEvaluator, type MapResult, type RunCounters } from "../../src/dsl/evaluate";
import type { CompiledDataset } from "../../src/dsl/types";

export const REPO = path.resolve(__dirname, "..", "..");
export const DSL_DIR = path.join(REPO, "dsl");

export function datasetText(fields: object[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify(
    { dsl_version: "2.1", dataset: "t", source: { format: "json" }, fields, sinks: { elasticsearch: { index: "t" } }, ...extra },
    null,
    2,
  );
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
export function problemsOf(fields: object[]): string[] {
  return compileYaml(datasetText(fields)).diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`);
}

/** Runs one field named `v` over each document. */
export function runField(field: Record<string, unknown>, ...docs: unknown[]): { results: MapResult[]; counters: RunCounters } {
  const ev = createEvaluator(compileOk([{ name: "v", type: "keyword", ...field }]));
  const results = docs.map((d) => ev.map(d));
  return { results, counters: ev.counters };
}

/** The mapped value of field `v` (undefined when the field is omitted); throws when the document fails. */
export function valueOf(field: Record<string, unknown>, doc: unknown): unknown {
  const r = runField(field, doc).results[0];
  if (!r.ok) throw new Error(`document failed: ${r.errors.map((e) => e.message).join("; ")}`);
  return r.doc.v;
}

/** The field error message of a document that must fail. */
export function failureOf(field: Record<string, unknown>, doc: unknown): string {
  const r = runField(field, doc).results[0];
  if (r.ok) throw new Error(`expected the document to fail, got ${JSON.stringify(r.doc)}`);
  return r.errors.map((e) => `${e.field}: ${e.message}`).join("; ");
}
