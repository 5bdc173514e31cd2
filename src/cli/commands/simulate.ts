import * as fs from "node:fs";
import * as path from "node:path";
import { TARGET_CHECKS } from "../../targets/checks";
import { compileFiles } from "../../dsl/compile";
import { formatDiagnostic, MapstackError } from "../../dsl/diagnostics";
import { csvDocuments, readDocuments } from "../../dsl/documents";
import { createEvaluator } from "../../dsl/evaluate";
import { EXIT, parse, UsageError, type Command } from "../command";
import { compareWithEs, SIMULATE_ES_HELP } from "./simulate-es";

export const simulateCommand: Command = {
  name: "simulate",
  summary: "run a dataset's mapping on sample documents and print the mapped JSONL",
  help: `Usage: mapstack simulate <mapping.yaml|json> <rows.jsonl|rows.json|rows.csv> [--dsl-dir DIR] [--report FILE]

The mapping service's dry-run, offline: compiles the mapping and runs it on the rows with the local
evaluator (the DSL's reference semantics). Each mapped row goes to stdout as one JSON line
{"_id", "_source"}; every issue (E_OP_EXEC, E_ID_CONFLICT, …) is reported on stderr as
file:line:1: field: CODE message, and never stops the batch. Rows dropped by id_policy
on_conflict: skip are not printed. Counters (rows in/out/skipped, issues per code, zip pad events,
objectify records) are printed to stderr at the end. CSV rows (a header line, the dataset's
source.csv.delimiter) feed column inputs.

Options:
  --dsl-dir DIR   directory proto files resolve from (default: the dataset file's directory)
  --report FILE   also write the counters as JSON to FILE${SIMULATE_ES_HELP}
Exit codes: 0 no issue, 3 some rows had issues or were unreadable, 1 invalid dataset or unreadable input, 2 bad command line.`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { "dsl-dir": { type: "string" }, report: { type: "string" }, es: { type: "string" } });
    if (positionals.length !== 2) throw new UsageError("simulate needs <dataset.yaml> and <docs.jsonl|docs.json>");
    const [dslFile, docsFile] = positionals.map((p) => path.resolve(io.cwd, p));
    const dslDir = values["dsl-dir"] ? path.resolve(io.cwd, values["dsl-dir"]) : path.dirname(dslFile);
    const compiled = compileFiles([dslFile], { dslDir, targetChecks: TARGET_CHECKS });
    if (compiled.diagnostics.length) throw new MapstackError(compiled.diagnostics);
    if (!fs.existsSync(docsFile)) throw new MapstackError(`${docsFile}:1:1: no such file`);
    const ds = compiled.datasets[0];
    const text = fs.readFileSync(docsFile, "utf8");
    const asCsv = ds.source.format === "csv" || docsFile.endsWith(".csv");
    const { docs, bad } = asCsv ? csvDocuments(text, ds.source.format === "csv" ? ds.source.delimiter : ",") : readDocuments(text, !docsFile.endsWith(".json"));
    const ev = createEvaluator(ds);
    const rel = path.relative(io.cwd, docsFile) || docsFile;
    const out: string[] = [];
    const problems = bad.map((b) => ({ line: b.line, message: b.message }));
    for (const { line, doc } of docs) {
      const r = ev.map(doc);
      if (r.ok) out.push(JSON.stringify(r.doc));
      for (const i of r.issues) problems.push({ line, message: `${i.field}: ${i.code}${i.msg ? ` ${i.msg}` : ""}${r.ok ? "" : " (row skipped)"}` });
    }
    if (out.length) io.out(out.join("\n"));
    problems.sort((a, b) => a.line - b.line);
    for (const f of problems) io.err(formatDiagnostic({ file: rel, line: f.line, col: 1, message: f.message }));
    const c = ev.counters;
    const counters = { ...c, docsIn: c.docsIn + bad.length, badDocuments: bad.length };
    io.err(
      `rows in ${counters.docsIn}, out ${counters.docsOut}, skipped ${c.docsSkipped}, with issues ${c.docsWithIssues}, unreadable ${bad.length}; ` +
        `zip pad events ${c.zipPadEvents}, objectify records ${c.objectifyRecords}` +
        (Object.keys(c.issuesPerCode).length ? `; issues ${Object.entries(c.issuesPerCode).map(([k, v]) => `${k}=${v}`).join(", ")}` : ""),
    );
    if (values.report) fs.writeFileSync(path.resolve(io.cwd, values.report), JSON.stringify(counters, null, 2) + "\n");
    if (values.es) {
      const cmp = await compareWithEs(ds, docs, values.es);
      cmp.lines.forEach((l) => io.err(l));
      if (cmp.mismatched) return EXIT.failed;
    }
    return problems.length ? EXIT.partial : EXIT.ok;
  },
};
