// Conformance cases are written in the seed's DSL (fields with input/pipeline in raw form); this builds the
// compiled dataset from them with the op catalogue's own compile functions, so both implementations see
// exactly the CompiledOp objects a real compile produces.
import { DEFAULT_GLOBALS } from "../../src/dsl/compile";
import { parseJsonPath } from "../../src/dsl/jsonpath-parse";
import { OP_BY_NAME } from "../../src/dsl/ops";
import { DEFAULT_MONITORING, type CompiledDataset, type CompiledInput, type CompiledOp, type Globals, type Json } from "../../src/dsl/types";

export interface RawCase {
  name: string;
  globals?: Partial<Globals>;
  fields: Array<{ target: string; type?: string; input: unknown[]; pipeline?: unknown[] }>;
  containers?: Array<{ path: string; type: "object" | "nested" }>;
  id_policy?: { from: string[]; sep?: string; hash?: "sha1" | "sha256" | null; salt?: string };
  dictionaries?: Record<string, { case_insensitive?: boolean; trim_keys?: boolean; data: Record<string, Json> }>;
  /** Each row as JSON text (parsed losslessly on both sides). */
  rows: string[];
  /** The evaluator is known to differ from the seed here (reported upstream); Java is checked against `expected`. */
  evaluatorBug?: string;
  expected?: unknown[];
}

function compileInput(raw: unknown): CompiledInput | null {
  const r = raw as Record<string, unknown>;
  if (r.kind === "jsonpath") return { kind: "jsonpath", expr: String(r.expr), selector: parseJsonPath(String(r.expr)) };
  if (r.kind === "column") return { kind: "column", name: String(r.name) };
  if (r.kind === "literal") return { kind: "literal", value: (r.value ?? null) as Json };
  return null;
}

function compileOps(raw: unknown[]): CompiledOp[] {
  return raw.map((x) => {
    const r = x as Record<string, unknown>;
    const spec = OP_BY_NAME.get(String(r.op));
    if (!spec) throw new Error(`unknown op ${String(r.op)}`);
    return spec.compile(r, { compileOps: (ops) => compileOps(ops), compileInput: (i) => compileInput(i) });
  });
}

export function datasetOf(c: RawCase): CompiledDataset {
  const norm = (k: string, d: { case_insensitive?: boolean; trim_keys?: boolean }) => {
    let key = k;
    if (d.trim_keys !== false) key = key.trim();
    if (d.case_insensitive !== false) key = key.toLowerCase();
    return key;
  };
  return {
    dslVersion: "2.2",
    name: "conformance",
    description: c.name,
    file: "conformance.json",
    contentHash: "0000000000000000",
    source: { format: "json", kafkaTopic: null },
    globals: { ...DEFAULT_GLOBALS, ...c.globals },
    idPolicy: c.id_policy ? { from: c.id_policy.from, sep: c.id_policy.sep ?? ":", hash: c.id_policy.hash ?? null, salt: c.id_policy.salt ?? "", onConflict: "error" } : null,
    containers: (c.containers ?? []).map((k) => ({ path: k.path.replace(/\[\]$/, ""), type: k.type, array: k.path.endsWith("[]") || k.type === "nested" })),
    dictionaries: Object.fromEntries(
      Object.entries(c.dictionaries ?? {}).map(([n, d]) => [
        n,
        { caseInsensitive: d.case_insensitive !== false, trimKeys: d.trim_keys !== false, data: Object.fromEntries(Object.entries(d.data).map(([k, v]) => [norm(k, d), v])) },
      ]),
    ),
    fields: c.fields.map((f) => ({
      target: f.target,
      type: (f.type ?? "keyword") as "keyword",
      druidType: "string",
      inputs: f.input.map(compileInput).filter((x): x is CompiledInput => x !== null),
      ops: compileOps(f.pipeline ?? []),
      es: {},
    })),
    esSettings: {},
    dynamicTemplates: [],
    runtimeFields: {},
    sinks: { elasticsearch: { index: "conformance", mode: "rollover_alias", dynamic: "strict", version: 1, ilm: { hot: { maxAge: "30d", maxPrimaryShardSize: "50gb", maxDocs: null, priority: 100 }, warm: null, cold: null, delete: null } }, druid: null },
    monitoring: DEFAULT_MONITORING,
  };
}
