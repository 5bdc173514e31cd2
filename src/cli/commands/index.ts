// Every CLI command: name and one-line summary here, the module loaded only when the command runs.
// Loading every command up front pulled in @pulumi/pulumi (and through it the TypeScript compiler) for
// `--help` and `validate`; keep this file free of static imports of command modules.
import type { Command } from "../command";

export interface CommandEntry {
  name: string;
  /** Shown by `mapstack --help`; must equal the loaded command's own summary (test/cli/startup.test.ts). */
  summary: string;
  load(): Promise<Command>;
}

export const COMMANDS: CommandEntry[] = [
  { name: "validate", summary: "check DSL files (schema + semantics); all of dsl/ by default", load: async () => (await import("./validate")).validateCommand },
  { name: "simulate", summary: "the mapping service's dry-run: map sample rows (JSONL/JSON/CSV) and print {_id, _source} per row", load: async () => (await import("./simulate")).simulateCommand },
  { name: "synth", summary: "write every artifact a stack would deploy into <out>/<stack>/ (deterministic)", load: async () => (await import("./synth")).synthCommand },
  { name: "promote", summary: "pin the dataset and schema versions validated in one stack into the next (dev → staging → prod)", load: async () => (await import("./promote")).promoteCommand },
  { name: "rollback", summary: "pin a stack to an older, still-stored protobuf schema version (schema-only rollback)", load: async () => (await import("./rollback")).rollbackCommand },
  { name: "compat", summary: "breaking-change check: buf breaking (WIRE_JSON) on dsl/proto + Elasticsearch field types", load: async () => (await import("./compat")).compatCommand },
  { name: "schemas", summary: "protobuf descriptor-set versions: list, build into schemas/, record what a stack runs", load: async () => (await import("./schemas")).schemasCommand },
  { name: "report", summary: "push a pulumi up outcome (result, duration, changed resources) and compile metrics to a Prometheus Pushgateway", load: async () => (await import("./report")).reportCommand },
  { name: "infer", summary: "propose a mapping document from sample rows (the mapping service's infer-types)", load: async () => (await import("./infer")).inferCommand },
  { name: "size", summary: "estimate index size and recommend shards (the mapping service's estimate-size)", load: async () => (await import("./size")).sizeCommand },
  { name: "schema", summary: "write (or --check) the editor JSON Schema of mapping documents, generated from the op catalogue", load: async () => (await import("./schema")).schemaCommand },
  { name: "status", summary: "post-deploy checks of a stack: Druid supervisors, tasks, ingestion, parse errors, SQL row count; ES health", load: async () => (await import("./status")).statusCommand },
  { name: "import-druid", summary: "move a Druid GitOps repository (config/*.env, dimensions/metrics/transforms JSON, proto) over: a dataset document + Pulumi.<stack>.yaml settings", load: async () => (await import("./import-druid")).importDruidCommand },
  { name: "drift", summary: "compare what a stack would deploy with what live Elasticsearch and Druid hold (no Pulumi state needed)", load: async () => (await import("./drift")).driftCommand },
];
