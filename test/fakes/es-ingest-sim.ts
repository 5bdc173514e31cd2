// The fake cluster's POST _ingest/pipeline/_simulate: an interpreter of the ingest processors mapstack
// emits, following the documented ES semantics (ignore_missing, override, copy_from, keep, foreach,
// on_failure, _ingest.on_failure_* metadata). Painless cannot run here: script processors are dispatched on
// params.fn to line-by-line JS ports of src/targets/elasticsearch/painless.ts. What this proves is the
// pipeline's composition and native-processor mapping; the Painless text itself is golden-tested.
import { javaSplit } from "../../src/dsl/ops";
import { dateParser, toIso } from "../../src/dsl/dates";

type Obj = Record<string, any>;
const isMap = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

class ProcessorError extends Error {
  constructor(message: string, readonly type: string, readonly tag: string | undefined) {
    super(message);
  }
}

function get(doc: Obj, path: string): unknown {
  let cur: any = doc;
  for (const p of path.split(".")) {
    if (isMap(cur) && p in cur) cur = cur[p];
    else if (Array.isArray(cur) && /^\d+$/.test(p) && +p < cur.length) cur = cur[+p];
    else return undefined;
  }
  return cur;
}

function putDoc(doc: Obj, path: string, value: unknown): void {
  const parts = path.split(".");
  let cur = doc;
  for (const p of parts.slice(0, -1)) {
    if (!isMap(cur[p])) cur[p] = {};
    cur = cur[p];
  }
  cur[parts[parts.length - 1]] = value;
}

function del(doc: Obj, path: string): void {
  const parts = path.split(".");
  const parent = parts.length === 1 ? doc : get(doc, parts.slice(0, -1).join("."));
  if (isMap(parent)) delete parent[parts[parts.length - 1]];
}

/** Our `if` conditions only use ctx['a']['b'], instanceof Map, != null and == ''. */
function condition(src: string, doc: Obj): boolean {
  const js = src.replace(/(ctx(?:\['(?:[^'\\]|\\.)*'\])+) instanceof Map/g, "isMap($1)").replace(/ctx/g, "doc");
  // eslint-disable-next-line no-new-func
  return new Function("doc", "isMap", `try { return !!(${js}); } catch { return false; }`)(doc, isMap);
}

function template(v: unknown, meta: Obj): unknown {
  if (typeof v !== "string") return structuredClone(v);
  return v.replace(/\{\{\{?\s*([\w.@]+)\s*\}?\}\}/g, (_, k) => String(get(meta, k) ?? ""));
}

const strOp = (fn: (s: string) => unknown) => (v: unknown, type: string): unknown => {
  const one = (x: unknown) => {
    if (typeof x !== "string") throw new Error(`field is not a string: ${JSON.stringify(x)}`);
    return fn(x);
  };
  void type;
  return Array.isArray(v) ? v.map(one) : one(v);
};

function convert(v: unknown, type: string): unknown {
  const one = (x: unknown): unknown => {
    const s = String(x).trim();
    if (type === "string") return String(x);
    if (type === "long" || type === "integer") {
      if (!/^[+-]?\d+$/.test(s)) throw new Error(`unable to convert [${x}] to long`);
      return Number(s);
    }
    if (type === "double" || type === "float") {
      const n = Number(s);
      if (s === "" || !Number.isFinite(n) || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) throw new Error(`unable to convert [${x}] to double`);
      return n;
    }
    if (type === "boolean") {
      if (/^(true|false)$/i.test(s)) return s.toLowerCase() === "true";
      throw new Error(`[${x}] is not a boolean value, cannot convert to boolean`);
    }
    throw new Error(`unsupported convert type ${type}`);
  };
  return Array.isArray(v) ? v.map(one) : one(v);
}

const DATE_IN: Record<string, string> = { ISO8601: "iso8601", UNIX_MS: "epoch_millis", UNIX: "epoch_seconds" };

function date(v: unknown, p: Obj): unknown {
  for (const f of p.formats as string[]) {
    const parser = dateParser(DATE_IN[f] ?? f);
    if (typeof parser !== "function") continue;
    const ms = parser(typeof v === "number" ? String(v) : (v as string));
    if (ms !== null) return p.output_format === "epoch_millis" ? String(ms) : toIso(ms);
  }
  throw new Error(`unable to parse date [${v}]`);
}

// JS ports of the Painless scripts; each writes ctx._mapstack[params.field] or removes it when null.
const SCRIPTS: Record<string, (doc: Obj, params: Obj) => unknown> = {
  select: (doc, params) => {
    const children = (v: unknown): unknown[] => (Array.isArray(v) ? v : isMap(v) ? Object.values(v) : []);
    const rel = (v: unknown, path: Obj[]): unknown[] => {
      let cur: any = v;
      for (const s of path) {
        if (s.kind === "name") {
          if (!isMap(cur) || !(s.name in cur)) return [];
          cur = cur[s.name];
        } else {
          if (!Array.isArray(cur)) return [];
          const i = s.index < 0 ? cur.length + s.index : s.index;
          if (i < 0 || i >= cur.length) return [];
          cur = cur[i];
        }
      }
      return [cur];
    };
    const same = (a: unknown[], b: unknown[]) => (a.length && b.length ? a[0] === b[0] : a.length === b.length);
    const test = (n: unknown, e: Obj): boolean => {
      if (e.kind === "and") return test(n, e.left) && test(n, e.right);
      if (e.kind === "or") return test(n, e.left) || test(n, e.right);
      if (e.kind === "not") return !test(n, e.expr);
      const operand = (o: Obj) => (o.kind === "literal" ? [o.value] : rel(n, o.path));
      if (e.kind === "exists") { const r = operand(e.operand); return r.length > 0 && r[0] !== null && r[0] !== false; }
      const l = operand(e.left), r = operand(e.right);
      if (e.op === "==") return same(l, r);
      if (e.op === "!=") return !same(l, r);
      if (!l.length || !r.length || typeof l[0] !== typeof r[0] || !["number", "string"].includes(typeof l[0])) return false;
      const c = (l[0] as any) < (r[0] as any) ? -1 : (l[0] as any) > (r[0] as any) ? 1 : 0;
      return e.op === "<" ? c < 0 : e.op === "<=" ? c <= 0 : e.op === ">" ? c > 0 : c >= 0;
    };
    const step = (nodes: unknown[], s: Obj): unknown[] => nodes.flatMap((n) => {
      switch (s.kind) {
        case "name": case "index": return rel(n, [s]);
        case "names": return s.names.flatMap((k: string) => rel(n, [{ kind: "name", name: k }]));
        case "indexes": return s.indexes.flatMap((i: number) => rel(n, [{ kind: "index", index: i }]));
        case "wildcard": return children(n);
        case "filter": return children(n).filter((c) => test(c, s.expr));
        case "slice": {
          if (!Array.isArray(n)) return [];
          const len = n.length, norm = (i: number) => (i < 0 ? Math.max(len + i, 0) : Math.min(i, len)), out: unknown[] = [];
          if (s.step > 0) for (let i = s.start === null ? 0 : norm(s.start); i < (s.end === null ? len : norm(s.end)); i += s.step) out.push(n[i]);
          else for (let i = s.start === null ? len - 1 : Math.min(norm(s.start), len - 1); i > (s.end === null ? -1 : norm(s.end)); i += s.step) out.push(n[i]);
          return out;
        }
        default: throw new Error(`unsupported segment ${s.kind}`);
      }
    });
    const picked = params.selectors.map((sel: Obj) => {
      let nodes: unknown[] = [doc];
      for (const s of sel.segments) { nodes = step(nodes, s); if (!nodes.length) break; }
      return sel.definite ? (nodes.length ? nodes[0] : null) : nodes;
    });
    return params.selectors.length === 1 ? picked[0] : picked;
  },
  coalesce: (doc, p) => (doc._mapstack[p.field] as unknown[]).find((v) => v !== null && !(Array.isArray(v) && v.length === 0)) ?? null,
  concat: (doc, p) => {
    const parts = (doc._mapstack[p.field] as unknown[]).filter((v) => v !== null).map(String);
    return parts.length ? parts.join(p.separator) : null;
  },
  join: (doc, p) => {
    const v = doc._mapstack[p.field];
    if (v === null || v === undefined) return null;
    if (!Array.isArray(v)) throw new Error(`join expects an array, got ${v}`);
    return v.filter((x) => x !== null).map(String).join(p.separator);
  },
  map: (doc, p) => {
    const one = (x: unknown) => (x === null ? null : String(x) in p.table ? p.table[String(x)] : p.default);
    const v = doc._mapstack[p.field];
    return Array.isArray(v) ? v.map(one) : v === null || v === undefined ? null : one(v);
  },
  zip: (doc, p) => {
    const ins = (doc._mapstack[p.field] as unknown[]).map((v) => {
      if (v === null) return [];
      if (!Array.isArray(v)) throw new Error(`zip input is not an array: ${v}`);
      return v;
    });
    const len = p.mode === "pad" ? Math.max(0, ...ins.map((a) => a.length)) : Math.min(...ins.map((a) => a.length));
    return Array.from({ length: len }, (_, i) => ins.map((a) => (i < a.length ? a[i] : p.pad)));
  },
  objectify: (doc, p) => {
    const v = doc._mapstack[p.field];
    if (v === null || v === undefined) return null;
    return (v as unknown[]).map((t) => {
      if (!Array.isArray(t) || t.length !== p.keys.length) throw new Error(`objectify record has ${Array.isArray(t) ? t.length : 0} values but ${p.keys.length} keys are declared`);
      return Object.fromEntries(p.keys.map((k: string, j: number) => [k, t[j]]));
    });
  },
};

function run(procs: Obj[], doc: Obj, meta: Obj): void {
  for (const container of procs) {
    const [type, p] = Object.entries(container)[0] as [string, Obj];
    if (p.if && !condition(p.if, { ...doc, _ingest: meta })) continue;
    try {
      apply(type, p, doc, meta);
    } catch (e) {
      if (e instanceof ProcessorError) throw e;
      throw new ProcessorError((e as Error).message, type, p.tag);
    }
  }
}

function apply(type: string, p: Obj, doc: Obj, meta: Obj): void {
  const field = p.field as string;
  // Inside foreach, _ingest._value is the current element.
  const put = (path: string, v: unknown) => (path === "_ingest._value" ? void (meta._value = v) : putDoc(doc, path, v));
  const value = field === "_ingest._value" ? meta._value : typeof field === "string" ? get(doc, field) : undefined;
  const missing = value === undefined || value === null;
  const simple: Record<string, (v: unknown, t: string) => unknown> = {
    trim: strOp((s) => s.trim()), lowercase: strOp((s) => s.toLowerCase()), uppercase: strOp((s) => s.toUpperCase()),
    gsub: strOp((s) => s.replace(new RegExp(p.pattern, "g"), p.replacement)), convert,
  };
  if (type in simple) {
    if (missing) { if (p.ignore_missing) return; throw new Error(`field [${field}] not present as part of path [${field}]`); }
    return put(field, simple[type](value, p.type));
  }
  switch (type) {
    case "set":
      if (!p.override && p.override !== undefined && !missing) return;
      if (p.copy_from !== undefined) {
        const v = get(doc, p.copy_from);
        if (v === undefined) throw new Error(`field [${p.copy_from}] not present as part of path [${p.copy_from}]`);
        return put(field, structuredClone(v));
      }
      return put(field, template(p.value, { ...doc, _ingest: meta }));
    case "join":
      if (!Array.isArray(value)) throw new Error(`field [${field}] of type [${typeof value}] cannot be cast to [java.util.List]`);
      if (value.some((x) => x === null)) throw new Error("Cannot invoke \"Object.toString()\" because \"<parameter1>\" is null");
      return put(field, value.map(String).join(p.separator));
    case "split":
      if (missing) { if (p.ignore_missing) return; throw new Error(`field [${field}] is null`); }
      return put(field, p.preserve_trailing ? (value as string).split(new RegExp(p.separator)) : javaSplit(value as string, new RegExp(p.separator)));
    case "date":
      if (missing) throw new Error(`field [${field}] not present as part of path [${field}]`);
      return put(p.target_field ?? "@timestamp", date(value, p));
    case "foreach": {
      if (missing) { if (p.ignore_missing) return; throw new Error(`field [${field}] is null`); }
      const out: unknown[] = [];
      for (const el of value as unknown[]) {
        meta._value = el;
        run([p.processor], doc, meta);
        out.push(meta._value);
      }
      delete meta._value;
      return put(field, out);
    }
    case "remove":
      if (p.keep) {
        for (const k of Object.keys(doc)) if (k !== "_index" && k !== "_id" && !p.keep.includes(k)) delete doc[k];
        return;
      }
      if (missing && value === undefined) { if (p.ignore_missing) return; throw new Error(`field [${field}] not present`); }
      return del(doc, field);
    case "rename":
      if (value === undefined) { if (p.ignore_missing) return; throw new Error(`field [${field}] doesn't exist`); }
      del(doc, field);
      return put(p.target_field, value);
    case "script": {
      const fn = SCRIPTS[p.params?.fn];
      if (!fn) throw new Error(`fake: unknown script ${p.params?.fn}`);
      const r = fn(doc, p.params);
      if (r === null || r === undefined) delete doc._mapstack[p.params.field];
      else doc._mapstack[p.params.field] = r;
      return;
    }
    default:
      throw new Error(`fake: unsupported processor ${type}`);
  }
}

/** Response body of POST _ingest/pipeline/_simulate for `docs` ([{_index?, _id?, _source}]). */
export function simulatePipeline(pipeline: Obj, docs: Obj[]): Obj {
  return {
    docs: docs.map((d, i) => {
      const meta: Obj = { timestamp: "2024-03-04T05:06:07.890Z" };
      // Metadata lives next to the source as in ES's ctx; only `_index` is written by our pipelines.
      const doc: Obj = { ...structuredClone(d._source ?? {}), _index: d._index ?? "_index", _id: d._id ?? String(i) };
      try {
        run(pipeline.processors ?? [], doc, meta);
      } catch (e) {
        if (!(e instanceof ProcessorError)) throw e;
        if (!pipeline.on_failure?.length) return { error: { type: "illegal_argument_exception", reason: e.message } };
        // As in ES, on_failure sees the document as the failed processor left it.
        Object.assign(meta, { on_failure_message: e.message, on_failure_processor_type: e.type, on_failure_processor_tag: e.tag ?? "" });
        run(pipeline.on_failure, doc, meta);
      }
      const { _index, _id, ...source } = doc;
      return { doc: { _index, _id, _source: source, _ingest: { timestamp: meta.timestamp } } };
    }),
  };
}
