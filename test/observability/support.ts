// Bundled datasets and committed stacks, as `synth` sees them.
import * as path from "node:path";
import { compileDirectory } from "../../src/dsl/compile";
import type { CompiledDataset } from "../../src/dsl/types";
import { loadStackSettings, type StackSettings } from "../../src/settings/stack-settings";
import { REPO } from "../support/stack-config";

export const STACKS = ["dev", "staging", "prod"] as const;

export function bundled(stack: string): { settings: StackSettings; datasets: CompiledDataset[] } {
  const settings = loadStackSettings(REPO, stack);
  const { datasets } = compileDirectory(path.resolve(REPO, settings.dslDir));
  return { settings, datasets };
}

/**
 * Datasets the bundle does not have but users can write: a Druid datasource with "-" and "." (which
 * the emitter rewrites to "_"), fractional thresholds (converted to whole Prometheus durations), and a
 * dataset marked critical.
 */
export function variants(datasets: CompiledDataset[]): Array<{ what: string; dataset: CompiledDataset }> {
  const both = datasets.find((d) => d.sinks.druid && d.sinks.elasticsearch);
  if (!both) throw new Error("the bundle has no dataset with both sinks");
  const copy = (name: string, change: (d: CompiledDataset) => void): CompiledDataset => {
    const d = structuredClone(both);
    d.name = name;
    change(d);
    return d;
  };
  return [
    {
      what: "hyphenated and dotted Druid datasource",
      dataset: copy("orders_eu", (d) => {
        d.sinks.druid!.datasource = "orders-eu.v2";
      }),
    },
    {
      what: "fractional thresholds (no_ingest_minutes 2.5, no_docs_minutes 1.5, ilm_stuck_hours 1.5)",
      dataset: copy("fractional", (d) => {
        d.monitoring.druid.noIngestMinutes = 2.5;
        d.monitoring.elasticsearch.noDocsMinutes = 1.5;
        d.monitoring.elasticsearch.ilmStuckHours = 1.5;
      }),
    },
    {
      what: "critical dataset",
      dataset: copy("critical_orders", (d) => {
        (d.monitoring as { critical?: boolean }).critical = true;
      }),
    },
  ];
}
