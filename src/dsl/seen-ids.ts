// The _ids a run has already produced, for the duplicate check (id_policy.on_conflict), exact and in
// bounded memory whatever the input size. Ids are kept as bytes outside the JavaScript heap, in an
// open-addressing table; a Set of strings cost ~100 bytes an id plus the garbage collector's slack over
// millions of live strings. Past a memory budget the table is written to disk as a run sorted by hash
// and emptied; a Bloom filter of fixed size answers "never seen" for most new ids without reading the
// runs, and the runs are merged so that a lookup reads at most a few blocks.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MapstackError } from "./diagnostics";
import { type Run, RunReader, runHolds, RunWriter, sameId, WIDE } from "./id-runs";

/** Bytes of table, entries and id bytes kept in memory before a run is written. */
const DEFAULT_MEMORY_BUDGET = 32 * 1024 * 1024;
/** Bits of the Bloom filter that fronts the runs (allocated at the first spill). */
const DEFAULT_BLOOM_BITS = 16 * 1024 * 1024 * 8;
const BLOOM_PROBES = 4;
/** Runs on disk before they are merged into one. */
const MAX_RUNS = 8;
const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

export interface SeenIdsOptions {
  memoryBudget?: number;
  bloomBits?: number;
  /** Where the private directory of runs is made (default: the system's temporary directory). */
  tmpDir?: string;
  /** Tests only: a hash that collides often, to prove the comparisons exact. */
  weakHash?: boolean;
}

/** Two 32-bit hashes of a string's UTF-16 code units (FNV-1a and a multiply-xorshift), avalanched. */
function hashes(s: string, weak: boolean): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  return weak ? [(s.length * 7 + (s.charCodeAt(0) | 0)) & 0xff, fmix(b)] : [fmix(a), fmix(b)];
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function isNarrow(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}

export class SeenIds {
  private readonly budget: number;
  private readonly bloomBits: number;
  private readonly tmpRoot: string;
  private readonly weak: boolean;

  // The in-memory table: slot → entry + 1; per entry its hash, where its bytes are and their length.
  private slots: Int32Array;
  private mask: number;
  private hash: Uint32Array;
  private at: Uint32Array;
  private len: Uint32Array;
  private entries = 0;
  private bytes: Buffer;
  private used = 0;

  private bloom: Uint32Array | null = null;
  private runs: Run[] = [];
  private dir: string | null = null;
  private runCount = 0;
  private total = 0;
  private readonly cleanup = () => this.close();
  /** On a signal that ends the process, the runs are removed first, then the signal takes its course. */
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.close();
    process.kill(process.pid, signal);
  };

  constructor(options: SeenIdsOptions = {}) {
    this.budget = options.memoryBudget ?? DEFAULT_MEMORY_BUDGET;
    this.bloomBits = options.bloomBits ?? DEFAULT_BLOOM_BITS;
    this.tmpRoot = options.tmpDir ?? os.tmpdir();
    this.weak = options.weakHash ?? false;
    // Small to start (most runs see few ids), and never beyond the budget.
    let entries = 2048;
    while (entries > 4 && entries * 20 > this.budget / 2) entries >>= 1;
    this.hash = new Uint32Array(entries);
    this.at = new Uint32Array(entries);
    this.len = new Uint32Array(entries);
    this.slots = new Int32Array(entries * 2);
    this.mask = this.slots.length - 1;
    this.bytes = Buffer.allocUnsafe(Math.max(64, Math.min(1 << 16, this.budget >> 2)));
  }

  /** Ids added so far (each counted once). */
  get size(): number {
    return this.total;
  }

  /** Runs written to disk so far (tests and figures). */
  get spills(): number {
    return this.runCount;
  }

  /** Adds an id; false when it was there already. */
  add(id: string): boolean {
    const [h1, h2] = hashes(id, this.weak);
    if (this.findInMemory(id, h1) >= 0) return false;
    if (this.runs.length && this.mayBeOnDisk(h1, h2) && this.onDisk(id, h1)) return false;
    this.insert(id, h1);
    if (this.bloom) this.remember(h1, h2);
    this.total++;
    return true;
  }

  /** Removes the runs on disk and forgets every id: the set is empty afterwards. */
  close(): void {
    for (const r of this.runs) fs.closeSync(r.fd);
    this.runs = [];
    this.clearTable();
    this.total = 0;
    this.bloom = null;
    if (this.dir) {
      fs.rmSync(this.dir, { recursive: true, force: true });
      this.dir = null;
      process.off("exit", this.cleanup);
      for (const signal of SIGNALS) process.off(signal, this.onSignal);
    }
  }

  /** Where runs are written (null until the first spill). */
  get directory(): string | null {
    return this.dir;
  }

  /** The table's memory if the arrays that are full now doubled. */
  private allocatedAfterGrowth(size: number): number {
    const bytes = this.used + size > this.bytes.length ? Math.max(this.bytes.length * 2, this.used + size) : this.bytes.length;
    const entries = this.entries === this.hash.length ? this.hash.length * 2 : this.hash.length;
    return bytes + entries * 12 + entries * 2 * 4;
  }

  private findInMemory(id: string, h: number): number {
    const slots = this.slots;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const e = slots[i] - 1;
      if (e < 0) return -1;
      if (this.hash[e] === h && sameId(this.bytes, this.at[e], this.len[e], id)) return e;
    }
  }

  private insert(id: string, h: number): void {
    const narrow = isNarrow(id);
    const size = narrow ? id.length : 2 * id.length;
    // A table that would outgrow the budget is written to disk instead, and its memory reused.
    if (this.entries > 0 && (this.used + size > this.bytes.length || this.entries === this.hash.length) && this.allocatedAfterGrowth(size) > this.budget) this.spill();
    if (this.used + size > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + size));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    if (narrow) this.bytes.write(id, this.used, "latin1");
    else this.bytes.write(id, this.used, "utf16le");
    const e = this.entries++;
    if (e === this.hash.length) {
      const grow = <T extends Uint32Array>(a: T): T => {
        const b = new Uint32Array(a.length * 2) as T;
        b.set(a);
        return b;
      };
      this.hash = grow(this.hash);
      this.at = grow(this.at);
      this.len = grow(this.len);
    }
    this.hash[e] = h;
    this.at[e] = this.used;
    this.len[e] = narrow ? size : (size | WIDE) >>> 0;
    this.used += size;
    if (this.entries * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(e);
  }

  private place(e: number): void {
    let i = this.hash[e] & this.mask;
    while (this.slots[i] !== 0) i = (i + 1) & this.mask;
    this.slots[i] = e + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    for (let e = 0; e < this.entries; e++) this.place(e);
  }

  /** Bit k of an id's hashes in the Bloom filter (double hashing). */
  private bloomBit(h1: number, h2: number, k: number): number {
    return ((h1 + Math.imul(k, h2)) >>> 0) % this.bloomBits;
  }

  private remember(h1: number, h2: number): void {
    const bloom = this.bloom!;
    for (let k = 0; k < BLOOM_PROBES; k++) {
      const b = this.bloomBit(h1, h2, k);
      bloom[b >>> 5] |= 1 << (b & 31);
    }
  }

  private mayBeOnDisk(h1: number, h2: number): boolean {
    const bloom = this.bloom!;
    for (let k = 0; k < BLOOM_PROBES; k++) {
      const b = this.bloomBit(h1, h2, k);
      if ((bloom[b >>> 5] & (1 << (b & 31))) === 0) return false;
    }
    return true;
  }

  private onDisk(id: string, h: number): boolean {
    for (const r of this.runs) if (runHolds(r, id, h, (f) => this.io(f, r.file))) return true;
    return false;
  }

  /** Writes the in-memory ids as a run sorted by hash, empties the table, merges runs when there are many. */
  private spill(): void {
    if (!this.dir) {
      this.dir = this.io(() => fs.mkdtempSync(path.join(this.tmpRoot, "mapstack-ids-")), this.tmpRoot);
      process.on("exit", this.cleanup);
      for (const signal of SIGNALS) process.once(signal, this.onSignal);
    }
    if (!this.bloom) {
      this.bloom = new Uint32Array(Math.ceil(this.bloomBits / 32));
      for (let e = 0; e < this.entries; e++) {
        const [h1, h2] = hashes(this.idAt(e), this.weak);
        this.remember(h1, h2);
      }
    }
    const order = new Uint32Array(this.entries);
    for (let e = 0; e < this.entries; e++) order[e] = e;
    const hash = this.hash;
    order.sort((x, y) => hash[x] - hash[y]);
    const w = this.runWriter();
    for (let k = 0; k < order.length; k++) {
      const e = order[k];
      w.add(hash[e], this.len[e], this.bytes, this.at[e]);
    }
    this.runs.push(w.finish());
    this.clearTable();
    if (this.runs.length >= MAX_RUNS) this.mergeRuns();
  }

  /** Empties the in-memory table, keeping its memory for the ids to come. */
  private clearTable(): void {
    this.entries = 0;
    this.used = 0;
    this.slots.fill(0);
  }

  private idAt(e: number): string {
    const n = this.len[e] & ~WIDE;
    return this.bytes.toString(this.len[e] & WIDE ? "utf16le" : "latin1", this.at[e], this.at[e] + n);
  }

  private runWriter(): RunWriter {
    const file = path.join(this.dir!, `run-${this.runCount++}`);
    return new RunWriter(file, this.io(() => fs.openSync(file, "w+"), file), (f) => this.io(f, file));
  }

  /** All runs into one, read in order a buffer at a time (the ids of distinct runs are distinct). */
  private mergeRuns(): void {
    const sources = this.runs.map((r) => new RunReader(r, (f) => this.io(f, r.file)));
    const w = this.runWriter();
    for (;;) {
      let best: RunReader | null = null;
      for (const s of sources) if (!s.done && (!best || s.hash < best.hash)) best = s;
      if (!best) break;
      best.copyTo(w);
      best.next();
    }
    const merged = w.finish();
    for (const r of this.runs) {
      fs.closeSync(r.fd);
      fs.rmSync(r.file, { force: true });
    }
    this.runs = [merged];
  }

  /** Runs a file operation; a failure (disk full, no permission) ends the run with the directory named. */
  private io<T>(f: () => T, where: string): T {
    try {
      return f();
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new MapstackError(
        `${where}: cannot keep the _ids seen so far on disk (${err.code ?? err.message}); the duplicate check needs room for them beyond ${Math.round(this.budget / (1024 * 1024))} MiB of memory — set TMPDIR to a directory with space`,
      );
    }
  }
}
