// The breaking-change gate the Pulumi program runs before registering anything: the descriptor set the
// stack is about to deploy against the one it runs now (schemas/lock.json). A WIRE_JSON break is allowed
// only for datasets the DSL moved to a new datasource (`replaces:`), never silently.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MapstackError } from "../dsl/diagnostics";
import type { CompiledDataset } from "../dsl/types";
import type { StackSettings } from "../settings/stack-settings";
import { checkWireCompat, formatVerdict, type BreakingVerdict } from "./compat";
import type { DescriptorSet } from "./descriptor-set";
import { resolveStackSchema, type StackSchema } from "./store";

export interface GateResult {
  schema: StackSchema;
  verdicts: BreakingVerdict[];
  /** Datasets the breaks touch that moved to a new datasource: allowed. */
  movedDatasets: string[];
  note: string;
}

function withTempSets<T>(sets: DescriptorSet[], fn: (files: string[]) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-gate-"));
  try {
    const files = sets.map((s, i) => {
      const f = path.join(dir, `${i}-${s.version}.binpb`);
      fs.writeFileSync(f, s.bytes);
      return f;
    });
    return fn(files);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function wireVerdicts(current: DescriptorSet, previous: DescriptorSet): BreakingVerdict[] {
  if (current.version === previous.version) return [];
  return withTempSets([current, previous], ([c, p]) => checkWireCompat(c, p));
}

/** Protobuf datasets into Druid a verdict concerns: those reading its file, or all of them for a shared import. */
export function affectedDatasets(verdicts: BreakingVerdict[], datasets: CompiledDataset[]): CompiledDataset[] {
  const druidProto = datasets.filter((d) => d.sinks.druid && d.source.format === "protobuf");
  const own = new Set(druidProto.map((d) => (d.source.format === "protobuf" ? d.source.protoFile.replace(/^proto\//, "") : "")));
  return druidProto.filter((d) =>
    verdicts.some((v) => (d.source.format === "protobuf" && d.source.protoFile.replace(/^proto\//, "") === v.file) || !own.has(v.file)),
  );
}

export function schemaGate(projectDir: string, settings: StackSettings, datasets: CompiledDataset[]): GateResult {
  const schema = resolveStackSchema(projectDir, settings);
  const base = { schema, verdicts: [] as BreakingVerdict[], movedDatasets: [] as string[] };
  if (!schema.baseline) return { ...base, note: `no schemas/lock.json entry for stack ${settings.stack}: first deploy, nothing to compare` };
  if (schema.baseline.version === schema.deployed.version) return { ...base, note: `schema ${schema.deployed.version} unchanged` };
  if (schema.rollback) return { ...base, note: `rollback to ${schema.deployed.version}, a version stack ${settings.stack} ran before: gate skipped` };
  const verdicts = wireVerdicts(schema.deployed, schema.baseline);
  if (!verdicts.length) return { ...base, note: `schema ${schema.baseline.version} → ${schema.deployed.version}: compatible (WIRE_JSON)` };
  const affected = affectedDatasets(verdicts, datasets);
  const blocked = affected.filter((d) => !d.sinks.druid?.replaces);
  if (blocked.length) {
    const dslDir = path.resolve(projectDir, settings.dslDir);
    throw new MapstackError(
      [
        ...verdicts.map((v) => ({ file: path.join(dslDir, "proto", v.file), line: v.line || 1, col: v.col || 1, message: formatVerdict(v).replace(/^[^ ]+: /, "") })),
        ...blocked.map((d) => ({
          file: path.join(dslDir, d.file),
          line: 1,
          col: 1,
          message:
            `dataset ${d.name}: schema ${schema.deployed.version} breaks ${schema.baseline!.version}, which stack ${settings.stack} runs (schemas/lock.json); ` +
            `a breaking change needs a new datasource: set sinks.druid.datasource to a new name (e.g. ${d.sinks.druid!.datasource}_v2) with ` +
            `replaces: {datasource: ${d.sinks.druid!.datasource}, old_supervisor: suspend|keep_running|terminate}`,
        })),
      ],
    );
  }
  return { schema, verdicts, movedDatasets: affected.map((d) => d.name), note: `breaking changes allowed: ${affected.map((d) => d.name).join(", ")} moved to a new datasource` };
}
