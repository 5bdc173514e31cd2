// simulate on several threads: the main thread reads the file and cuts it into batches of whole lines;
// the batches are parsed, mapped and printed (rows.ts) by jobs - 1 worker threads, and by the main thread
// itself whenever every worker already holds enough; their outcomes are replayed in input order into the
// reporter, which runs the duplicate check and writes everything, so stdout, stderr and the counters are
// byte for byte those of a run on one thread.
import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { Worker } from "node:worker_threads";
import { MapstackError } from "../../dsl/diagnostics";
import { createRowMapper } from "../../dsl/evaluate";
import type { OpCounters } from "../../dsl/ops";
import type { CompiledDataset } from "../../dsl/types";
import { LineSplitter } from "../lines";
import { BatchRecorder, replay, type RowBatch } from "./batch";
import { LineBatcher, type LineBatch } from "./line-batches";
import type { Output, Reporter } from "./report";
import { RowReader, rowReading, tooLongMessage } from "./rows";

export interface WorkerSetup {
  dataset: CompiledDataset;
  dslDir: string;
  maxLine: number;
}

export interface BatchRequest {
  seq: number;
  bytes: Uint8Array;
  firstLine: number;
}

export type BatchReply = { seq: number; batch: RowBatch } | { seq: number; error: string };

/** Bytes read at a time; each read becomes at most one batch. Small batches keep each thread's heap small. */
const BATCH_BYTES = 128 * 1024;
/**
 * A worker's young generation: its rows die young, and V8's default lets each worker's heap grow by tens
 * of MB for no gain in speed (measured: 40 MB less peak RSS per worker, CPU within noise).
 */
const WORKER_YOUNG_MB = 8;
/** Batches handed out per thread and not yet replayed: bounds memory, keeps every thread busy. */
const AHEAD_PER_JOB = 4;
/** Batches a worker holds before the main thread maps the next one itself. */
const QUEUED_PER_WORKER = 2;

/** The compiled worker script, or null when there is none (running from sources without a build). */
function workerScript(): string | null {
  const here = path.join(__dirname, "worker.js");
  if (fs.existsSync(here)) return here;
  const built = path.resolve(__dirname, "..", "..", "..", "dist", "cli", "simulate", "worker.js");
  return fs.existsSync(built) ? built : null;
}

/** Whether `jobs` worker threads can map this dataset (its compiled form must cross threads unchanged). */
export function canRunInWorkers(dataset: CompiledDataset): boolean {
  if (!workerScript()) return false;
  try {
    return isDeepStrictEqual(structuredClone(dataset), dataset);
  } catch {
    return false;
  }
}

type Pending = { kind: "batch"; batch: RowBatch } | { kind: "tooLong"; line: number; bytesAtLeast: number } | { kind: "error"; message: string };

export async function streamJsonlInWorkers(
  file: string,
  jobs: number,
  setup: WorkerSetup,
  reporter: Reporter,
  counters: OpCounters,
  out: Output,
  read: { bytes: number },
): Promise<void> {
  const workers = Array.from({ length: jobs - 1 }, () => new Worker(workerScript()!, { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } }));
  const mapLocally = await localBatchMapper(setup);
  const done = new Map<number, Pending>();
  let nextSeq = 0;
  let nextToReplay = 0;
  let wake: (() => void) | null = null;
  let crashed: string | null = null;
  let closing = false;
  const arrived = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  /** Batches sent to each worker and not back yet. */
  const queued = workers.map(() => 0);
  workers.forEach((w, i) => {
    w.on("message", (m: BatchReply) => {
      queued[i]--;
      done.set(m.seq, "error" in m ? { kind: "error", message: m.error } : { kind: "batch", batch: m.batch });
      arrived();
    });
    w.on("error", (e) => {
      crashed = e.message;
      arrived();
    });
    w.on("exit", (code) => {
      if (closing) return;
      crashed ??= `it stopped (exit code ${code})`;
      arrived();
    });
  });
  const batcher = new LineBatcher((b: LineBatch) => {
    const seq = nextSeq++;
    if (b.kind === "tooLong") return done.set(seq, b);
    // To the least busy worker while it has few queued, else mapped here: a worker still starting up, or
    // slower for any reason, gets less, and this thread never waits on it with work in hand.
    let w = 0;
    for (let i = 1; i < workers.length; i++) if (queued[i] < queued[w]) w = i;
    if (queued[w] < QUEUED_PER_WORKER) {
      queued[w]++;
      workers[w].postMessage({ seq, bytes: b.bytes, firstLine: b.firstLine } satisfies BatchRequest);
    } else done.set(seq, { kind: "batch", batch: mapLocally(b.bytes, b.firstLine) });
  }, setup.maxLine);

  /** Replays every batch that is back, in order; then waits for one more when `until` batches are still out. */
  const replayReady = async (until: number): Promise<void> => {
    for (;;) {
      for (let p = done.get(nextToReplay); p; p = done.get(nextToReplay)) {
        done.delete(nextToReplay++);
        if (p.kind === "batch") replay(p.batch, reporter, counters);
        else if (p.kind === "tooLong") reporter.unreadable(p.line, tooLongMessage(p.bytesAtLeast, setup.maxLine));
        else throw workerFailed(p.message);
        if (!out.flush()) await out.drain();
        if (out.closed) return;
      }
      if (crashed !== null) throw workerFailed(crashed);
      if (nextSeq - nextToReplay <= until) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };

  const input = fs.createReadStream(file, { highWaterMark: BATCH_BYTES });
  try {
    for await (const chunk of input) {
      read.bytes += (chunk as Buffer).length;
      batcher.push(chunk as Buffer);
      await replayReady(jobs * AHEAD_PER_JOB);
      if (out.closed) return;
    }
    batcher.end();
    await replayReady(0);
  } finally {
    closing = true;
    input.destroy();
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** A worker that failed is a bug of ours, not of the input: said plainly, with the way around it. */
function workerFailed(why: string): MapstackError {
  return new MapstackError(`simulate: a worker thread failed: ${why}; --jobs 1 maps on the main thread alone`);
}

/** Maps one batch of lines into its recorded outcomes: what a worker does with a request (worker.ts). */
export async function localBatchMapper(setup: WorkerSetup): Promise<(bytes: Uint8Array, firstLine: number) => RowBatch> {
  const mapper = createRowMapper(setup.dataset);
  const recorder = new BatchRecorder(mapper.counters);
  const reader = new RowReader(mapper, await rowReading(setup.dataset, setup.dslDir, false), recorder);
  const sink = { line: (n: number, t: string) => reader.text(n, t), tooLong: (n: number, size: number) => recorder.unreadable(n, tooLongMessage(size, setup.maxLine)) };
  return (bytes, firstLine) => {
    const lines = new LineSplitter(sink, setup.maxLine, firstLine);
    try {
      lines.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      lines.end();
    } catch (e) {
      recorder.take(); // a failed batch's rows go with it, never into the next batch
      throw e;
    }
    return recorder.take();
  };
}
