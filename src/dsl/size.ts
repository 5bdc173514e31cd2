// Index size estimate and shard recommendation, as the mapping service's estimate-size computes it:
// a fixed overhead per document plus bytes per field by type (keyword/text from the average length),
// times one plus the number of multi-fields; shards so that a primary shard stays under the target size.
import type { CompiledDataset } from "./types";

const DOC_OVERHEAD = 100;
const DEFAULT_AVG_LEN = 16;

export interface SizeEstimate {
  perDocBytes: number;
  primaryBytes: number;
  totalBytes: number;
  shards: number;
  fields: Array<{ target: string; type: string; perDocBytes: number; avgLen: number | null }>;
}

function fieldBytes(type: string, avgLen: number): number {
  switch (type) {
    case "keyword":
      return Math.floor(avgLen + 16);
    case "text":
      return Math.floor(1.5 * avgLen) + 1;
    case "integer":
    case "long":
    case "double":
    case "date":
      return 8;
    case "boolean":
      return 1;
    case "ip":
    case "geo_point":
      return 16;
    case "geo_shape":
      return 64;
    default:
      return 8;
  }
}

export function estimateSize(ds: CompiledDataset, docs: number, opts: { replicas: number; targetShardGb: number; avgLen?: Record<string, number> }): SizeEstimate {
  const fields = ds.fields.map((f) => {
    const avg = opts.avgLen?.[f.target];
    const b = Math.floor(fieldBytes(f.type, avg ?? DEFAULT_AVG_LEN) * (1 + (f.es.multiFields?.length ?? 0)));
    return { target: f.target, type: f.type, perDocBytes: b, avgLen: avg ?? null };
  });
  const perDocBytes = DOC_OVERHEAD + fields.reduce((a, f) => a + f.perDocBytes, 0);
  const primaryBytes = perDocBytes * Math.max(docs, 0);
  return {
    perDocBytes,
    primaryBytes,
    totalBytes: primaryBytes * (1 + opts.replicas),
    shards: Math.max(1, Math.ceil(primaryBytes / (opts.targetShardGb * 1024 ** 3))),
    fields,
  };
}
