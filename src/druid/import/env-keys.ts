// What each key of the replaced repository's config/<env>.env becomes in mapstack: a stack setting
// (Pulumi.<stack>.yaml), a key of the dataset document, a secret that is never copied, or a key mapstack
// has no use for (with the reason). A key outside this table is an error: nothing is silently dropped.

export type SettingKind = "integer" | "boolean" | "string" | "period";

export type EnvKeyRole =
  | { role: "setting"; setting: string; kind: SettingKind; /** The replaced generator's value when the .env is silent. */ fallback?: string }
  | { role: "dataset"; what: string }
  | { role: "secret"; why: string }
  | { role: "superseded"; why: string };

const setting = (setting: string, kind: SettingKind, fallback?: string): EnvKeyRole => ({ role: "setting", setting, kind, ...(fallback !== undefined ? { fallback } : {}) });

export const ENV_KEYS: Record<string, EnvKeyRole> = {
  // Kafka connection
  KAFKA_BOOTSTRAP_SERVERS: setting("kafkaBootstrapServers", "string"),
  KAFKA_SECURITY_PROTOCOL: setting("kafkaSecurityProtocol", "string"),
  KAFKA_SASL_MECHANISM: setting("kafkaSaslMechanism", "string"),
  KAFKA_SASL_JAAS_CONFIG: { role: "secret", why: "the Kafka JAAS line carries the Kafka password" },
  KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM: setting("kafkaSslEndpointIdentificationAlgorithm", "string", ""),
  KAFKA_TOPIC: { role: "dataset", what: "source.kafka.topic" },
  // Kafka consumer
  KAFKA_FETCH_MIN_BYTES: setting("kafkaFetchMinBytes", "integer", "1048576"),
  KAFKA_FETCH_MAX_WAIT_MS: setting("kafkaFetchMaxWaitMs", "integer", "500"),
  KAFKA_MAX_POLL_RECORDS: setting("kafkaMaxPollRecords", "integer", "500"),
  KAFKA_SESSION_TIMEOUT_MS: setting("kafkaSessionTimeoutMs", "integer", "30000"),
  KAFKA_HEARTBEAT_INTERVAL_MS: setting("kafkaHeartbeatIntervalMs", "integer", "3000"),
  KAFKA_MAX_POLL_INTERVAL_MS: setting("kafkaMaxPollIntervalMs", "integer", "300000"),
  KAFKA_AUTO_OFFSET_RESET: setting("kafkaAutoOffsetReset", "string", "latest"),
  // Protobuf schema and its S3 storage
  PROTO_MESSAGE_TYPE: { role: "dataset", what: "source.proto.message" },
  PROTO_DESCRIPTOR_FILE: { role: "superseded", why: "mapstack builds the descriptor set from dsl/proto and names it by content hash" },
  PROTO_DESCRIPTOR_PATH: { role: "superseded", why: "mapstack sends the descriptor set inline in the supervisor spec (rollback restores the exact schema)" },
  SCHEMA_VERSION: { role: "superseded", why: "schema versions are content hashes; pin one with mapstack rollback / mapstack:schemaVersion" },
  S3_BUCKET: setting("schemaBucket", "string", "my-company-druid-schemas"),
  S3_REGION: setting("awsRegion", "string"),
  S3_ENDPOINT: { role: "superseded", why: "mapstack writes descriptor sets through the AWS provider; an S3-compatible endpoint (MinIO) is configured on that provider, not per stack" },
  S3_ACCESS_KEY: { role: "secret", why: "an S3 access key is a credential" },
  S3_SECRET_KEY: { role: "secret", why: "an S3 secret key is a credential" },
  // Datasource
  DATASOURCE_NAME: { role: "dataset", what: "sinks.druid.datasource" },
  TIMESTAMP_COLUMN: { role: "dataset", what: "sinks.druid.timestamp.field" },
  TIMESTAMP_FORMAT: { role: "dataset", what: "sinks.druid.timestamp.format" },
  SEGMENT_GRANULARITY: { role: "dataset", what: "sinks.druid.granularity.segment" },
  QUERY_GRANULARITY: { role: "dataset", what: "sinks.druid.granularity.query" },
  ROLLUP: { role: "dataset", what: "sinks.druid.granularity.rollup" },
  SECONDARY_PARTITION_DIMENSIONS: { role: "dataset", what: "sinks.druid.partition_dimensions" },
  TX_TYPE_VALIDATION_FILTER: { role: "dataset", what: "sinks.druid.filter" },
  // ioConfig
  TASK_COUNT: setting("druidTaskCount", "integer", "10"),
  REPLICAS: setting("druidReplicas", "integer", "2"),
  TASK_DURATION: setting("druidTaskDuration", "period", "PT1H"),
  USE_EARLIEST_OFFSET: setting("druidUseEarliestOffset", "boolean", "false"),
  USE_TRANSACTION: setting("druidUseTransaction", "boolean", "true"),
  START_DELAY: setting("druidStartDelay", "period", "PT5S"),
  PERIOD: setting("druidPeriod", "period", "PT30S"),
  COMPLETION_TIMEOUT: setting("druidCompletionTimeout", "period", "PT1H"),
  LATE_MESSAGE_REJECTION_PERIOD: setting("druidLateMessageRejectionPeriod", "period", "PT1H"),
  POLL_TIMEOUT: setting("druidPollTimeout", "integer", "100"),
  MINIMUM_MESSAGE_TIME: setting("druidMinimumMessageTime", "string", "1970-01-01T00:00:00.000Z"),
  // tuningConfig
  MAX_ROWS_IN_MEMORY: setting("druidMaxRowsInMemory", "integer", "500000"),
  MAX_BYTES_IN_MEMORY: setting("druidMaxBytesInMemory", "integer", "536870912"),
  MAX_ROWS_PER_SEGMENT: setting("druidMaxRowsPerSegment", "integer", "5000000"),
  INTERMEDIATE_PERSIST_PERIOD: setting("druidIntermediatePersistPeriod", "period", "PT10M"),
  MAX_PENDING_PERSISTS: setting("druidMaxPendingPersists", "integer", "2"),
  REPORT_PARSE_EXCEPTIONS: setting("druidReportParseExceptions", "boolean", "true"),
  LOG_PARSE_EXCEPTIONS: setting("druidLogParseExceptions", "boolean", "true"),
  MAX_PARSE_EXCEPTIONS: setting("druidMaxParseExceptions", "integer", "10000"),
  MAX_SAVED_PARSE_EXCEPTIONS: setting("druidMaxSavedParseExceptions", "integer", "100"),
  RESET_OFFSET_AUTOMATICALLY: setting("druidResetOffsetAutomatically", "boolean", "false"),
  SKIP_SEQUENCE_NUMBER_AVAILABILITY_CHECK: setting("druidSkipSequenceNumberAvailabilityCheck", "boolean", "false"),
  HANDOFF_CONDITION_TIMEOUT: setting("druidHandoffConditionTimeout", "integer", "900000"),
  INTERMEDIATE_HANDOFF_PERIOD: setting("druidIntermediateHandoffPeriod", "period", "P2147483647D"),
  CHAT_RETRIES: setting("druidChatRetries", "integer", "8"),
  HTTP_TIMEOUT: setting("druidHttpTimeout", "period", "PT10S"),
  SHUTDOWN_TIMEOUT: setting("druidShutdownTimeout", "period", "PT80S"),
  OFFSET_FETCH_PERIOD: setting("druidOffsetFetchPeriod", "period", "PT30S"),
  PARTITIONS_SPEC_TYPE: setting("druidPartitionsSpecType", "string", "dynamic"),
  TARGET_ROWS_PER_SEGMENT: setting("druidTargetRowsPerSegment", "integer", "5000000"),
  MAX_SPLIT_SIZE: setting("druidMaxSplitSize", "integer", "1073741824"),
  MAX_INPUT_SEGMENT_BYTES_PER_TASK: setting("druidMaxInputSegmentBytesPerTask", "integer", "10737418240"),
  // Where and which environment
  DRUID_OVERLORD_URL: setting("druidUrl", "string"),
  ENVIRONMENT: setting("environment", "string"),
};
