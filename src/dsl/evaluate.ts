// The local evaluator: runs a compiled dataset on documents. This is the DSL's reference semantics;
// `simulate` prints its output and the ES pipeline is checked against it.
import { compileSelector } from "./jsonpath";
import { compileOp, FieldError, type OpCounters, type OpFn } from "./ops";
import type { CompiledDataset } from "./types";

export interface FieldFailure {
  field: string;
  message: string;
}

export type MapResult = { ok: true; doc: Record<string, unknown> } | { ok: false; errors: FieldFailure[] };

export interface RunCounters extends OpCounters {
  docsIn: number;
  docsOut: number;
  docsFailed: number;
  /** Field name → number of documents in which the field failed. */
  fieldErrors: Record<string, number>;
}

interface FieldProgram {
  name: string;
  select: (doc: unknown) => unknown;
  ops: OpFn[];
}

export interface Evaluator {
  readonly counters: RunCounters;
  /** Maps one document. A field that fails makes the whole document fail (as the ES pipeline's on_failure does). */
  map(doc: unknown): MapResult;
}

export function newCounters(): RunCounters {
  return { docsIn: 0, docsOut: 0, docsFailed: 0, fieldErrors: {}, zipPadEvents: 0, zipTruncatedValues: 0, objectifyRecords: 0 };
}

export function createEvaluator(ds: CompiledDataset): Evaluator {
  const programs: FieldProgram[] = ds.fields.map((f) => {
    const selectors = f.inputs.map(compileSelector);
    const select = selectors.length === 1 ? selectors[0] : (doc: unknown) => selectors.map((s) => s(doc));
    return { name: f.name, select, ops: f.ops.map(compileOp) };
  });
  const counters = newCounters();
  return {
    counters,
    map(doc) {
      counters.docsIn++;
      const out: Record<string, unknown> = {};
      const errors: FieldFailure[] = [];
      for (const p of programs) {
        try {
          let v = p.select(doc);
          for (const op of p.ops) v = op(v, counters);
          if (v !== null && v !== undefined) out[p.name] = v;
        } catch (e) {
          if (!(e instanceof FieldError)) throw e;
          errors.push({ field: p.name, message: e.message });
          counters.fieldErrors[p.name] = (counters.fieldErrors[p.name] ?? 0) + 1;
        }
      }
      if (errors.length) {
        counters.docsFailed++;
        return { ok: false, errors };
      }
      counters.docsOut++;
      return { ok: true, doc: out };
    },
  };
}
