// Runtime semantics of each op: the reference every target (ES pipeline, Druid transforms) must match.
// Element-wise ops apply to each element of an array value; null (a missing path) passes through
// every op except `default` and `coalesce`, which exist to replace it.
import { dateParser, toIso, type DateParser } from "./dates";
import type { CompiledOp, Json } from "./types";

export class FieldError extends Error {
  constructor(message: string) {
    // A field error is data (one bad document among many), not a bug: capturing a stack trace would cost
    // more than mapping the document, so skip it.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}

export interface OpCounters {
  zipPadEvents: number;
  zipTruncatedValues: number;
  objectifyRecords: number;
}

export type OpFn = (value: unknown, counters: OpCounters) => unknown;

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  return `${typeof v} ${JSON.stringify(v)}`;
}

function elementwise(fn: (v: unknown) => unknown): OpFn {
  return (value) => (Array.isArray(value) ? value.map((v) => (v === null ? null : fn(v))) : value === null ? null : fn(value));
}

function stringOp(name: string, fn: (s: string) => unknown): OpFn {
  return elementwise((v) => {
    if (typeof v !== "string") throw new FieldError(`${name} expects a string, got ${describe(v)}`);
    return fn(v);
  });
}

const INT_RE = /^[+-]?\d+$/;
const NUM_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function cast(to: string): OpFn {
  return elementwise((v) => {
    switch (to) {
      case "string":
        if (typeof v === "string") return v;
        if (typeof v === "number" || typeof v === "boolean") return String(v);
        break;
      case "long":
        if (typeof v === "number" && Number.isFinite(v)) return Math.trunc(v);
        if (typeof v === "string" && INT_RE.test(v.trim())) return Number(v.trim());
        break;
      case "double":
        if (typeof v === "number") return v;
        if (typeof v === "string" && NUM_RE.test(v.trim())) return Number(v.trim());
        break;
      case "boolean":
        if (typeof v === "boolean") return v;
        if (typeof v === "string" && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === "true";
        break;
    }
    throw new FieldError(`cannot cast ${describe(v)} to ${to}`);
  });
}

function date(formats: string[], to: string): OpFn {
  const parsers = formats.map((f) => dateParser(f)).filter((p): p is DateParser => typeof p === "function");
  return elementwise((v) => {
    if (typeof v !== "string" && typeof v !== "number") throw new FieldError(`date expects a string or number, got ${describe(v)}`);
    for (const p of parsers) {
      const ms = p(v);
      if (ms !== null && Number.isFinite(ms)) return to === "epoch_millis" ? ms : toIso(ms);
    }
    throw new FieldError(`${describe(v)} matches none of the date formats [${formats.join(", ")}]`);
  });
}

function zip(mode: "pad" | "truncate", pad: Json): OpFn {
  return (value, counters) => {
    const inputs = (value as unknown[]).map((v, i) => {
      if (v === null) return [];
      if (!Array.isArray(v)) throw new FieldError(`zip input ${i + 1} is ${describe(v)}, expected an array`);
      return v;
    });
    const lengths = inputs.map((a) => a.length);
    const len = mode === "pad" ? Math.max(...lengths) : Math.min(...lengths);
    const out: unknown[][] = [];
    for (let i = 0; i < len; i++) {
      out.push(inputs.map((a) => {
        if (i < a.length) return a[i];
        counters.zipPadEvents++;
        return pad;
      }));
    }
    if (mode === "truncate") for (const l of lengths) counters.zipTruncatedValues += l - len;
    return out;
  };
}

function objectify(keys: string[]): OpFn {
  const plain = !keys.includes("__proto__");
  return (value, counters) => {
    if (value === null) return null;
    if (!Array.isArray(value)) throw new FieldError(`objectify expects an array of tuples, got ${describe(value)}`);
    return value.map((tuple, i) => {
      if (!Array.isArray(tuple)) throw new FieldError(`objectify record ${i} is ${describe(tuple)}, expected a tuple`);
      if (tuple.length !== keys.length) {
        throw new FieldError(`objectify record ${i} has ${tuple.length} values but ${keys.length} keys are declared (${keys.join(", ")})`);
      }
      const obj: Record<string, unknown> = {};
      for (let j = 0; j < keys.length; j++) {
        // A key named __proto__ must be a plain member, not the prototype: assignment would replace it.
        if (plain) obj[keys[j]] = tuple[j];
        else Object.defineProperty(obj, keys[j], { value: tuple[j], enumerable: true, writable: true, configurable: true });
      }
      counters.objectifyRecords++;
      return obj;
    });
  };
}

function asText(v: unknown, op: string): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  throw new FieldError(`${op} expects scalar values, got ${describe(v)}`);
}

/**
 * String.split as Java (and so Elasticsearch's split processor) does it: no match gives the string
 * itself, and trailing empty strings are dropped ("a,b," → [a, b]; "," → []).
 */
export function javaSplit(s: string, separator: string | RegExp): string[] {
  const parts = s.split(separator);
  if (parts.length === 1) return parts;
  let end = parts.length;
  while (end > 0 && parts[end - 1] === "") end--;
  return parts.slice(0, end);
}

export function compileOp(op: CompiledOp): OpFn {
  switch (op.op) {
    case "cast":
      return cast(op.to);
    case "trim":
      return stringOp("trim", (s) => s.trim());
    case "lowercase":
      return stringOp("lowercase", (s) => s.toLowerCase());
    case "uppercase":
      return stringOp("uppercase", (s) => s.toUpperCase());
    case "default": {
      const d = op.value;
      return (v) => (v === null ? d : v);
    }
    case "coalesce":
      return (v) => (v as unknown[]).find((x) => x !== null && !(Array.isArray(x) && x.length === 0)) ?? null;
    case "concat": {
      const sep = op.separator;
      return (v) => {
        const parts = (v as unknown[]).filter((x) => x !== null).map((x) => asText(x, "concat"));
        return parts.length ? parts.join(sep) : null;
      };
    }
    case "join": {
      const sep = op.separator;
      return (v) => {
        if (v === null) return null;
        if (!Array.isArray(v)) throw new FieldError(`join expects an array, got ${describe(v)}`);
        return v.filter((x) => x !== null).map((x) => asText(x, "join")).join(sep);
      };
    }
    case "split": {
      const sep = op.separator;
      return (v) => {
        if (v === null) return null;
        if (typeof v !== "string") throw new FieldError(`split expects a string, got ${describe(v)}`);
        return javaSplit(v, sep);
      };
    }
    case "replace": {
      const re = new RegExp(op.pattern, "g");
      const rep = op.replacement;
      return stringOp("replace", (s) => s.replace(re, rep));
    }
    case "date":
      return date(op.formats, op.to);
    case "map": {
      const table = new Map(Object.entries(op.table));
      const d = op.default;
      return elementwise((v) => {
        const key = asText(v, "map");
        return table.has(key) ? table.get(key) : d;
      });
    }
    case "zip":
      return zip(op.mode, op.pad);
    case "objectify":
      return objectify(op.keys);
  }
}
