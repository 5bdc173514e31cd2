// Splits a byte stream into text lines as chunks arrive, so a JSONL file of any size is read in
// constant memory: only the current chunk and one unfinished line are held.
import { StringDecoder } from "node:string_decoder";

export interface LineSink {
  /** A complete line, without its "\n" (a "\r" before it is left in: JSON treats it as whitespace). */
  line(lineNo: number, text: string): void;
  /** A line longer than the limit: its text was dropped while reading, never held whole. */
  tooLong(lineNo: number, bytesAtLeast: number): void;
}

export class LineSplitter {
  private readonly decoder = new StringDecoder("utf8");
  private carry: string[] = [];
  private carryLength = 0;
  private skipping = false;
  private started = false;
  private lineNo = 0;

  constructor(
    private readonly sink: LineSink,
    /** Longest line kept, in UTF-16 code units (about bytes for JSON text). */
    private readonly maxLine: number,
  ) {}

  /** Lines completed so far (the number of the last line handed to the sink). */
  get lines(): number {
    return this.lineNo;
  }

  push(chunk: Buffer): void {
    let text = this.decoder.write(chunk);
    if (!this.started && text.length) {
      this.started = true;
      // A UTF-8 byte-order mark (editors on Windows write one) is not part of the first document.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.take(text);
  }

  end(): void {
    this.take(this.decoder.end());
    if (this.carryLength || this.skipping) this.finishLine("");
  }

  private take(text: string): void {
    let start = 0;
    let nl = text.indexOf("\n");
    while (nl !== -1) {
      if (this.carryLength === 0 && !this.skipping) {
        if (nl - start > this.maxLine) this.sink.tooLong(++this.lineNo, nl - start);
        else this.sink.line(++this.lineNo, text.slice(start, nl));
      } else this.finishLine(text.slice(start, nl));
      start = nl + 1;
      nl = text.indexOf("\n", start);
    }
    if (start < text.length) this.keep(text.slice(start));
  }

  private keep(part: string): void {
    this.carryLength += part.length;
    if (this.skipping) return;
    if (this.carryLength > this.maxLine) {
      this.skipping = true;
      this.carry = [];
    } else this.carry.push(part);
  }

  private finishLine(last: string): void {
    this.keep(last);
    if (this.skipping) this.sink.tooLong(++this.lineNo, this.carryLength);
    else this.sink.line(++this.lineNo, this.carry.join(""));
    this.carry = [];
    this.carryLength = 0;
    this.skipping = false;
  }
}
