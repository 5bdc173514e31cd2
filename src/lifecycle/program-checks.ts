// The lifecycle rules the Pulumi program enforces before it registers any resource, so a refused
// run leaves nothing half-applied.
import { MapstackError } from "../dsl/diagnostics";
import type { CompiledDataset } from "../dsl/types";
import type { StackSettings } from "../settings/stack-settings";
import { checkPins } from "./pins";
import { checkDeployWindow } from "./window";

export interface LifecycleRun {
  /** pulumi.runtime.isDryRun(): true for preview, false for up/destroy. */
  dryRun: boolean;
  now: Date;
  /** Where a preview's "an update would be refused" notice goes (default: stderr, which Pulumi shows). */
  warn?: (message: string) => void;
}

export function enforceLifecycle(settings: StackSettings, datasets: CompiledDataset[], run: LifecycleRun): void {
  const lc = settings.lifecycle;
  // Pins first: a run that deploys the wrong versions is wrong at any hour, and previews must say so too.
  checkPins({ stack: settings.stack, promotedFrom: lc.promotedFrom, datasets, pins: lc.datasetPins, allowDatasetDeletion: lc.allowDatasetDeletion });
  const decision = checkDeployWindow({ stack: settings.stack, window: lc.deployWindow, allowOutsideWindow: lc.allowOutsideWindow, dryRun: run.dryRun, now: run.now });
  if (!decision.allowed) throw new MapstackError(`Pulumi.${settings.stack}.yaml:1:1: ${decision.reason}`);
  if (decision.reason.startsWith("preview outside")) (run.warn ?? ((m) => process.stderr.write(`mapstack: ${m}\n`)))(decision.reason);
}
