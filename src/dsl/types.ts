// The compiled (intermediate) form of a dataset. Every target reads this and nothing else,
// so it is plain JSON: it is what `synth` writes and what tests snapshot.

export const SUPPORTED_DSL_VERSIONS = ["2.1"] as const;
export type DslVersion = (typeof SUPPORTED_DSL_VERSIONS)[number];

export const ES_FIELD_TYPES = [
  "keyword", "text", "long", "integer", "double", "boolean", "date", "ip", "object", "nested", "geo_point",
] as const;
export type EsFieldType = (typeof ES_FIELD_TYPES)[number];

export const DRUID_FIELD_TYPES = ["string", "long", "double", "json"] as const;
export type DruidFieldType = (typeof DRUID_FIELD_TYPES)[number];

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One step of a parsed JSONPath. */
export type PathSegment =
  | { kind: "name"; name: string }
  | { kind: "index"; index: number }
  | { kind: "names"; names: string[] }
  | { kind: "indexes"; indexes: number[] }
  | { kind: "wildcard" }
  | { kind: "slice"; start: number | null; end: number | null; step: number }
  | { kind: "descendant"; name: string | null }
  | { kind: "filter"; expr: FilterExpr; source: string };

export type FilterExpr =
  | { kind: "or" | "and"; left: FilterExpr; right: FilterExpr }
  | { kind: "not"; expr: FilterExpr }
  | { kind: "cmp"; op: "==" | "!=" | "<" | "<=" | ">" | ">="; left: FilterOperand; right: FilterOperand }
  | { kind: "exists"; operand: FilterOperand };

export type FilterOperand =
  | { kind: "current"; path: Array<{ kind: "name"; name: string } | { kind: "index"; index: number }> }
  | { kind: "literal"; value: Json };

export interface CompiledSelector {
  /** The expression as written in the DSL. */
  expr: string;
  segments: PathSegment[];
  /** A definite path selects at most one value (or null); an indefinite one selects an array of matches. */
  definite: boolean;
}

export type CastTarget = "string" | "long" | "double" | "boolean";
export type DateOutput = "iso8601" | "epoch_millis";

export type CompiledOp =
  | { op: "cast"; to: CastTarget }
  | { op: "trim" }
  | { op: "lowercase" }
  | { op: "uppercase" }
  | { op: "default"; value: Json }
  | { op: "coalesce" }
  | { op: "concat"; separator: string }
  | { op: "join"; separator: string }
  | { op: "split"; separator: string }
  | { op: "replace"; pattern: string; replacement: string }
  /** formats: "iso8601", "epoch_millis", "epoch_seconds" or a Java-style pattern (yyyy-MM-dd HH:mm:ss). */
  | { op: "date"; formats: string[]; to: DateOutput; timezone: string }
  | { op: "map"; table: Record<string, Json>; default: Json }
  | { op: "zip"; mode: "pad" | "truncate"; pad: Json }
  | { op: "objectify"; keys: string[] };

export type OpName = CompiledOp["op"];

/**
 * What a value looks like between ops, known at compile time:
 * single = one value or null; array = list of values; multi = one value per selector (several selectors);
 * tuples = array of arrays (zip output); objects = array of objects (objectify output).
 */
export type ValueShape = "single" | "array" | "multi" | "tuples" | "objects";

export interface CompiledField {
  name: string;
  type: EsFieldType;
  druidType: DruidFieldType;
  inputs: CompiledSelector[];
  ops: CompiledOp[];
  /** Shape of the value written to the output document. */
  shape: ValueShape;
  /** Keys of the objects for `objects`-shaped fields (objectify keys). */
  objectKeys?: string[];
  /** Date format hint for the ES mapping when type is date. */
  dateFormat?: DateOutput;
  ignoreAbove?: number;
  description?: string;
}

export type SourceSpec =
  | { format: "json"; kafkaTopic: string | null }
  | {
      format: "protobuf";
      kafkaTopic: string | null;
      /** Path relative to the DSL directory, e.g. proto/settlement_transaction.proto */
      protoFile: string;
      /** Fully-qualified message name, e.g. mapstack.settlement.v1.SettlementTransaction */
      message: string;
    };

export interface IlmPhases {
  hot: { maxAge: string | null; maxPrimaryShardSize: string | null; maxDocs: number | null; priority: number };
  warm: { minAge: string; shrinkShards: number | null; forceMergeSegments: number | null; priority: number } | null;
  cold: { minAge: string; priority: number } | null;
  delete: { minAge: string } | null;
}

export interface ElasticsearchSink {
  /** Data stream name (mode data_stream) or rollover alias (mode rollover_alias). */
  index: string;
  mode: "data_stream" | "rollover_alias";
  dynamic: "strict" | "true" | "false" | "runtime";
  /** Bumped for breaking mapping changes; part of the physical names. */
  version: number;
  ilm: IlmPhases;
}

export interface DruidMetric {
  name: string;
  type: "count" | "longSum" | "doubleSum" | "longMin" | "longMax" | "doubleMin" | "doubleMax" | "thetaSketch" | "HLLSketchBuild";
  field: string | null;
}

export interface DruidSink {
  datasource: string;
  timestamp: { field: string; format: "iso" | "millis" | "posix" | "auto" };
  granularity: { segment: string; query: string; rollup: boolean };
  /** Output field names used as dimensions. */
  dimensions: string[];
  metrics: DruidMetric[];
  /** Set when a breaking change moved the dataset to a new datasource. */
  replaces: { datasource: string; oldSupervisor: "suspend" | "keep_running" | "terminate" } | null;
}

export interface MonitoringThresholds {
  druid: {
    maxLagSeconds: number;
    parseErrorRatio: number;
    taskFailureRatio: number;
    noIngestMinutes: number;
  };
  elasticsearch: {
    indexingFailureRatio: number;
    noDocsMinutes: number;
    ilmStuckHours: number;
  };
}

export interface CompiledDataset {
  dslVersion: DslVersion;
  name: string;
  description: string;
  /** DSL file path relative to the DSL directory. */
  file: string;
  /** sha256 (hex, 16 chars) of the canonical DSL document: what promotion pins. */
  contentHash: string;
  source: SourceSpec;
  fields: CompiledField[];
  sinks: { elasticsearch: ElasticsearchSink | null; druid: DruidSink | null };
  monitoring: MonitoringThresholds;
}

export const DEFAULT_MONITORING: MonitoringThresholds = {
  druid: { maxLagSeconds: 300, parseErrorRatio: 0.01, taskFailureRatio: 0.05, noIngestMinutes: 15 },
  elasticsearch: { indexingFailureRatio: 0.01, noDocsMinutes: 30, ilmStuckHours: 24 },
};
