// Compiled dataset + stack settings + descriptor set → a Druid Kafka supervisor spec (pure, plain JSON).
// Credentials are placeholders here; the Pulumi component substitutes the secret Output, synth leaves the
// placeholder so nothing secret is ever written to disk.
import type { CompiledDataset, CompiledField, CompiledSelector, DruidSink, Json } from "../../dsl/types";
import type { StackSettings } from "../../settings/stack-settings";
import { DruidCompileError, fieldExpression } from "./expressions";

/** Stands for the Kafka SASL password inside a spec until the component fills it from the secret. */
export const KAFKA_PASSWORD_PLACEHOLDER = "<secret:kafkaSaslPassword>";

export interface SchemaRef {
  /** Content-hash version of the descriptor set. */
  version: string;
  /** The descriptor set, base64. */
  descriptorBase64: string;
}

export type SupervisorSpec = { [key: string]: Json };

/** Columns the flattenSpec produces for a field: the field name itself when it needs no transform. */
function inputColumns(field: CompiledField): string[] {
  if (!field.ops.length && field.inputs.length === 1) return [field.name];
  return field.inputs.map((_, i) => `${field.name}__in${i}`);
}

/** Jayway JsonPath (Druid's flattenSpec) takes the DSL's selectors as written, except stepped slices. */
function jsonPathFor(ds: CompiledDataset, field: CompiledField, sel: CompiledSelector): string {
  for (const s of sel.segments) {
    if (s.kind === "slice" && s.step !== 1) {
      throw new DruidCompileError(ds.name, ds.file, field.name, `selector ${sel.expr}: Druid's JsonPath has no slice step; use a filter or drop the step`, ["fields", ds.fields.indexOf(field), "from"]);
    }
  }
  return sel.expr;
}

function fieldsUsedBy(ds: CompiledDataset, sink: DruidSink): CompiledField[] {
  const byName = new Map(ds.fields.map((f) => [f.name, f]));
  const names = [sink.timestamp.field, ...sink.dimensions, ...sink.metrics.flatMap((m) => (m.field ? [m.field] : []))];
  const used: CompiledField[] = [];
  for (const n of names) {
    const f = byName.get(n);
    if (!f) throw new DruidCompileError(ds.name, ds.file, n, "the druid sink names a field the dataset does not define", ["sinks", "druid"]);
    if (!used.includes(f)) used.push(f);
  }
  return used;
}

const TS_FORMATS: Record<string, string> = { iso8601: "iso", epoch_millis: "millis", epoch_seconds: "posix" };

function timestamp(ds: CompiledDataset, sink: DruidSink, field: CompiledField): { spec: Json; transform: Json | null } {
  const cols = inputColumns(field);
  const only = field.ops.length === 1 ? field.ops[0] : null;
  if (!field.ops.length && cols.length === 1) return { spec: { column: cols[0], format: sink.timestamp.format, missingValue: null }, transform: null };
  if (only?.op === "date" && only.formats.length === 1 && cols.length === 1) {
    const f = only.formats[0];
    return { spec: { column: cols[0], format: TS_FORMATS[f] ?? f, missingValue: null }, transform: null };
  }
  // Ops before the date: timestampSpec reads the first input (missing → epoch placeholder) and a __time
  // transform, which Druid applies after the timestampSpec, sets the real time from the full expression.
  const last = field.ops[field.ops.length - 1];
  const asMillis: CompiledField = last?.op === "date" ? { ...field, ops: [...field.ops.slice(0, -1), { ...last, to: "epoch_millis" }] } : field;
  let expr = fieldExpression(ds, asMillis, cols) ?? `"${cols[0]}"`;
  if (last?.op !== "date") expr = sink.timestamp.format === "millis" ? `cast(${expr}, 'LONG')` : sink.timestamp.format === "posix" ? `(cast(${expr}, 'LONG') * 1000)` : `timestamp_parse(${expr})`;
  return {
    spec: { column: cols[0], format: "auto", missingValue: "1970-01-01T00:00:00.000Z" },
    transform: { type: "expression", name: "__time", expression: expr },
  };
}

function dimension(field: CompiledField): Json {
  if (field.druidType === "string") return { type: "string", name: field.name };
  if (field.shape !== "single") return { type: "auto", name: field.name };
  return { type: field.druidType, name: field.name };
}

function consumerProperties(settings: StackSettings): Record<string, string> {
  const k = settings.kafka;
  const props: Record<string, string> = { "bootstrap.servers": k.bootstrapServers, "security.protocol": k.securityProtocol };
  if (k.securityProtocol.startsWith("SASL")) {
    const module = k.saslMechanism === "PLAIN" ? "org.apache.kafka.common.security.plain.PlainLoginModule" : "org.apache.kafka.common.security.scram.ScramLoginModule";
    props["sasl.mechanism"] = k.saslMechanism;
    props["sasl.jaas.config"] = `${module} required username="${k.saslUsername ?? ""}" password="${KAFKA_PASSWORD_PLACEHOLDER}";`;
  }
  return props;
}

/** The supervisor spec of a dataset's druid sink, or null when the dataset has none. */
export function buildSupervisorSpec(ds: CompiledDataset, settings: StackSettings, schema: SchemaRef | null): SupervisorSpec | null {
  const sink = ds.sinks.druid;
  if (!sink) return null;
  const fail = (field: string, m: string): never => {
    throw new DruidCompileError(ds.name, ds.file, field, m, ["source"]);
  };
  if (!ds.source.kafkaTopic) fail("source", "a druid sink needs source.kafka.topic");
  const used = fieldsUsedBy(ds, sink);
  const tsField = used.find((f) => f.name === sink.timestamp.field)!;
  const flatten: Json[] = [];
  const transforms: Json[] = [];
  for (const f of used) {
    const cols = inputColumns(f);
    f.inputs.forEach((sel, i) => flatten.push({ type: "path", name: cols[i], expr: jsonPathFor(ds, f, sel) }));
    if (f === tsField && !sink.dimensions.includes(f.name) && !sink.metrics.some((m) => m.field === f.name)) continue;
    const expr = fieldExpression(ds, f, cols);
    if (expr) transforms.push({ type: "expression", name: f.name, expression: expr });
  }
  const ts = timestamp(ds, sink, tsField);
  if (ts.transform) transforms.push(ts.transform);
  const flattenSpec = { useFieldDiscovery: false, fields: flatten };
  let inputFormat: Json;
  if (ds.source.format === "protobuf") {
    if (!schema) return fail("source", "protobuf source needs a descriptor set (internal: none was given)");
    inputFormat = {
      type: "protobuf",
      protoBytesDecoder: { type: "inline", descriptorString: schema.descriptorBase64, protoMessageType: ds.source.message },
      flattenSpec,
    };
  } else inputFormat = { type: "json", flattenSpec };
  const byName = new Map(used.map((f) => [f.name, f]));
  const d = settings.druid;
  return {
    type: "kafka",
    spec: {
      dataSchema: {
        dataSource: sink.datasource,
        timestampSpec: ts.spec,
        dimensionsSpec: { dimensions: sink.dimensions.map((n) => dimension(byName.get(n)!)) },
        metricsSpec: sink.metrics.map((m): Json => (m.type === "count" ? { type: "count", name: m.name } : { type: m.type, name: m.name, fieldName: m.field })),
        granularitySpec: { type: "uniform", segmentGranularity: sink.granularity.segment, queryGranularity: sink.granularity.query, rollup: sink.granularity.rollup },
        transformSpec: { transforms },
      },
      ioConfig: {
        type: "kafka",
        topic: ds.source.kafkaTopic,
        inputFormat,
        consumerProperties: consumerProperties(settings),
        taskCount: d.taskCount,
        replicas: d.replicas,
        taskDuration: d.taskDuration,
        useEarliestOffset: false,
      },
      tuningConfig: { type: "kafka", logParseExceptions: true, maxSavedParseExceptions: 100, resetOffsetAutomatically: false },
    },
    suspended: d.suspended,
  };
}
