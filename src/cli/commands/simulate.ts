// `mapstack simulate`: a streaming pipeline. Documents are read a chunk at a time, mapped and written as
// they come, with the output's backpressure pausing the input, so memory stays flat whatever the input size.
// A large JSONL file is mapped on several threads (../simulate/parallel.ts), with the same output.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compileFiles } from "../../dsl/compile";
import { MapstackError } from "../../dsl/diagnostics";
import { csvDocuments, type SampleDocument } from "../../dsl/documents";
import { createIdCheck, createRowMapper } from "../../dsl/evaluate";
import { TARGET_CHECKS } from "../../targets/checks";
import { EXIT, parse, UsageError, type Command } from "../command";
import { LineSplitter } from "../lines";
import { canRunInWorkers, streamJsonlInWorkers } from "../simulate/parallel";
import { Output, Reporter, StopReading, summary } from "../simulate/report";
import { parseDocument, RowReader, rowReading, tooLongMessage } from "../simulate/rows";
import { SIMULATE_ES_HELP } from "./simulate-es-help";

/** Longest JSONL line read; a longer one is reported and skipped without being held in memory. */
const MAX_LINE = 64 * 1024 * 1024;
/** A .json file is one JSON text and is parsed whole; beyond this, JSONL is the way. */
const MAX_JSON_FILE = 256 * 1024 * 1024;
const READ_CHUNK = 256 * 1024;
/**
 * Below this many rows a JSONL file is mapped on the main thread alone: a second thread's start-up and
 * warm-up cost more than it saves (measured on 2 cores: slower at 10,000 rows of 8 KB and at 20,000 small
 * rows, 1.2× faster at 50,000 small rows, 1.3–1.6× at 100,000).
 */
const THREADS_FROM_ROWS = 50_000;
const DEFAULT_THREADS = 2;
/** The _ids held in memory before they go to disk when threads map: the workers' heaps need the room. */
const THREADED_ID_MEMORY = 8 * 1024 * 1024;

/** CSV rows are read whole: a quoted field may hold line breaks. */
function readCsvFile(file: string, delimiter: string, reader: RowReader, reporter: Reporter): void {
  const size = fs.statSync(file).size;
  if (size > MAX_JSON_FILE) throw new MapstackError(`${file}:1:1: a CSV file is read whole and this one has ${size} bytes; split it`);
  const { docs, bad } = csvDocuments(fs.readFileSync(file, "utf8"), delimiter);
  const all = [...docs.map((d) => ({ line: d.line, run: () => reader.value(d.line, d.doc) })), ...bad.map((b) => ({ line: b.line, run: () => reporter.unreadable(b.line, b.message) }))];
  all.sort((a, b) => a.line - b.line).forEach((x) => x.run());
}

/** Feeds a JSONL file through the reader, pausing while the output drains; stops when the reader went away. */
async function streamJsonl(file: string, reader: RowReader, reporter: Reporter, out: Output, read: { bytes: number }): Promise<void> {
  const input = fs.createReadStream(file, { highWaterMark: READ_CHUNK });
  const lines = new LineSplitter({ line: (n, t) => reader.text(n, t), tooLong: (n, size) => reporter.unreadable(n, tooLongMessage(size, MAX_LINE)) }, MAX_LINE);
  try {
    for await (const chunk of input) {
      read.bytes += (chunk as Buffer).length;
      lines.push(chunk as Buffer);
      if (!out.flush()) await out.drain();
      if (out.closed) return;
    }
    lines.end();
  } finally {
    input.destroy();
  }
}

function readJsonFile(file: string, reader: RowReader, reporter: Reporter): void {
  const size = fs.statSync(file).size;
  if (size > MAX_JSON_FILE) throw new MapstackError(`${file}:1:1: a .json documents file is read whole and this one has ${size} bytes; write one document per line (JSONL) to stream it`);
  let text = fs.readFileSync(file, "utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let v: unknown;
  try {
    v = parseDocument(text);
  } catch (e) {
    reporter.unreadable(1, `not JSON: ${(e as Error).message}`);
    return;
  }
  if (Array.isArray(v)) v.forEach((d, i) => reader.value(i + 1, d));
  else reader.value(1, v);
}

/**
 * Threads that map this run: --jobs, else two for a JSONL file of many rows on a machine with two cores or
 * more. More is opt-in: each further thread costs 30–40 MB of memory, and the default keeps peak RSS under
 * 200 MB.
 */
function defaultThreads(file: string, size: number): number {
  return os.availableParallelism() > 1 && estimatedRows(file, size) >= THREADS_FROM_ROWS ? DEFAULT_THREADS : 1;
}

function jobsOption(option: string | undefined): number | undefined {
  if (option === undefined) return undefined;
  const n = Number(option);
  if (!/^\d+$/.test(option) || n < 1 || n > 64) throw new UsageError(`--jobs must be a whole number from 1 to 64, got ${JSON.stringify(option)}`);
  return n;
}

/** The file's line count as its first MiB suggests (its size over the mean line length there). */
function estimatedRows(file: string, size: number): number {
  if (size < THREADS_FROM_ROWS) return 0; // (fewer bytes than rows wanted: no need to look)
  const head = Buffer.alloc(Math.min(size, 1024 * 1024));
  const fd = fs.openSync(file, "r");
  let got: number;
  try {
    got = fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  let lines = 0;
  for (let i = head.indexOf(10); i !== -1 && i < got; i = head.indexOf(10, i + 1)) lines++;
  return lines === 0 ? 1 : Math.round((size * lines) / got);
}

export const simulateCommand: Command = {
  name: "simulate",
  summary: "the mapping service's dry-run: map sample rows (JSONL/JSON/CSV) and print {_id, _source} per row",
  help: `Usage: mapstack simulate <mapping.yaml|json> <rows.jsonl|rows.json|rows.csv> [--dsl-dir DIR] [--report FILE] [--max-errors N] [--jobs N]

The mapping service's dry-run, offline: compiles the mapping and runs it on the rows with the local
evaluator (the DSL's reference semantics). Each mapped row goes to stdout as one JSON line
{"_id", "_source"}, written as it is produced; JSONL input is read as a stream, so any size runs in
bounded memory (beyond 32 MiB, 8 MiB with threads, the _ids already seen, which the duplicate check
needs, go to a temporary directory under TMPDIR, removed at the end). A JSONL file of many rows is
mapped on two threads (--jobs). Every issue of a row (E_OP_EXEC, E_ID_CONFLICT, W_OP_UNKNOWN, …) and every
unreadable line is reported on stderr as file:line:1: field: CODE message and never stops the batch; rows dropped by id_policy on_conflict: skip are not printed. Counters (rows
in/out/skipped, issues per code, zip pad events, objectify records) are printed to stderr at the end; on
a terminal, stderr also shows progress.
CSV rows (a header line, the dataset's source.csv.delimiter) feed column inputs. A UTF-8 byte-order
mark and CRLF line ends are accepted. When stdout's reader stops early (simulate … | head), simulate
stops quietly.

Options:
  --dsl-dir DIR    directory proto files resolve from (default: the dataset file's directory)
  --report FILE    also write the counters (and the number of threads that mapped) as JSON to FILE
  --max-errors N   stop reading after N rows with issues (default: no limit)
  --jobs N         map a JSONL file on N threads; 1 maps on the main thread alone (default: 2 for a file
                   of 50,000 rows or more on a machine with 2 cores or more). Each further thread costs 30-40 MB
                   of memory. The output, the issues and the counters are the same whatever N: rows are
                   checked for duplicates and printed in input order on the main thread${SIMULATE_ES_HELP}
Exit codes: 0 no issue, 3 some rows had issues or were unreadable, 1 invalid mapping or unreadable input, 2 bad command line.`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      "dsl-dir": { type: "string" },
      report: { type: "string" },
      es: { type: "string" },
      "max-errors": { type: "string" },
      jobs: { type: "string" },
    });
    if (positionals.length !== 2) throw new UsageError("simulate needs <dataset.yaml> and <docs.jsonl|docs.json>");
    let maxErrors = Infinity;
    if (values["max-errors"] !== undefined) {
      maxErrors = Number(values["max-errors"]);
      if (!/^\d+$/.test(values["max-errors"]) || maxErrors < 1) throw new UsageError(`--max-errors must be a whole number ≥ 1, got ${JSON.stringify(values["max-errors"])}`);
    }
    const asked = jobsOption(values.jobs);
    const [dslFile, docsFile] = positionals.map((p) => path.resolve(io.cwd, p));
    const dslDir = values["dsl-dir"] ? path.resolve(io.cwd, values["dsl-dir"]) : path.dirname(dslFile);
    const compiled = compileFiles([dslFile], { dslDir, targetChecks: TARGET_CHECKS });
    if (compiled.diagnostics.length) throw new MapstackError(compiled.diagnostics);
    if (!fs.existsSync(docsFile)) throw new MapstackError(`${docsFile}:1:1: no such file`);
    if (fs.statSync(docsFile).isDirectory()) throw new MapstackError(`${docsFile}:1:1: is a directory, not a documents file`);
    const ds = compiled.datasets[0];
    const rel = path.relative(io.cwd, docsFile) || docsFile;
    const total = fs.statSync(docsFile).size;
    const es = values.es !== undefined;
    const format = ds.source.format === "csv" || docsFile.endsWith(".csv") ? "csv" : docsFile.endsWith(".json") ? "json" : "jsonl";
    // --es keeps every document for one request: it and the files read whole stay on this thread.
    const jobs = format === "jsonl" && !es ? (asked ?? defaultThreads(docsFile, total)) : 1;
    const inWorkers = jobs > 1 && canRunInWorkers(ds);
    // With threads, the _ids held in memory before they go to disk are halved, for the workers' heaps.
    const ids = createIdCheck(ds, undefined, inWorkers ? { memoryBudget: THREADED_ID_MEMORY } : {});
    const out = new Output(io);
    const read = { bytes: 0 };
    const progress = (): string =>
      `simulate: ${reporter.tally.docsIn.toLocaleString("en-US")} docs, ${reporter.tally.docsFailed.toLocaleString("en-US")} failed` +
      (total ? `, ${Math.floor((100 * read.bytes) / total)} % of ${rel}` : "");
    const reporter = new Reporter(ids, out, io, rel, maxErrors, progress);
    const kept: SampleDocument[] = [];
    try {
      if (inWorkers) await streamJsonlInWorkers(docsFile, jobs, { dataset: ds, dslDir, maxLine: MAX_LINE }, reporter, ids.counters, out, read);
      else {
        const reader = new RowReader(createRowMapper(ds, ids.counters), await rowReading(ds, dslDir, es), reporter, es ? (line, doc) => kept.push({ line, doc }) : undefined);
        if (format === "csv") readCsvFile(docsFile, ds.source.format === "csv" ? ds.source.delimiter : ",", reader, reporter);
        else if (format === "json") readJsonFile(docsFile, reader, reporter);
        else await streamJsonl(docsFile, reader, reporter, out, read);
      }
    } catch (e) {
      if (!(e instanceof StopReading)) throw e;
    } finally {
      ids.close();
      reporter.flushErrors();
      reporter.clearStatus();
    }
    if (!out.flush() && !out.closed) await out.drain();
    out.detach();
    if (out.failure) throw out.failure;
    if (out.closed) return EXIT.ok; // the reader has what it wanted; nothing more to say
    if (reporter.stoppedAt !== null) io.err(`${rel}: stopped at line ${reporter.stoppedAt} after ${reporter.tally.docsFailed} failed document(s) (--max-errors ${maxErrors}); the rest was not read`);
    const c = ids.counters;
    io.err(summary(reporter.tally, c));
    const counters = { ...c, ...reporter.tally, threads: inWorkers ? jobs : 1 };
    if (values.report) fs.writeFileSync(path.resolve(io.cwd, values.report), JSON.stringify(counters, null, 2) + "\n");
    if (es) {
      const { compareWithEs } = await import("./simulate-es"); // only --es needs the HTTP client and the pipeline builder
      const cmp = await compareWithEs(ds, kept, values.es!);
      cmp.lines.forEach((l) => io.err(l));
      if (cmp.mismatched) return EXIT.failed;
    }
    return reporter.tally.docsFailed ? EXIT.partial : EXIT.ok;
  },
};
