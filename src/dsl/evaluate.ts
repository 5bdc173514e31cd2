// The local evaluator (the seed service's dry-run): runs a compiled dataset on rows. Per row, each field
// reads its inputs, runs its pipeline and is placed at its target (containers make arrays of objects);
// then the _id is built from the raw row. Op failures are issues of the row, never a stopped batch.
import { createHash } from "node:crypto";
import { compileSelector } from "./jsonpath";
import { compileOpList, type OpCounters, type OpEnv, type OpRunner } from "./ops";
import { SeenIds, type SeenIdsOptions } from "./seen-ids";
import type { CompiledDataset, CompiledInput, CompiledOp } from "./types";
import { isPlainObject, pyStr, setOwn, toJsonShared } from "./values";

/** One problem of one row, as the seed reports it (row is 0-based in the seed; `line` is the input line). */
export interface RowIssue {
  field: string;
  code: string;
  msg: string;
}

export interface MappedDocument {
  _id: string | null;
  _source: Record<string, unknown>;
}

export type MapResult =
  | { ok: true; doc: MappedDocument; issues: RowIssue[] }
  /** The row was dropped (id_policy on_conflict: skip). */
  | { ok: false; skipped: true; issues: RowIssue[] };

export interface RunCounters extends OpCounters {
  docsIn: number;
  docsOut: number;
  docsSkipped: number;
  /** Rows with at least one issue. */
  docsWithIssues: number;
  issuesPerCode: Record<string, number>;
  /** Field → rows in which it had an issue. */
  fieldErrors: Record<string, number>;
}

export interface Evaluator {
  readonly counters: RunCounters;
  map(row: unknown): MapResult;
  /** Frees what the duplicate check keeps on disk; call when the run ends. */
  close(): void;
}

export function newOpCounters(): OpCounters {
  return { zipPadEvents: 0, objectifyRecords: 0, objectifyMissingFields: 0 };
}

export function newCounters(): RunCounters {
  return { docsIn: 0, docsOut: 0, docsSkipped: 0, docsWithIssues: 0, issuesPerCode: {}, fieldErrors: {}, ...newOpCounters() };
}

type Resolver = (row: unknown) => unknown;

/** A single value that is itself a one-element list of a list stands for the inner list ([[a, b]] → [a, b]), as in the seed. */
const unwrap = (v: unknown): unknown => (Array.isArray(v) && v.length === 1 && Array.isArray(v[0]) ? v[0] : v);

function inputResolver(input: CompiledInput): Resolver {
  const read = rawResolver(input);
  return (row) => unwrap(read(row));
}

function rawResolver(input: CompiledInput): Resolver {
  switch (input.kind) {
    case "column":
      return (row) => (isPlainObject(row) && Object.prototype.hasOwnProperty.call(row, input.name) ? row[input.name] : null);
    case "literal":
      return () => input.value;
    case "jsonpath": {
      const select = compileSelector(input.selector);
      if (input.selector.definite) return select;
      // A wildcard that matches nothing reads as missing (null); one that matches reads as a list.
      return (row) => {
        const v = select(row) as unknown[];
        return v.length === 0 ? null : v;
      };
    }
  }
}

interface FieldProgram {
  target: string;
  parts: string[];
  /** Per part: whether the path up to it (parts[0..i] joined by dots) is an array container. */
  arrayAt: boolean[];
  read: Resolver;
  run: OpRunner;
}

/** Places a value at a dotted target from part `from` on; a part that is an array container spreads a list over its objects. */
function place(node: Record<string, unknown>, parts: string[], arrayAt: boolean[], from: number, value: unknown): void {
  const last = parts.length - 1;
  for (let i = from; i <= last; i++) {
    const key = parts[i];
    if (i === last) {
      setOwn(node, key, value);
      return;
    }
    if (arrayAt[i]) {
      const existing = node[key];
      const arr = Array.isArray(existing) ? existing : [];
      if (arr !== existing) setOwn(node, key, arr);
      const values = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
      for (let j = 0; j < values.length; j++) {
        if (!isPlainObject(arr[j])) arr[j] = {};
        place(arr[j] as Record<string, unknown>, parts, arrayAt, i + 1, values[j]);
      }
      return;
    }
    const next = node[key];
    if (isPlainObject(next) && Object.prototype.hasOwnProperty.call(node, key)) node = next;
    else {
      const child: Record<string, unknown> = {};
      setOwn(node, key, child);
      node = child;
    }
  }
}

interface FieldState {
  field: string;
  issues: RowIssue[];
}

/**
 * The per-row loop over the fields as one generated function, field after field in order: each field's
 * reader, op list and placement is called from its own call site (so V8 can inline them), and a
 * one-part target is stored with its name written in the code. Per field: st.field is set, the value is
 * read, run and placed. Names are embedded with JSON.stringify; no DSL text is evaluated as code.
 */
function fieldsMapper(programs: FieldProgram[], st: FieldState): (row: unknown, source: Record<string, unknown>) => void {
  let body = "";
  programs.forEach((p, i) => {
    // Values are made output-ready as they are placed (no copy of the document afterwards), except under
    // _id, which is read as Python prints the raw value and never output.
    const ready = p.parts[0] === "_id" ? "" : "J";
    body += `st.field = T[${i}];\nv = ${ready}(F${i}(R${i}(row)));\n`;
    body +=
      p.parts.length === 1 && p.parts[0] !== "__proto__"
        ? `source[${JSON.stringify(p.parts[0])}] = v;\n` // what place() does with a one-part target
        : `place(source, PARTS[${i}], ARRAY_AT[${i}], 0, v);\n`;
  });
  const consts = programs.map((_, i) => `const R${i} = R[${i}], F${i} = F[${i}];\n`).join("");
  const make = new Function("st", "place", "J", "T", "R", "F", "PARTS", "ARRAY_AT", `"use strict";\n${consts}return function mapFields(row, source) {\nlet v;\n${body}};`);
  return make(
    st,
    place,
    toJsonShared,
    programs.map((p) => p.target),
    programs.map((p) => p.read),
    programs.map((p) => p.run),
    programs.map((p) => p.parts),
    programs.map((p) => p.arrayAt),
  );
}

/** One row mapped, before the duplicate check: what a worker thread can compute on its own. */
export interface MappedRow {
  id: string | null;
  source: Record<string, unknown>;
  /** The row's issues in the order they arose (the duplicate check may put a conflict first). */
  issues: RowIssue[];
}

export interface RowMapper {
  /** The op counters (zip pad events, objectify records) the mapped rows added to. */
  readonly counters: OpCounters;
  /** Selection, ops, placement and the _id; throws only on an evaluator bug. */
  mapRow(input: unknown): MappedRow;
}

/**
 * The duplicate check and the run's counting, in row order. Apart from the mapping so that rows mapped
 * on other threads are checked here, in the input's order, exactly as one thread checks them.
 */
export interface IdCheck {
  readonly counters: RunCounters;
  /** Whether the row is output (false: on_conflict: skip dropped it) and the issues it is reported with. */
  settle(row: Pick<MappedRow, "id" | "issues">): { ok: boolean; issues: RowIssue[] };
  close(): void;
}

export function createRowMapper(ds: CompiledDataset, counters: OpCounters = newOpCounters()): RowMapper {
  const arrays = new Set(ds.containers.filter((c) => c.array).map((c) => c.path));
  const resolvers = new Map<CompiledInput, Resolver>();
  const idp = ds.idPolicy;

  let row: unknown = null;
  /** The current row's issues and the field being mapped (what an issue is reported under). */
  const st: FieldState = { field: "", issues: [] };
  const issue = (code: string, msg: string) => st.issues.push({ field: st.field, code, msg });
  /** Every op list (a field's pipeline, a map/when branch) compiled once, on first use. */
  const compiledLists = new Map<CompiledOp[], OpRunner>();
  const compiledList = (ops: CompiledOp[]): OpRunner => {
    let r = compiledLists.get(ops);
    if (!r) compiledLists.set(ops, (r = compileOpList(ops, env, issue, compiledList)));
    return r;
  };
  const env: OpEnv = {
    globals: ds.globals,
    dictionaries: ds.dictionaries,
    counters,
    resolve(input) {
      let r = resolvers.get(input);
      if (!r) resolvers.set(input, (r = inputResolver(input)));
      return r(row);
    },
    runBranch: (ops, value) => compiledList(ops)(value),
  };
  const programs: FieldProgram[] = ds.fields.map((f) => {
    const readers = f.inputs.map(inputResolver);
    const read: Resolver = readers.length === 1 ? readers[0] : (row) => readers.map((r) => r(row));
    const parts = f.target.split(".");
    const arrayAt = parts.map((_, i) => arrays.has(parts.slice(0, i + 1).join(".")));
    return { target: f.target, parts, arrayAt, read, run: compiledList(f.ops) };
  });
  const mapFields = fieldsMapper(programs, st);

  return {
    counters,
    mapRow(input) {
      row = input;
      st.issues = [];
      const source: Record<string, unknown> = {};
      mapFields(row, source);
      let id: string | null = null;
      if (idp) {
        let raw = "";
        for (let i = 0; i < idp.from.length; i++) {
          const v = isPlainObject(row) ? row[idp.from[i]] : undefined;
          raw += (i ? idp.sep : "") + (v === null || v === undefined ? "" : pyStr(v));
        }
        id = idp.hash ? createHash(idp.hash).update(idp.salt + raw, "utf8").digest("hex") : raw;
      } else if ("_id" in source) {
        const v = source._id;
        id = v === null || v === undefined ? null : pyStr(v);
      }
      // (only when present: deleting a property puts the object in V8's slow dictionary mode)
      if (Object.prototype.hasOwnProperty.call(source, "_id")) delete source._id;
      return { id, source, issues: st.issues };
    },
  };
}

export function createIdCheck(ds: CompiledDataset, counters: RunCounters = newCounters(), memory: SeenIdsOptions = {}): IdCheck {
  const seenIds = new SeenIds(memory);
  const policy = ds.idPolicy?.onConflict ?? "error";
  return {
    counters,
    close: () => seenIds.close(),
    settle({ id, issues }) {
      for (let i = 0; i < issues.length; i++) {
        const field = issues[i].field;
        // once per field and row, however many issues the field had
        if (issues.findIndex((x) => x.field === field) === i) counters.fieldErrors[field] = (counters.fieldErrors[field] ?? 0) + 1;
      }
      let rowIssues = issues;
      if (id !== null && !seenIds.add(id)) {
        const conflict: RowIssue = { field: "_id", code: "E_ID_CONFLICT", msg: `duplicate _id '${id}' (policy=${policy})` };
        if (policy === "skip") {
          count([conflict]);
          counters.docsSkipped++;
          return { ok: false, issues: [conflict] };
        }
        rowIssues = [conflict, ...issues];
      }
      count(rowIssues);
      counters.docsOut++;
      return { ok: true, issues: rowIssues };
    },
  };

  function count(list: RowIssue[]): void {
    if (list.length) counters.docsWithIssues++;
    for (const i of list) counters.issuesPerCode[i.code] = (counters.issuesPerCode[i.code] ?? 0) + 1;
  }
}

/** Mapping and duplicate check on one thread: the row's whole outcome. */
export function createEvaluator(ds: CompiledDataset): Evaluator {
  const counters = newCounters();
  const mapper = createRowMapper(ds, counters);
  const ids = createIdCheck(ds, counters);
  return {
    counters,
    close: () => ids.close(),
    map(input) {
      counters.docsIn++;
      const row = mapper.mapRow(input);
      const { ok, issues } = ids.settle(row);
      return ok ? { ok, doc: { _id: row.id, _source: row.source }, issues } : { ok, skipped: true, issues };
    },
  };
}
