import * as fs from "node:fs";
import * as path from "node:path";
import { compileFiles } from "../../dsl/compile";
import { MapstackError } from "../../dsl/diagnostics";
import { csvDocuments, readDocuments } from "../../dsl/documents";
import { createEvaluator } from "../../dsl/evaluate";
import { estimateSize } from "../../dsl/size";
import { EXIT, parse, UsageError, type Command } from "../command";

const human = (b: number) => {
  const u = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let i = 0;
  while (b >= 1024 && i < u.length - 1) (b /= 1024), i++;
  return `${b.toFixed(i ? 1 : 0)} ${u[i]}`;
};

/** Average text length of each target's values over mapped sample rows. */
function averageLengths(rows: unknown[], ev: ReturnType<typeof createEvaluator>, targets: string[]): Record<string, number> {
  const sum: Record<string, number> = {};
  const count: Record<string, number> = {};
  for (const row of rows) {
    const r = ev.map(row);
    if (!r.ok) continue;
    for (const t of targets) {
      let v: unknown = r.doc._source;
      for (const p of t.split(".")) v = v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>)[p] : undefined;
      if (v === null || v === undefined) continue;
      sum[t] = (sum[t] ?? 0) + [...(typeof v === "string" ? v : JSON.stringify(v))].length;
      count[t] = (count[t] ?? 0) + 1;
    }
  }
  return Object.fromEntries(Object.keys(sum).map((t) => [t, sum[t] / count[t]]));
}

export const sizeCommand: Command = {
  name: "size",
  summary: "estimate index size and recommend shards (the mapping service's estimate-size)",
  help: `Usage: mapstack size <mapping.yaml|json> --docs N [--replicas R] [--target-shard-gb G] [--sample ROWS]

Estimates the index size of N documents and the number of primary shards: 100 bytes per document plus
bytes per field by type (keyword: average length + 16, text: 1.5 × average length + 1, numbers and
dates 8, boolean 1, ip/geo_point 16, geo_shape 64), times one plus the field's multi-fields. Average
lengths come from --sample rows run through the mapping (default 16 characters).

Options:
  --docs N              number of documents (required)
  --replicas R          replicas per primary (default 1)
  --target-shard-gb G   largest primary shard wanted, GiB (default 30, the seed's rollover size)
  --sample ROWS         JSONL/JSON/CSV rows to measure field lengths
  --json                print the estimate as JSON
Exit codes: 0 printed, 1 invalid mapping or input, 2 bad command line.`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      docs: { type: "string" }, replicas: { type: "string" }, "target-shard-gb": { type: "string" }, sample: { type: "string" }, json: { type: "boolean" },
    });
    if (positionals.length !== 1) throw new UsageError("size needs one mapping file");
    const num = (name: string, v: string | undefined, d: number | null) => {
      if (v === undefined) {
        if (d === null) throw new UsageError(`--${name} is required`);
        return d;
      }
      if (!/^\d+(\.\d+)?$/.test(v)) throw new UsageError(`--${name} must be a non-negative number, got '${v}'`);
      return Number(v);
    };
    const docs = num("docs", values.docs, null);
    const replicas = num("replicas", values.replicas, 1);
    const targetShardGb = num("target-shard-gb", values["target-shard-gb"], 30);
    if (targetShardGb <= 0) throw new UsageError("--target-shard-gb must be positive");
    const file = path.resolve(io.cwd, positionals[0]);
    const compiled = compileFiles([file], { dslDir: path.dirname(file) });
    if (compiled.diagnostics.length) throw new MapstackError(compiled.diagnostics);
    const ds = compiled.datasets[0];
    let avgLen: Record<string, number> | undefined;
    if (values.sample) {
      const sf = path.resolve(io.cwd, values.sample);
      if (!fs.existsSync(sf)) throw new MapstackError(`${values.sample}:1:1: no such file`);
      const text = fs.readFileSync(sf, "utf8");
      const rows = sf.endsWith(".csv") ? csvDocuments(text, ds.source.format === "csv" ? ds.source.delimiter : ",") : readDocuments(text, !sf.endsWith(".json"));
      avgLen = averageLengths(rows.docs.map((d) => d.doc), createEvaluator(ds), ds.fields.map((f) => f.target));
    }
    const e = estimateSize(ds, docs, { replicas, targetShardGb, avgLen });
    if (values.json) io.out(JSON.stringify(e, null, 2));
    else {
      io.out(
        [
          `index ${ds.name}: ${docs} documents, ${replicas} replica(s)`,
          `per document  ${e.perDocBytes} B`,
          `primary       ${human(e.primaryBytes)}`,
          `total         ${human(e.totalBytes)}`,
          `shards        ${e.shards} primary shard(s) of ≤ ${targetShardGb} GiB`,
          "",
          "field  type  bytes/doc  avg-len",
          ...e.fields.map((f) => `${f.target}  ${f.type}  ${f.perDocBytes}  ${f.avgLen === null ? "-" : f.avgLen.toFixed(1)}`),
        ].join("\n"),
      );
    }
    return EXIT.ok;
  },
};
