// Druid GitOps repository (read into memory) → one mapping document (seed DSL 2.2 with mapstack's source
// and sinks.druid) and the Pulumi settings of each environment. Every value is placed or reported: a
// transform with no exact DSL op, a column the message does not have, a per-environment value mapstack
// keeps per dataset — each is a positioned warning; unreadable or ill-typed input is a positioned error.
// Secrets (the Kafka JAAS line, S3 keys) are never copied into any output or message.
import * as protobuf from "protobufjs";
import type { Diagnostic } from "../../dsl/diagnostics";
import { MapstackError } from "../../dsl/diagnostics";
import { listMessages, loadProtoFile, lookupMessage } from "../../dsl/proto";
import { resolveDruidStackKnobs, STACK_KNOB_TYPES } from "../../targets/druid/knobs";
import { parseEnvFile, type EnvFile } from "./env-file";
import { ENV_KEYS, type SettingKind } from "./env-keys";
import { ExpressionSyntaxError, parseDruidExpression, translateExpression, type DslInput, type DslOp } from "./expression";
import { JsonSyntaxError, lineCol, parseJsonWithPositions, type JsonValue, type PositionedJson } from "./json-positions";
import type { DruidRepository, TextFile } from "./repository";

export type SettingValue = string | number | boolean | string[];

export interface StackImport {
  stack: string;
  envFile: string;
  settings: Record<string, SettingValue>;
  /** What the user still has to do for this stack (secrets never copied), as comment lines. */
  todo: string[];
}

export interface DruidImport {
  /** The mapping document, as a plain object in the order it is written. */
  document: Record<string, unknown>;
  index: string;
  /** The .proto files to copy under dsl/proto/ (relative paths in the repository's proto directory). */
  protoFiles: string[];
  protoFile: string;
  stacks: StackImport[];
  warnings: Diagnostic[];
}

/** Keys the replaced generator fills itself (not from the .env). */
const GENERATOR_VARIABLES = new Set(["PROTO_DECODER_TYPE", "PROTO_DESCRIPTOR_PATH_CLEAN", "INDEX_SPEC_JSON", "DIMENSIONS_JSON", "METRICS_JSON", "TRANSFORMS_JSON"]);
const PERIOD = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const SEGMENT = ["MINUTE", "FIFTEEN_MINUTE", "HOUR", "SIX_HOUR", "DAY", "WEEK", "MONTH", "YEAR"];
const QUERY = ["NONE", "SECOND", "MINUTE", "FIFTEEN_MINUTE", "HOUR", "DAY"];
const METRIC_TYPES = ["count", "longSum", "doubleSum", "longMin", "longMax", "doubleMin", "doubleMax", "thetaSketch", "HLLSketchBuild"];
const INDEX_SPEC_ENUMS: Record<string, string[]> = {
  dimensionCompression: ["lz4", "lzf", "zstd", "uncompressed"],
  metricCompression: ["lz4", "lzf", "zstd", "uncompressed", "none"],
  longEncoding: ["longs", "auto"],
};
const STACK_ORDER = ["prod", "production", "staging", "dev"];

type Obj = { [k: string]: JsonValue };
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const jsonPathOf = (name: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `$.${name}` : `$['${name.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}']`);
const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Template text made parseable: an unquoted `${X}` becomes the same-length string `"$X"` (positions kept). */
function parseTemplate(t: TextFile): PositionedJson {
  let out = "";
  let inString = false;
  for (let i = 0; i < t.text.length; i++) {
    const c = t.text[i];
    if (inString) {
      out += c;
      if (c === "\\") out += t.text[++i] ?? "";
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    const m = c === "$" ? /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(t.text.slice(i)) : null;
    if (m) {
      out += `"$${m[1]}"`;
      i += m[0].length - 1;
    } else out += c;
  }
  return parseJsonWithPositions(t.file, out);
}

interface ColumnSource {
  expr: string;
  /** The proto field the column reads directly (root or simple path), when known. */
  field: protobuf.Field | null;
}

export function buildDruidImport(repo: DruidRepository, opts: { stacks?: string[] } = {}): DruidImport {
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const warn = (file: string, pos: { line: number; col: number }, message: string) => warnings.push({ file, ...pos, message });
  const parse = (t: TextFile): PositionedJson | null => {
    try {
      return parseJsonWithPositions(t.file, t.text);
    } catch (e) {
      if (e instanceof JsonSyntaxError) {
        errors.push(e.diagnostic);
        return null;
      }
      throw e;
    }
  };

  // --- environments ------------------------------------------------------------------------------
  let envs = repo.envFiles;
  if (opts.stacks?.length) {
    const known = new Set(envs.map((e) => e.stack));
    const missing = opts.stacks.filter((s) => !known.has(s));
    if (missing.length) throw new MapstackError(`${missing.map((s) => `--stack ${s}`).join(", ")}: no config/${missing[0]}.env (environments: ${[...known].join(", ")})`);
    envs = envs.filter((e) => opts.stacks!.includes(e.stack));
  }
  const parsedEnvs = envs.map((e) => ({ stack: e.stack, env: parseEnvFile(e.file, e.text) }));
  for (const { env } of parsedEnvs) {
    errors.push(...env.problems);
    for (const entry of env.entries.values()) {
      if (!ENV_KEYS[entry.key]) {
        errors.push({ file: env.file, line: entry.line, col: 1, message: `unknown key ${entry.key}: not a setting of the Druid GitOps procedure mapstack imports (its keys and their mapstack settings: docs/druid.md)` });
      }
    }
  }
  const reference = [...parsedEnvs].sort((a, b) => rank(a.stack) - rank(b.stack) || a.stack.localeCompare(b.stack))[0];
  const refEnv = reference.env;

  // --- JSON config and template ------------------------------------------------------------------
  const dims = parse(repo.dimensions);
  const mets = parse(repo.metrics);
  const trans = repo.transforms ? parse(repo.transforms) : null;
  const idx = repo.indexSpec ? parse(repo.indexSpec) : null;
  let template: PositionedJson | null = null;
  if (repo.template) {
    try {
      template = parseTemplate(repo.template);
    } catch (e) {
      if (!(e instanceof JsonSyntaxError)) throw e;
      errors.push(e.diagnostic);
    }
  }
  for (const [pj, t, what] of [[dims, repo.dimensions, "dimensions"], [mets, repo.metrics, "metrics"], [trans, repo.transforms, "transforms"]] as const) {
    if (pj && !Array.isArray(pj.value)) errors.push({ file: t!.file, line: 1, col: 1, message: `${what} must be a JSON array` });
  }
  if (idx && !isObj(idx.value)) errors.push({ file: repo.indexSpec!.file, line: 1, col: 1, message: "index-spec must be a JSON object" });
  if (errors.length) throw new MapstackError(errors);

  const tmpl = template?.value;
  const spec = isObj(tmpl) && isObj(tmpl.spec) ? tmpl.spec : isObj(tmpl) ? tmpl : {};
  const ioConfig = isObj(spec.ioConfig) ? spec.ioConfig : {};
  const dataSchema = isObj(spec.dataSchema) ? spec.dataSchema : {};
  const inputFormat = isObj(ioConfig.inputFormat) ? ioConfig.inputFormat : {};
  const legacy = isObj(dataSchema.parser) && isObj(dataSchema.parser.parseSpec) ? dataSchema.parser.parseSpec.flattenSpec : undefined;
  const flattenSpec: Obj | null = isObj(inputFormat.flattenSpec) ? inputFormat.flattenSpec : isObj(legacy) ? legacy : null;
  const dimensionsSpec = isObj(dataSchema.dimensionsSpec) ? dataSchema.dimensionsSpec : {};
  const templateFile = repo.template?.file ?? "";
  const tAt = (...p: Array<string | number>) => (template ? template.at(isObj(tmpl) && isObj(tmpl.spec) ? ["spec", ...p] : p) : { line: 1, col: 1 });
  if (template) {
    // Placeholders the template uses must be keys of the .env (or filled by the generator itself).
    const walk = (v: JsonValue, p: Array<string | number>) => {
      if (typeof v === "string") {
        for (const m of v.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)) {
          if (!ENV_KEYS[m[1]] && !GENERATOR_VARIABLES.has(m[1])) warn(templateFile, template!.at(p), `placeholder \${${m[1]}} is not a key mapstack imports; its value is not carried over`);
        }
      } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
      else if (isObj(v)) for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
    };
    walk(tmpl as JsonValue, []);
  } else warn(repo.moduleDir, { line: 1, col: 1 }, "no druid-specs/templates/kafka-supervisor.json: dimension exclusions, schema discovery and flattenSpec keep mapstack's defaults");

  // --- proto message -----------------------------------------------------------------------------
  const refValue = (key: string) => refEnv.entries.get(key)?.value;
  const messageName = refValue("PROTO_MESSAGE_TYPE");
  if (!messageName) throw new MapstackError(`${refEnv.file}:1:1: PROTO_MESSAGE_TYPE is not set: the message the supervisor decodes is needed`);
  let message: protobuf.Type | null = null;
  let protoFile = "";
  const loadProblems: string[] = [];
  for (const f of repo.protoFiles) {
    const loaded = loadProtoFile(repo.protoDir, f);
    if (!loaded.ok) {
      loadProblems.push(loaded.message);
      continue;
    }
    const t = lookupMessage(loaded.root, messageName);
    if (t && t.filename && t.filename.replace(/\\/g, "/").endsWith(f)) {
      message = t;
      protoFile = f;
      break;
    }
    if (t && !message) {
      message = t;
      protoFile = f;
    }
  }
  if (!message) {
    const e = refEnv.entries.get("PROTO_MESSAGE_TYPE")!;
    throw new MapstackError([{ file: refEnv.file, line: e.line, col: e.col, message: `message ${messageName} is in none of the .proto files (${repo.protoFiles.join(", ")})${loadProblems.length ? `; ${loadProblems.join("; ")}` : ""}` }]);
  }
  const msgName = message.fullName.replace(/^\./, "");

  // --- columns → JSONPath ------------------------------------------------------------------------
  const flattenFields = new Map<string, { entry: Obj; index: number }>();
  if (flattenSpec && Array.isArray(flattenSpec.fields)) flattenSpec.fields.forEach((f: JsonValue, i: number) => isObj(f) && typeof f.name === "string" && flattenFields.set(f.name, { entry: f, index: i }));
  const discovery = !flattenSpec || flattenSpec.useFieldDiscovery !== false;
  const fieldAlong = (segments: string[]): protobuf.Field | null => {
    let t: protobuf.Type | null = message;
    let f: protobuf.Field | null = null;
    for (const s of segments) {
      if (!t) return null;
      f = t.fields[s] ?? null;
      if (!f) return null;
      f.resolve();
      t = f.resolvedType instanceof protobuf.Type && !f.repeated ? f.resolvedType : null;
    }
    return f;
  };
  /** Where Druid read column `name` from, or why it read nothing. */
  const resolveColumn = (name: string): ColumnSource | { why: string } => {
    const flat = flattenFields.get(name);
    if (flat) {
      const e = flat.entry;
      const where = `flattenSpec field '${name}'`;
      if (e.type === "root") return { expr: jsonPathOf(typeof e.expr === "string" ? e.expr : name), field: fieldAlong([typeof e.expr === "string" ? e.expr : name]) };
      if (e.type === "path" && typeof e.expr === "string") {
        const simple = /^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(e.expr) ? e.expr.slice(2).split(".") : null;
        return { expr: e.expr, field: simple ? fieldAlong(simple) : null };
      }
      if (e.type === "tree" && Array.isArray(e.nodes) && e.nodes.every((n) => typeof n === "string")) {
        const nodes = e.nodes as string[];
        return { expr: `$${nodes.map((n) => `['${n.replace(/'/g, "\\'")}']`).join("")}`, field: fieldAlong(nodes) };
      }
      return { why: `${where} is of type ${String(e.type)}, which has no JSONPath equivalent` };
    }
    if (!discovery) return { why: "the flattenSpec has no such field and field discovery is off" };
    const f = message!.fields[name];
    if (f) {
      f.resolve();
      const full = f.resolvedType instanceof protobuf.Type ? f.resolvedType.fullName.replace(/^\./, "") : "";
      if (f.resolvedType instanceof protobuf.Type && !full.startsWith("google.protobuf.")) return { why: `'${name}' is a message field; Druid's field discovery only reads scalar fields` };
      return { expr: jsonPathOf(name), field: f };
    }
    return { why: `message ${msgName} has no field with the JSON name '${name}'` };
  };

  // --- fields ------------------------------------------------------------------------------------
  type Field = { target: string; type: string; input: Array<Record<string, unknown>>; pipeline: DslOp[] };
  const fields = new Map<string, Field>();
  const transforms = new Map<string, { expression: string; at: { line: number; col: number } }>();
  if (trans && repo.transforms) {
    (trans.value as JsonValue[]).forEach((t, i) => {
      const at = trans.at([i]);
      if (!isObj(t) || typeof t.name !== "string") return warn(repo.transforms!.file, at, `transform #${i + 1} has no name: left out`);
      if (t.type !== "expression" || typeof t.expression !== "string") return warn(repo.transforms!.file, at, `transform '${t.name}' is of type ${String(t.type)}, not expression: left out`);
      transforms.set(t.name, { expression: t.expression, at: trans.at([i, "expression"]) });
    });
  }
  const protoFieldType = (f: protobuf.Field | null): string | null => {
    if (!f) return null;
    f.resolve();
    if (f.repeated) return null;
    if (f.resolvedType instanceof protobuf.Enum) return "keyword";
    if (f.resolvedType instanceof protobuf.Type) return f.resolvedType.fullName === ".google.protobuf.Timestamp" ? "keyword" : null;
    if (["double", "float"].includes(f.type)) return "double";
    if (/int|fixed/.test(f.type)) return "long";
    if (f.type === "string" || f.type === "bytes") return "keyword";
    return null;
  };
  const isStringColumn = (f: protobuf.Field | null) => {
    if (!f) return false;
    f.resolve();
    return !f.repeated && (f.type === "string" || f.resolvedType instanceof protobuf.Enum || f.resolvedType?.fullName === ".google.protobuf.Timestamp");
  };
  const inputOf = (i: DslInput, src: Map<string, ColumnSource>): Record<string, unknown> =>
    i.kind === "literal" ? { kind: "literal", value: i.value } : { kind: "jsonpath", expr: src.get(i.name)!.expr };

  /** The field writing Druid column `name` (transform output or raw column), or null with a warning. */
  const fieldFor = (name: string, typeHint: string | null, usedAt: { file: string; at: { line: number; col: number } }): Field | null => {
    const have = fields.get(name);
    if (have) return have;
    const t = transforms.get(name);
    if (t && repo.transforms) {
      let translated: ReturnType<typeof translateExpression>;
      try {
        translated = translateExpression(parseDruidExpression(t.expression));
      } catch (e) {
        if (!(e instanceof ExpressionSyntaxError)) throw e;
        translated = { ok: false, reason: `cannot read the expression (${e.message} at offset ${e.offset})` };
      }
      if (translated.ok) {
        const sources = new Map<string, ColumnSource>();
        let missing: string | null = null;
        for (const c of translated.columns) {
          const r = resolveColumn(c);
          if ("why" in r) missing = `column '${c}': ${r.why}`;
          else sources.set(c, r);
        }
        const textual = translated.ops.some((o) => o.op !== "coalesce");
        const nonString = textual ? translated.columns.find((c) => sources.has(c) && !isStringColumn(sources.get(c)!.field)) : undefined;
        if (missing) translated = { ok: false, reason: missing };
        else if (nonString) translated = { ok: false, reason: `it applies string functions to '${nonString}', which is not a string field of ${msgName} (Druid and the DSL convert other types differently)` };
        if (translated.ok) {
          const single = translated.columns.length === 1 && translated.inputs.length === 1 ? sources.get(translated.columns[0])!.field : null;
          const f: Field = { target: name, type: typeHint ?? protoFieldType(single) ?? "keyword", input: translated.inputs.map((i) => inputOf(i, sources)), pipeline: translated.ops };
          fields.set(name, f);
          return f;
        }
      }
      warn(repo.transforms.file, t.at, `transform '${name}' (${t.expression}) is left out: ${(translated as { reason: string }).reason}`);
    }
    const r = resolveColumn(name);
    if ("why" in r) {
      const alt = message!.fields[camel(name)];
      if (alt && !flattenFields.has(name)) {
        warn(usedAt.file, usedAt.at, t
          ? `column '${name}' reads the raw value $.${camel(name)} (its transform was left out)`
          : `column '${name}': Druid's protobuf reader names the field '${camel(name)}' (proto3 JSON name), so the old spec ingested '${name}' as null; the document reads $.${camel(name)}`);
        const f: Field = { target: name, type: typeHint ?? protoFieldType(alt) ?? "keyword", input: [{ kind: "jsonpath", expr: jsonPathOf(camel(name)) }], pipeline: [] };
        fields.set(name, f);
        return f;
      }
      warn(usedAt.file, usedAt.at, `column '${name}' is left out: ${r.why}${t ? " (and its transform could not be imported)" : ""}`);
      return null;
    }
    if (t) warn(usedAt.file, usedAt.at, `column '${name}' reads the raw value ${r.expr} (its transform was left out)`);
    const f: Field = { target: name, type: typeHint ?? protoFieldType(r.field) ?? "keyword", input: [{ kind: "jsonpath", expr: r.expr }], pipeline: [] };
    fields.set(name, f);
    return f;
  };

  // Timestamp
  const tsEntry = refEnv.entries.get("TIMESTAMP_COLUMN");
  if (!tsEntry?.value) throw new MapstackError(`${refEnv.file}:1:1: TIMESTAMP_COLUMN is not set: the datasource's time column is needed`);
  const tsFormatRaw = refValue("TIMESTAMP_FORMAT") ?? "auto";
  let tsFormat = tsFormatRaw;
  if (!["iso", "millis", "posix", "auto"].includes(tsFormatRaw)) {
    const e = refEnv.entries.get("TIMESTAMP_FORMAT")!;
    warn(refEnv.file, { line: e.line, col: e.col }, `TIMESTAMP_FORMAT '${tsFormatRaw}' has no sinks.druid.timestamp.format equivalent (iso, millis, posix, auto): imported as auto`);
    tsFormat = "auto";
  }
  const tsField = fieldFor(tsEntry.value, null, { file: refEnv.file, at: { line: tsEntry.line, col: tsEntry.col } });
  if (!tsField) throw new MapstackError([{ file: refEnv.file, line: tsEntry.line, col: tsEntry.col, message: `TIMESTAMP_COLUMN '${tsEntry.value}' cannot be read from ${msgName} (see the warning above)` }, ...warnings]);

  // Dimensions
  const dimensionNames: string[] = [];
  (dims!.value as JsonValue[]).forEach((d, i) => {
    const at = dims!.at([i]);
    const name = typeof d === "string" ? d : isObj(d) && typeof d.name === "string" ? d.name : null;
    if (!name) return warn(repo.dimensions.file, at, `dimension #${i + 1} has no name: left out`);
    const type = isObj(d) && typeof d.type === "string" ? d.type : "string";
    const hint = type === "string" ? "keyword" : type === "long" ? "long" : type === "float" || type === "double" ? "double" : null;
    if (!hint && type !== "auto") return warn(repo.dimensions.file, at, `dimension '${name}' of type ${type} is left out: mapstack dimensions are string, long or double`);
    if (isObj(d)) for (const k of Object.keys(d)) if (!["name", "type"].includes(k)) warn(repo.dimensions.file, dims!.at([i, k]), `dimension '${name}': '${k}' is not carried over (mapstack uses Druid's default)`);
    if (dimensionNames.includes(name)) return warn(repo.dimensions.file, at, `dimension '${name}' is listed twice: kept once`);
    if (fieldFor(name, hint, { file: repo.dimensions.file, at })) dimensionNames.push(name);
  });
  if (!dimensionNames.length) throw new MapstackError([{ file: repo.dimensions.file, line: 1, col: 1, message: "no dimension could be imported (see the warnings)" }, ...warnings]);

  // Metrics
  const metrics: Array<Record<string, unknown>> = [];
  (mets!.value as JsonValue[]).forEach((m, i) => {
    const at = mets!.at([i]);
    if (!isObj(m) || typeof m.name !== "string" || typeof m.type !== "string") return warn(repo.metrics.file, at, `metric #${i + 1} needs name and type: left out`);
    if (!METRIC_TYPES.includes(m.type)) return warn(repo.metrics.file, at, `metric '${m.name}' of type ${m.type} is left out: sinks.druid.metrics take ${METRIC_TYPES.join(", ")}`);
    if (m.type === "count") return void metrics.push({ name: m.name, type: "count" });
    if (typeof m.fieldName !== "string") return warn(repo.metrics.file, at, `metric '${m.name}' has no fieldName: left out`);
    const hint = /^long/.test(m.type) ? "long" : /^double/.test(m.type) ? "double" : null;
    const f = fieldFor(m.fieldName, hint, { file: repo.metrics.file, at: mets!.at([i, "fieldName"]) });
    if (!f) return;
    if (hint && !["long", "double"].includes(f.type)) f.type = hint;
    metrics.push({ name: m.name, type: m.type, field: f.target });
  });

  for (const [name, t] of transforms) {
    if (!fields.has(name)) warn(repo.transforms!.file, t.at, `transform '${name}' feeds no dimension, metric or timestamp: not needed`);
  }

  // --- per-dataset values of the .env files --------------------------------------------------------
  const datasetKey = (key: string): string | undefined => {
    const v = refValue(key);
    // For these keys an empty value and `null` both mean "not set" to the replaced generator.
    const norm = (x: string | undefined) => (x === "" || x === "null" ? undefined : x);
    for (const { stack, env } of parsedEnvs) {
      if (env === refEnv) continue;
      const other = env.entries.get(key);
      if (other && norm(other.value) !== norm(v)) {
        warn(env.file, { line: other.line, col: other.col }, `${key} is '${other.value}' here but '${v ?? "(unset)"}' in ${refEnv.file}: mapstack keeps ${ENV_KEYS[key].role === "dataset" ? (ENV_KEYS[key] as { what: string }).what : key} once per dataset, so stack ${stack} uses '${v ?? "(unset)"}' too`);
      }
    }
    return v;
  };
  const datasource = datasetKey("DATASOURCE_NAME");
  if (!datasource) throw new MapstackError(`${refEnv.file}:1:1: DATASOURCE_NAME is not set`);
  const topic = datasetKey("KAFKA_TOPIC");
  if (!topic) throw new MapstackError(`${refEnv.file}:1:1: KAFKA_TOPIC is not set`);
  datasetKey("PROTO_MESSAGE_TYPE");
  datasetKey("TIMESTAMP_COLUMN");
  datasetKey("TIMESTAMP_FORMAT");
  const enumKey = (key: string, allowed: string[], fallback: string) => {
    const v = datasetKey(key) ?? fallback;
    if (allowed.includes(v)) return v;
    const e = refEnv.entries.get(key)!;
    warn(refEnv.file, { line: e.line, col: e.col }, `${key} '${v}' is not one of ${allowed.join(", ")}: mapstack's default is used`);
    return undefined;
  };
  const segment = enumKey("SEGMENT_GRANULARITY", SEGMENT, "DAY");
  const query = enumKey("QUERY_GRANULARITY", QUERY, "NONE");
  const rollupRaw = datasetKey("ROLLUP") ?? "false";
  if (rollupRaw !== "true" && rollupRaw !== "false") {
    const e = refEnv.entries.get("ROLLUP")!;
    errors.push({ file: refEnv.file, line: e.line, col: e.col, message: `ROLLUP must be true or false, got '${rollupRaw}'` });
  }
  const jsonKey = (key: string): JsonValue | undefined => {
    const raw = datasetKey(key);
    if (raw === undefined || raw === "" || raw === "null") return undefined;
    const e = refEnv.entries.get(key)!;
    try {
      return parseJsonWithPositions(refEnv.file, raw).value;
    } catch (err) {
      if (!(err instanceof JsonSyntaxError)) throw err;
      const d = err.diagnostic;
      errors.push({ file: refEnv.file, line: e.line, col: d.line === 1 ? e.col + d.col - 1 : d.col, message: `${key}: ${d.message}` });
      return undefined;
    }
  };
  const partitionDims = jsonKey("SECONDARY_PARTITION_DIMENSIONS");
  if (partitionDims !== undefined && (!Array.isArray(partitionDims) || !partitionDims.every((x) => typeof x === "string"))) {
    const e = refEnv.entries.get("SECONDARY_PARTITION_DIMENSIONS")!;
    errors.push({ file: refEnv.file, line: e.line, col: e.col, message: "SECONDARY_PARTITION_DIMENSIONS must be a JSON list of dimension names" });
  }
  const filter = jsonKey("TX_TYPE_VALIDATION_FILTER");
  if (filter !== undefined && !isObj(filter)) {
    const e = refEnv.entries.get("TX_TYPE_VALIDATION_FILTER")!;
    errors.push({ file: refEnv.file, line: e.line, col: e.col, message: "TX_TYPE_VALIDATION_FILTER must be a Druid filter object or null" });
  }

  // index-spec.json → index_spec
  let indexSpec: Obj | undefined;
  if (idx && repo.indexSpec) {
    indexSpec = {};
    for (const [k, v] of Object.entries(idx.value as Obj)) {
      const at = idx.at([k]);
      if (k === "bitmap" && isObj(v) && (v.type === "roaring" || v.type === "concise")) indexSpec.bitmap = { type: v.type };
      else if (k === "stringDictionaryEncoding" && isObj(v)) indexSpec[k] = v;
      else if (INDEX_SPEC_ENUMS[k] && typeof v === "string" && INDEX_SPEC_ENUMS[k].includes(v)) indexSpec[k] = v;
      else warn(repo.indexSpec.file, at, `index spec '${k}' = ${JSON.stringify(v)} is not carried over (sinks.druid.index_spec takes bitmap roaring/concise, ${Object.entries(INDEX_SPEC_ENUMS).map(([n, e]) => `${n} ${e.join("/")}`).join(", ")}, stringDictionaryEncoding)`);
    }
  }

  // Template: hard-coded dimensionsSpec keys
  const exclusions = Array.isArray(dimensionsSpec.dimensionExclusions) ? dimensionsSpec.dimensionExclusions : undefined;
  if (exclusions && !exclusions.every((x) => typeof x === "string" && !x.startsWith("$"))) {
    warn(templateFile, tAt("dataSchema", "dimensionsSpec", "dimensionExclusions"), "dimensionExclusions is not a literal list of names: not carried over");
  }
  const boolKey = (k: "includeAllDimensions" | "useSchemaDiscovery") => {
    const v = dimensionsSpec[k];
    if (v === undefined || typeof v === "boolean") return v;
    warn(templateFile, tAt("dataSchema", "dimensionsSpec", k), `${k} is not a literal true/false: not carried over`);
    return undefined;
  };
  const includeAll = boolKey("includeAllDimensions");
  const schemaDiscovery = boolKey("useSchemaDiscovery");

  // --- per-stack settings ------------------------------------------------------------------------
  const groupIdTemplate = isObj(ioConfig.consumerProperties) && typeof ioConfig.consumerProperties["group.id"] === "string" ? ioConfig.consumerProperties["group.id"] : null;
  const stacks = parsedEnvs.map(({ stack, env }) => stackSettings(stack, env, groupIdTemplate, errors, warn, templateFile, () => tAt("ioConfig", "consumerProperties", "group.id")));
  if (errors.length) throw new MapstackError(errors);

  // --- the document ------------------------------------------------------------------------------
  const index = datasource.toLowerCase().replace(/[^a-z0-9_-]/g, "_");
  const firstRoot = Object.values(message.fields).find((f) => isStringColumn(f) && f.type === "string");
  const idFrom = firstRoot?.name ?? Object.keys(message.fields)[0];
  const fieldList = [...fields.values()];
  const druid: Record<string, unknown> = {
    datasource,
    timestamp: { field: tsField.target, format: tsFormat },
    granularity: { ...(segment ? { segment } : {}), ...(query ? { query } : {}), rollup: rollupRaw === "true" },
    dimensions: dimensionNames,
    ...(metrics.length ? { metrics } : {}),
    ...(indexSpec && Object.keys(indexSpec).length ? { index_spec: indexSpec } : {}),
    ...(Array.isArray(partitionDims) ? { partition_dimensions: partitionDims } : {}),
    ...(exclusions && exclusions.every((x) => typeof x === "string" && !x.startsWith("$")) ? { dimension_exclusions: exclusions } : {}),
    ...(includeAll !== undefined ? { include_all_dimensions: includeAll } : {}),
    ...(schemaDiscovery !== undefined ? { use_schema_discovery: schemaDiscovery } : {}),
    ...(isObj(filter) ? { filter } : {}),
  };
  const document: Record<string, unknown> = {
    dsl_version: "2.2",
    index,
    description: `Druid datasource ${datasource} (Kafka topic ${topic}, ${msgName}), imported from a Druid GitOps repository by mapstack import-druid.`,
    // Druid's protobuf reader has no null tokens: only absent fields are null.
    globals: { nulls: [], bool_true: [], bool_false: [], decimal_sep: ".", thousands_sep: "", date_formats: [], default_tz: "UTC", empty_as_null: false, preview: { sample_size: 100, seed: 1 } },
    id_policy: { from: [idFrom], op: "concat", sep: ":", on_conflict: "overwrite" },
    fields: fieldList.map((f) => ({ target: f.target, type: f.type, input: f.input, pipeline: f.pipeline })),
    source: { format: "protobuf", proto: { file: protoFile, message: msgName }, kafka: { topic } },
    sinks: { druid },
  };
  return { document, index, protoFiles: repo.protoFiles, protoFile, stacks, warnings };
}

function rank(stack: string): number {
  const i = STACK_ORDER.indexOf(stack);
  return i < 0 ? STACK_ORDER.length : i;
}

function stackSettings(
  stack: string,
  env: EnvFile,
  groupIdTemplate: string | null,
  errors: Diagnostic[],
  warn: (file: string, pos: { line: number; col: number }, message: string) => void,
  templateFile: string,
  groupIdAt: () => { line: number; col: number },
): StackImport {
  const settings: Record<string, SettingValue> = {};
  const todo: string[] = [];
  const bad = (key: string, message: string) => {
    const e = env.entries.get(key)!;
    errors.push({ file: env.file, line: e.line, col: e.col, message: `${key} ${message}` });
  };
  for (const [key, role] of Object.entries(ENV_KEYS)) {
    if (role.role !== "setting") continue;
    const entry = env.entries.get(key);
    const raw = entry?.value ?? role.fallback;
    if (raw === undefined) continue;
    const v = typed(raw, role.kind);
    if (v === undefined) {
      if (entry) bad(key, `must be ${role.kind === "integer" ? "a non-negative integer" : role.kind === "boolean" ? "true or false" : "an ISO-8601 period like PT30S"}, got '${raw}'`);
      continue;
    }
    settings[role.setting] = v;
  }
  // The same checks the stack applies at preview, positioned at the .env line.
  const knobRaw = Object.fromEntries(Object.keys(STACK_KNOB_TYPES).filter((k) => k in settings).map((k) => [k, settings[k]]));
  for (const p of resolveDruidStackKnobs(knobRaw).problems) {
    const key = Object.entries(ENV_KEYS).find(([, r]) => r.role === "setting" && r.setting === p.key)![0];
    if (env.entries.has(key)) bad(key, p.message);
    delete settings[p.key];
  }
  const environment = settings.environment;
  if (environment !== undefined && !["dev", "staging", "prod"].includes(String(environment))) {
    const e = env.entries.get("ENVIRONMENT")!;
    warn(env.file, { line: e.line, col: e.col }, `ENVIRONMENT '${environment}' is not dev, staging or prod: mapstack:environment not set`);
    delete settings.environment;
  }
  if (settings.environment === undefined && ["dev", "staging", "prod"].includes(stack)) settings.environment = stack;
  const url = settings.druidUrl;
  if (url !== undefined && !/^https?:\/\/[^\s/]+/.test(String(url))) bad("DRUID_OVERLORD_URL", `must be an http(s) URL, got '${url}'`);
  const protocol = settings.kafkaSecurityProtocol;
  if (protocol !== undefined && !["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"].includes(String(protocol))) bad("KAFKA_SECURITY_PROTOCOL", `must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, got '${protocol}'`);
  if (protocol === "") delete settings.kafkaSecurityProtocol;
  if (settings.kafkaSaslMechanism === "") delete settings.kafkaSaslMechanism;

  if (groupIdTemplate) {
    let unknown: string | null = null;
    const g = groupIdTemplate.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (m, k: string) => {
      if (k === "DATASOURCE_NAME") return "{datasource}";
      if (k === "ENVIRONMENT") return "{environment}";
      const role = ENV_KEYS[k];
      if (role?.role === "secret") unknown = k;
      const v = env.entries.get(k)?.value;
      if (v === undefined) unknown = k;
      return v ?? m;
    });
    if (unknown) warn(templateFile, groupIdAt(), `group.id uses \${${unknown}}, which ${env.file} does not set: mapstack's default group id is used for stack ${stack}`);
    else settings.kafkaGroupId = g;
  }

  // Secrets: never copied. What to do instead, as comments of the stack file.
  const jaas = env.entries.get("KAFKA_SASL_JAAS_CONFIG");
  if (jaas && jaas.value.trim()) {
    const user = /username\s*=\s*(["'])([^"'$]+)\1/.exec(jaas.value);
    if (user) settings.kafkaSaslUsername = user[2];
    else todo.push(`pulumi config set mapstack:kafkaSaslUsername <the Kafka user of ${env.file}>`);
    todo.push(
      `KAFKA_SASL_JAAS_CONFIG of ${env.file} holds the Kafka password and was not copied. mapstack never stores it:`,
      "put the whole JAAS line on every Druid process that reads Kafka (Overlord, MiddleManagers/Indexers) as the",
      `environment variable named by mapstack:kafkaJaasEnv (default MAPSTACK_KAFKA_SASL_JAAS_CONFIG; docs/druid-provider.md).`,
    );
    if (protocol === undefined || protocol === "") {
      todo.push(`KAFKA_SECURITY_PROTOCOL is not set in ${env.file} although it has Kafka credentials: pulumi config set mapstack:kafkaSecurityProtocol SASL_SSL (or SASL_PLAINTEXT)`);
      warn(env.file, { line: jaas.line, col: 1 }, "Kafka credentials are set but KAFKA_SECURITY_PROTOCOL is not: mapstack:kafkaSecurityProtocol keeps its default PLAINTEXT until you set it");
    }
  }
  const s3Secrets = ["S3_ACCESS_KEY", "S3_SECRET_KEY"].filter((k) => env.entries.get(k)?.value);
  if (s3Secrets.length) {
    todo.push(`${s3Secrets.join(" and ")} of ${env.file} were not copied: the AWS provider takes its credentials from its own environment (AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY), never from this file.`);
  }
  todo.push("If the Druid Overlord needs basic auth: pulumi config set mapstack:druidUsername <user> && pulumi config set --secret mapstack:druidPassword <password>");
  for (const [key, role] of Object.entries(ENV_KEYS)) {
    if (role.role === "superseded" && env.entries.get(key)?.value) todo.push(`${key} is not needed: ${role.why}.`);
  }
  return { stack, envFile: env.file, settings, todo };
}

function typed(raw: string, kind: SettingKind): SettingValue | undefined {
  switch (kind) {
    case "integer":
      return /^\d+$/.test(raw) && Number.isSafeInteger(Number(raw)) ? Number(raw) : undefined;
    case "boolean":
      return raw === "true" ? true : raw === "false" ? false : undefined;
    case "period":
      return PERIOD.test(raw) ? raw : undefined;
    default:
      return raw;
  }
}

export { lineCol, listMessages };
