// mapstack's extension blocks of a mapping document (source, sinks, monitoring), as JSON Schema.
// The seed model's own parts and the ops are generated from the op catalogue in schema-document.ts.

export const SOURCE_SCHEMA: Record<string, unknown> = {
  "type": "object",
  "additionalProperties": false,
  "required": [
    "format"
  ],
  "properties": {
    "format": {
      "enum": [
        "json",
        "csv",
        "protobuf"
      ]
    },
    "proto": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "file",
        "message"
      ],
      "properties": {
        "file": {
          "type": "string",
          "description": "Path of the .proto, relative to the DSL directory"
        },
        "message": {
          "type": "string",
          "description": "Fully-qualified message name"
        }
      }
    },
    "kafka": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "topic"
      ],
      "properties": {
        "topic": {
          "type": "string",
          "pattern": "^[A-Za-z0-9._-]+$"
        }
      }
    },
    "csv": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "delimiter": {
          "type": "string",
          "minLength": 1,
          "maxLength": 1
        }
      }
    }
  },
  "description": "mapstack extension: where rows come from (JSON documents, CSV rows, or a protobuf message on a Kafka topic). Default: JSON."
};

export const SINKS_SCHEMA: Record<string, unknown> = {
  "type": "object",
  "additionalProperties": false,
  "minProperties": 1,
  "properties": {
    "elasticsearch": {
      "$ref": "#/$defs/elasticsearch"
    },
    "druid": {
      "$ref": "#/$defs/druid"
    }
  },
  "description": "mapstack extension: where rows go. Without it, the dataset goes to Elasticsearch under its `index` with the seed's ILM."
};

export const MONITORING_SCHEMA: Record<string, unknown> = {
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "critical": {
      "type": "boolean",
      "description": "Page on the first failed document in prod (failure index)"
    },
    "druid": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "max_lag_seconds": {
          "type": "number",
          "exclusiveMinimum": 0
        },
        "parse_error_ratio": {
          "type": "number",
          "minimum": 0,
          "maximum": 1
        },
        "task_failure_ratio": {
          "type": "number",
          "minimum": 0,
          "maximum": 1
        },
        "no_ingest_minutes": {
          "type": "number",
          "exclusiveMinimum": 0
        }
      }
    },
    "elasticsearch": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "indexing_failure_ratio": {
          "type": "number",
          "minimum": 0,
          "maximum": 1
        },
        "no_docs_minutes": {
          "type": "number",
          "exclusiveMinimum": 0
        },
        "ilm_stuck_hours": {
          "type": "number",
          "exclusiveMinimum": 0
        }
      }
    }
  },
  "description": "mapstack extension: alert thresholds (defaults: the runbooks' values)."
};

export const ELASTICSEARCH_SCHEMA: Record<string, unknown> = {
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "index": {
      "type": "string",
      "description": "Data stream or rollover alias name (default: the document's `index`, '_' → '-')",
      "pattern": "^[a-z0-9][a-z0-9._-]{0,200}$"
    },
    "mode": {
      "enum": [
        "data_stream",
        "rollover_alias"
      ],
      "default": "rollover_alias"
    },
    "dynamic": {
      "enum": [
        "strict",
        "true",
        "false",
        "runtime"
      ],
      "default": "strict"
    },
    "version": {
      "type": "integer",
      "minimum": 1,
      "default": 1,
      "description": "Bump for a breaking mapping change"
    },
    "ilm": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "hot"
      ],
      "properties": {
        "hot": {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "max_age": {
              "type": "string",
              "pattern": "^[0-9]+(ms|s|m|h|d)$"
            },
            "max_primary_shard_size": {
              "type": "string",
              "pattern": "^[0-9]+(b|kb|mb|gb|tb)$"
            },
            "max_docs": {
              "type": "integer",
              "minimum": 1
            },
            "priority": {
              "type": "integer",
              "minimum": 0
            }
          }
        },
        "warm": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "min_age"
          ],
          "properties": {
            "min_age": {
              "type": "string",
              "pattern": "^[0-9]+(ms|s|m|h|d)$"
            },
            "priority": {
              "type": "integer",
              "minimum": 0
            },
            "shrink_shards": {
              "type": "integer",
              "minimum": 1
            },
            "force_merge_segments": {
              "type": "integer",
              "minimum": 1
            }
          }
        },
        "cold": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "min_age"
          ],
          "properties": {
            "min_age": {
              "type": "string",
              "pattern": "^[0-9]+(ms|s|m|h|d)$"
            },
            "priority": {
              "type": "integer",
              "minimum": 0
            }
          }
        },
        "delete": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "min_age"
          ],
          "properties": {
            "min_age": {
              "type": "string",
              "pattern": "^[0-9]+(ms|s|m|h|d)$"
            }
          }
        }
      }
    }
  }
};

/** Per-dataset Druid keys of the replaced GitOps repository (indexSpec, partitioning, schema discovery, filter). */
const DRUID_SINK_KNOBS: Record<string, unknown> = {
  index_spec: {
    type: "object",
    description: "tuningConfig.indexSpec (and indexSpecForIntermediatePersists)",
    properties: {
      bitmap: { type: "object", properties: { type: { enum: ["roaring", "concise"] } }, required: ["type"] },
      dimensionCompression: { enum: ["lz4", "lzf", "zstd", "uncompressed"] },
      metricCompression: { enum: ["lz4", "lzf", "zstd", "uncompressed", "none"] },
      longEncoding: { enum: ["longs", "auto"] },
      stringDictionaryEncoding: { type: "object" },
    },
    additionalProperties: false,
  },
  partition_dimensions: { type: "array", items: { type: "string" }, description: "secondary partitioning dimensions (hashed partitionsSpec)" },
  dimension_exclusions: { type: "array", items: { type: "string" } },
  include_all_dimensions: { type: "boolean" },
  use_schema_discovery: { type: "boolean" },
  filter: { type: ["object", "null"], description: "a Druid filter object (transformSpec.filter)" },
};

export const DRUID_SCHEMA: Record<string, unknown> = {
  "type": "object",
  "additionalProperties": false,
  "required": [
    "datasource",
    "timestamp",
    "dimensions"
  ],
  "properties": {
    "datasource": {
      "type": "string",
      "pattern": "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,200}$"
    },
    "timestamp": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "field"
      ],
      "properties": {
        "field": {
          "type": "string"
        },
        "format": {
          "enum": [
            "iso",
            "millis",
            "posix",
            "auto"
          ],
          "default": "auto"
        }
      }
    },
    "granularity": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "segment": {
          "enum": [
            "MINUTE",
            "FIFTEEN_MINUTE",
            "HOUR",
            "SIX_HOUR",
            "DAY",
            "WEEK",
            "MONTH",
            "YEAR"
          ]
        },
        "query": {
          "enum": [
            "NONE",
            "SECOND",
            "MINUTE",
            "FIFTEEN_MINUTE",
            "HOUR",
            "DAY"
          ]
        },
        "rollup": {
          "type": "boolean"
        }
      }
    },
    "dimensions": {
      "type": "array",
      "minItems": 1,
      "uniqueItems": true,
      "items": {
        "type": "string"
      }
    },
    "metrics": {
      "type": "array",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "type"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "type": {
            "enum": [
              "count",
              "longSum",
              "doubleSum",
              "longMin",
              "longMax",
              "doubleMin",
              "doubleMax",
              "thetaSketch",
              "HLLSketchBuild"
            ]
          },
          "field": {
            "type": "string"
          }
        }
      }
    },
    "replaces": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "datasource"
      ],
      "properties": {
        "datasource": {
          "type": "string"
        },
        "old_supervisor": {
          "enum": [
            "suspend",
            "keep_running",
            "terminate"
          ],
          "default": "suspend"
        }
      },
      "description": "Set when a breaking schema change moves the dataset to a new datasource"
    }
  }
};

Object.assign(DRUID_SCHEMA.properties as Record<string, unknown>, DRUID_SINK_KNOBS);
