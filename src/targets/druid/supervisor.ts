// Compiled dataset + stack settings + descriptor set → a Druid Kafka supervisor spec (pure, plain JSON).
// Kafka credentials are never in the spec: it names the Druid-side environment variable that holds them.
import { messageDescriptorSetBase64 } from "../../proto/message-set";
import { jaasFromEnvironment } from "../../providers/druid/kafka-credentials";
import type { CompiledDataset, CompiledField, DruidSink, Json } from "../../dsl/types";
import type { StackSettings } from "../../settings/stack-settings";
import { druidFieldExpression, ident, type TranslationProblem } from "./expressions";
import { DEFAULT_STACK_KNOBS, sinkKnobs, type DruidStackKnobs } from "./knobs";
import { MapstackError } from "../../dsl/diagnostics";



export interface SchemaRef {
  /** Content-hash version of the descriptor set. */
  version: string;
  /** The descriptor set, base64. */
  descriptorBase64: string;
}

export type SupervisorSpec = { [key: string]: Json };

/** A dataset the Druid target cannot compile: every problem, positioned by field index and op path. */
export class DruidCompileError extends MapstackError {
  constructor(readonly dataset: string, readonly file: string, readonly problems: TranslationProblem[]) {
    super(problems.map((p) => ({ file, line: 1, col: 1, message: `dataset ${dataset}${p.fieldIndex >= 0 ? `, field #${p.fieldIndex}` : ""}: ${p.message}` })));
  }
}

/** Column the flattenSpec gives input `i` of field `f` (fields are addressed by target, dots kept). */
const inputColumn = (f: CompiledField, i: number) => `${f.target}__in${i}`;
/** A timestampSpec column no record carries: the __time transform sets the real time. */
const NO_TIME_COLUMN = "__mapstack_time_from_transform";

interface Plan {
  flatten: Json[];
  transforms: Json[];
  dateFields: Set<string>;
  problems: TranslationProblem[];
}

function fieldsUsedBy(sink: DruidSink): string[] {
  const names = [sink.timestamp.field, ...sink.dimensions, ...sink.metrics.flatMap((m) => (m.field ? [m.field] : []))];
  return [...new Set(names)];
}

function plan(ds: CompiledDataset, sink: DruidSink): Plan {
  const out: Plan = { flatten: [], transforms: [], dateFields: new Set(), problems: [] };
  const byTarget = new Map(ds.fields.map((f, i) => [f.target, i]));
  if (ds.source.format === "csv") {
    out.problems.push({ fieldIndex: -1, opPath: ["source", "format"], message: "a CSV source cannot feed Druid: Kafka CSV ingestion needs the column order, which the DSL does not state" });
    return out;
  }
  if (!ds.source.kafkaTopic) out.problems.push({ fieldIndex: -1, opPath: ["source", "kafka", "topic"], message: "a druid sink needs source.kafka.topic" });
  for (const name of fieldsUsedBy(sink)) {
    const index = byTarget.get(name);
    if (index === undefined) {
      out.problems.push({ fieldIndex: -1, opPath: ["sinks", "druid"], message: `the druid sink names '${name}', which is no field target` });
      continue;
    }
    const f = ds.fields[index];
    const columns = f.inputs.map((input, i) => {
      if (input.kind === "literal") return null;
      // column inputs read a top-level key, as the seed's row.get(name) does.
      const expr = input.kind === "column" ? `$['${input.name.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}']` : input.expr;
      const slice = input.kind === "jsonpath" && input.selector.segments.find((s) => s.kind === "slice" && s.step !== 1);
      if (slice) out.problems.push({ fieldIndex: index, opPath: ["input", i], message: `JSONPath ${input.expr}: Druid's JsonPath has no slice step` });
      out.flatten.push({ type: "path", name: inputColumn(f, i), expr });
      return inputColumn(f, i);
    });
    const t = druidFieldExpression(ds, index, columns);
    if (!t.ok) {
      out.problems.push(t.problem);
      continue;
    }
    if (t.isDate) out.dateFields.add(f.target);
    const isTime = name === sink.timestamp.field;
    if (isTime) out.transforms.push({ type: "expression", name: "__time", expression: timeExpression(t.expression, t.isDate, sink) });
    if (!isTime || sink.dimensions.includes(name) || sink.metrics.some((m) => m.field === name)) {
      out.transforms.push({ type: "expression", name: f.target, expression: t.expression });
    }
  }
  return out;
}

/** __time in epoch millis: a date op's result as is; otherwise per the sink's timestamp format. */
function timeExpression(e: string, isDate: boolean, sink: DruidSink): string {
  if (isDate) return e;
  switch (sink.timestamp.format) {
    case "millis":
      return `cast(${e}, 'LONG')`;
    case "posix":
      return `(cast(${e}, 'LONG') * 1000)`;
    default:
      return `timestamp_parse(cast(${e}, 'STRING'))`;
  }
}

/** Every reason the dataset's druid sink cannot be compiled faithfully (empty when it can, or has no sink). */
export function druidTranslationProblems(ds: CompiledDataset): TranslationProblem[] {
  return ds.sinks.druid ? plan(ds, ds.sinks.druid).problems : [];
}

function dimension(f: CompiledField, isDate: boolean): Json {
  if (isDate) return { type: "long", name: f.target };
  return { type: f.druidType === "json" ? "json" : f.druidType, name: f.target };
}

function consumerProperties(settings: StackSettings, knobs: DruidStackKnobs, sink: DruidSink): Record<string, Json> {
  const k = settings.kafka;
  const props: Record<string, Json> = { "bootstrap.servers": k.bootstrapServers, "security.protocol": k.securityProtocol };
  if (k.securityProtocol.startsWith("SASL")) {
    // The JAAS line (user and password) is read by Druid from its own environment: no secret in the spec.
    props["sasl.mechanism"] = k.saslMechanism;
    Object.assign(props, jaasFromEnvironment(props, k.jaasEnv));
  }
  if (knobs.kafkaSslEndpointIdentificationAlgorithm !== null) props["ssl.endpoint.identification.algorithm"] = knobs.kafkaSslEndpointIdentificationAlgorithm;
  props["group.id"] = knobs.kafkaGroupId.replace(/\{datasource\}/g, sink.datasource).replace(/\{environment\}/g, settings.environment);
  props["fetch.min.bytes"] = knobs.kafkaFetchMinBytes;
  props["fetch.max.wait.ms"] = knobs.kafkaFetchMaxWaitMs;
  props["max.poll.records"] = knobs.kafkaMaxPollRecords;
  props["session.timeout.ms"] = knobs.kafkaSessionTimeoutMs;
  props["heartbeat.interval.ms"] = knobs.kafkaHeartbeatIntervalMs;
  props["max.poll.interval.ms"] = knobs.kafkaMaxPollIntervalMs;
  props["enable.auto.commit"] = false;
  props["auto.offset.reset"] = knobs.kafkaAutoOffsetReset;
  props["isolation.level"] = knobs.druidUseTransaction ? "read_committed" : "read_uncommitted";
  return props;
}

/**
 * The supervisor spec of a dataset's druid sink, or null when the dataset has none. Throws
 * DruidCompileError listing every translation problem. `knobs` defaults to settings.druid.knobs, then
 * to the replaced procedure's production values.
 */
export function buildSupervisorSpec(ds: CompiledDataset, settings: StackSettings, schema: SchemaRef | null, knobs?: DruidStackKnobs): SupervisorSpec | null {
  const sink = ds.sinks.druid;
  if (!sink) return null;
  const k = knobs ?? (settings.druid as { knobs?: DruidStackKnobs }).knobs ?? DEFAULT_STACK_KNOBS;
  const p = plan(ds, sink);
  if (ds.source.format === "protobuf" && !schema) p.problems.push({ fieldIndex: -1, opPath: ["source"], message: "protobuf source needs a descriptor set (internal: none was given)" });
  if (p.problems.length) throw new DruidCompileError(ds.name, ds.file, p.problems);
  const flattenSpec = { useFieldDiscovery: false, fields: p.flatten };
  const inputFormat: Json = ds.source.format === "protobuf"
    ? { type: "protobuf", protoBytesDecoder: { type: "inline", descriptorString: messageDescriptorSetBase64(schema!.descriptorBase64, ds.source.message), protoMessageType: ds.source.message }, flattenSpec }
    : { type: "json", flattenSpec };
  const byTarget = new Map(ds.fields.map((f) => [f.target, f]));
  const s = sinkKnobs(sink);
  const d = settings.druid;
  const partitionsSpec: Json = k.druidPartitionsSpecType === "hashed"
    ? { type: "hashed", partitionDimensions: s.partitionDimensions, targetRowsPerSegment: k.druidTargetRowsPerSegment }
    : { type: "dynamic", maxRowsPerSegment: k.druidMaxRowsPerSegment };
  const ioConfig: Record<string, Json> = {
    type: "kafka",
    topic: ds.source.kafkaTopic,
    inputFormat,
    consumerProperties: consumerProperties(settings, k, sink),
    taskCount: d.taskCount,
    replicas: d.replicas,
    taskDuration: d.taskDuration,
    useEarliestOffset: k.druidUseEarliestOffset,
    startDelay: k.druidStartDelay,
    period: k.druidPeriod,
    completionTimeout: k.druidCompletionTimeout,
    pollTimeout: k.druidPollTimeout,
  };
  if (k.druidLateMessageRejectionPeriod) ioConfig.lateMessageRejectionPeriod = k.druidLateMessageRejectionPeriod;
  if (k.druidMinimumMessageTime) ioConfig.lateMessageRejectionStartDateTime = k.druidMinimumMessageTime;
  const transformSpec: Record<string, Json> = { transforms: p.transforms };
  if (s.filter !== null) transformSpec.filter = s.filter;
  return {
    type: "kafka",
    spec: {
      dataSchema: {
        dataSource: sink.datasource,
        timestampSpec: { column: NO_TIME_COLUMN, format: "millis", missingValue: "1970-01-01T00:00:00.000Z" },
        dimensionsSpec: {
          dimensions: sink.dimensions.map((n) => dimension(byTarget.get(n)!, p.dateFields.has(n))),
          dimensionExclusions: s.dimensionExclusions,
          includeAllDimensions: s.includeAllDimensions,
          useSchemaDiscovery: s.useSchemaDiscovery,
        },
        metricsSpec: sink.metrics.map((m): Json => (m.type === "count" ? { type: "count", name: m.name } : { type: m.type, name: m.name, fieldName: m.field })),
        granularitySpec: { type: "uniform", segmentGranularity: sink.granularity.segment, queryGranularity: sink.granularity.query, rollup: sink.granularity.rollup },
        transformSpec,
      },
      ioConfig,
      tuningConfig: {
        type: "kafka",
        maxRowsInMemory: k.druidMaxRowsInMemory,
        maxBytesInMemory: k.druidMaxBytesInMemory,
        intermediatePersistPeriod: k.druidIntermediatePersistPeriod,
        maxPendingPersists: k.druidMaxPendingPersists,
        indexSpec: s.indexSpec,
        indexSpecForIntermediatePersists: s.indexSpec,
        reportParseExceptions: k.druidReportParseExceptions,
        handoffConditionTimeout: k.druidHandoffConditionTimeout,
        resetOffsetAutomatically: k.druidResetOffsetAutomatically,
        chatRetries: k.druidChatRetries,
        httpTimeout: k.druidHttpTimeout,
        shutdownTimeout: k.druidShutdownTimeout,
        offsetFetchPeriod: k.druidOffsetFetchPeriod,
        intermediateHandoffPeriod: k.druidIntermediateHandoffPeriod,
        logParseExceptions: k.druidLogParseExceptions,
        maxParseExceptions: k.druidMaxParseExceptions,
        maxSavedParseExceptions: k.druidMaxSavedParseExceptions,
        skipSequenceNumberAvailabilityCheck: k.druidSkipSequenceNumberAvailabilityCheck,
        partitionsSpec,
        splitHintSpec: { type: "maxSize", maxSplitSize: k.druidMaxSplitSize, maxInputSegmentBytesPerTask: k.druidMaxInputSegmentBytesPerTask },
      },
    },
    suspended: d.suspended,
  };
}

export { ident };
