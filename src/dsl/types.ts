// The compiled (intermediate) form of a dataset. Every target reads this and nothing else,
// so it is plain JSON: it is what `synth` writes and what tests snapshot.

export const SUPPORTED_DSL_VERSIONS = ["2.0", "2.1", "2.2"] as const;
export type DslVersion = (typeof SUPPORTED_DSL_VERSIONS)[number];

/** The seed schema's field types, plus object/nested which the seed docs use for zip/objectify targets. */
export const ES_FIELD_TYPES = [
  "text", "keyword", "integer", "long", "double", "date", "boolean", "ip", "geo_point", "geo_shape", "object", "nested",
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

/** Globals of a mapping document (the seed's `globals`), with the executor's defaults filled in. */
export interface Globals {
  nulls: string[];
  boolTrue: string[];
  boolFalse: string[];
  decimalSep: string;
  thousandsSep: string;
  /** Python strptime formats, or epoch_millis / epoch_second / epoch_seconds. */
  dateFormats: string[];
  defaultTz: string;
  emptyAsNull: boolean;
}

/** One input of a field or of zip/objectify: a JSONPath into the document, a top-level column, or a constant. */
export type CompiledInput =
  | { kind: "jsonpath"; expr: string; selector: CompiledSelector }
  | { kind: "column"; name: string }
  | { kind: "literal"; value: Json };

/** Conditions of `when` and `filter` (the seed's eval_condition); unknown kinds are always false. */
export type Condition =
  | { kind: "gt" | "gte" | "lt" | "lte"; value: Json; by: string | null }
  | { kind: "contains"; value: Json; by: string | null }
  | { kind: "is_numeric" | "is_empty" | "is_date"; by: string | null }
  | { kind: "matches"; regex: string; flags: string; by: string | null }
  | { kind: "in_set"; values: Json[]; by: string | null }
  | { kind: "never"; name: string; by: string | null };

export type CastTarget = "string" | "number" | "long" | "double" | "boolean" | "date";
export type TakeWhich = "first" | "last" | number;

export type CompiledOp =
  | { op: "trim" }
  | { op: "lower" }
  | { op: "upper" }
  | { op: "split"; sep: string; take: TakeWhich | null }
  | { op: "regex_replace"; pattern: string; repl: string; flags: string }
  | { op: "regex_extract"; pattern: string; group: number; flags: string }
  | { op: "date_parse"; formats: string[] | null; assumeTz: string | null }
  | { op: "geo_parse"; format: string }
  | { op: "cast"; to: CastTarget }
  | { op: "dict"; name: string; onUnknown: "keep" | "default" | "error"; default: Json }
  | { op: "concat"; sep: string }
  | { op: "coalesce" }
  | { op: "phonetic"; method: string }
  | { op: "hash"; algo: "md5" | "sha1" | "sha256"; salt: string }
  | { op: "when"; cond: Condition; then: CompiledOp[]; else: CompiledOp[] }
  | { op: "map"; then: CompiledOp[] }
  | { op: "take"; which: TakeWhich }
  | { op: "join"; sep: string }
  | { op: "flatten" }
  | { op: "zip"; with: CompiledInput[]; fill: Json }
  | { op: "objectify"; fields: Array<{ key: string; input: CompiledInput | null }>; fill: Json; strict: boolean }
  | { op: "length" }
  | { op: "literal"; value: Json }
  | { op: "filter"; cond: Condition }
  | { op: "slice"; start: number; end: number | null }
  | { op: "unique"; by: string | null }
  | { op: "sort"; by: string | null; order: "asc" | "desc"; numeric: boolean; missingLast: boolean }
  /**
   * Only in lenient compiles (comparing with the seed's dry-run, which runs unvalidated mappings): an op the
   * seed would report at run time (W_OP_UNKNOWN: value kept; E_OP_EXEC: value null). Targets never see it.
   */
  | { op: "unsupported"; name: string; code: "W_OP_UNKNOWN" | "E_OP_EXEC" };

export type OpName = CompiledOp["op"];

export interface MultiField {
  name: string;
  type: string;
  analyzer?: string;
  normalizer?: string;
}

export interface CompiledField {
  /** Dotted output path (`address.city`); the first parts may be containers. */
  target: string;
  type: EsFieldType;
  druidType: DruidFieldType;
  inputs: CompiledInput[];
  ops: CompiledOp[];
  /** Elasticsearch mapping options, as the seed compiles them. */
  es: {
    format?: string;
    analyzer?: string;
    normalizer?: string;
    ignoreAbove?: number;
    nullValue?: Json;
    copyTo?: string[];
    multiFields?: MultiField[];
    options?: Record<string, Json>;
  };
}

export interface Container {
  /** Path without `[]`, dotted. */
  path: string;
  type: "object" | "nested";
  /** Written as `x[]` or nested: the container holds an array of objects. */
  array: boolean;
}

export interface IdPolicy {
  from: string[];
  sep: string;
  hash: "sha1" | "sha256" | "md5" | null;
  salt: string;
  onConflict: "error" | "overwrite" | "skip";
}

export interface Dictionary {
  caseInsensitive: boolean;
  trimKeys: boolean;
  /** Keys already normalised per the flags above. */
  data: Record<string, Json>;
}

export type SourceSpec =
  | { format: "json"; kafkaTopic: string | null }
  /** Rows of a CSV file (header line names the columns); `column` inputs read them. */
  | { format: "csv"; kafkaTopic: string | null; delimiter: string }
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
  /** Per-dataset knobs of the replaced Druid GitOps repository (absent = its defaults). */
  indexSpec?: Json;
  partitionDimensions?: string[];
  dimensionExclusions?: string[];
  includeAllDimensions?: boolean;
  useSchemaDiscovery?: boolean;
  filter?: Json;
}

export interface MonitoringThresholds {
  /** A critical dataset pages on its first failed document in prod. */
  critical?: boolean;
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
  /** Dataset key: the document's `index`. */
  name: string;
  description: string;
  /** DSL file path relative to the DSL directory. */
  file: string;
  /** sha256 (hex, 16 chars) of the canonical DSL document: what promotion pins. */
  contentHash: string;
  source: SourceSpec;
  globals: Globals;
  idPolicy: IdPolicy | null;
  containers: Container[];
  dictionaries: Record<string, Dictionary>;
  fields: CompiledField[];
  /** Passed through to the index template (seed: `settings`, `dynamic_templates`, `runtime_fields`). */
  esSettings: Record<string, Json>;
  dynamicTemplates: Json[];
  runtimeFields: Record<string, Json>;
  sinks: { elasticsearch: ElasticsearchSink | null; druid: DruidSink | null };
  monitoring: MonitoringThresholds;
}

export const DEFAULT_MONITORING: MonitoringThresholds = {
  druid: { maxLagSeconds: 300, parseErrorRatio: 0.01, taskFailureRatio: 0.05, noIngestMinutes: 15 },
  elasticsearch: { indexingFailureRatio: 0.01, noDocsMinutes: 30, ilmStuckHours: 24 },
};
