// A document as Druid's protobuf reader sees it: the JSON is read into the message (proto3 JSON parsing),
// then printed back the way protobuf-java's JsonFormat printer does before Druid flattens it: lowerCamelCase
// JSON names, enum names, 64-bit integers as strings, Timestamp/Duration as strings, wrappers as their value,
// and fields holding their default value ("", 0, false, the zero enum, empty lists) left out.
import * as protobuf from "protobufjs";
import { javaText, ProtoJsonError, scalar, scalarIsDefault, type J } from "./proto-json-scalars";
import { duration, timestamp } from "./proto-json-time";

export { ProtoJsonError };

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
      // (a oneof member, proto3 optional included, is printed even when it holds its default)
      explicitPresence: !!field.partOf || (field as unknown as { hasPresence?: boolean }).hasPresence === true || field.options?.proto3_optional === true,
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

/** A field given in the document and left out of the printed message (null, or proto3's default). */
const LEFT_OUT = Symbol("left out");

/** A message value (JSON object) → its printed form, fields in field-number order as JsonFormat prints them. */
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
  const oneofs = plan.type.oneofsArray.filter((o) => o.fieldsArray.length > 1);
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
    // A oneof of two fields or more: a second member set is refused (the first null or absent is not set).
    const oneof = fp.field.partOf && fp.field.partOf.fieldsArray.length > 1 ? oneofs.indexOf(fp.field.partOf) : -1;
    const claim =
      oneof < 0
        ? ""
        : `if (o${oneof} !== undefined) throw pathed(new Failure(${lit(`field ${fp.field.name} of oneof ${fp.field.partOf!.name}: another field of it is already set`)}), "." + k);\no${oneof} = ${i};\n`;
    // Given again under its other name: refused only when the first set it (to a value proto3 prints), as
    // JsonFormat's builder.hasField says.
    cases +=
      `case ${i}:\nif (${f} !== undefined && ${f} !== LEFT_OUT) throw pathed(new Failure(${lit(`field ${fp.field.name} given twice`)}), "." + k);\n${f} = LEFT_OUT;\n` +
      (fp.keepsNull ? "" : `if (x === null) break;\n`) +
      `try {\n${read}} catch (e) {\nthrow pathed(e, ${lit(`.${fp.json}`)});\n}\nif (p !== undefined) {\n${claim}${f} = p;\nany = true;\n}\nbreak;\n`;
    print +=
      fp.json === "__proto__"
        ? `if (${f} !== undefined && ${f} !== LEFT_OUT) Object.defineProperty(out, "__proto__", { value: ${f}, enumerable: true, writable: true, configurable: true });\n`
        : `if (${f} !== undefined && ${f} !== LEFT_OUT) out[${lit(fp.json)}] = ${f};\n`;
  });
  const consts = fields.map((fp, i) => (fp.shape === "map" ? `const FIELD${i} = (x) => fieldValue(F[${i}], x);\n` : `const ONE${i} = F[${i}].one, DEFAULT${i} = F[${i}].isDefault;\n`)).join("");
  const locals = [...fields.map((_, i) => `f${i}`), ...oneofs.map((_, j) => `o${j}`)];
  const type = fullName(plan.type);
  const body =
    `"use strict";\n${consts}return function convert(v) {\n` +
    `if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Failure(${lit(`${type} must be a JSON object`)});\n` +
    `${locals.length ? `let ${locals.join(", ")};\n` : ""}let any = false, p, x;\nfor (const k in v) {\nx = v[k];\nswitch (RANK.get(k)) {\n${cases}` +
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
    const keyType = (fp.field as unknown as protobuf.MapField).keyType;
    for (const k of Object.keys(v)) {
      // A key is read as its type reads the key's text ("02" is the int32 2, printed "2"; a bool key is
      // "true" or "false"); a value must not be null.
      const key = keyType === "string" ? k : String(within(`.${k}`, () => scalar(keyType, k, "$").value));
      const printed = within(`.${k}`, () => fp.one(v[k]));
      if (key === "__proto__") Object.defineProperty(out, key, { value: printed, enumerable: true, writable: true, configurable: true });
      else out[key] = printed;
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
    return converterOf(planOf(messageType))(doc as J);
  } catch (e) {
    if (e instanceof Failure) throw new ProtoJsonError(`$${e.up.reverse().join("")}`, e.reason);
    throw e;
  }
}
