// The JSON Schema of a mapping document: the seed's model (index, globals, id_policy, containers,
// dictionaries, fields, …) plus mapstack's extension blocks. Ops come from the op catalogue, so the
// schema editors use and the validator never disagree on what an op accepts.
import { CONDITION_KINDS } from "./conditions";
import { DSL_OPS, type ParamSpec } from "./ops";
import { DRUID_SCHEMA, ELASTICSEARCH_SCHEMA, MONITORING_SCHEMA, SINKS_SCHEMA, SOURCE_SCHEMA } from "./schema-extensions";
import { ES_FIELD_TYPES } from "./types";

type S = Record<string, unknown>;

const INPUT_SCHEMA: S = {
  type: "object",
  required: ["kind"],
  description: "Where a value comes from: jsonpath {expr}, column {name} (a top-level key of the row), literal {value}",
  properties: {
    kind: { enum: ["jsonpath", "column", "literal"] },
    expr: { type: "string", maxLength: 1000 },
    name: { type: "string" },
    value: {},
  },
  additionalProperties: false,
};

function paramSchema(p: ParamSpec): S {
  const base: S = (() => {
    switch (p.type) {
      case "string":
        return { type: "string", ...(p.enum ? { enum: p.enum } : {}), ...(p.pattern ? { pattern: p.pattern } : {}), ...(p.maxLength ? { maxLength: p.maxLength } : {}) };
      case "integer":
        return { type: "integer", ...(p.min !== undefined ? { minimum: p.min } : {}) };
      case "boolean":
        return { type: "boolean" };
      case "string_array":
        return { type: "array", items: { type: "string" } };
      case "string_or_null":
        return { type: ["string", "null"] };
      case "integer_or_null":
        return { type: ["integer", "null"] };
      case "take":
        return { oneOf: [{ enum: ["first", "last"] }, { type: "integer", minimum: 0 }] };
      case "input":
        return { $ref: "#/$defs/input" };
      case "inputs":
        return { type: "array", items: { $ref: "#/$defs/input" } };
      case "input_map":
        return { type: "object", additionalProperties: { $ref: "#/$defs/input" } };
      case "ops":
        return { type: "array", items: { $ref: "#/$defs/op" } };
      case "cond":
        return { $ref: "#/$defs/condition" };
      case "any":
        return {};
    }
  })();
  return p.variant ? { ...base, description: `accepted by mapstack (${p.variant})` } : base;
}

function opSchemas(): S[] {
  return DSL_OPS.map((spec) => {
    const props: S = { op: { enum: [spec.name, ...spec.aliases] } };
    const required = ["op"];
    for (const [name, p] of Object.entries(spec.params)) {
      props[name] = paramSchema(p);
      for (const a of p.aliases ?? []) props[a] = paramSchema(p);
      if (p.required && !(p.aliases ?? []).length) required.push(name);
    }
    return { type: "object", description: spec.summary, required, properties: props, additionalProperties: false, if: { properties: { op: { enum: [spec.name, ...spec.aliases] } } } };
  });
}

/** The whole document schema (draft-07, the dialect yaml-language-server reads). */
export function mappingDocumentSchema(): S {
  const ops = opSchemas();
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://mapstack.dev/schema/mapping-dsl.schema.json",
    title: "Mapping DSL (V2.x) with mapstack extensions",
    description: "One document = one dataset: the mapping service's Mapping DSL (index, globals, id_policy, containers, dictionaries, fields with input and pipeline), plus optional mapstack blocks source, sinks and monitoring.",
    type: "object",
    required: ["dsl_version", "index", "globals", "id_policy", "fields"],
    properties: {
      dsl_version: { type: "string", pattern: "^\\d+\\.\\d+$", description: "DSL version, e.g. \"2.2\" (2.0, 2.1 and 2.2 documents are read the same way)" },
      index: { type: "string", minLength: 1, pattern: "^[a-z0-9_-]+$", description: "Index (and dataset) name" },
      description: { type: "string" },
      globals: {
        type: "object",
        required: ["nulls", "bool_true", "bool_false", "decimal_sep", "thousands_sep", "date_formats", "default_tz", "empty_as_null", "preview"],
        properties: {
          nulls: { type: "array", items: { type: "string" }, description: "Strings read as null (exact match)" },
          bool_true: { type: "array", items: { type: "string" }, description: "Tokens read as true (case-insensitive)" },
          bool_false: { type: "array", items: { type: "string" }, description: "Tokens read as false (case-insensitive)" },
          decimal_sep: { type: "string" },
          thousands_sep: { type: "string" },
          date_formats: { type: "array", items: { type: "string" }, description: "Python strptime formats (%d/%m/%Y), epoch_millis, epoch_second(s)" },
          default_tz: { type: "string", description: "IANA time zone for dates without an offset" },
          empty_as_null: { type: "boolean" },
          preview: { type: "object", properties: { sample_size: { type: "integer", minimum: 1 }, seed: { type: "integer" } } },
        },
      },
      id_policy: {
        type: "object",
        required: ["from", "op", "sep", "on_conflict"],
        properties: {
          from: { type: "array", items: { type: "string" }, minItems: 1, description: "Top-level keys of the row the _id is built from" },
          op: { enum: ["concat"] },
          sep: { type: "string" },
          hash: { enum: ["sha1", "sha256"] },
          salt: { type: "string" },
          on_conflict: { enum: ["error", "overwrite", "skip"] },
        },
      },
      containers: {
        type: "array",
        items: {
          type: "object",
          required: ["path", "type"],
          properties: { path: { type: "string", pattern: "^[a-zA-Z0-9_]+(\\[\\])?(\\.[a-zA-Z0-9_]+(\\[\\])?)*$" }, type: { enum: ["object", "nested"] } },
          additionalProperties: false,
        },
      },
      dictionaries: {
        type: "object",
        additionalProperties: {
          type: "object",
          description: "Either a plain key → value object, or {meta: {case_insensitive, trim_keys}, data: {…}}",
        },
      },
      fields: {
        type: "array",
        minItems: 1,
        items: {
          type: "object",
          required: ["target", "type", "input", "pipeline"],
          properties: {
            target: { type: "string", pattern: "^[a-zA-Z_][a-zA-Z0-9_.]*$", description: "Output path; dots nest (address.city)" },
            type: { enum: ES_FIELD_TYPES },
            format: { type: "string" },
            analyzer: { type: "string" },
            normalizer: { type: "string" },
            ignore_above: { type: "integer", minimum: 1 },
            null_value: {},
            copy_to: { type: "array", items: { type: "string" } },
            multi_fields: {
              type: "array",
              items: { type: "object", required: ["name", "type"], properties: { name: { type: "string" }, type: { type: "string" }, analyzer: { type: "string" }, normalizer: { type: "string" } }, additionalProperties: false },
            },
            options: { type: "object" },
            input: { type: "array", items: { $ref: "#/$defs/input" } },
            pipeline: { type: "array", items: { $ref: "#/$defs/op" } },
          },
          additionalProperties: false,
        },
      },
      dynamic_templates: { type: "array", items: { type: "object" } },
      runtime_fields: { type: "object", additionalProperties: { type: "object" } },
      settings: { type: "object" },
      source: SOURCE_SCHEMA,
      sinks: SINKS_SCHEMA,
      monitoring: MONITORING_SCHEMA,
    },
    $defs: {
      input: INPUT_SCHEMA,
      op: { type: "object", required: ["op"], properties: { op: { enum: DSL_OPS.flatMap((s) => [s.name, ...s.aliases]) } }, allOf: ops.map((o) => ({ if: o.if, then: { ...o, if: undefined } })) },
      condition: {
        type: "object",
        description: `A condition: {gt: 5}, {contains: "x"}, {type: matches, regex, flags}, {type: in_set, values}, … (kinds: ${CONDITION_KINDS.join(", ")}); \`by\` reads a member of object elements`,
      },
      elasticsearch: ELASTICSEARCH_SCHEMA,
      druid: DRUID_SCHEMA,
    },
  };
}
