// A batch of row outcomes as a worker thread hands it to the main thread: plain arrays and one string of
// output lines (cheap to copy between threads), replayed there into the reporter in input order.
import type { RowIssue } from "../../dsl/evaluate";
import type { OpCounters } from "../../dsl/ops";
import { newOpCounters } from "../../dsl/evaluate";
import type { RowSink } from "./rows";

const OP_COUNTERS = Object.keys(newOpCounters()) as (keyof OpCounters)[];
const UNREADABLE = 0;
const FAILED = 1;
const MAPPED = 2;

export interface RowBatch {
  kinds: number[];
  lines: number[];
  /** MAPPED: the _id; else null. */
  ids: (string | null)[];
  /** MAPPED: the issues (null for none); else null. */
  issues: (RowIssue[] | null)[];
  /** UNREADABLE/FAILED: the message; MAPPED: why the mapping refuses the row, or null. */
  notes: (string | null)[];
  /** The output lines of the rows in order; row k's is text.slice(ends[k-1], ends[k]) (empty when none). */
  text: string;
  ends: number[];
  /** Per row, what it added to each op counter (OP_COUNTERS order). */
  ops: number[];
}

/** A RowSink that records a batch (worker side). `counters` are the ones the worker's mapper adds to. */
export class BatchRecorder implements RowSink {
  private batch = emptyBatch();
  private readonly seen: number[];

  constructor(private readonly counters: OpCounters) {
    this.seen = OP_COUNTERS.map((k) => counters[k]);
  }

  unreadable(line: number, message: string): void {
    this.record(UNREADABLE, line, null, null, message, null);
  }

  failed(line: number, message: string): void {
    this.record(FAILED, line, null, null, message, null);
  }

  mapped(line: number, row: { id: string | null; issues: RowIssue[] }, output: string | null, refused: string | null): void {
    this.record(MAPPED, line, row.id, row.issues.length ? row.issues : null, refused, output);
  }

  /** The batch so far, and a new one started. */
  take(): RowBatch {
    const b = this.batch;
    this.batch = emptyBatch();
    return b;
  }

  private record(kind: number, line: number, id: string | null, issues: RowIssue[] | null, note: string | null, output: string | null): void {
    const b = this.batch;
    b.kinds.push(kind);
    b.lines.push(line);
    b.ids.push(id);
    b.issues.push(issues);
    b.notes.push(note);
    if (output !== null) b.text += output;
    b.ends.push(b.text.length);
    for (let k = 0; k < OP_COUNTERS.length; k++) {
      const now = this.counters[OP_COUNTERS[k]];
      b.ops.push(now - this.seen[k]);
      this.seen[k] = now;
    }
  }
}

function emptyBatch(): RowBatch {
  return { kinds: [], lines: [], ids: [], issues: [], notes: [], text: "", ends: [], ops: [] };
}

const NO_ISSUES: RowIssue[] = [];

/** Hands a recorded batch to a sink row by row, as if its rows had been read here (main side). */
export function replay(b: RowBatch, sink: RowSink, counters: OpCounters): void {
  let start = 0;
  for (let r = 0; r < b.kinds.length; r++) {
    for (let k = 0; k < OP_COUNTERS.length; k++) counters[OP_COUNTERS[k]] += b.ops[r * OP_COUNTERS.length + k];
    const end = b.ends[r];
    const line = b.lines[r];
    if (b.kinds[r] === MAPPED) sink.mapped(line, { id: b.ids[r], issues: b.issues[r] ?? NO_ISSUES }, end > start ? b.text.slice(start, end) : null, b.notes[r]);
    else if (b.kinds[r] === FAILED) sink.failed(line, b.notes[r]!);
    else sink.unreadable(line, b.notes[r]!);
    start = end;
  }
}
