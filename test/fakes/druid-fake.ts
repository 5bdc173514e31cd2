// In-process fake of the Druid Overlord supervisor API (/druid/indexer/v1/supervisor), reproducing the
// documented shapes: GET returns the spec filled with server defaults and duplicated at the top level,
// suspend-when-suspended is 400, unknown ids (including terminated ones) are 404. Faults are injectable.
import * as http from "node:http";
import type { AddressInfo } from "node:net";

type Spec = Record<string, any>;

export interface FakeSupervisor {
  spec: Spec;
  suspended: boolean;
  /** Times the supervisor's tasks were restarted by a POST (skipRestartIfUnmodified skips unchanged specs). */
  restarts: number;
  terminated: boolean;
}

export interface DruidFake {
  url: string;
  supervisors: Map<string, FakeSupervisor>;
  requests: Array<{ method: string; path: string; body: unknown; authorization: string | undefined }>;
  /** The next n requests answer this status (e.g. 503), then normal service resumes. */
  failNext(n: number, status: number, body?: unknown): void;
  close(): Promise<void>;
}

function withDefaults(spec: Spec, suspended: boolean): Spec {
  const s = JSON.parse(JSON.stringify(spec.spec ?? {}));
  s.dataSchema = { parser: null, ...s.dataSchema, transformSpec: { filter: null, ...(s.dataSchema?.transformSpec ?? {}) } };
  s.ioConfig = {
    pollTimeout: 100, startDelay: "PT5S", period: "PT30S", completionTimeout: "PT30M", lateMessageRejectionPeriod: null,
    autoScalerConfig: null, stream: s.ioConfig?.topic, ...s.ioConfig,
  };
  s.tuningConfig = {
    maxRowsInMemory: 150000, maxBytesInMemory: 0, skipBytesInMemoryOverheadCheck: false, maxRowsPerSegment: 5000000,
    intermediatePersistPeriod: "PT10M", indexSpec: { bitmap: { type: "roaring" } }, workerThreads: null, chatRetries: 8,
    httpTimeout: "PT10S", shutdownTimeout: "PT80S", offsetFetchPeriod: "PT30S", ...s.tuningConfig,
  };
  return { type: spec.type, id: s.dataSchema.dataSource, spec: s, dataSchema: s.dataSchema, ioConfig: s.ioConfig, tuningConfig: s.tuningConfig, context: null, suspended };
}

export async function startDruidFake(opts: { username?: string; password?: string } = {}): Promise<DruidFake> {
  const supervisors = new Map<string, FakeSupervisor>();
  const requests: DruidFake["requests"] = [];
  let faults: Array<{ status: number; body: unknown }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const body = text ? JSON.parse(text) : null;
      const url = new URL(req.url ?? "/", "http://fake");
      requests.push({ method: req.method ?? "", path: url.pathname + url.search, body, authorization: req.headers.authorization });
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(payload));
      };
      const fault = faults.shift();
      if (fault) return send(fault.status, fault.body ?? { error: "fault injected" });
      if (opts.username) {
        const expected = `Basic ${Buffer.from(`${opts.username}:${opts.password ?? ""}`).toString("base64")}`;
        if (req.headers.authorization !== expected) return send(401, { error: "Unauthorized" });
      }
      const base = "/druid/indexer/v1/supervisor";
      if (req.method === "POST" && url.pathname === base) {
        const id = body?.spec?.dataSchema?.dataSource;
        if (!id || body?.type !== "kafka") return send(400, { error: "Missing dataSource or type" });
        const prev = supervisors.get(id);
        const unchanged = prev && !prev.terminated && JSON.stringify(prev.spec) === JSON.stringify(body);
        const skip = url.searchParams.get("skipRestartIfUnmodified") === "true" && unchanged;
        supervisors.set(id, { spec: body, suspended: body.suspended === true, restarts: (prev && !prev.terminated ? prev.restarts : 0) + (skip ? 0 : 1), terminated: false });
        return send(200, { id });
      }
      const m = /^\/druid\/indexer\/v1\/supervisor\/([^/]+)(?:\/(status|suspend|resume|terminate))?$/.exec(url.pathname);
      if (!m) return send(404, { error: `no route ${url.pathname}` });
      const id = decodeURIComponent(m[1]);
      const sup = supervisors.get(id);
      if (!sup || sup.terminated) return send(404, { error: `[${id}] does not exist` });
      const action = m[2];
      if (req.method === "GET" && !action) return send(200, withDefaults(sup.spec, sup.suspended));
      if (req.method === "GET" && action === "status") {
        return send(200, {
          id, generationTime: "2026-01-01T00:00:00.000Z",
          payload: { dataSource: id, stream: sup.spec.spec?.ioConfig?.topic, partitions: 3, replicas: 1, durationSeconds: 3600, activeTasks: [], publishingTasks: [],
            state: sup.suspended ? "SUSPENDED" : "RUNNING", detailedState: sup.suspended ? "SUSPENDED" : "RUNNING", healthy: true, suspended: sup.suspended },
        });
      }
      if (req.method === "POST" && (action === "suspend" || action === "resume")) {
        const want = action === "suspend";
        if (sup.suspended === want) return send(400, { error: `[${id}] is already ${want ? "suspended" : "running"}` });
        sup.suspended = want;
        sup.spec = { ...sup.spec, suspended: want };
        return send(200, withDefaults(sup.spec, want));
      }
      if (req.method === "POST" && action === "terminate") {
        sup.terminated = true;
        return send(200, { id });
      }
      return send(405, { error: "method not allowed" });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    supervisors,
    requests,
    failNext(n, status, body) {
      faults = [...faults, ...Array.from({ length: n }, () => ({ status, body }))];
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
