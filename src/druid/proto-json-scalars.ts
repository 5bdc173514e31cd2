// proto3 JSON scalars as protobuf-java's JsonFormat reads them (its parseInt32, parseInt64, parseDouble, …
// over Gson's getAsString) and prints them: integers in their type's range from decimal text, 64-bit ones
// printed as strings; doubles and floats printed as floats; booleans, strings and bytes from their text.
import { PyFloat, pyFloatRepr } from "../dsl/values";

export class ProtoJsonError extends Error {
  constructor(readonly path: string, message: string) {
    super(`${path || "$"}: ${message}`);
    this.name = "ProtoJsonError";
  }
}

export type J = null | boolean | number | string | J[] | { [k: string]: J };

/** An integer as JsonFormat prints it, within every 64-bit range, zero aside. */
const SHORT_INTEGER = /^-?[1-9]\d{0,14}$/;
const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * The integer a text holds as protobuf-java reads it for an integer field (Integer/Long.parseLong, else a
 * BigDecimal with no fraction left: "+5", "1.0" and "1e3" are integers, "1.5" and " 4" are not); null
 * when it holds none. An exponent that could only give a number far out of any 64-bit range gives null.
 */
function exactInteger(text: string): bigint | null {
  const m = DECIMAL_TEXT.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return null;
  const fraction = m[3] ?? "";
  const exponent = (m[4] === undefined ? 0 : Number(m[4])) - fraction.length;
  let digits = `${m[2]}${fraction}`.replace(/^0+(?=\d)/, "");
  if (exponent < 0) {
    const dropped = digits.slice(exponent);
    if (/[^0]/.test(dropped.padStart(-exponent, "0"))) return null;
    digits = digits.slice(0, exponent) || "0";
  } else if (digits !== "0") {
    if (digits.length + exponent > 40) return null;
    digits += "0".repeat(exponent);
  }
  const n = BigInt(digits);
  return m[1] === "-" ? -n : n;
}

/**
 * A JSON value as Gson's getAsString gives it to JsonFormat's scalar readers: a string as is, a number
 * or boolean as its text, a one-element array as its element; null for anything else (which JsonFormat
 * refuses). An integral number written with a fraction (1.0) reads as that number.
 */
export function javaText(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v instanceof PyFloat) return pyFloatRepr(v.value); // (written with a fraction: 1.0 reads "1.0", as most write it)
  if (Array.isArray(v) && v.length === 1) return javaText(v[0]);
  return null;
}

/** A JSON value's number when it is one (a number, or one in a one-element array), else null. */
function jsonNumber(v: unknown): number | null {
  if (typeof v === "number") return v;
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v) && v.length === 1) return jsonNumber(v[0]);
  return null;
}

/** An integer type's range; `wide` (64-bit) values print as strings. */
interface IntType {
  min: bigint;
  max: bigint;
  wide: boolean;
}
const int32: IntType = { min: -(2n ** 31n), max: 2n ** 31n - 1n, wide: false };
const uint32: IntType = { min: 0n, max: 2n ** 32n - 1n, wide: false };
const int64: IntType = { min: -(2n ** 63n), max: 2n ** 63n - 1n, wide: true };
const uint64: IntType = { min: 0n, max: 2n ** 64n - 1n, wide: true };
const INT_TYPES: Record<string, IntType> = { int32, sint32: int32, sfixed32: int32, uint32, fixed32: uint32, int64, sint64: int64, sfixed64: int64, uint64, fixed64: uint64 };
/** What Double.parseDouble reads (a float field's string): spaces around, a sign on NaN or Infinity, an f/d suffix. A double field's string is a BigDecimal (DECIMAL_TEXT). */
const JAVA_DOUBLE_TEXT = /^[\0-\x20]*[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)[fFdD]?)[\0-\x20]*$/;
/** Double.MAX_VALUE and Float.MAX_VALUE with JsonFormat's tolerance (1 + 1e-6) for printed values. */
const DOUBLE_LIMIT = 1.7976931348623157e308;
const FLOAT_LIMIT = 3.4028234663852886e38 * (1 + 1e-6);

/** A printed double or float: NaN and the infinities as their names, an integral value as a float (Java prints 1.0). */
function printedFloat(n: number): J {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  return (Number.isInteger(n) ? new PyFloat(n) : n) as unknown as J;
}

/** Float.toString's value: the shortest decimal that reads back as the same float32, as a double. */
function floatValue(f: number): number {
  if (!Number.isFinite(f) || f === 0) return f;
  for (let p = 1; p <= 9; p++) {
    const d = Number(f.toPrecision(p));
    if (Math.fround(d) === f) return d;
  }
  return f;
}

/** The scalar of a JSON value per its proto type, as JsonFormat reads it (parseInt32, parseDouble, …) and prints it. */
export function scalar(type: string, v: J, at: string): { value: J; isDefault: boolean } {
  const int = INT_TYPES[type];
  if (int) {
    // The common cases without BigInt: a short plain 64-bit string prints as written; a 32-bit number is itself.
    if (int.wide && typeof v === "string" && SHORT_INTEGER.test(v)) return { value: v, isDefault: false };
    if (!int.wide && typeof v === "number" && Number.isInteger(v) && v >= Number(int.min) && v <= Number(int.max)) return { value: v + 0, isDefault: v === 0 };
    const n = jsonNumber(v);
    const text = n === null ? javaText(v) : null;
    const b = n !== null ? (Number.isInteger(n) ? BigInt(n) : null) : text === null ? null : SHORT_INTEGER.test(text) ? BigInt(text) : exactInteger(text);
    if (b === null) throw new ProtoJsonError(at, `not an integer for ${type}: ${JSON.stringify(v)}`);
    if (b < int.min || b > int.max) throw new ProtoJsonError(at, `out of range for ${type}: ${b}`);
    return { value: int.wide ? b.toString() : Number(b), isDefault: b === 0n };
  }
  if (type === "double" || type === "float") {
    const text = javaText(v);
    // (JsonFormat takes these three names before any parsing, and checks no range for them)
    let n = jsonNumber(v);
    const named = n === null && (text === "NaN" || text === "Infinity" || text === "-Infinity");
    if (n === null && text !== null) {
      if (named) n = Number(text);
      else if (type === "float" ? JAVA_DOUBLE_TEXT.test(text) : DECIMAL_TEXT.test(text) && /\d/.test(text)) n = Number(text.replace(/[fFdD]?[\0-\x20]*$/, "").replace(/^[\0-\x20]*/, ""));
    }
    if (n === null) throw new ProtoJsonError(at, `not a number for ${type}: ${JSON.stringify(v)}`);
    const limit = type === "float" ? FLOAT_LIMIT : DOUBLE_LIMIT;
    if (!named && (n > limit || n < -limit)) throw new ProtoJsonError(at, `out of range for ${type}: ${JSON.stringify(v)}`);
    if (type === "float") n = floatValue(Math.fround(n));
    else if (n === 0) n = 0; // (read through a BigDecimal, which has no negative zero)
    return { value: printedFloat(n), isDefault: n === 0 && !Object.is(n, -0) };
  }
  if (type === "bool") {
    const text = javaText(v);
    if (text !== "true" && text !== "false") throw new ProtoJsonError(at, `not a boolean: ${JSON.stringify(v)}`);
    return { value: text === "true", isDefault: text === "false" };
  }
  if (type === "string") {
    const text = javaText(v);
    if (text === null) throw new ProtoJsonError(at, `not a string: ${JSON.stringify(v)}`);
    return { value: text, isDefault: text === "" };
  }
  if (type === "bytes") {
    const text = javaText(v);
    const b = text === null ? null : base64Bytes(text);
    if (b === null) throw new ProtoJsonError(at, `not base64 bytes: ${JSON.stringify(v)}`);
    return { value: b.toString("base64"), isDefault: b.length === 0 };
  }
  throw new ProtoJsonError(at, `unsupported scalar type ${type}`);
}

/**
 * Bytes as JsonFormat decodes them (Guava's base64, then base64url): one alphabet throughout, padding
 * optional, never a length of 4n+1; null when neither reads it.
 */
function base64Bytes(text: string): Buffer | null {
  const body = text.replace(/=+$/, "");
  if (body.length % 4 === 1) return null;
  if (/^[A-Za-z0-9+/]*$/.test(body) || /^[A-Za-z0-9_-]*$/.test(body)) return Buffer.from(body.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  return null;
}

/** Whether a printed scalar is its type's default (what scalar() reports as isDefault, read off the output). */
export function scalarIsDefault(type: string, printed: J): boolean {
  const int = INT_TYPES[type];
  if (int) return int.wide ? printed === "0" : printed === 0;
  if (type === "double" || type === "float") return printed instanceof PyFloat && printed.value === 0 && !Object.is(printed.value, -0);
  if (type === "bool") return printed === false;
  return printed === "";
}
