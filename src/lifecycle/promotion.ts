// Promotion dev → staging → prod: what the target stack pins after `mapstack promote`. Pure; the CLI
// reads the files and writes the result.
import { MapstackError } from "../dsl/diagnostics";
import { ENVIRONMENTS, type StackSettings } from "../settings/stack-settings";
import { comparePins, formatPins, type PinnedDataset } from "./pins";

export interface PromotionInput {
  from: StackSettings;
  to: StackSettings;
  /** Datasets of dsl/ as compiled and validated now. */
  datasets: PinnedDataset[];
  /** Schema version built from dsl/proto, when it can be computed (null = unknown). */
  builtSchemaVersion: string | null;
  force: boolean;
}

export interface PromotionPlan {
  /** Config changes for Pulumi.<to>.yaml (undefined = remove the key). */
  changes: { datasetPins: string[]; schemaVersion: string | undefined; promotedFrom: string };
  /** Datasets the target stops pinning: their resources will be deleted by the next deploy. */
  dropped: string[];
  notes: string[];
}

const stage = (s: StackSettings) => ENVIRONMENTS.indexOf(s.environment);

export function planPromotion(input: PromotionInput): PromotionPlan {
  const { from, to } = input;
  const notes: string[] = [];
  if (from.stack === to.stack) throw new MapstackError(`cannot promote stack ${from.stack} to itself`);
  const gap = stage(to) - stage(from);
  if (gap !== 1) {
    const order = ENVIRONMENTS.join(" → ");
    const what = gap <= 0 ? `goes backwards (${from.environment} → ${to.environment})` : `skips a stage (${from.environment} → ${to.environment})`;
    if (!input.force) throw new MapstackError(`promotion from ${from.stack} to ${to.stack} ${what}; promotion follows ${order}. Use --force to do it anyway.`);
    notes.push(`forced: promotion ${what}`);
  }

  // A promoted source deploys only its pins, so dsl/ must still be exactly what it was validated with.
  const drift = comparePins(input.datasets, from.lifecycle.datasetPins);
  if (drift.length) {
    const list = drift.map((p) => `  ${p.dataset}: ${p.kind === "deleted" ? `pinned ${p.pinned}, missing from dsl/` : p.kind === "unpinned" ? `${p.actual} not pinned in ${from.stack}` : `${from.stack} pins ${p.pinned}, dsl/ holds ${p.actual}`}`);
    throw new MapstackError(`dsl/ is not what stack ${from.stack} was validated with:\n${list.join("\n")}\nPromote into ${from.stack} first (or check out the commit ${from.stack} runs).`);
  }

  const pins = formatPins(input.datasets);
  const names = new Set(input.datasets.map((d) => d.name));
  const dropped = Object.keys(to.lifecycle.datasetPins).filter((n) => !names.has(n)).sort();
  if (dropped.length && !to.lifecycle.allowDatasetDeletion) {
    throw new MapstackError(
      `promoting would remove dataset(s) ${dropped.join(", ")} from ${to.stack}, deleting their resources, and Pulumi.${to.stack}.yaml has mapstack:allowDatasetDeletion false. ` +
        `If the deletion is intended, set it explicitly first: pulumi config set mapstack:allowDatasetDeletion true --stack ${to.stack}`,
    );
  }
  if (dropped.length) notes.push(`dataset(s) ${dropped.join(", ")} are no longer pinned: the next deploy of ${to.stack} deletes their resources`);

  const schemaVersion = from.schemas.pinnedVersion ?? input.builtSchemaVersion ?? undefined;
  if (!schemaVersion) notes.push(`schema version of dsl/proto unknown: ${to.stack} will run the version built from dsl/proto at deploy time (mapstack:schemaVersion removed)`);
  return { changes: { datasetPins: pins, schemaVersion, promotedFrom: from.stack }, dropped, notes };
}
