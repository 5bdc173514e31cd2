// A document as Druid's protobuf reader sees it: the JSON is read into the message (proto3 JSON parsing),
// then printed back the way protobuf-java's JsonFormat printer does before Druid flattens it: lowerCamelCase
// JSON names, enum names, 64-bit integers as strings, Timestamp/Duration as strings, wrappers as their value,
// and fields holding their default value ("", 0, false, the zero enum, empty lists) left out.
import * as protobuf from "protobufjs";

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

/** The scalar of a JSON value per its proto type, as printed (null for the type's default). */
function scalar(type: string, v: J, at: string): { value: J; isDefault: boolean } {
  if (LONG_TYPES.has(type)) {
    const s = typeof v === "number" ? (Number.isInteger(v) ? String(v) : "x") : typeof v === "string" ? v.trim() === v ? v : "x" : "x";
    if (!/^-?\d+$/.test(s)) throw new ProtoJsonError(at, `not an integer for ${type}: ${JSON.stringify(v)}`);
    const b = BigInt(s);
    const unsigned = type.startsWith("u") || type === "fixed64";
    if (unsigned ? b < 0n || b >= 2n ** 64n : b < -(2n ** 63n) || b >= 2n ** 63n) throw new ProtoJsonError(at, `out of range for ${type}: ${s}`);
    return { value: b.toString(), isDefault: b === 0n };
  }
  if (INT_TYPES.has(type)) {
    const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+(\.0*)?(e\d+)?$/i.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n)) throw new ProtoJsonError(at, `not an integer for ${type}: ${JSON.stringify(v)}`);
    const unsigned = type.startsWith("u") || type === "fixed32";
    if (unsigned ? n < 0 || n > 4294967295 : n < -2147483648 || n > 2147483647) throw new ProtoJsonError(at, `out of range for ${type}: ${n}`);
    return { value: n, isDefault: n === 0 };
  }
  if (type === "double" || type === "float") {
    let n: number;
    if (typeof v === "number") n = v;
    else if (v === "NaN" || v === "Infinity" || v === "-Infinity") n = Number(v);
    else if (typeof v === "string" && /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(v)) n = Number(v);
    else throw new ProtoJsonError(at, `not a number for ${type}: ${JSON.stringify(v)}`);
    if (type === "float") n = Math.fround(n);
    const printed: J = Number.isNaN(n) ? "NaN" : n === Infinity ? "Infinity" : n === -Infinity ? "-Infinity" : n;
    return { value: printed, isDefault: n === 0 && !Object.is(n, -0) };
  }
  if (type === "bool") {
    if (typeof v !== "boolean") throw new ProtoJsonError(at, `not a boolean: ${JSON.stringify(v)}`);
    return { value: v, isDefault: v === false };
  }
  if (type === "string") {
    if (typeof v !== "string") throw new ProtoJsonError(at, `not a string: ${JSON.stringify(v)}`);
    return { value: v, isDefault: v === "" };
  }
  if (type === "bytes") {
    if (typeof v !== "string") throw new ProtoJsonError(at, `not base64 bytes: ${JSON.stringify(v)}`);
    const b = Buffer.from(v.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    return { value: b.toString("base64"), isDefault: b.length === 0 };
  }
  throw new ProtoJsonError(at, `unsupported scalar type ${type}`);
}

const pad = (n: number, w: number) => String(n).padStart(w, "0");

/** JsonFormat's fraction: 0, 3, 6 or 9 digits. */
function nanosText(nanos: number): string {
  if (nanos === 0) return "";
  if (nanos % 1000000 === 0) return `.${pad(nanos / 1000000, 3)}`;
  if (nanos % 1000 === 0) return `.${pad(nanos / 1000, 6)}`;
  return `.${pad(nanos, 9)}`;
}

function timestamp(v: J, at: string): J {
  if (typeof v !== "string") throw new ProtoJsonError(at, `a Timestamp must be an RFC 3339 string, got ${JSON.stringify(v)}`);
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(v);
  if (!m) throw new ProtoJsonError(at, `not an RFC 3339 timestamp: ${JSON.stringify(v)}`);
  const nanos = Number((m[7] ?? "").padEnd(9, "0"));
  let sec = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000;
  const check = new Date(sec * 1000);
  if (check.getUTCDate() !== +m[3] || +m[4] > 23 || +m[5] > 59 || +m[6] > 59) throw new ProtoJsonError(at, `not a valid timestamp: ${JSON.stringify(v)}`);
  if (m[8] !== "Z") {
    const off = (Number(m[8].slice(1, 3)) * 3600 + Number(m[8].slice(4, 6)) * 60) * (m[8][0] === "-" ? -1 : 1);
    sec -= off;
  }
  if (sec < -62135596800 || sec > 253402300799) throw new ProtoJsonError(at, `timestamp out of range: ${JSON.stringify(v)}`);
  const d = new Date(sec * 1000);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}${nanosText(nanos)}Z`;
}

function duration(v: J, at: string): J {
  const m = typeof v === "string" ? /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(v) : null;
  if (!m) throw new ProtoJsonError(at, `not a Duration string: ${JSON.stringify(v)}`);
  const nanos = Number((m[3] ?? "").padEnd(9, "0"));
  const secs = BigInt(m[2]);
  if (secs === 0n && nanos === 0) return "0s";
  return `${m[1] && (secs !== 0n || nanos !== 0) ? "-" : ""}${secs}${nanosText(nanos)}s`;
}

/** Per message type, what every document needs: fields by proto and JSON name, and in field-number order. */
interface MessageInfo {
  byName: Map<string, protobuf.Field>;
  ordered: Array<{ field: protobuf.Field; json: string }>;
}
const messageInfo = new WeakMap<protobuf.Type, MessageInfo>();

function infoOf(type: protobuf.Type): MessageInfo {
  let info = messageInfo.get(type);
  if (!info) {
    const byName = new Map<string, protobuf.Field>();
    for (const f of type.fieldsArray) {
      byName.set(f.name, f);
      byName.set(jsonName(f), f);
    }
    const ordered = [...type.fieldsArray].sort((a, b) => a.id - b.id).map((field) => ({ field, json: jsonName(field) }));
    messageInfo.set(type, (info = { byName, ordered }));
  }
  return info;
}

/** A message value (JSON object) → its printed form; `isDefault` never holds for a present message. */
function message(type: protobuf.Type, v: J, at: string): { [k: string]: J } {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new ProtoJsonError(at, `${fullName(type)} must be a JSON object`);
  const { byName, ordered } = infoOf(type);
  const seen = new Set<protobuf.Field>();
  const values = new Map<protobuf.Field, J>();
  for (const k of Object.keys(v)) {
    const x = v[k];
    const f = byName.get(k);
    if (!f) throw new ProtoJsonError(`${at}.${k}`, `message ${fullName(type)} has no field '${k}'`);
    if (seen.has(f)) throw new ProtoJsonError(`${at}.${k}`, `field ${f.name} given twice`);
    seen.add(f);
    if (x === null && !(f.resolvedType && fullName(f.resolvedType) === "google.protobuf.Value")) continue;
    const printed = field(f, x, `${at}.${jsonName(f)}`);
    if (printed !== undefined) values.set(f, printed);
  }
  // Printed in field-number order, as JsonFormat does.
  const out: { [k: string]: J } = {};
  for (const { field: f, json } of ordered) if (values.has(f)) out[json] = values.get(f)!;
  return out;
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

/** One field's printed value, or undefined when proto3 leaves it out (default value, empty list/map). */
function field(f: protobuf.Field, v: J, at: string): J | undefined {
  const explicitPresence = (f as unknown as { hasPresence?: boolean }).hasPresence === true || f.options?.proto3_optional === true;
  if (f instanceof protobuf.MapField) {
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new ProtoJsonError(at, "a map field must be a JSON object");
    const out: { [k: string]: J } = {};
    for (const [k, x] of Object.entries(v)) out[k] = single(f, x, `${at}.${k}`, true).value;
    return Object.keys(out).length ? out : undefined;
  }
  if (f.repeated) {
    if (!Array.isArray(v)) throw new ProtoJsonError(at, "a repeated field must be a JSON array");
    const out = v.map((x, i) => single(f, x, `${at}[${i}]`, true).value);
    return out.length ? out : undefined;
  }
  const s = single(f, v, at, false);
  return s.isDefault && !explicitPresence ? undefined : s.value;
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

function single(f: protobuf.Field, v: J, at: string, inList: boolean): { value: J; isDefault: boolean } {
  const rt = f.resolvedType;
  if (rt instanceof protobuf.Enum) {
    let num: number | undefined;
    if (typeof v === "string") num = rt.values[v];
    else if (typeof v === "number" && Number.isInteger(v)) num = v;
    if (num === undefined) throw new ProtoJsonError(at, `${JSON.stringify(v)} is not a value of enum ${fullName(rt)}`);
    const name = enumName(rt, num);
    return { value: name ?? num, isDefault: num === 0 };
  }
  if (rt instanceof protobuf.Type) {
    const full = fullName(rt);
    if (full === "google.protobuf.Timestamp") return { value: timestamp(v, at), isDefault: false };
    if (full === "google.protobuf.Duration") return { value: duration(v, at), isDefault: false };
    if (WRAPPERS[full]) return { value: scalar(WRAPPERS[full], v, at).value, isDefault: false };
    if (full === "google.protobuf.Struct" || full === "google.protobuf.Value" || full === "google.protobuf.ListValue") return { value: v, isDefault: false };
    if (full.startsWith("google.protobuf.")) throw new ProtoJsonError(at, `${full} is not supported`);
    void inList;
    return { value: message(rt, v, at), isDefault: false };
  }
  return scalar(f.type, v, at);
}

/**
 * `doc` (the message in proto3 JSON, as samples and producers write it) as Druid's protobuf reader prints
 * it before flattening. Throws ProtoJsonError (with the JSON path) for what protobuf's JSON parser rejects.
 */
export function protoJsonAsDruidSees(doc: unknown, messageType: protobuf.Type): Record<string, unknown> {
  return message(messageType, doc as J, "$");
}
