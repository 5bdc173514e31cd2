import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { DEFAULT_GLOBALS } from "../../dsl/compile";
import { MapstackError } from "../../dsl/diagnostics";
import { csvDocuments, readDocuments } from "../../dsl/documents";
import { inferColumns, proposeMapping } from "../../dsl/infer";
import type { Globals } from "../../dsl/types";
import { EXIT, parse, UsageError, type Command } from "../command";

export const inferCommand: Command = {
  name: "infer",
  summary: "propose a mapping document from sample rows (the mapping service's infer-types)",
  help: `Usage: mapstack infer <rows.jsonl|rows.json|rows.csv> [--index NAME] [--yaml] [options]

Reads sample rows and prints a complete mapping document (seed Mapping DSL V2.2) on stdout: one
field per column (nested JSON objects give dotted targets and JSONPath inputs, CSV columns give column
inputs), its Elasticsearch type chosen from the values (date, boolean, double, long, ip, keyword, text,
scored as the mapping service scores them) and a starting pipeline. Per-column statistics go to stderr.

Options:
  --index NAME          index name (default: the file name)
  --yaml                print YAML instead of JSON
  --delimiter C         CSV delimiter (default ,)
  --decimal-sep C       decimal separator of the rows (default .)
  --thousands-sep C     thousands separator (default none)
  --date-format FMT     a Python strptime format to try (repeatable; default: ISO-8601 and epoch only)
  --tz ZONE             time zone of dates without an offset (default UTC)
Exit codes: 0 printed, 1 unreadable input, 2 bad command line.`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      index: { type: "string" }, yaml: { type: "boolean" }, delimiter: { type: "string" }, "decimal-sep": { type: "string" },
      "thousands-sep": { type: "string" }, "date-format": { type: "string", multiple: true }, tz: { type: "string" },
    });
    if (positionals.length !== 1) throw new UsageError("infer needs one file of sample rows");
    const file = path.resolve(io.cwd, positionals[0]);
    if (!fs.existsSync(file)) throw new MapstackError(`${positionals[0]}:1:1: no such file`);
    const csv = file.endsWith(".csv");
    const text = fs.readFileSync(file, "utf8");
    const { docs, bad } = csv ? csvDocuments(text, values.delimiter ?? ",") : readDocuments(text, !file.endsWith(".json"));
    for (const b of bad) io.err(`${positionals[0]}:${b.line}:1: ${b.message}`);
    if (!docs.length) throw new MapstackError(`${positionals[0]}:1:1: no rows to infer from`);
    const g: Globals = {
      ...DEFAULT_GLOBALS,
      nulls: ["", "N/A", "NA", "null", "NULL"],
      boolTrue: ["true", "yes", "oui", "vrai"],
      boolFalse: ["false", "no", "non", "faux"],
      decimalSep: values["decimal-sep"] ?? ".",
      thousandsSep: values["thousands-sep"] ?? "",
      dateFormats: values["date-format"] ?? [],
      defaultTz: values.tz ?? "UTC",
    };
    const index = (values.index ?? path.basename(file).replace(/\.[^.]+$/, "")).toLowerCase().replace(/[^a-z0-9_-]/g, "_");
    const stats = inferColumns(docs.map((d) => d.doc), g, !csv);
    const doc = proposeMapping(index, stats, g, csv ? "csv" : "json");
    if (csv && values.delimiter) (doc.source as { csv: { delimiter: string } }).csv.delimiter = values.delimiter;
    io.out(values.yaml ? `# yaml-language-server: $schema=../schema/mapping-dsl.schema.json\n${stringify(doc)}` : JSON.stringify(doc, null, 2));
    io.err(["column  type  confidence  non-null  unique-ratio  avg-len", ...stats.map((s) => `${s.column}  ${s.type}  ${s.confidence.toFixed(2)}  ${s.nonNull}  ${s.uniqueRatio.toFixed(2)}  ${s.avgLen.toFixed(1)}`)].join("\n"));
    return EXIT.ok;
  },
};
