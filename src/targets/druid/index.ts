// The Druid target for synth: one supervisor spec per dataset with a druid sink (Kafka password left as a
// placeholder) and the descriptor set the stack deploys, under schemas/<version>/ as S3 will hold it.
// Building the set runs the local buf binary: offline and byte-stable, so synth stays deterministic.
import * as fs from "node:fs";
import * as path from "node:path";
import { MapstackError } from "../../dsl/diagnostics";
import { readSource } from "../../dsl/source";
import type { CompiledDataset } from "../../dsl/types";
import { DESCRIPTOR_SET_FILE, type DescriptorSet } from "../../proto/descriptor-set";
import { deployedDescriptorSet } from "../../proto/store";
import type { StackSettings } from "../../settings/stack-settings";
import { jsonArtifact, type Artifact, type Target } from "../artifacts";
import { buildSupervisorSpec, DruidCompileError, type SupervisorSpec } from "./supervisor";

export interface DruidPlan {
  /** Null when no dataset decodes protobuf into Druid. */
  schema: DescriptorSet | null;
  supervisors: Array<{ dataset: CompiledDataset; spec: SupervisorSpec }>;
}

export function needsDescriptorSet(datasets: CompiledDataset[]): boolean {
  return datasets.some((d) => d.sinks.druid && d.source.format === "protobuf");
}

/** Turns a DruidCompileError's problems into file:line:col diagnostics by reading the DSL file. */
export function locateDruidError(e: DruidCompileError, dslDir: string): MapstackError {
  const file = path.join(dslDir, e.file);
  let locate: ((p: Array<string | number>) => { line: number; col: number }) | null = null;
  try {
    const r = readSource(file, fs.readFileSync(file));
    if (r.ok) locate = (p) => r.source.locate(p);
  } catch {
    // the file vanished since compile: keep 1:1 rather than hide the real error
  }
  return new MapstackError(e.problems.map((p) => {
    const docPath = p.fieldIndex >= 0 ? ["fields", p.fieldIndex, ...p.opPath] : p.opPath;
    const pos = locate ? locate(docPath) : { line: 1, col: 1 };
    return { file, ...pos, message: `dataset ${e.dataset}: ${p.message}` };
  }));
}

/** Every supervisor spec of the stack, or a MapstackError listing every dataset Druid cannot take. */
export function planDruid(settings: StackSettings, datasets: CompiledDataset[], projectDir: string, schema?: DescriptorSet | null): DruidPlan {
  const set = schema !== undefined ? schema : needsDescriptorSet(datasets) ? deployedDescriptorSet(projectDir, settings) : null;
  const ref = set ? { version: set.version, descriptorBase64: set.bytes.toString("base64") } : null;
  const dslDir = path.resolve(projectDir, settings.dslDir);
  const problems: MapstackError[] = [];
  const supervisors: DruidPlan["supervisors"] = [];
  for (const d of datasets) {
    try {
      const spec = buildSupervisorSpec(d, settings, ref);
      if (spec) supervisors.push({ dataset: d, spec });
    } catch (e) {
      if (e instanceof DruidCompileError) problems.push(locateDruidError(e, dslDir));
      else throw e;
    }
  }
  if (problems.length) throw new MapstackError(problems.flatMap((p) => p.diagnostics));
  return { schema: set, supervisors };
}

export function schemaManifest(set: DescriptorSet, settings: StackSettings): Record<string, unknown> {
  return {
    version: set.version,
    file: DESCRIPTOR_SET_FILE,
    bytes: set.bytes.length,
    sha256Prefix: set.version,
    builtWith: "buf build --as-file-descriptor-set --exclude-source-info (== protoc --include_imports)",
    source: settings.schemas.pinnedVersion ? "pinned (schemaVersion)" : "built from dsl/proto",
    s3Key: `${settings.schemas.prefix}/${set.version}/${DESCRIPTOR_SET_FILE}`,
    protoFiles: set.files,
    messages: set.messages,
  };
}

export const druidTarget: Target = {
  name: "druid",
  synth({ settings, datasets, projectDir }) {
    const plan = planDruid(settings, datasets, projectDir);
    const out: Artifact[] = plan.supervisors.map(({ dataset, spec }) => jsonArtifact(`${dataset.name}/druid/supervisor.json`, spec));
    if (plan.schema) {
      const dir = `schemas/${plan.schema.version}`;
      out.push({ path: `${dir}/${DESCRIPTOR_SET_FILE}`, content: plan.schema.bytes });
      out.push(jsonArtifact(`${dir}/manifest.json`, schemaManifest(plan.schema, settings)));
    }
    return out;
  },
};
