// Cuts a byte stream into batches of whole lines for worker threads, numbering them, so each worker can
// split and decode its batch itself. A line longer than the limit is never held: it becomes a "too long"
// event in its place.
import { LineCarry } from "../lines";

export type LineBatch =
  | { kind: "lines"; bytes: Uint8Array; firstLine: number }
  | { kind: "tooLong"; line: number; bytesAtLeast: number };

const NEWLINE = 10;

function countNewlines(b: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = b.indexOf(NEWLINE, from); i !== -1 && i < to; i = b.indexOf(NEWLINE, i + 1)) n++;
  return n;
}

export class LineBatcher {
  private readonly carry: LineCarry;
  /** The number of the next line not yet handed on. */
  private nextLine = 1;

  constructor(
    private readonly emit: (b: LineBatch) => void,
    /** Longest line kept, in bytes. */
    private readonly maxLine: number,
  ) {
    this.carry = new LineCarry(maxLine);
  }

  /** At most one batch of lines per chunk (after a "too long" event for a long line the chunk ends). */
  push(chunk: Uint8Array): void {
    const last = chunk.lastIndexOf(NEWLINE);
    if (last === -1) return this.carry.keep(chunk);
    const first = chunk.indexOf(NEWLINE);
    let head: Uint8Array | null = null;
    if (this.carry.skipping) {
      this.carry.keep(chunk.subarray(0, first));
      this.emit({ kind: "tooLong", line: this.nextLine++, bytesAtLeast: this.carry.length });
      this.carry.reset();
    } else if (this.carry.length + first > this.maxLine) {
      this.emit({ kind: "tooLong", line: this.nextLine++, bytesAtLeast: this.carry.length + first });
      this.carry.reset();
    } else head = chunk.subarray(0, first + 1);
    const bodyStart = head ? 0 : first + 1;
    if (head || bodyStart <= last) {
      const bytes = this.carry.joined(chunk.subarray(bodyStart, last + 1));
      const lines = (head ? 1 : 0) + countNewlines(chunk, first + 1, last + 1);
      if (lines > 0) {
        this.emit({ kind: "lines", bytes, firstLine: this.nextLine });
        this.nextLine += lines;
      }
      this.carry.reset();
    }
    if (last + 1 < chunk.length) this.carry.keep(chunk.subarray(last + 1));
  }

  end(): void {
    if (this.carry.skipping) this.emit({ kind: "tooLong", line: this.nextLine++, bytesAtLeast: this.carry.length });
    else if (this.carry.length) this.emit({ kind: "lines", bytes: this.carry.joined(new Uint8Array(0)), firstLine: this.nextLine++ });
    this.carry.reset();
  }
}
