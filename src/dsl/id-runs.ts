// Sorted runs of ids on disk, the part of the set of seen _ids (seen-ids.ts) that is past its memory
// budget. A record is the id's 32-bit hash, a length word and the id's bytes; records are sorted by hash,
// and a run's small in-memory index keeps the first hash of each ~4 KB block, a block never splitting the
// records of one hash, so a lookup reads one block.
import * as fs from "node:fs";

/** A run's index keeps the first hash of every block of about this many bytes. */
const BLOCK_BYTES = 4096;
/** Set in a record's length word when the id is stored as UTF-16 (else one byte per code unit). */
export const WIDE = 0x80000000;

/** Whether `len` (with its WIDE flag) bytes at `at` of `buf` hold exactly `s`. */
export function sameId(buf: Buffer, at: number, len: number, s: string): boolean {
  if (len & WIDE) {
    const n = (len & ~WIDE) >>> 1;
    if (n !== s.length) return false;
    for (let i = 0; i < n; i++) if (buf.readUInt16LE(at + 2 * i) !== s.charCodeAt(i)) return false;
    return true;
  }
  if (len !== s.length) return false;
  for (let i = 0; i < len; i++) if (buf[at + i] !== s.charCodeAt(i)) return false;
  return true;
}

export interface Run {
  file: string;
  fd: number;
  size: number;
  /** First hash and byte offset of each block (a block never splits the records of one hash). */
  blockHash: Uint32Array;
  blockAt: Float64Array;
  blocks: number;
}

/** Whether the run holds `id` (whose hash is h): one block read. */
export function runHolds(r: Run, id: string, h: number, io: (f: () => number) => number): boolean {
  if (r.blocks === 0 || r.blockHash[0] > h) return false;
  // The last block whose first hash is ≤ h holds every record of hash h, if any.
  let lo = 0;
  let hi = r.blocks - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (r.blockHash[mid] <= h) lo = mid;
    else hi = mid - 1;
  }
  const start = r.blockAt[lo];
  const end = lo + 1 < r.blocks ? r.blockAt[lo + 1] : r.size;
  const block = Buffer.allocUnsafe(end - start);
  io(() => fs.readSync(r.fd, block, 0, block.length, start));
  for (let p = 0; p < block.length; ) {
    const rh = block.readUInt32LE(p);
    const rl = block.readUInt32LE(p + 4);
    if (rh > h) break;
    if (rh === h && sameId(block, p + 8, rl, id)) return true;
    p += 8 + (rl & ~WIDE);
  }
  return false;
}

/** Writes a run's records through a buffer and indexes its blocks. */
export class RunWriter {
  private out = Buffer.allocUnsafe(1 << 20);
  private fill = 0;
  private size = 0;
  private blockStart = -Infinity;
  private lastHash = -1;
  private readonly blockHash: number[] = [];
  private readonly blockAt: number[] = [];

  constructor(
    private readonly file: string,
    private readonly fd: number,
    private readonly io: (f: () => number) => number,
  ) {}

  /** A record: its hash, its length word and its bytes, found at `at` of `src`. */
  add(hash: number, len: number, src: Buffer, at: number): void {
    const n = len & ~WIDE;
    if (hash !== this.lastHash && this.size - this.blockStart >= BLOCK_BYTES) {
      this.blockHash.push(hash);
      this.blockAt.push(this.size);
      this.blockStart = this.size;
    }
    this.lastHash = hash;
    if (this.fill + 8 + n > this.out.length) {
      this.flush();
      if (8 + n > this.out.length) this.out = Buffer.allocUnsafe(8 + n);
    }
    this.out.writeUInt32LE(hash, this.fill);
    this.out.writeUInt32LE(len, this.fill + 4);
    src.copy(this.out, this.fill + 8, at, at + n);
    this.fill += 8 + n;
    this.size += 8 + n;
  }

  finish(): Run {
    this.flush();
    return { file: this.file, fd: this.fd, size: this.size, blockHash: Uint32Array.from(this.blockHash), blockAt: Float64Array.from(this.blockAt), blocks: this.blockHash.length };
  }

  private flush(): void {
    const n = this.fill;
    if (n) this.io(() => fs.writeSync(this.fd, this.out, 0, n));
    this.fill = 0;
  }
}

/** Reads a run's records in order through a buffer. */
export class RunReader {
  done = false;
  hash = 0;
  private len = 0;
  private buf = Buffer.allocUnsafe(1 << 20);
  private bufStart = 0;
  private bufFill = 0;
  private pos = 0;

  constructor(
    private readonly run: Run,
    private readonly io: (f: () => number) => number,
  ) {
    this.next();
  }

  next(): void {
    if (this.pos >= this.run.size) {
      this.done = true;
      return;
    }
    this.load(this.pos, 8);
    const head = this.pos - this.bufStart;
    this.hash = this.buf.readUInt32LE(head);
    this.len = this.buf.readUInt32LE(head + 4);
    this.load(this.pos, 8 + (this.len & ~WIDE));
  }

  copyTo(w: RunWriter): void {
    w.add(this.hash, this.len, this.buf, this.pos - this.bufStart + 8);
    this.pos += 8 + (this.len & ~WIDE);
  }

  /** Makes bytes [at, at + n) of the run present in the buffer. */
  private load(at: number, n: number): void {
    if (at >= this.bufStart && at + n <= this.bufStart + this.bufFill) return;
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
    this.bufStart = at;
    this.bufFill = this.io(() => fs.readSync(this.run.fd, this.buf, 0, Math.min(this.buf.length, this.run.size - at), at));
  }
}
