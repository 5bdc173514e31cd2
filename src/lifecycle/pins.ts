// Promoted stacks (staging, prod) deploy exactly the dataset versions `mapstack promote` pinned, so a
// DSL edit merged straight into the staging or main branch cannot reach them unvalidated.
import { MapstackError } from "../dsl/diagnostics";

export interface PinnedDataset {
  name: string;
  contentHash: string;
}

export type PinProblem =
  | { kind: "changed"; dataset: string; pinned: string; actual: string }
  | { kind: "unpinned"; dataset: string; actual: string }
  | { kind: "deleted"; dataset: string; pinned: string };

/** Differences between what dsl/ holds and what the stack pins. No pins = the stack is not promoted into. */
export function comparePins(datasets: PinnedDataset[], pins: Record<string, string>): PinProblem[] {
  if (Object.keys(pins).length === 0) return [];
  const problems: PinProblem[] = [];
  const present = new Set<string>();
  for (const d of datasets) {
    present.add(d.name);
    const pinned = pins[d.name];
    if (pinned === undefined) problems.push({ kind: "unpinned", dataset: d.name, actual: d.contentHash });
    else if (pinned !== d.contentHash) problems.push({ kind: "changed", dataset: d.name, pinned, actual: d.contentHash });
  }
  for (const [name, pinned] of Object.entries(pins)) {
    if (!present.has(name)) problems.push({ kind: "deleted", dataset: name, pinned });
  }
  return problems.sort((a, b) => (a.dataset < b.dataset ? -1 : a.dataset > b.dataset ? 1 : 0));
}

/**
 * Throws unless dsl/ matches the pins. A pinned dataset missing from dsl/ means its resources would be
 * deleted: refused unless the stack allows dataset deletion.
 */
export function checkPins(opts: { stack: string; promotedFrom: string | null; datasets: PinnedDataset[]; pins: Record<string, string>; allowDatasetDeletion: boolean }): void {
  const problems = comparePins(opts.datasets, opts.pins).filter((p) => !(p.kind === "deleted" && opts.allowDatasetDeletion));
  if (!problems.length) return;
  const file = `Pulumi.${opts.stack}.yaml`;
  const from = opts.promotedFrom ?? "<previous stack>";
  const lines = problems.map((p) => {
    switch (p.kind) {
      case "changed":
        return `  dataset '${p.dataset}': ${file} pins ${p.pinned} but dsl/ holds ${p.actual}`;
      case "unpinned":
        return `  dataset '${p.dataset}' (${p.actual}) is in dsl/ but not pinned: it was never promoted to ${opts.stack}`;
      case "deleted":
        return `  dataset '${p.dataset}' (pinned ${p.pinned}) is missing from dsl/: deploying would delete its resources, and ${file} has mapstack:allowDatasetDeletion false`;
    }
  });
  const hint = problems.every((p) => p.kind === "deleted")
    ? `Restore the DSL file, or allow the deletion explicitly: pulumi config set mapstack:allowDatasetDeletion true --stack ${opts.stack}`
    : `Promote the validated versions: mapstack promote --from ${from} --to ${opts.stack} (or deploy the commit the pins were made from).`;
  throw new MapstackError(`${file}:1:1: stack ${opts.stack} pins dataset versions (mapstack:datasetPins) that dsl/ does not match:\n${lines.join("\n")}\n${hint}`);
}

export function formatPins(datasets: PinnedDataset[]): string[] {
  return [...datasets].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((d) => `${d.name}@${d.contentHash}`);
}
