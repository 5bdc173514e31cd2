// DSL ops → Druid native expressions (transformSpec). Each translation keeps the reference semantics of
// src/dsl/ops.ts: null passes through every op except default/coalesce, element-wise ops map over arrays.
// What Druid expressions cannot express is a compile error naming dataset, field and op, never a silent
// approximation.
import { MapstackError } from "../../dsl/diagnostics";
import type { PathKey } from "../../dsl/source";
import type { CompiledDataset, CompiledField, CompiledOp, Json } from "../../dsl/types";

/**
 * A dataset the Druid target cannot compile. It is a MapstackError (printed without a stack trace) whose
 * position is the DSL file's start; callers that can read the file refine it with `dslPath`.
 */
export class DruidCompileError extends MapstackError {
  constructor(readonly dataset: string, readonly file: string, readonly field: string, readonly detail: string, readonly dslPath: PathKey[] = []) {
    super([{ file, line: 1, col: 1, message: `dataset ${dataset}, field ${field}: ${detail}` }]);
  }
}

export function ident(column: string): string {
  return `"${column.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export function literal(v: Json): string {
  if (v === null) return "null";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(v);
  if (typeof v === "boolean") return v ? "1" : "0";
  if (typeof v === "string") return `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  throw new Error("objects and arrays have no Druid expression literal");
}

const CAST_TYPES: Record<string, string> = { string: "STRING", long: "LONG", double: "DOUBLE" };

/** Java regex for a literal separator (string_to_array splits on a regex). */
function quoteRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function dateExpr(x: string, op: Extract<CompiledOp, { op: "date" }>): string {
  const tz = literal(op.timezone || "UTC");
  const parsers = op.formats.map((f) => {
    if (f === "iso8601") return `timestamp_parse(${x}, null, ${tz})`;
    if (f === "epoch_millis") return `cast(${x}, 'LONG')`;
    if (f === "epoch_seconds") return `(cast(${x}, 'LONG') * 1000)`;
    return `timestamp_parse(${x}, ${literal(f)}, ${tz})`;
  });
  const parsed = parsers.reduceRight((acc, p) => (acc ? `nvl(${p}, ${acc})` : p), "");
  return op.to === "epoch_millis" ? parsed : `timestamp_format(${parsed}, 'yyyy-MM-dd\\'T\\'HH:mm:ss.SSS\\'Z\\'', 'UTC')`;
}

/** Expression of one element-wise op applied to a scalar expression x (null-in, null-out). */
function scalarOp(x: string, op: CompiledOp, fail: (m: string) => never): string {
  switch (op.op) {
    case "trim":
      return `trim(${x})`;
    case "lowercase":
      return `lower(${x})`;
    case "uppercase":
      return `upper(${x})`;
    case "cast":
      if (!CAST_TYPES[op.to]) fail(`op 'cast: ${op.to}' has no Druid expression (Druid has no boolean type); cast to long or string instead`);
      return `cast(${x}, '${CAST_TYPES[op.to]}')`;
    case "replace":
      return `regexp_replace(${x}, ${literal(op.pattern)}, ${literal(op.replacement)})`;
    case "map": {
      const arms = Object.entries(op.table).flatMap(([k, v]) => [`${x} == ${literal(k)}`, literal(v)]);
      return `if(isnull(${x}), null, case_searched(${[...arms, literal(op.default)].join(", ")}))`;
    }
    case "date":
      return dateExpr(x, op);
    default:
      return fail(`op '${op.op}' is not element-wise (internal)`);
  }
}

const ELEMENTWISE = new Set(["trim", "lowercase", "uppercase", "cast", "replace", "map", "date"]);

/**
 * The Druid expression computing `field` from its flattened input columns, or null when the field needs
 * no transform (one input, no ops: the flattened column is the field).
 */
export function fieldExpression(ds: CompiledDataset, field: CompiledField, inputColumns: string[]): string | null {
  const index = ds.fields.indexOf(field);
  const fail = (m: string): never => {
    throw new DruidCompileError(ds.name, ds.file, field.name, m, index >= 0 ? ["fields", index, "ops"] : []);
  };
  if (!field.ops.length && inputColumns.length === 1) return null;
  // shape tracks the value between ops as the compiler does: several inputs are "multi" until reduced.
  let shape: "single" | "array" | "multi" = inputColumns.length > 1 ? "multi" : field.inputs[0]?.definite === false ? "array" : "single";
  let expr = inputColumns.length > 1 ? "" : ident(inputColumns[0]);
  const cols = inputColumns.map(ident);
  for (const op of field.ops) {
    if (op.op === "zip" || op.op === "objectify") {
      fail(`op '${op.op}' cannot be expressed as a Druid expression; remove '${field.name}' from the druid sink (dimensions, metrics, timestamp) or drop the op`);
    }
    if (shape === "multi") {
      if (op.op === "coalesce") {
        expr = cols.reduceRight((acc, c) => (acc ? `nvl(${c}, ${acc})` : c), "");
        shape = "single";
      } else if (op.op === "concat") {
        const sep = literal(op.separator);
        expr = cols.reduce((acc, c) => (acc ? `if(isnull(${acc}), ${c}, if(isnull(${c}), ${acc}, concat(${acc}, ${sep}, ${c})))` : c), "");
        shape = "single";
      } else fail(`op '${op.op}' on several inputs has no Druid expression (only coalesce and concat combine inputs)`);
      continue;
    }
    if (op.op === "default") {
      expr = `nvl(${expr}, ${literal(op.value as Json)})`;
    } else if (op.op === "coalesce" || op.op === "concat") {
      fail(`op '${op.op}' needs several inputs`);
    } else if (op.op === "join") {
      if (shape !== "array") fail("op 'join' needs an array input");
      expr = `array_to_string(${expr}, ${literal(op.separator)})`;
      shape = "single";
    } else if (op.op === "split") {
      if (shape !== "single") fail("op 'split' needs a single string input");
      expr = `string_to_array(${expr}, ${literal(quoteRegex(op.separator))})`;
      shape = "array";
    } else if (ELEMENTWISE.has(op.op)) {
      expr = shape === "array" ? `map((v) -> ${scalarOp("v", op, fail)}, ${expr})` : scalarOp(expr, op, fail);
    } else {
      fail(`op '${(op as CompiledOp).op}' has no Druid expression`);
    }
  }
  if (shape === "multi") fail("several inputs must be combined (coalesce or concat) before Druid can ingest the field");
  return expr;
}
