// A simulate worker thread: maps batches of lines and hands back their outcomes (batch.ts); the duplicate
// check, the counting and all printing stay on the main thread, in input order.
import { parentPort, workerData } from "node:worker_threads";
import { localBatchMapper, type BatchReply, type BatchRequest, type WorkerSetup } from "./parallel";

async function serve(setup: WorkerSetup): Promise<void> {
  const port = parentPort!;
  const mapBatch = await localBatchMapper(setup);
  port.on("message", (m: BatchRequest) => {
    let reply: BatchReply;
    try {
      reply = { seq: m.seq, batch: mapBatch(m.bytes, m.firstLine) };
    } catch (e) {
      reply = { seq: m.seq, error: e instanceof Error ? e.message : String(e) };
    }
    port.postMessage(reply);
  });
}

void serve(workerData as WorkerSetup);
