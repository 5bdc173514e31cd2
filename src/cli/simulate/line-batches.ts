// Cuts a byte stream into batches of whole lines for worker threads, numbering them, so each worker can
// split and decode its batch itself. A line longer than the limit is never held: it becomes a "too long"
// event in its place.

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
  /** The unfinished line's bytes so far (copies: the stream may reuse a chunk's memory). */
  private carry: Uint8Array[] = [];
  private carryLength = 0;
  private skipping = false;
  /** The number of the next line not yet handed on. */
  private nextLine = 1;

  constructor(
    private readonly emit: (b: LineBatch) => void,
    /** Longest line kept, in bytes. */
    private readonly maxLine: number,
  ) {}

  /** At most one batch of lines per chunk (after a "too long" event for a long line the chunk ends). */
  push(chunk: Uint8Array): void {
    const last = chunk.lastIndexOf(NEWLINE);
    if (last === -1) return this.keep(chunk);
    const first = chunk.indexOf(NEWLINE);
    let head: Uint8Array | null = null;
    if (this.skipping) {
      this.keep(chunk.subarray(0, first));
      this.emit({ kind: "tooLong", line: this.nextLine++, bytesAtLeast: this.carryLength });
      this.resetCarry();
    } else if (this.carryLength + first > this.maxLine) {
      this.emit({ kind: "tooLong", line: this.nextLine++, bytesAtLeast: this.carryLength + first });
      this.resetCarry();
    } else head = chunk.subarray(0, first + 1);
    const bodyStart = head ? 0 : first + 1;
    if (head || bodyStart <= last) {
      const bytes = this.carryAnd(chunk.subarray(bodyStart, last + 1));
      const lines = (head ? 1 : 0) + countNewlines(chunk, first + 1, last + 1);
      if (lines > 0) {
        this.emit({ kind: "lines", bytes, firstLine: this.nextLine });
        this.nextLine += lines;
      }
      this.resetCarry();
    }
    if (last + 1 < chunk.length) this.keep(chunk.subarray(last + 1));
  }

  end(): void {
    if (this.skipping) this.emit({ kind: "tooLong", line: this.nextLine++, bytesAtLeast: this.carryLength });
    else if (this.carryLength) this.emit({ kind: "lines", bytes: this.carryAnd(new Uint8Array(0)), firstLine: this.nextLine++ });
    this.resetCarry();
  }

  private keep(part: Uint8Array): void {
    this.carryLength += part.length;
    if (this.skipping) return;
    if (this.carryLength > this.maxLine) {
      this.skipping = true;
      this.carry = [];
    } else this.carry.push(part.slice());
  }

  /** The unfinished line's bytes followed by `tail`, in one new array (handed to another thread). */
  private carryAnd(tail: Uint8Array): Uint8Array {
    const bytes = new Uint8Array(this.carryLength + tail.length);
    let at = 0;
    for (const part of this.carry) {
      bytes.set(part, at);
      at += part.length;
    }
    bytes.set(tail, at);
    return bytes;
  }

  private resetCarry(): void {
    this.carry = [];
    this.carryLength = 0;
    this.skipping = false;
  }
}
