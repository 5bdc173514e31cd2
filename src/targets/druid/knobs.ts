// Every setting of the Druid GitOps procedure mapstack replaces (a per-environment .env, the supervisor
// template, dimensions/metrics/transforms/index-spec JSON), as typed knobs: per stack (Pulumi settings
// `druid*` / `kafka*`) or per dataset (`sinks.druid` keys). Defaults are that procedure's production values.
import type { DruidSink, Json } from "../../dsl/types";

export interface DruidStackKnobs {
  // Kafka consumer
  kafkaFetchMinBytes: number;
  kafkaFetchMaxWaitMs: number;
  kafkaMaxPollRecords: number;
  kafkaSessionTimeoutMs: number;
  kafkaHeartbeatIntervalMs: number;
  kafkaMaxPollIntervalMs: number;
  kafkaAutoOffsetReset: "latest" | "earliest";
  kafkaSslEndpointIdentificationAlgorithm: string | null;
  /** `{datasource}` and `{environment}` are replaced. */
  kafkaGroupId: string;
  // ioConfig
  druidUseEarliestOffset: boolean;
  druidUseTransaction: boolean;
  druidStartDelay: string;
  druidPeriod: string;
  druidCompletionTimeout: string;
  druidLateMessageRejectionPeriod: string | null;
  druidPollTimeout: number;
  druidMinimumMessageTime: string | null;
  // tuningConfig
  druidMaxRowsInMemory: number;
  druidMaxBytesInMemory: number;
  druidMaxRowsPerSegment: number;
  druidIntermediatePersistPeriod: string;
  druidMaxPendingPersists: number;
  druidReportParseExceptions: boolean;
  druidLogParseExceptions: boolean;
  druidMaxParseExceptions: number;
  druidMaxSavedParseExceptions: number;
  druidResetOffsetAutomatically: boolean;
  druidSkipSequenceNumberAvailabilityCheck: boolean;
  druidHandoffConditionTimeout: number;
  druidIntermediateHandoffPeriod: string;
  druidChatRetries: number;
  druidHttpTimeout: string;
  druidShutdownTimeout: string;
  druidOffsetFetchPeriod: string;
  druidPartitionsSpecType: "dynamic" | "hashed";
  druidTargetRowsPerSegment: number;
  druidMaxSplitSize: number;
  druidMaxInputSegmentBytesPerTask: number;
}

/** The replaced procedure's prod.env values (its generator's fallbacks where prod.env is silent). */
export const DEFAULT_STACK_KNOBS: DruidStackKnobs = {
  kafkaFetchMinBytes: 1048576,
  kafkaFetchMaxWaitMs: 500,
  kafkaMaxPollRecords: 500,
  kafkaSessionTimeoutMs: 30000,
  kafkaHeartbeatIntervalMs: 3000,
  kafkaMaxPollIntervalMs: 300000,
  kafkaAutoOffsetReset: "latest",
  kafkaSslEndpointIdentificationAlgorithm: null,
  kafkaGroupId: "druid-{datasource}-{environment}",
  druidUseEarliestOffset: false,
  druidUseTransaction: true,
  druidStartDelay: "PT5S",
  druidPeriod: "PT30S",
  druidCompletionTimeout: "PT1H",
  druidLateMessageRejectionPeriod: "PT1H",
  druidPollTimeout: 100,
  druidMinimumMessageTime: "1970-01-01T00:00:00.000Z",
  druidMaxRowsInMemory: 500000,
  druidMaxBytesInMemory: 536870912,
  druidMaxRowsPerSegment: 5000000,
  druidIntermediatePersistPeriod: "PT10M",
  druidMaxPendingPersists: 2,
  druidReportParseExceptions: true,
  druidLogParseExceptions: true,
  druidMaxParseExceptions: 10000,
  druidMaxSavedParseExceptions: 100,
  druidResetOffsetAutomatically: false,
  druidSkipSequenceNumberAvailabilityCheck: false,
  druidHandoffConditionTimeout: 900000,
  druidIntermediateHandoffPeriod: "P2147483647D",
  druidChatRetries: 8,
  druidHttpTimeout: "PT10S",
  druidShutdownTimeout: "PT80S",
  druidOffsetFetchPeriod: "PT30S",
  druidPartitionsSpecType: "hashed",
  druidTargetRowsPerSegment: 5000000,
  druidMaxSplitSize: 1073741824,
  druidMaxInputSegmentBytesPerTask: 10737418240,
};

export type KnobType = "integer" | "boolean" | "string" | "period";
const PERIOD = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

export const STACK_KNOB_TYPES: Record<keyof DruidStackKnobs, { type: KnobType; enum?: string[]; nullable?: boolean; description: string }> = {
  kafkaFetchMinBytes: { type: "integer", description: "Kafka consumer fetch.min.bytes" },
  kafkaFetchMaxWaitMs: { type: "integer", description: "Kafka consumer fetch.max.wait.ms" },
  kafkaMaxPollRecords: { type: "integer", description: "Kafka consumer max.poll.records" },
  kafkaSessionTimeoutMs: { type: "integer", description: "Kafka consumer session.timeout.ms" },
  kafkaHeartbeatIntervalMs: { type: "integer", description: "Kafka consumer heartbeat.interval.ms" },
  kafkaMaxPollIntervalMs: { type: "integer", description: "Kafka consumer max.poll.interval.ms" },
  kafkaAutoOffsetReset: { type: "string", enum: ["latest", "earliest"], description: "Kafka consumer auto.offset.reset" },
  kafkaSslEndpointIdentificationAlgorithm: { type: "string", nullable: true, description: "Kafka consumer ssl.endpoint.identification.algorithm (empty: not set)" },
  kafkaGroupId: { type: "string", description: "Kafka consumer group.id; {datasource} and {environment} are replaced" },
  druidUseEarliestOffset: { type: "boolean", description: "ioConfig.useEarliestOffset" },
  druidUseTransaction: { type: "boolean", description: "read only committed Kafka transactions (consumer isolation.level=read_committed)" },
  druidStartDelay: { type: "period", description: "ioConfig.startDelay" },
  druidPeriod: { type: "period", description: "ioConfig.period" },
  druidCompletionTimeout: { type: "period", description: "ioConfig.completionTimeout" },
  druidLateMessageRejectionPeriod: { type: "period", nullable: true, description: "ioConfig.lateMessageRejectionPeriod" },
  druidPollTimeout: { type: "integer", description: "ioConfig.pollTimeout (ms)" },
  druidMinimumMessageTime: { type: "string", nullable: true, description: "ioConfig.lateMessageRejectionStartDateTime (the replaced template's minimumMessageTime)" },
  druidMaxRowsInMemory: { type: "integer", description: "tuningConfig.maxRowsInMemory" },
  druidMaxBytesInMemory: { type: "integer", description: "tuningConfig.maxBytesInMemory" },
  druidMaxRowsPerSegment: { type: "integer", description: "tuningConfig.maxRowsPerSegment (dynamic partitions)" },
  druidIntermediatePersistPeriod: { type: "period", description: "tuningConfig.intermediatePersistPeriod" },
  druidMaxPendingPersists: { type: "integer", description: "tuningConfig.maxPendingPersists" },
  druidReportParseExceptions: { type: "boolean", description: "tuningConfig.reportParseExceptions" },
  druidLogParseExceptions: { type: "boolean", description: "tuningConfig.logParseExceptions" },
  druidMaxParseExceptions: { type: "integer", description: "tuningConfig.maxParseExceptions" },
  druidMaxSavedParseExceptions: { type: "integer", description: "tuningConfig.maxSavedParseExceptions" },
  druidResetOffsetAutomatically: { type: "boolean", description: "tuningConfig.resetOffsetAutomatically" },
  druidSkipSequenceNumberAvailabilityCheck: { type: "boolean", description: "tuningConfig.skipSequenceNumberAvailabilityCheck" },
  druidHandoffConditionTimeout: { type: "integer", description: "tuningConfig.handoffConditionTimeout (ms)" },
  druidIntermediateHandoffPeriod: { type: "period", description: "tuningConfig.intermediateHandoffPeriod" },
  druidChatRetries: { type: "integer", description: "tuningConfig.chatRetries" },
  druidHttpTimeout: { type: "period", description: "tuningConfig.httpTimeout" },
  druidShutdownTimeout: { type: "period", description: "tuningConfig.shutdownTimeout" },
  druidOffsetFetchPeriod: { type: "period", description: "tuningConfig.offsetFetchPeriod" },
  druidPartitionsSpecType: { type: "string", enum: ["dynamic", "hashed"], description: "tuningConfig.partitionsSpec.type" },
  druidTargetRowsPerSegment: { type: "integer", description: "tuningConfig.partitionsSpec.targetRowsPerSegment (hashed)" },
  druidMaxSplitSize: { type: "integer", description: "tuningConfig.splitHintSpec.maxSplitSize" },
  druidMaxInputSegmentBytesPerTask: { type: "integer", description: "tuningConfig.splitHintSpec.maxInputSegmentBytesPerTask" },
};

/**
 * Typed stack knobs from raw setting values (strings from pulumi.Config or typed YAML values), defaults
 * filled in. Returns the knobs and the problems (setting name + message), never throws.
 */
export function resolveDruidStackKnobs(raw: Record<string, unknown>): { knobs: DruidStackKnobs; problems: Array<{ key: string; message: string }> } {
  const knobs: Record<string, unknown> = { ...DEFAULT_STACK_KNOBS };
  const problems: Array<{ key: string; message: string }> = [];
  for (const [key, spec] of Object.entries(STACK_KNOB_TYPES)) {
    const v = raw[key];
    if (v === undefined || v === null) continue;
    if (spec.nullable && v === "") {
      knobs[key] = null;
      continue;
    }
    if (spec.type === "integer") {
      const n = typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
      if (!Number.isSafeInteger(n) || n < 0) problems.push({ key, message: `must be a non-negative integer, got ${JSON.stringify(v)}` });
      else knobs[key] = n;
    } else if (spec.type === "boolean") {
      if (v === true || v === "true") knobs[key] = true;
      else if (v === false || v === "false") knobs[key] = false;
      else problems.push({ key, message: `must be true or false, got ${JSON.stringify(v)}` });
    } else {
      const s = String(v);
      if (spec.type === "period" && !PERIOD.test(s)) problems.push({ key, message: `must be an ISO-8601 period like PT30S, got ${JSON.stringify(s)}` });
      else if (spec.enum && !spec.enum.includes(s)) problems.push({ key, message: `must be one of ${spec.enum.join(", ")}, got ${JSON.stringify(s)}` });
      else knobs[key] = s;
    }
  }
  return { knobs: knobs as unknown as DruidStackKnobs, problems };
}

/** Per-dataset Druid keys (sinks.druid), camelCased by the compiler onto the DruidSink. */
export interface DruidSinkKnobs {
  /** tuningConfig.indexSpec and indexSpecForIntermediatePersists. */
  indexSpec: Json;
  /** Secondary partitioning (hashed partitionsSpec.partitionDimensions). */
  partitionDimensions: string[];
  dimensionExclusions: string[];
  includeAllDimensions: boolean;
  useSchemaDiscovery: boolean;
  /** A Druid filter (transformSpec.filter): rows it rejects are not ingested. */
  filter: Json;
}

export const DEFAULT_SINK_KNOBS: DruidSinkKnobs = {
  indexSpec: { bitmap: { type: "roaring" }, dimensionCompression: "lz4", metricCompression: "lz4", longEncoding: "longs" },
  partitionDimensions: [],
  dimensionExclusions: [],
  includeAllDimensions: false,
  useSchemaDiscovery: false,
  filter: null,
};

export function sinkKnobs(s: DruidSink): DruidSinkKnobs {
  return {
    indexSpec: s.indexSpec ?? DEFAULT_SINK_KNOBS.indexSpec,
    partitionDimensions: s.partitionDimensions ?? [],
    dimensionExclusions: s.dimensionExclusions ?? [],
    includeAllDimensions: s.includeAllDimensions ?? false,
    useSchemaDiscovery: s.useSchemaDiscovery ?? false,
    filter: s.filter ?? null,
  };
}


