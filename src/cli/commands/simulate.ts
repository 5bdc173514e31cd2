import * as fs from "node:fs";
import * as path from "node:path";
import { compileFiles } from "../../dsl/compile";
import { formatDiagnostic, MapstackError } from "../../dsl/diagnostics";
import { readDocuments } from "../../dsl/documents";
import { createEvaluator } from "../../dsl/evaluate";
import { EXIT, parse, UsageError, type Command } from "../command";
import { compareWithEs, SIMULATE_ES_HELP } from "./simulate-es";

export const simulateCommand: Command = {
  name: "simulate",
  summary: "run a dataset's mapping on sample documents and print the mapped JSONL",
  help: `Usage: mapstack simulate <dataset.yaml> <docs.jsonl|docs.json> [--dsl-dir DIR] [--report FILE]

Compiles the dataset and runs it on the documents with the local evaluator (the DSL's reference
semantics). Mapped documents go to stdout as JSONL; bad documents (not JSON, or a field that fails)
are reported on stderr with their line number and do not stop the batch. Counters (docs in/out,
per-field errors, zip pad events, objectify records) are printed to stderr at the end.

Options:
  --dsl-dir DIR   directory proto files resolve from (default: the dataset file's directory)
  --report FILE   also write the counters as JSON to FILE${SIMULATE_ES_HELP}
Exit codes: 0 all documents mapped, 3 some documents failed, 1 invalid dataset or unreadable input, 2 bad command line.`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { "dsl-dir": { type: "string" }, report: { type: "string" }, es: { type: "string" } });
    if (positionals.length !== 2) throw new UsageError("simulate needs <dataset.yaml> and <docs.jsonl|docs.json>");
    const [dslFile, docsFile] = positionals.map((p) => path.resolve(io.cwd, p));
    const dslDir = values["dsl-dir"] ? path.resolve(io.cwd, values["dsl-dir"]) : path.dirname(dslFile);
    const compiled = compileFiles([dslFile], { dslDir });
    if (compiled.diagnostics.length) throw new MapstackError(compiled.diagnostics);
    if (!fs.existsSync(docsFile)) throw new MapstackError(`${docsFile}:1:1: no such file`);
    const { docs, bad } = readDocuments(fs.readFileSync(docsFile, "utf8"), !docsFile.endsWith(".json"));
    const ev = createEvaluator(compiled.datasets[0]);
    const rel = path.relative(io.cwd, docsFile) || docsFile;
    const out: string[] = [];
    const failures = bad.map((b) => ({ line: b.line, message: b.message }));
    for (const { line, doc } of docs) {
      const r = ev.map(doc);
      if (r.ok) out.push(JSON.stringify(r.doc));
      else failures.push({ line, message: r.errors.map((e) => `field ${e.field}: ${e.message}`).join("; ") });
    }
    if (out.length) io.out(out.join("\n"));
    failures.sort((a, b) => a.line - b.line);
    for (const f of failures) io.err(formatDiagnostic({ file: rel, line: f.line, col: 1, message: f.message }));
    const c = ev.counters;
    const counters = { ...c, docsIn: c.docsIn + bad.length, docsFailed: c.docsFailed + bad.length, badDocuments: bad.length };
    io.err(
      `docs in ${counters.docsIn}, out ${counters.docsOut}, failed ${counters.docsFailed}; zip pad events ${c.zipPadEvents}, ` +
        `zip truncated values ${c.zipTruncatedValues}, objectify records ${c.objectifyRecords}` +
        (Object.keys(c.fieldErrors).length ? `; field errors ${Object.entries(c.fieldErrors).map(([k, v]) => `${k}=${v}`).join(", ")}` : ""),
    );
    if (values.report) fs.writeFileSync(path.resolve(io.cwd, values.report), JSON.stringify(counters, null, 2) + "\n");
    if (values.es) {
      const cmp = await compareWithEs(compiled.datasets[0], docs, values.es);
      cmp.lines.forEach((l) => io.err(l));
      if (cmp.mismatched) return EXIT.failed;
    }
    return counters.docsFailed ? EXIT.partial : EXIT.ok;
  },
};
