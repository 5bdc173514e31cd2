// Splits a byte stream into text lines as chunks arrive, so a JSONL file of any size is read in
// constant memory: only the current chunk and one unfinished line are held. Lines are found in the
// bytes ("\n" never occurs inside a UTF-8 multi-byte character) and each is decoded on its own: decoding
// whole chunks made one two-byte string of a chunk as soon as one character needed it, and every line
// sliced from it was parsed as two-byte text, 3–5× the decoding cost.

export interface LineSink {
  /** A complete line, without its "\n" (a "\r" before it is left in: JSON treats it as whitespace). */
  line(lineNo: number, text: string): void;
  /** A line longer than the limit: its text was dropped while reading, never held whole. */
  tooLong(lineNo: number, bytesAtLeast: number): void;
}

const NEWLINE = 10;

export class LineSplitter {
  /** The unfinished line's bytes so far (copies: the stream may reuse a chunk's memory). */
  private carry: Buffer[] = [];
  private carryLength = 0;
  private skipping = false;
  private lineNo: number;

  constructor(
    private readonly sink: LineSink,
    /** Longest line kept, in bytes. */
    private readonly maxLine: number,
    /** The number of the first line pushed (a part of a file read elsewhere starts further on). */
    firstLine = 1,
  ) {
    this.lineNo = firstLine - 1;
  }

  /** Lines completed so far (the number of the last line handed to the sink). */
  get lines(): number {
    return this.lineNo;
  }

  push(chunk: Buffer): void {
    let start = 0;
    let nl = chunk.indexOf(NEWLINE);
    while (nl !== -1) {
      if (this.carryLength === 0 && !this.skipping) {
        if (nl - start > this.maxLine) this.sink.tooLong(++this.lineNo, nl - start);
        else this.emit(chunk.toString("utf8", start, nl));
      } else this.finishLine(chunk.subarray(start, nl));
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) this.keep(chunk.subarray(start));
  }

  end(): void {
    if (this.carryLength || this.skipping) this.finishLine(Buffer.alloc(0));
  }

  private emit(text: string): void {
    // A UTF-8 byte-order mark (editors on Windows write one) is not part of the first document.
    if (this.lineNo === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    this.sink.line(++this.lineNo, text);
  }

  private keep(part: Buffer): void {
    this.carryLength += part.length;
    if (this.skipping) return;
    if (this.carryLength > this.maxLine) {
      this.skipping = true;
      this.carry = [];
    } else this.carry.push(Buffer.from(part));
  }

  private finishLine(last: Buffer): void {
    this.keep(last);
    if (this.skipping) this.sink.tooLong(++this.lineNo, this.carryLength);
    else this.emit(Buffer.concat(this.carry, this.carryLength).toString("utf8"));
    this.carry = [];
    this.carryLength = 0;
    this.skipping = false;
  }
}
