// A document as Druid's protobuf reader sees it: the JSON is read into the message (proto3 JSON parsing),
// then printed back the way protobuf-java's JsonFormat printer does before Druid flattens it: lowerCamelCase
// JSON names, enum names, 64-bit integers as strings, Timestamp/Duration as strings, wrappers as their value,
// and fields holding their default value ("", 0, false, the zero enum, empty lists) left out.
import * as protobuf from "protobufjs";
import { PyFloat, pyFloatRepr } from "../dsl/values";

export class ProtoJsonError extends Error {
  constructor(readonly path: string, message: string) {
    super(`${path || "$"}: ${message}`);
    this.name = "ProtoJsonError";
  }
}

type J = null | boolean | number | string | J[] | { [k: string]: J };

const LONG_TYPES = new Set(["int64", "uint64", "sint64", "fixed64", "sfixed64"]);
const INT_TYPES = new Set(["int32", "uint32", "sint32", "fixed32", "sfixed32"]);
const WRAPPERS: Record<string, string> = {
  "google.protobuf.DoubleValue": "double", "google.protobuf.FloatValue": "float", "google.protobuf.Int64Value": "int64",
  "google.protobuf.UInt64Value": "uint64", "google.protobuf.Int32Value": "int32", "google.protobuf.UInt32Value": "uint32",
  "google.protobuf.BoolValue": "bool", "google.protobuf.StringValue": "string", "google.protobuf.BytesValue": "bytes",
};

const fullNames = new WeakMap<protobuf.ReflectionObject, string>();
const fullName = (t: protobuf.ReflectionObject): string => {
  let name = fullNames.get(t);
  if (name === undefined) fullNames.set(t, (name = t.fullName.replace(/^\./, "")));
  return name;
};

/** An integer as JsonFormat prints it, within every 64-bit range, zero aside. */
const SHORT_INTEGER = /^-?[1-9]\d{0,14}$/;
const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * The integer a 64-bit field's string holds, as protobuf-java reads it (Long.parseLong, else a
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
function javaText(v: unknown): string | null {
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

const UINT64_MAX = 2n ** 64n - 1n;
const INT_RANGE: Record<string, [bigint, bigint]> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n], sint32: [-(2n ** 31n), 2n ** 31n - 1n], sfixed32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n], fixed32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n], sint64: [-(2n ** 63n), 2n ** 63n - 1n], sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, UINT64_MAX], fixed64: [0n, UINT64_MAX],
};
/** BigDecimal's syntax (no spaces, no NaN); Double.parseDouble also takes spaces around and an f/d suffix. */
const JAVA_DOUBLE_TEXT = /^[\s\0-\x20]*[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)[fFdD]?)[\0-\x20]*$/;
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
function scalar(type: string, v: J, at: string): { value: J; isDefault: boolean } {
  const range = INT_RANGE[type];
  if (range) {
    const n = jsonNumber(v);
    const text = javaText(v);
    const b = n !== null ? (Number.isInteger(n) ? BigInt(n) : null) : text === null ? null : SHORT_INTEGER.test(text) ? BigInt(text) : exactInteger(text);
    if (b === null) throw new ProtoJsonError(at, `not an integer for ${type}: ${JSON.stringify(v)}`);
    if (b < range[0] || b > range[1]) throw new ProtoJsonError(at, `out of range for ${type}: ${b}`);
    const wide = range[1] > 2n ** 32n;
    return { value: wide ? b.toString() : Number(b), isDefault: b === 0n };
  }
  if (type === "double" || type === "float") {
    const text = javaText(v);
    let n = jsonNumber(v);
    if (n === null) {
      if (text === "NaN" || text === "Infinity" || text === "-Infinity") n = Number(text);
      else if (text !== null && (type === "float" ? JAVA_DOUBLE_TEXT.test(text) && !/(NaN|Infinity)/.test(text) : DECIMAL_TEXT.test(text) && /\d/.test(text))) {
        n = Number(text.replace(/[fFdD]?[\0-\x20]*$/, "").replace(/^[\0-\x20]*/, ""));
      }
    }
    if (n === null || text === null) throw new ProtoJsonError(at, `not a number for ${type}: ${JSON.stringify(v)}`);
    if (Number.isFinite(n) || jsonNumber(v) !== null) {
      const limit = type === "float" ? FLOAT_LIMIT : DOUBLE_LIMIT;
      if (!(Math.abs(n) <= limit)) throw new ProtoJsonError(at, `out of range for ${type}: ${JSON.stringify(v)}`);
    }
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

const pad = (n: number, w: number) => String(n).padStart(w, "0");

/** The nanoseconds of a fraction's digits as protobuf-java reads them: the first nine, the rest ignored. */
const fractionNanos = (digits: string): number => Number(digits.slice(0, 9).padEnd(9, "0"));

/** JsonFormat's fraction: 0, 3, 6 or 9 digits. */
function nanosText(nanos: number): string {
  if (nanos === 0) return "";
  if (nanos % 1000000 === 0) return `.${pad(nanos / 1000000, 3)}`;
  if (nanos % 1000 === 0) return `.${pad(nanos / 1000, 6)}`;
  return `.${pad(nanos, 9)}`;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
/** Seconds of Timestamp's range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z. */
const MIN_SECONDS = -62135596800;
const MAX_SECONDS = 253402300799;

/** Days from 1970-01-01 to a date of the proleptic Gregorian calendar (the one protobuf-java parses in). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/** UTC text of epoch seconds within Timestamp's range, as JsonFormat prints it (fraction added by the caller). */
function utcText(sec: number): string {
  const days = Math.floor(sec / 86400);
  let rest = sec - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const mi = Math.floor(rest / 60);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(rest - mi * 60, 2)}`;
}

const digitAt = (v: string, i: number): number => {
  const c = v.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : NaN; // (a non-digit makes its field NaN, which fails every range test below)
};

/**
 * Whether JsonFormat prints this Timestamp exactly as written: YYYY-MM-DDTHH:MM:SS in range and in UTC
 * ("Z"), with no fraction or with 3 digits that are not all zero. Most rows' timestamps are; they are
 * checked here character by character, without a match or a copy.
 */
function printsAsWritten(v: string): boolean {
  const n = v.length;
  if ((n !== 20 && n !== 24) || v.charCodeAt(n - 1) !== 90 /* Z */) return false;
  if (v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || v.charCodeAt(10) !== 84 || v.charCodeAt(13) !== 58 || v.charCodeAt(16) !== 58) return false;
  const y = digitAt(v, 0) * 1000 + digitAt(v, 1) * 100 + digitAt(v, 2) * 10 + digitAt(v, 3);
  const mo = digitAt(v, 5) * 10 + digitAt(v, 6);
  const d = digitAt(v, 8) * 10 + digitAt(v, 9);
  const h = digitAt(v, 11) * 10 + digitAt(v, 12);
  const mi = digitAt(v, 14) * 10 + digitAt(v, 15);
  const s = digitAt(v, 17) * 10 + digitAt(v, 18);
  const days = mo >= 1 && mo <= 12 ? (mo === 2 && isLeap(y) ? 29 : MONTH_DAYS[mo - 1]) : 0;
  if (!(y >= 1 && d >= 1 && d <= days && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 59)) return false;
  if (n === 20) return true;
  const ms = digitAt(v, 20) * 100 + digitAt(v, 21) * 10 + digitAt(v, 22);
  return v.charCodeAt(19) === 46 /* . */ && ms > 0;
}

/**
 * A Timestamp as protobuf-java's JsonFormat reads it and prints it (UTC, 0/3/6/9 fraction digits). Its
 * calendar is lenient and proleptic Gregorian: a field past its range carries into the next (month 13 is
 * January of the next year, day 00 the last day of the month before, 24:00 the next day); only the
 * instant must lie in Timestamp's range. The text must have the two-digit fields of RFC 3339 (Java reads
 * some shorter forms too; those are refused here). Plain arithmetic, no Date: this runs for every
 * timestamp of every row, and the common case prints its own digits back.
 */
function timestamp(v: J, at: string): J {
  if (typeof v !== "string") throw new ProtoJsonError(at, `a Timestamp must be an RFC 3339 string, got ${JSON.stringify(v)}`);
  if (printsAsWritten(v)) return v;
  const m = RFC3339.exec(v);
  if (!m) throw new ProtoJsonError(at, `not an RFC 3339 timestamp: ${JSON.stringify(v)}`);
  const y = +m[1];
  const mo = +m[2];
  const d = +m[3];
  const h = +m[4];
  const mi = +m[5];
  const s = +m[6];
  const frac = m[7];
  const nanos = frac === undefined ? 0 : fractionNanos(frac);
  const zone = m[8];
  const plain = y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= (mo === 2 && isLeap(y) ? 29 : MONTH_DAYS[mo - 1]) && h <= 23 && mi <= 59 && s <= 59;
  if (plain && zone === "Z") return `${v.slice(0, 19)}${nanosText(nanos)}Z`;
  const off = zone === "Z" ? 0 : (Number(zone.slice(1, 3)) * 3600 + Number(zone.slice(4, 6)) * 60) * (zone.charCodeAt(0) === 45 ? -1 : 1);
  const months = y * 12 + mo - 1;
  const yy = Math.floor(months / 12);
  const sec = (daysFromCivil(yy, months - yy * 12 + 1, 1) + d - 1) * 86400 + h * 3600 + mi * 60 + s - off;
  if (sec < MIN_SECONDS || sec > MAX_SECONDS) throw new ProtoJsonError(at, `timestamp out of range: ${JSON.stringify(v)}`);
  return `${utcText(sec)}${nanosText(nanos)}Z`;
}

function duration(v: J, at: string): J {
  const m = typeof v === "string" ? /^(-)?(\d+)(?:\.(\d+))?s$/.exec(v) : null;
  if (!m) throw new ProtoJsonError(at, `not a Duration string: ${JSON.stringify(v)}`);
  const nanos = fractionNanos(m[3] ?? "");
  const secs = BigInt(m[2]);
  if (secs === 0n && nanos === 0) return "0s";
  return `${m[1] && (secs !== 0n || nanos !== 0) ? "-" : ""}${secs}${nanosText(nanos)}s`;
}

/**
 * A failure deep in a document: the reason, and the path segments from the failing value up, added as
 * the error passes each level (so no path text is built for the documents that convert).
 */
class Failure {
  readonly up: string[] = [];
  constructor(readonly reason: string) {}
}

/** Runs `fn`, adding `segment` to the path of a failure it throws (or turning a ProtoJsonError into one). */
function within<T>(segment: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw pathed(e, segment);
  }
}

function pathed(e: unknown, segment: string): unknown {
  if (e instanceof Failure) {
    e.up.push(segment);
    return e;
  }
  if (e instanceof ProtoJsonError) {
    // Thrown by the scalar readers with the path "$" they were given: the reason follows "$: ".
    const f = new Failure(e.message.slice(3));
    f.up.push(segment);
    return f;
  }
  return e;
}

/** How one field of a message type is read and printed; built once per type. */
interface FieldPlan {
  field: protobuf.Field;
  json: string;
  /** Field-number order: where the value goes in the printed message. */
  rank: number;
  /** null is a value, not an absent field (google.protobuf.Value). */
  keepsNull: boolean;
  /** The printed value of one element (or of the field itself when it is singular). */
  one: (v: J) => J;
  /** Whether a singular printed value is the type's default, which proto3 leaves out. */
  isDefault: (printed: J) => boolean;
  shape: "map" | "list" | "single";
  explicitPresence: boolean;
}

interface MessagePlan {
  type: protobuf.Type;
  /** Fields by proto name and JSON name. */
  byName: Map<string, FieldPlan>;
  /** Fields in field-number order. */
  ordered: FieldPlan[];
  /** The message's converter, generated on first use (converterOf). */
  convert?: (v: J) => { [k: string]: J };
}
const plans = new WeakMap<protobuf.Type, MessagePlan>();

function planOf(type: protobuf.Type): MessagePlan {
  let plan = plans.get(type);
  if (plan) return plan;
  const byName = new Map<string, FieldPlan>();
  const ordered: FieldPlan[] = [];
  plan = { type, byName, ordered };
  // Registered before the fields are planned: a message type may contain itself.
  plans.set(type, plan);
  const sorted = [...type.fieldsArray].sort((a, b) => a.id - b.id);
  sorted.forEach((field, rank) => {
    const fp: FieldPlan = {
      field,
      json: jsonName(field),
      rank,
      keepsNull: !!field.resolvedType && fullName(field.resolvedType) === "google.protobuf.Value",
      ...elementReader(field),
      shape: field instanceof protobuf.MapField ? "map" : field.repeated ? "list" : "single",
      explicitPresence: (field as unknown as { hasPresence?: boolean }).hasPresence === true || field.options?.proto3_optional === true,
    };
    ordered.push(fp);
  });
  for (const f of type.fieldsArray) {
    const fp = ordered.find((x) => x.field === f)!;
    byName.set(f.name, fp);
    byName.set(fp.json, fp);
  }
  return plan;
}

const never = () => false;

/** The element reader of a field and its default test, by the field's resolved type. */
function elementReader(f: protobuf.Field): { one: (v: J) => J; isDefault: (printed: J) => boolean } {
  const rt = f.resolvedType;
  if (rt instanceof protobuf.Enum) {
    const zero = enumName(rt, 0) ?? 0;
    return {
      // A name, else a number as an int32 field reads it (proto3 enums are open: any int32 is a value).
      one: (v) => {
        let num: number | undefined = typeof v === "string" && Object.prototype.hasOwnProperty.call(rt.values, v) ? rt.values[v] : undefined;
        if (num === undefined) {
          try {
            num = scalar("int32", v, "$").value as number;
          } catch {
            throw new Failure(`${JSON.stringify(v)} is not a value of enum ${fullName(rt)}`);
          }
        }
        return enumName(rt, num) ?? num;
      },
      // An enum number prints as its first name, so the zero value prints as exactly this.
      isDefault: (printed) => printed === zero,
    };
  }
  if (rt instanceof protobuf.Type) {
    const full = fullName(rt);
    if (full === "google.protobuf.Timestamp") return { one: (v) => timestamp(v, "$"), isDefault: never };
    if (full === "google.protobuf.Duration") return { one: (v) => duration(v, "$"), isDefault: never };
    const wrapped = WRAPPERS[full];
    if (wrapped) return { one: (v) => scalar(wrapped, v, "$").value, isDefault: never };
    if (full === "google.protobuf.Struct" || full === "google.protobuf.Value" || full === "google.protobuf.ListValue") return { one: (v) => v, isDefault: never };
    if (full.startsWith("google.protobuf.")) {
      return {
        one: () => {
          throw new Failure(`${full} is not supported`);
        },
        isDefault: never,
      };
    }
    // (looked up on first use: the type may be this one, still being planned)
    let convert: ((v: J) => J) | undefined;
    return { one: (v) => (convert ??= converterOf(planOf(rt)))(v), isDefault: never };
  }
  const type = f.type;
  if (type === "string") {
    // The most common field type, read without going through scalar()'s chain of type tests.
    return {
      one: (v) => {
        const text = javaText(v);
        if (text === null) throw new Failure(`not a string: ${JSON.stringify(v)}`);
        return text;
      },
      isDefault: (printed) => printed === "",
    };
  }
  return { one: (v) => scalar(type, v, "$").value, isDefault: (printed) => scalarIsDefault(type, printed) };
}

/** Whether a printed scalar is its type's default (what scalar() reports as isDefault, read off the output). */
function scalarIsDefault(type: string, printed: J): boolean {
  if (LONG_TYPES.has(type)) return printed === "0";
  if (type === "double" || type === "float") return printed instanceof PyFloat && printed.value === 0 && !Object.is(printed.value, -0);
  if (INT_TYPES.has(type)) return printed === 0;
  if (type === "bool") return printed === false;
  return printed === "";
}

/** A field given in the document and left out of the printed message (null, or proto3's default). */
const LEFT_OUT = Symbol("left out");

/** A message value (JSON object) → its printed form, fields in field-number order as JsonFormat prints them. */
function message(plan: MessagePlan, v: J): { [k: string]: J } {
  return converterOf(plan)(v);
}

function converterOf(plan: MessagePlan): (v: J) => { [k: string]: J } {
  return (plan.convert ??= compileConverter(plan));
}

/**
 * A message's converter as one generated function, so that every row's message costs one call and a
 * switch rather than a lookup and two indirect calls per member. Per member, in the document's order: an
 * unknown name or a field given twice (by either name) fails at that member; null leaves the field out
 * (except for google.protobuf.Value); the value is read and printed by the field's own reader, a failure
 * gaining the field's JSON name in its path; proto3's default leaves it out. Then the printed fields in
 * field-number order. String fields and repeated fields are read in the function itself. Names enter the
 * code only as JSON string literals; no document or DSL text is evaluated.
 */
function compileConverter(plan: MessagePlan): (v: J) => { [k: string]: J } {
  const fields = plan.ordered;
  const lit = JSON.stringify;
  let cases = "";
  let print = "";
  fields.forEach((fp, i) => {
    const f = `f${i}`;
    let read: string;
    if (fp.shape === "list") {
      read =
        `if (!Array.isArray(x)) throw new Failure("a repeated field must be a JSON array");\n` +
        `if (x.length === 0) p = undefined;\nelse {\nconst o = new Array(x.length);\n` +
        `for (let j = 0; j < x.length; j++) {\ntry {\no[j] = ONE${i}(x[j]);\n} catch (e) {\nthrow pathed(e, "[" + j + "]");\n}\n}\np = o;\n}\n`;
    } else if (fp.shape === "map") read = `p = FIELD${i}(x);\n`;
    else {
      const isString = fp.field.type === "string" && !fp.field.resolvedType;
      read = isString ? `p = typeof x === "string" ? x : ONE${i}(x);\n` : `p = ONE${i}(x);\n`;
      if (!fp.explicitPresence && fp.isDefault !== never) read += isString ? `if (p === "") p = undefined;\n` : `if (DEFAULT${i}(p)) p = undefined;\n`;
    }
    cases +=
      `case ${i}:\nif (${f} !== undefined) throw pathed(new Failure(${lit(`field ${fp.field.name} given twice`)}), "." + k);\n${f} = LEFT_OUT;\n` +
      (fp.keepsNull ? "" : `if (x === null) break;\n`) +
      `try {\n${read}} catch (e) {\nthrow pathed(e, ${lit(`.${fp.json}`)});\n}\nif (p !== undefined) {\n${f} = p;\nany = true;\n}\nbreak;\n`;
    print +=
      fp.json === "__proto__"
        ? `if (${f} !== undefined && ${f} !== LEFT_OUT) Object.defineProperty(out, "__proto__", { value: ${f}, enumerable: true, writable: true, configurable: true });\n`
        : `if (${f} !== undefined && ${f} !== LEFT_OUT) out[${lit(fp.json)}] = ${f};\n`;
  });
  const consts = fields.map((fp, i) => `const ONE${i} = F[${i}].one, DEFAULT${i} = F[${i}].isDefault, FIELD${i} = (x) => fieldValue(F[${i}], x);\n`).join("");
  const locals = fields.length ? `let ${fields.map((_, i) => `f${i}`).join(", ")};\n` : "";
  const type = fullName(plan.type);
  const body =
    `"use strict";\n${consts}return function convert(v) {\n` +
    `if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Failure(${lit(`${type} must be a JSON object`)});\n` +
    `${locals}let any = false, p, x;\nfor (const k in v) {\nx = v[k];\nswitch (RANK.get(k)) {\n${cases}` +
    `default:\nthrow pathed(new Failure(${lit(`message ${type} has no field '`)} + k + "'"), "." + k);\n}\n}\n` +
    `const out = {};\nif (any) {\n${print}}\nreturn out;\n};`;
  const rank = new Map([...plan.byName].map(([name, fp]) => [name, fp.rank]));
  return new Function("F", "RANK", "LEFT_OUT", "Failure", "pathed", "fieldValue", body)(fields, rank, LEFT_OUT, Failure, pathed, fieldValue) as (v: J) => { [k: string]: J };
}

/** One field's printed value, or undefined when proto3 leaves it out (default value, empty list/map). */
function fieldValue(fp: FieldPlan, v: J): J | undefined {
  if (fp.shape === "map") {
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Failure("a map field must be a JSON object");
    const out: { [k: string]: J } = {};
    let any = false;
    for (const k of Object.keys(v)) {
      out[k] = within(`.${k}`, () => fp.one(v[k]));
      any = true;
    }
    return any ? out : undefined;
  }
  if (fp.shape === "list") {
    if (!Array.isArray(v)) throw new Failure("a repeated field must be a JSON array");
    if (!v.length) return undefined;
    const out: J[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      try {
        out[i] = fp.one(v[i]);
      } catch (e) {
        throw pathed(e, `[${i}]`);
      }
    }
    return out;
  }
  const printed = fp.one(v);
  return !fp.explicitPresence && fp.isDefault(printed) ? undefined : printed;
}

const jsonNames = new WeakMap<protobuf.Field, string>();

function jsonName(f: protobuf.Field): string {
  let name = jsonNames.get(f);
  if (name === undefined) {
    const explicit = f.options?.json_name as string | undefined;
    // protobufjs keeps the .proto spelling when loaded with keepCase; derive protoc's JSON name.
    name = explicit || f.name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    jsonNames.set(f, name);
  }
  return name;
}

const enumNames = new WeakMap<protobuf.Enum, Map<number, string>>();

/** The first name declared for an enum number (aliases share numbers), as JsonFormat prints it. */
function enumName(e: protobuf.Enum, num: number): string | undefined {
  let names = enumNames.get(e);
  if (!names) {
    names = new Map();
    for (const [n, v] of Object.entries(e.values)) if (!names.has(v)) names.set(v, n);
    enumNames.set(e, names);
  }
  return names.get(num);
}

/**
 * `doc` (the message in proto3 JSON, as samples and producers write it) as Druid's protobuf reader prints
 * it before flattening. Throws ProtoJsonError (with the JSON path) for what protobuf's JSON parser rejects.
 */
export function protoJsonAsDruidSees(doc: unknown, messageType: protobuf.Type): Record<string, unknown> {
  try {
    return message(planOf(messageType), doc as J);
  } catch (e) {
    if (e instanceof Failure) throw new ProtoJsonError(`$${e.up.reverse().join("")}`, e.reason);
    throw e;
  }
}
