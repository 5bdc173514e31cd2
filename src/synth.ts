// synth: every target's artifacts for one stack plus a summary, in a stable order.
import type { Artifact, SynthContext } from "./targets/artifacts";
import { TARGETS } from "./targets";

export function synthesize(ctx: SynthContext): Artifact[] {
  const artifacts = TARGETS.flatMap((t) => t.synth(ctx));
  const seen = new Set<string>();
  for (const a of artifacts) {
    if (seen.has(a.path)) throw new Error(`internal: two targets write ${a.path}`);
    seen.add(a.path);
  }
  artifacts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return [...artifacts, { path: "summary.txt", content: summary(ctx, artifacts) }];
}

function summary(ctx: SynthContext, artifacts: Artifact[]): string {
  const s = ctx.settings;
  const lines = [
    `mapstack synth — stack ${s.stack} (${s.environment})`,
    `elasticsearch ${s.elasticsearch.url}  shards ${s.elasticsearch.shards}  replicas ${s.elasticsearch.replicas}`,
    `druid ${s.druid.url}  taskCount ${s.druid.taskCount}  replicas ${s.druid.replicas}${s.druid.suspended ? "  SUSPENDED" : ""}`,
    "",
    "datasets:",
  ];
  for (const d of ctx.datasets) {
    const sinks = [d.sinks.elasticsearch && `elasticsearch:${d.sinks.elasticsearch.index}`, d.sinks.druid && `druid:${d.sinks.druid.datasource}`].filter(Boolean);
    lines.push(`  ${d.name}  ${d.contentHash}  ${d.fields.length} fields  source ${d.source.format}  → ${sinks.join(", ")}`);
  }
  lines.push("", `files (${artifacts.length}):`, ...artifacts.map((a) => `  ${a.path}`));
  return lines.join("\n") + "\n";
}
