// Value rules shared by every op: what counts as null under a document's globals, how numbers and
// booleans are read with its locale tokens, and how a value prints (the seed executor is Python, so a
// value turned into text prints as Python's str() would: True, None, 1.0, {'a': 1}).
import type { Globals, Json } from "./types";
import { PyDateTime, formatPyDateTime } from "./pydate";
import { pyStrip } from "./pytext";

export { pyStrip };

/** A float that JSON wrote with a fraction or exponent but that is integral (1.0, 4.2e1): kept apart from ints. */
export class PyFloat {
  constructor(readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
}

export const isPyFloat = (v: unknown): v is PyFloat => v instanceof PyFloat;

/** The numeric value of a number-like value, or null. */
export function numberOf(v: unknown): number | null {
  if (typeof v === "number") return v;
  if (v instanceof PyFloat) return v.value;
  return null;
}

export const isNumberLike = (v: unknown): boolean => typeof v === "number" || v instanceof PyFloat;
export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof PyFloat) && !(v instanceof PyDateTime);

const isBlank = (s: string) => pyStrip(s) === "";

/** The seed's null test: None, a blank string when empty_as_null, or a member of `nulls`. */
export function isNullValue(v: unknown, g: Globals): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === "string") return (g.emptyAsNull && isBlank(v)) || g.nulls.includes(v);
  if (typeof v === "object") return false;
  // Python compares 1 == "1" as false: only strings can be null tokens.
  return false;
}

/** First element that is not null per the globals (null when none). */
export function firstNonNull(list: unknown[], g: Globals): unknown {
  for (const v of list) if (!isNullValue(v, g)) return v;
  return null;
}

const INT_RE = /^[-+]?\p{Nd}+$/u;
const ASCII_INT_RE = /^[-+]?[0-9]+$/;
const ASCII_DECIMAL_RE = /^[-+]?[0-9]+\.[0-9]+$/;
const FLOAT_RE = /^[-+]?(?:(?:\d(?:_?\d)*)?\.?\d(?:_?\d)*(?:[eE][-+]?\d(?:_?\d)*)?|(?:\d(?:_?\d)*)\.(?:[eE][-+]?\d(?:_?\d)*)?|inf(?:inity)?|nan)$/i;

/** Python int() accepts any Unicode decimal digit; each Nd run of ten code points counts 0–9. */
function unicodeDigitsToAscii(s: string): string {
  return s.replace(/\p{Nd}/gu, (d) => {
    const cp = d.codePointAt(0)!;
    let start = cp;
    while (start > 0 && /\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
    return String((cp - start) % 10);
  });
}

/**
 * The seed's number reading: numbers (and booleans) as they are; strings stripped, thousands separators
 * removed, the decimal separator turned into '.', then an integer or a Python float literal; else null.
 */
export function parseNumber(v: unknown, g: Globals): number | PyFloat | boolean | null {
  if (typeof v === "boolean" || typeof v === "number" || v instanceof PyFloat) return v;
  if (v === null || v === undefined) return null;
  let s = pyStrip(pyStr(v));
  if (s === "") return null;
  if (g.thousandsSep && s.includes(g.thousandsSep)) s = s.replaceAll(g.thousandsSep, "");
  if (g.decimalSep && g.decimalSep !== "." && s.includes(g.decimalSep)) s = s.replaceAll(g.decimalSep, ".");
  // Plain ASCII decimals, the common case, read directly (same results as the general rules below).
  if (ASCII_INT_RE.test(s)) return Number(s);
  if (ASCII_DECIMAL_RE.test(s)) {
    const n = Number(s);
    return Number.isInteger(n) ? new PyFloat(n) : n;
  }
  if (INT_RE.test(s)) return Number(unicodeDigitsToAscii(s));
  s = pyStrip(s);
  if (FLOAT_RE.test(s) && /\d|inf|nan/i.test(s)) {
    const t = s.replace(/_/g, "").toLowerCase();
    const n = /inf/.test(t) ? (t.startsWith("-") ? -Infinity : Infinity) : /nan/.test(t) ? NaN : Number(t);
    if (Number.isNaN(n) && !/nan/.test(t)) return null;
    return Number.isInteger(n) ? new PyFloat(n) : n;
  }
  return null;
}

/** Python float(str(v)) for condition comparisons; null when Python would raise. */
export function pyFloat(v: unknown): number | null {
  if (typeof v === "boolean") return v ? 1 : 0;
  const n = numberOf(v);
  if (n !== null) return n;
  if (v === null || v === undefined) return null;
  const s = pyStrip(pyStr(v)).replace(/_/g, "").toLowerCase();
  if (/^[-+]?(inf|infinity)$/.test(s)) return s.startsWith("-") ? -Infinity : Infinity;
  if (/^[-+]?nan$/.test(s)) return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(s)) return null;
  return Number(s);
}

/** The seed's boolean cast: tokens first (case-insensitive, stripped), then a number's truthiness. */
export function castBoolean(v: unknown, g: Globals): boolean | null {
  if (typeof v === "boolean") return v;
  if (v === null || v === undefined) return null;
  const s = pyStrip(pyStr(v)).toLowerCase();
  if (g.boolTrue.some((t) => t.toLowerCase() === s)) return true;
  if (g.boolFalse.some((t) => t.toLowerCase() === s)) return false;
  const n = pyFloat(s);
  return n === null ? null : n !== 0;
}

/** Python repr of a float: shortest round-trip digits, exponent form outside [1e-4, 1e16). */
export function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf";
  if (n === 0) return Object.is(n, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(n);
  if (abs >= 1e16 || abs < 1e-4) {
    const [mant, exp] = n.toExponential().split("e");
    const e = Number(exp);
    return `${mant}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  const s = String(n);
  return s.includes(".") || s.includes("e") ? s : `${s}.0`;
}

function pyRepr(v: unknown): string {
  if (typeof v === "string") {
    const q = v.includes("'") && !v.includes('"') ? '"' : "'";
    const body = v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t");
    return q + (q === "'" ? body.replace(/'/g, "\\'") : body) + q;
  }
  return pyStr(v);
}

/** Python's str() of a JSON-ish value. */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "True" : "False";
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (typeof v === "number") return Number.isInteger(v) && !Object.is(v, -0) ? (Math.abs(v) >= 1e21 ? BigInt(v).toString() : String(v)) : pyFloatRepr(v);
  if (v instanceof PyDateTime) return formatPyDateTime(v, " ");
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(", ")}]`;
  if (typeof v === "object") return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(", ")}}`;
  return String(v);
}

/** Python equality as `unique` sees it: 1 == 1.0 == True. */
export function pyHashKey(v: unknown): string {
  if (v === null || v === undefined) return "N";
  if (typeof v === "boolean") return `n:${v ? 1 : 0}`;
  const n = numberOf(v);
  if (n !== null) return `n:${n}`;
  if (typeof v === "string") return `s:${v}`;
  return `o:${pyStr(v)}`;
}

/** A value as it appears in an output document (dates serialised as the seed's API does). */
export function toJson(v: unknown): Json {
  if (v === undefined) return null;
  if (v instanceof PyFloat) return v.value;
  if (v instanceof PyDateTime) return formatPyDateTime(v, "T", true);
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (Array.isArray(v)) return v.map(toJson);
  if (v && typeof v === "object") {
    const o: Record<string, Json> = {};
    for (const [k, x] of Object.entries(v)) setOwn(o, k, toJson(x));
    return o;
  }
  return v as Json;
}

/**
 * toJson without copying what needs no change: a value, array or plain object whose members are all
 * already output-ready is returned as it is (no allocation); only the containers above a PyFloat, date,
 * undefined or non-finite number are copied. Input rows are never modified.
 */
export function toJsonShared(v: unknown): Json {
  switch (typeof v) {
    case "string":
    case "boolean":
      return v;
    case "number":
      return Number.isFinite(v) ? v : null;
    case "undefined":
      return null;
    case "object": {
      if (v === null) return null;
      if (Array.isArray(v)) {
        let out: Json[] | null = null;
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          const y = toJsonShared(x);
          if (out) out.push(y);
          // (a hole reads as undefined and becomes null, so it is copied like any changed member)
          else if (y !== x) {
            out = v.slice(0, i) as Json[];
            out.push(y);
          }
        }
        return (out ?? v) as Json;
      }
      if (Object.getPrototypeOf(v) !== Object.prototype) return toJson(v);
      const o = v as Record<string, unknown>;
      let copy: Record<string, Json> | null = null;
      for (const k in o) {
        const x = o[k];
        const y = toJsonShared(x);
        if (copy) setOwn(copy, k, y);
        else if (y !== x) {
          copy = {};
          for (const k2 in o) {
            if (k2 === k) break;
            setOwn(copy, k2, o[k2]);
          }
          setOwn(copy, k, y);
        }
      }
      return (copy ?? o) as Json;
    }
    default:
      return toJson(v);
  }
}

/** Sets an own property, even one named __proto__ (a document key is data, never a prototype). */
export function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === "__proto__") Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}
