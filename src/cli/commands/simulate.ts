// `mapstack simulate`: a streaming pipeline. Documents are read a chunk at a time, mapped and written as
// they come, with the output's backpressure pausing the input, so memory stays flat whatever the input size.
import * as fs from "node:fs";
import * as path from "node:path";
import { compileFiles } from "../../dsl/compile";
import { formatDiagnostic, isMapstackError, MapstackError } from "../../dsl/diagnostics";
import { csvDocuments, type SampleDocument } from "../../dsl/documents";
import { createEvaluator, type Evaluator, type MapResult, type RowIssue, type RunCounters } from "../../dsl/evaluate";
import { parseJson } from "../../dsl/json-lossless";
import { memberParser } from "../../dsl/json-members";
import { topLevelKeysRead } from "../../dsl/row-keys";
import { loadProtoFile, lookupMessage } from "../../dsl/proto";
import type { CompiledDataset } from "../../dsl/types";
import { TARGET_CHECKS } from "../../targets/checks";
import { compileMappingCheck } from "../../targets/elasticsearch/mapping-check";
import { EXIT, parse, UsageError, type Command, type Io } from "../command";
import { LineSplitter } from "../lines";
import { SIMULATE_ES_HELP } from "./simulate-es-help";

/** Longest JSONL line read; a longer one is reported and skipped without being held in memory. */
const MAX_LINE = 64 * 1024 * 1024;
/** A .json file is one JSON text and is parsed whole; beyond this, JSONL is the way. */
const MAX_JSON_FILE = 256 * 1024 * 1024;
const READ_CHUNK = 256 * 1024;
const WRITE_BATCH = 64 * 1024;
const PROGRESS_EVERY_MS = 500;

// ---- the three places that know a document's format (swap parsers/result shapes here only) ----------

/** The one place a document's text becomes a value: JSON read as the seed reads it (1.0 stays a float). */
function parseDocument(text: string): unknown {
  return parseJson(text);
}

/**
 * How JSONL lines are parsed for this run: only the top-level members the mapping reads are built when it
 * can name them, the document goes to no other reader (--es sends whole documents) and no message view
 * needs the rest (a protobuf source is checked whole against its message).
 */
function lineParser(ds: CompiledDataset, wholeDocuments: boolean): (text: string) => unknown {
  const keys = wholeDocuments || ds.source.format === "protobuf" ? null : topLevelKeysRead(ds);
  return keys ? memberParser(keys) : parseDocument;
}

/** A mapped row as one output line, as the seed's dry-run previews it. */
function mappedLine(r: Extract<MapResult, { ok: true }>): string {
  return JSON.stringify(r.doc) + "\n";
}

/** One stderr line per issue of a row. */
function issueMessages(r: MapResult): string[] {
  return r.issues.map((i: RowIssue) => `${i.field}: ${i.code}${i.msg ? ` ${i.msg}` : ""}${r.ok ? "" : " (row skipped)"}`);
}

// ------------------------------------------------------------------------------------------------------

function notAnObject(v: unknown): string | null {
  if (v && typeof v === "object" && !Array.isArray(v)) return null;
  return `expected a JSON object, got ${Array.isArray(v) ? "an array" : v === null ? "null" : typeof v}`;
}

class StopReading extends Error {}

/** Mapped lines batched into large writes; resolves drain() when the reader has room again. */
class Output {
  private pending = "";
  closed = false;
  private readonly stream: NodeJS.WritableStream | null;
  private readonly onError = (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE" || e.code === "ERR_STREAM_DESTROYED") this.closed = true;
    else this.failure = e;
  };
  failure: Error | null = null;
  /** Called before mapped lines are written (the pipeline writes the stderr lines of earlier rows first). */
  beforeWrite: () => void = () => {};

  constructor(private readonly io: Io) {
    this.stream = io.stdout ?? null;
    this.stream?.on("error", this.onError);
  }

  add(line: string): void {
    this.pending += line;
    if (this.pending.length >= WRITE_BATCH) this.flush();
  }

  /** Writes what is pending; false when the reader asked us to wait. */
  flush(): boolean {
    if (!this.pending || this.closed) return true;
    const text = this.pending;
    this.pending = "";
    this.beforeWrite();
    if (!this.stream) {
      this.io.out(text);
      return true;
    }
    return this.stream.write(text);
  }

  async drain(): Promise<void> {
    const s = this.stream;
    if (!s || this.closed) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        s.off("drain", done);
        s.off("close", done);
        s.off("error", done);
        resolve();
      };
      s.on("drain", done);
      s.on("close", done);
      s.on("error", done);
    });
  }

  detach(): void {
    this.stream?.off("error", this.onError);
  }
}

interface Tally {
  docsIn: number;
  docsOut: number;
  /** Rows with an issue (or unreadable): what --max-errors counts and exit 3 reports. */
  docsFailed: number;
  badDocuments: number;
}

/** Maps documents one by one; every outcome goes straight to the output or to stderr. */
class Pipeline {
  readonly tally: Tally = { docsIn: 0, docsOut: 0, docsFailed: 0, badDocuments: 0 };
  /** Documents kept for --es (which sends them in one _simulate request); null otherwise. */
  readonly kept: SampleDocument[] | null;
  private statusShown = false;
  private lastStatus = Date.now();
  stoppedAt: number | null = null;

  constructor(
    private readonly ev: Evaluator,
    private readonly out: Output,
    private readonly io: Io,
    private readonly rel: string,
    private readonly maxErrors: number,
    keep: boolean,
    private readonly progress: () => string,
    /** What the sink sees of a row before the mapping runs (protobuf: the message's JSON form). */
    private readonly prepare: (doc: Record<string, unknown>) => Record<string, unknown> = (d) => d,
    /** Why the Elasticsearch mapping would refuse a mapped row (null when it fits or there is no ES sink). */
    private readonly rejectedBySink: (source: Record<string, unknown>) => string | null = () => null,
    /** A JSONL line's text as a value. */
    private readonly parseLine: (text: string) => unknown = parseDocument,
  ) {
    this.kept = keep ? [] : null;
  }

  text(line: number, text: string): void {
    let v: unknown;
    try {
      v = this.parseLine(text);
    } catch (e) {
      if (/^\s*$/.test(text)) return; // blank lines (and a lone "\r") separate nothing
      this.reject(line, `not JSON: ${(e as Error).message}`);
      return;
    }
    this.value(line, v);
  }

  value(line: number, v: unknown): void {
    const wrong = notAnObject(v);
    if (wrong) return this.reject(line, wrong);
    let doc = v as Record<string, unknown>;
    try {
      doc = this.prepare(doc);
    } catch (e) {
      return this.reject(line, (e as Error).message);
    }
    this.tally.docsIn++;
    this.kept?.push({ line, doc });
    let r: MapResult;
    try {
      r = this.ev.map(doc);
    } catch (e) {
      if (isMapstackError(e)) throw e; // the run cannot go on (the duplicate check has no room left)
      // An evaluator bug on one document must not cost the rest of the batch.
      this.fail(line, `evaluation failed: ${(e as Error).message}`);
      return;
    }
    const rejected = r.ok ? this.rejectedBySink(r.doc._source) : null;
    if (r.ok && rejected === null) {
      this.tally.docsOut++;
      this.out.add(mappedLine(r));
    }
    if (r.issues.length === 0 && rejected === null) {
      if ((this.tally.docsIn & 1023) === 0) this.tick();
      return;
    }
    const issues = issueMessages(r);
    if (rejected !== null) issues.push(`${rejected} — Elasticsearch would reject it: the pipeline sends the row to the failure index`);
    if (issues.length) this.fail(line, issues);
    if ((this.tally.docsIn & 1023) === 0) this.tick();
  }

  tooLong(line: number, size: number): void {
    this.reject(line, `line longer than ${MAX_LINE / (1024 * 1024)} MiB (at least ${size} bytes), skipped`);
  }

  /** A document that never reached the evaluator (not JSON, not an object, too long). */
  reject(line: number, message: string): void {
    this.tally.docsIn++;
    this.tally.badDocuments++;
    this.fail(line, [message]);
  }

  private fail(line: number, messages: string | string[]): void {
    this.tally.docsFailed++;
    this.clearStatus();
    if (typeof messages === "string") this.errLine(formatDiagnostic({ file: this.rel, line, col: 1, message: messages }));
    else for (const message of messages) this.errLine(formatDiagnostic({ file: this.rel, line, col: 1, message }));
    if (this.tally.docsFailed >= this.maxErrors) {
      this.stoppedAt = line;
      throw new StopReading();
    }
  }

  /**
   * stderr lines are gathered and written in large pieces, each exactly as io.err would print it alone, and
   * always before the mapped lines that follow them and before a status line, so every stream (and stdout
   * and stderr merged) receives the same bytes in the same order as with one write per line.
   */
  private errText = "";

  private errLine(text: string): void {
    this.errText += text.endsWith("\n") ? text : text + "\n";
    if (this.errText.length >= WRITE_BATCH) this.flushErrors();
  }

  flushErrors(): void {
    if (!this.errText) return;
    const text = this.errText;
    this.errText = "";
    this.io.err(text);
  }

  private tick(): void {
    if (!this.io.status) return;
    const now = Date.now();
    if (now - this.lastStatus < PROGRESS_EVERY_MS) return;
    this.lastStatus = now;
    this.flushErrors();
    this.statusShown = true;
    this.io.status(this.progress());
  }

  clearStatus(): void {
    if (this.statusShown) this.io.status?.("");
    this.statusShown = false;
  }
}

function summary(t: Tally, c: RunCounters): string {
  return (
    `rows in ${t.docsIn}, out ${t.docsOut}, skipped ${c.docsSkipped}, with issues ${c.docsWithIssues}, unreadable ${t.badDocuments}; ` +
    `zip pad events ${c.zipPadEvents}, objectify records ${c.objectifyRecords}` +
    (Object.keys(c.issuesPerCode).length ? `; issues ${Object.entries(c.issuesPerCode).map(([k, v]) => `${k}=${v}`).join(", ")}` : "")
  );
}

/** CSV rows are read whole: a quoted field may hold line breaks. */
function readCsvFile(file: string, delimiter: string, p: Pipeline): void {
  const size = fs.statSync(file).size;
  if (size > MAX_JSON_FILE) throw new MapstackError(`${file}:1:1: a CSV file is read whole and this one has ${size} bytes; split it`);
  const { docs, bad } = csvDocuments(fs.readFileSync(file, "utf8"), delimiter);
  const all = [...docs.map((d) => ({ line: d.line, run: () => p.value(d.line, d.doc) })), ...bad.map((b) => ({ line: b.line, run: () => p.reject(b.line, b.message) }))];
  all.sort((a, b) => a.line - b.line).forEach((x) => x.run());
}

/** Feeds a JSONL file through the pipeline, pausing while the output drains; stops when the reader went away. */
async function streamJsonl(file: string, p: Pipeline, out: Output, read: { bytes: number }): Promise<void> {
  const input = fs.createReadStream(file, { highWaterMark: READ_CHUNK });
  const lines = new LineSplitter({ line: (n, t) => p.text(n, t), tooLong: (n, size) => p.tooLong(n, size) }, MAX_LINE);
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

function readJsonFile(file: string, p: Pipeline): void {
  const size = fs.statSync(file).size;
  if (size > MAX_JSON_FILE) throw new MapstackError(`${file}:1:1: a .json documents file is read whole and this one has ${size} bytes; write one document per line (JSONL) to stream it`);
  let text = fs.readFileSync(file, "utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let v: unknown;
  try {
    v = parseDocument(text);
  } catch (e) {
    p.reject(1, `not JSON: ${(e as Error).message}`);
    return;
  }
  if (Array.isArray(v)) v.forEach((d, i) => p.value(i + 1, d));
  else p.value(1, v);
}

/**
 * A protobuf source reaches the sinks as the message's proto3 JSON form (json names, enum names, int64 as
 * strings, defaults absent), as Druid's protobuf reader prints it: simulate maps that, not the raw sample.
 */
async function protobufView(ds: CompiledDataset, dslDir: string): Promise<((doc: Record<string, unknown>) => Record<string, unknown>) | undefined> {
  if (ds.source.format !== "protobuf") return undefined;
  const loaded = loadProtoFile(path.join(dslDir, "proto"), ds.source.protoFile.replace(/^proto\//, ""));
  const type = loaded.ok ? lookupMessage(loaded.root, ds.source.message) : null;
  if (!type) return undefined;
  // Loaded here, not at the top: only protobuf sources need protobufjs.
  const { ProtoJsonError, protoJsonAsDruidSees } = await import("../../druid/proto-json");
  return (doc) => {
    try {
      return protoJsonAsDruidSees(doc, type);
    } catch (e) {
      if (e instanceof ProtoJsonError) throw new Error(`not a valid ${ds.source.format === "protobuf" ? ds.source.message : ""} message: ${e.message}`);
      throw e;
    }
  };
}

export const simulateCommand: Command = {
  name: "simulate",
  summary: "the mapping service's dry-run: map sample rows (JSONL/JSON/CSV) and print {_id, _source} per row",
  help: `Usage: mapstack simulate <mapping.yaml|json> <rows.jsonl|rows.json|rows.csv> [--dsl-dir DIR] [--report FILE] [--max-errors N]

The mapping service's dry-run, offline: compiles the mapping and runs it on the rows with the local
evaluator (the DSL's reference semantics). Each mapped row goes to stdout as one JSON line
{"_id", "_source"}, written as it is produced; JSONL input is read as a stream, so any size runs in
bounded memory (beyond 32 MiB, the _ids already seen, which the duplicate check needs, go to a temporary
directory under TMPDIR, removed at the end). Every issue of a row (E_OP_EXEC, E_ID_CONFLICT,
W_OP_UNKNOWN, …) and every unreadable line is reported on stderr as file:line:1: field: CODE message and
never stops the batch; rows dropped by id_policy on_conflict: skip are not printed. Counters (rows
in/out/skipped, issues per code, zip pad events, objectify records) are printed to stderr at the end; on
a terminal, stderr also shows progress.
CSV rows (a header line, the dataset's source.csv.delimiter) feed column inputs. A UTF-8 byte-order
mark and CRLF line ends are accepted. When stdout's reader stops early (simulate … | head), simulate
stops quietly.

Options:
  --dsl-dir DIR    directory proto files resolve from (default: the dataset file's directory)
  --report FILE    also write the counters as JSON to FILE
  --max-errors N   stop reading after N rows with issues (default: no limit)${SIMULATE_ES_HELP}
Exit codes: 0 no issue, 3 some rows had issues or were unreadable, 1 invalid mapping or unreadable input, 2 bad command line.`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      "dsl-dir": { type: "string" },
      report: { type: "string" },
      es: { type: "string" },
      "max-errors": { type: "string" },
    });
    if (positionals.length !== 2) throw new UsageError("simulate needs <dataset.yaml> and <docs.jsonl|docs.json>");
    let maxErrors = Infinity;
    if (values["max-errors"] !== undefined) {
      maxErrors = Number(values["max-errors"]);
      if (!/^\d+$/.test(values["max-errors"]) || maxErrors < 1) throw new UsageError(`--max-errors must be a whole number ≥ 1, got ${JSON.stringify(values["max-errors"])}`);
    }
    const [dslFile, docsFile] = positionals.map((p) => path.resolve(io.cwd, p));
    const dslDir = values["dsl-dir"] ? path.resolve(io.cwd, values["dsl-dir"]) : path.dirname(dslFile);
    const compiled = compileFiles([dslFile], { dslDir, targetChecks: TARGET_CHECKS });
    if (compiled.diagnostics.length) throw new MapstackError(compiled.diagnostics);
    if (!fs.existsSync(docsFile)) throw new MapstackError(`${docsFile}:1:1: no such file`);
    if (fs.statSync(docsFile).isDirectory()) throw new MapstackError(`${docsFile}:1:1: is a directory, not a documents file`);
    const ds = compiled.datasets[0];
    const ev = createEvaluator(ds);
    const rel = path.relative(io.cwd, docsFile) || docsFile;
    const out = new Output(io);
    const total = fs.statSync(docsFile).size;
    const read = { bytes: 0 };
    const progress = (): string =>
      `simulate: ${p.tally.docsIn.toLocaleString("en-US")} docs, ${p.tally.docsFailed.toLocaleString("en-US")} failed` +
      (total ? `, ${Math.floor((100 * read.bytes) / total)} % of ${rel}` : "");
    const mappingCheck = ds.sinks.elasticsearch ? compileMappingCheck(ds.fields) : undefined;
    const p = new Pipeline(ev, out, io, rel, maxErrors, values.es !== undefined, progress, await protobufView(ds, dslDir), mappingCheck, lineParser(ds, values.es !== undefined));
    out.beforeWrite = () => p.flushErrors();
    try {
      if (ds.source.format === "csv" || docsFile.endsWith(".csv")) readCsvFile(docsFile, ds.source.format === "csv" ? ds.source.delimiter : ",", p);
      else if (docsFile.endsWith(".json")) readJsonFile(docsFile, p);
      else await streamJsonl(docsFile, p, out, read);
    } catch (e) {
      if (!(e instanceof StopReading)) throw e;
    } finally {
      ev.close();
      p.flushErrors();
      p.clearStatus();
    }
    if (!out.flush() && !out.closed) await out.drain();
    out.detach();
    if (out.failure) throw out.failure;
    if (out.closed) return EXIT.ok; // the reader has what it wanted; nothing more to say
    if (p.stoppedAt !== null) io.err(`${rel}: stopped at line ${p.stoppedAt} after ${p.tally.docsFailed} failed document(s) (--max-errors ${maxErrors}); the rest was not read`);
    const c = ev.counters;
    io.err(summary(p.tally, c));
    const counters = { ...c, ...p.tally };
    if (values.report) fs.writeFileSync(path.resolve(io.cwd, values.report), JSON.stringify(counters, null, 2) + "\n");
    if (values.es !== undefined && p.kept) {
      const { compareWithEs } = await import("./simulate-es"); // only --es needs the HTTP client and the pipeline builder
      const cmp = await compareWithEs(ds, p.kept, values.es);
      cmp.lines.forEach((l) => io.err(l));
      if (cmp.mismatched) return EXIT.failed;
    }
    return p.tally.docsFailed ? EXIT.partial : EXIT.ok;
  },
};
