// The main thread's half of simulate: each row's outcome, in input order, goes through the duplicate check
// and is counted, its mapped line batched to stdout and its issues to stderr; --max-errors and the
// progress line are decided here. Rows mapped on worker threads arrive here exactly as local ones do.
import { formatDiagnostic } from "../../dsl/diagnostics";
import type { IdCheck, MappedRow, RowIssue, RunCounters } from "../../dsl/evaluate";
import type { Io } from "../command";
import type { RowSink } from "./rows";

const WRITE_BATCH = 64 * 1024;
const PROGRESS_EVERY_MS = 500;

/** Thrown when --max-errors is reached: reading stops, what was read is reported. */
export class StopReading extends Error {}

/** Mapped lines batched into large writes; resolves drain() when the reader has room again. */
export class Output {
  private pending = "";
  closed = false;
  private readonly stream: NodeJS.WritableStream | null;
  private readonly onError = (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE" || e.code === "ERR_STREAM_DESTROYED") this.closed = true;
    else this.failure = e;
  };
  /** The reader may also go away between two writes: the stream closes with no error to report. */
  private readonly onClose = () => {
    this.closed = true;
  };
  failure: Error | null = null;
  /** Called before mapped lines are written (the reporter writes the stderr lines of earlier rows first). */
  beforeWrite: () => void = () => {};

  constructor(private readonly io: Io) {
    this.stream = io.stdout ?? null;
    this.stream?.on("error", this.onError);
    this.stream?.on("close", this.onClose);
  }

  add(line: string): void {
    this.pending += line;
    if (this.pending.length >= WRITE_BATCH) this.flush();
  }

  /** Writes what is pending; false when the reader asked us to wait. */
  flush(): boolean {
    if ((this.stream as { destroyed?: boolean } | null)?.destroyed) this.closed = true;
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
    if ((s as { destroyed?: boolean } | null)?.destroyed) this.closed = true;
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
    this.stream?.off("close", this.onClose);
  }
}

export interface Tally {
  docsIn: number;
  docsOut: number;
  /** Rows with an issue (or unreadable): what --max-errors counts and exit 3 reports. */
  docsFailed: number;
  badDocuments: number;
}

/** One stderr line per issue of a row. */
function issueMessages(issues: RowIssue[], kept: boolean): string[] {
  return issues.map((i) => `${i.field}: ${i.code}${i.msg ? ` ${i.msg}` : ""}${kept ? "" : " (row skipped)"}`);
}

export class Reporter implements RowSink {
  readonly tally: Tally = { docsIn: 0, docsOut: 0, docsFailed: 0, badDocuments: 0 };
  private statusShown = false;
  private lastStatus = Date.now();
  stoppedAt: number | null = null;

  constructor(
    private readonly ids: IdCheck,
    private readonly out: Output,
    private readonly io: Io,
    private readonly rel: string,
    private readonly maxErrors: number,
    private readonly progress: () => string,
  ) {
    out.beforeWrite = () => this.flushErrors();
  }

  get counters(): RunCounters {
    return this.ids.counters;
  }

  unreadable(line: number, message: string): void {
    this.tally.docsIn++;
    this.tally.badDocuments++;
    this.fail(line, [message]);
  }

  failed(line: number, message: string): void {
    this.tally.docsIn++;
    this.ids.counters.docsIn++;
    this.fail(line, [message]);
  }

  mapped(line: number, row: Pick<MappedRow, "id" | "issues">, output: string | null, refused: string | null): void {
    this.tally.docsIn++;
    this.ids.counters.docsIn++;
    const { ok, issues } = this.ids.settle(row);
    const rejected = ok ? refused : null;
    if (ok && rejected === null) {
      this.tally.docsOut++;
      this.out.add(output!);
    }
    if (issues.length || rejected !== null) {
      const messages = issueMessages(issues, ok);
      if (rejected !== null) messages.push(`${rejected} — Elasticsearch would reject it: the pipeline sends the row to the failure index`);
      this.fail(line, messages);
    }
    if ((this.tally.docsIn & 1023) === 0) this.tick();
  }

  private fail(line: number, messages: string[]): void {
    this.tally.docsFailed++;
    this.clearStatus();
    for (const message of messages) this.errLine(formatDiagnostic({ file: this.rel, line, col: 1, message }));
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

export function summary(t: Tally, c: RunCounters): string {
  return (
    `rows in ${t.docsIn}, out ${t.docsOut}, skipped ${c.docsSkipped}, with issues ${c.docsWithIssues}, unreadable ${t.badDocuments}; ` +
    `zip pad events ${c.zipPadEvents}, objectify records ${c.objectifyRecords}` +
    (Object.keys(c.issuesPerCode).length ? `; issues ${Object.entries(c.issuesPerCode).map(([k, v]) => `${k}=${v}`).join(", ")}` : "")
  );
}
