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

/** The bytes of a line not finished yet; past the longest line kept, only how long it has grown. */
export class LineCarry {
  /** Copies: the stream may reuse a chunk's memory. */
  private parts: Uint8Array[] = [];
  length = 0;
  /** Longer than the limit: its bytes are dropped, the line is reported as too long. */
  skipping = false;

  constructor(private readonly maxLine: number) {}

  keep(part: Uint8Array): void {
    this.length += part.length;
    if (this.skipping) return;
    if (this.length > this.maxLine) {
      this.skipping = true;
      this.parts = [];
    } else this.parts.push(Uint8Array.prototype.slice.call(part)); // (Buffer's own slice() would not copy)
  }

  /** The bytes kept, followed by `tail`, in one new buffer. */
  joined(tail: Uint8Array): Buffer {
    const bytes = Buffer.allocUnsafeSlow(this.length + tail.length);
    let at = 0;
    for (const part of this.parts) {
      bytes.set(part, at);
      at += part.length;
    }
    bytes.set(tail, at);
    return bytes;
  }

  reset(): void {
    this.parts = [];
    this.length = 0;
    this.skipping = false;
  }
}

export class LineSplitter {
  private readonly carry: LineCarry;
  private lineNo: number;

  constructor(
    private readonly sink: LineSink,
    /** Longest line kept, in bytes. */
    private readonly maxLine: number,
    /** The number of the first line pushed (a part of a file read elsewhere starts further on). */
    firstLine = 1,
  ) {
    this.carry = new LineCarry(maxLine);
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
      if (this.carry.length === 0) {
        if (nl - start > this.maxLine) this.sink.tooLong(++this.lineNo, nl - start);
        else this.emit(chunk.toString("utf8", start, nl));
      } else this.finishLine(chunk.subarray(start, nl));
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) this.carry.keep(chunk.subarray(start));
  }

  end(): void {
    if (this.carry.length) this.finishLine(Buffer.alloc(0));
  }

  private emit(text: string): void {
    // A UTF-8 byte-order mark (editors on Windows write one) is not part of the first document.
    if (this.lineNo === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    this.sink.line(++this.lineNo, text);
  }

  private finishLine(last: Buffer): void {
    this.carry.keep(last);
    if (this.carry.skipping) this.sink.tooLong(++this.lineNo, this.carry.length);
    else this.emit(this.carry.joined(new Uint8Array(0)).toString("utf8"));
    this.carry.reset();
  }
}
