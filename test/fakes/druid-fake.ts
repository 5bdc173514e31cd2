// In-process fake of a Druid cluster's HTTP APIs as mapstack uses them, answering like the real services
// (shapes taken from Druid's source: SupervisorResource, SupervisorResourceFilter, KafkaSupervisorIOConfig /
// SeekableStreamSupervisorIOConfig, KafkaSupervisorTuningConfig, SupervisorManager, the SQL endpoint):
// - POST /druid/indexer/v1/supervisor stores the spec; GET returns it as Druid re-serialises it: Joda
//   Durations in seconds ("PT1H" → "PT3600S"), ioConfig without "type" but with `stream` and defaults,
//   tuningConfig/inputFormat/dimensions/metrics with every server default, granularities by name, the
//   spec duplicated at the top level with id/context/suspended.
// - ?skipRestartIfUnmodified=true is honoured from Druid 33 only (older releases ignore unknown params).
// - suspend/resume of a supervisor already in that state: 400 {"error":"[id] is already suspended"}.
// - an unknown id (e.g. after terminate) on /supervisor/<id>/…: by default the resource filter's 400
//   plain-text "Cannot find any supervisor with id: [id]", which runs before the resource; with
//   `unknownId: "404"` the resource's own 404 {"error":"[id] does not exist"}.
// - GET …/status, …/stats, /druid/indexer/v1/tasks and POST /druid/v2/sql for the `status` command.
// Written from Druid's behaviour, not from mapstack's normaliser: it shares no code with src/.
import * as http from "node:http";
import type { AddressInfo } from "node:net";

type Spec = Record<string, any>;

export interface FakeSupervisor {
  /** The body as POSTed (what the client sent). */
  spec: Spec;
  suspended: boolean;
  /** Times the supervisor's tasks were restarted by a POST. */
  restarts: number;
  terminated: boolean;
}

/** Health knobs for the `status` command's reads; unset ones have a healthy default. */
export interface FakeHealth {
  state?: string;
  detailedState?: string;
  healthy?: boolean;
  activeTasks?: number;
  aggregateLag?: number;
  /** Rows per second over the last minute, summed over tasks (movingAverages.buildSegments["1m"]). */
  processedPerSecond?: number;
  unparseablePerSecond?: number;
  /** Totals since the tasks started (totals.buildSegments). */
  processed?: number;
  unparseable?: number;
  processedWithError?: number;
  /** statusCode of the datasource's tasks, newest first. */
  taskStatuses?: Array<"RUNNING" | "SUCCESS" | "FAILED">;
  /** What SELECT COUNT(*) … over the last hour answers; null: the datasource is unknown to SQL (nothing queryable yet). */
  rowsLastHour?: number | null;
}

export interface DruidFake {
  url: string;
  supervisors: Map<string, FakeSupervisor>;
  health: Map<string, FakeHealth>;
  requests: Array<{ method: string; path: string; body: unknown; authorization: string | undefined }>;
  /** The next n requests answer this status (e.g. 503), then normal service resumes. */
  failNext(n: number, status: number, body?: unknown): void;
  close(): Promise<void>;
}

export interface DruidFakeOptions {
  username?: string;
  password?: string;
  /** Release the fake behaves as; default 34.0.0. */
  version?: string;
  /** How an unknown supervisor id is answered (see the header). */
  unknownId?: "filter-400" | "404";
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/** Joda Period → standard Duration → toString(): whole seconds ("PT3600S"), no years/months allowed. */
function jodaDuration(period: string): string {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(period);
  if (!m) throw new Error(`Cannot convert period [${period}] to a standard duration`);
  const [w, d, h, min, s] = m.slice(1).map((x) => Number(x ?? 0));
  return `PT${(((w * 7 + d) * 24 + h) * 60 + min) * 60 + s}S`;
}

const GRANULARITY_NAMES = ["SECOND", "MINUTE", "FIVE_MINUTE", "TEN_MINUTE", "FIFTEEN_MINUTE", "THIRTY_MINUTE", "HOUR", "SIX_HOUR", "EIGHT_HOUR", "DAY", "WEEK", "MONTH", "QUARTER", "YEAR"];

function granularity(g: unknown, fallback: string): unknown {
  const v = g ?? fallback;
  if (typeof v === "string") {
    const u = v.toUpperCase();
    if (u === "NONE" || u === "ALL") return { type: u.toLowerCase() };
    if (GRANULARITY_NAMES.includes(u)) return u;
    throw new Error(`Unknown granularity [${v}]`);
  }
  return v;
}

function dimension(d: unknown): Spec {
  const o: Spec = typeof d === "string" ? { type: "string", name: d } : { type: "string", ...(d as Spec) };
  const numeric = ["long", "float", "double"].includes(o.type);
  return { multiValueHandling: "SORTED_ARRAY", createBitmapIndex: !numeric, ...o };
}

function metric(m: Spec): Spec {
  if (m.type === "count") return { type: "count", name: m.name };
  return { expression: null, ...m };
}

function inputFormat(f: Spec | undefined): Spec | null {
  if (!f) return null;
  const flattenSpec = f.flattenSpec ? { useFieldDiscovery: true, ...f.flattenSpec, fields: (f.flattenSpec.fields ?? []).map((x: Spec) => ({ nodes: null, ...x })) } : null;
  if (f.type === "json") return { keepNullColumns: false, assumeNewlineDelimited: false, useJsonNodeReader: false, featureSpec: {}, ...f, flattenSpec };
  return { ...f, flattenSpec };
}

const DEFAULT_INDEX_SPEC = { bitmap: { type: "roaring" }, dimensionCompression: "lz4", stringDictionaryEncoding: { type: "utf8" }, metricCompression: "lz4", longEncoding: "longs" };

/** The posted spec as the Overlord returns it from GET (deserialised into Druid's classes, serialised back). */
function serverForm(posted: Spec, suspended: boolean): Spec {
  const s = clone(posted.spec ?? {});
  const ds = s.dataSchema ?? {};
  const dataSchema = {
    dataSource: ds.dataSource,
    timestampSpec: { column: "timestamp", format: "auto", missingValue: null, ...ds.timestampSpec },
    dimensionsSpec: {
      dimensions: (ds.dimensionsSpec?.dimensions ?? []).map(dimension),
      dimensionExclusions: ds.dimensionsSpec?.dimensionExclusions ?? [],
      spatialDimensions: [],
      includeAllDimensions: ds.dimensionsSpec?.includeAllDimensions ?? false,
      useSchemaDiscovery: ds.dimensionsSpec?.useSchemaDiscovery ?? false,
    },
    metricsSpec: (ds.metricsSpec ?? []).map(metric),
    granularitySpec: {
      type: "uniform",
      segmentGranularity: granularity(ds.granularitySpec?.segmentGranularity, "DAY"),
      queryGranularity: granularity(ds.granularitySpec?.queryGranularity, "NONE"),
      rollup: ds.granularitySpec?.rollup ?? true,
      intervals: [],
    },
    transformSpec: { filter: null, transforms: [], ...ds.transformSpec },
  };
  const io = s.ioConfig ?? {};
  const ioConfig: Spec = {
    topic: io.topic,
    topicPattern: null,
    inputFormat: inputFormat(io.inputFormat),
    replicas: io.replicas ?? 1,
    taskCount: io.taskCount ?? 1,
    taskDuration: jodaDuration(io.taskDuration ?? "PT1H"),
    consumerProperties: io.consumerProperties,
    autoScalerConfig: io.autoScalerConfig ?? null,
    pollTimeout: io.pollTimeout ?? 100,
    startDelay: jodaDuration(io.startDelay ?? "PT5S"),
    period: jodaDuration(io.period ?? "PT30S"),
    useEarliestOffset: io.useEarliestOffset ?? false,
    completionTimeout: jodaDuration(io.completionTimeout ?? "PT30M"),
    lateMessageRejectionPeriod: io.lateMessageRejectionPeriod ? jodaDuration(io.lateMessageRejectionPeriod) : null,
    earlyMessageRejectionPeriod: io.earlyMessageRejectionPeriod ? jodaDuration(io.earlyMessageRejectionPeriod) : null,
    lateMessageRejectionStartDateTime: io.lateMessageRejectionStartDateTime ?? null,
    configOverrides: null,
    idleConfig: null,
    stopTaskCount: null,
    stream: io.topic,
    useEarliestSequenceNumber: io.useEarliestOffset ?? false,
  };
  const t = s.tuningConfig ?? {};
  const tuningConfig: Spec = {
    type: "kafka",
    appendableIndexSpec: { type: "onheap", preserveExistingMetrics: false },
    maxRowsInMemory: 150000,
    maxBytesInMemory: 0,
    skipBytesInMemoryOverheadCheck: false,
    maxRowsPerSegment: 5000000,
    maxTotalRows: null,
    intermediatePersistPeriod: "PT10M",
    maxPendingPersists: 0,
    reportParseExceptions: false,
    handoffConditionTimeout: 900000,
    resetOffsetAutomatically: false,
    segmentWriteOutMediumFactory: null,
    workerThreads: null,
    chatRetries: 8,
    intermediateHandoffPeriod: "P2147483647D",
    logParseExceptions: false,
    maxParseExceptions: 2147483647,
    maxSavedParseExceptions: 0,
    skipSequenceNumberAvailabilityCheck: false,
    numPersistThreads: 1,
    ...t,
    indexSpec: { ...DEFAULT_INDEX_SPEC, ...(t.indexSpec ?? {}) },
    indexSpecForIntermediatePersists: { ...DEFAULT_INDEX_SPEC, ...(t.indexSpecForIntermediatePersists ?? {}) },
    httpTimeout: jodaDuration(t.httpTimeout ?? "PT10S"),
    shutdownTimeout: jodaDuration(t.shutdownTimeout ?? "PT80S"),
    offsetFetchPeriod: jodaDuration(t.offsetFetchPeriod ?? "PT30S"),
    repartitionTransitionDuration: jodaDuration(t.repartitionTransitionDuration ?? "PT120S"),
  };
  const inner = { dataSchema, ioConfig, tuningConfig };
  return { type: "kafka", id: dataSchema.dataSource, spec: inner, dataSchema, ioConfig, tuningConfig, context: null, suspended };
}

function atLeast(version: string, major: number): boolean {
  return Number(version.split(".")[0]) >= major;
}

export async function startDruidFake(opts: DruidFakeOptions = {}): Promise<DruidFake> {
  const version = opts.version ?? "34.0.0";
  const supervisors = new Map<string, FakeSupervisor>();
  const health = new Map<string, FakeHealth>();
  const requests: DruidFake["requests"] = [];
  let faults: Array<{ status: number; body: unknown }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://fake");
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(typeof payload === "string" ? payload : JSON.stringify(payload));
      };
      let body: any = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch (e) {
        return send(400, { error: `Unexpected character: ${(e as Error).message}` });
      }
      requests.push({ method: req.method ?? "", path: url.pathname + url.search, body, authorization: req.headers.authorization });
      const fault = faults.shift();
      if (fault) return send(fault.status, fault.body ?? { error: "fault injected" });
      if (opts.username) {
        const expected = `Basic ${Buffer.from(`${opts.username}:${opts.password ?? ""}`).toString("base64")}`;
        // Druid's basic authenticator answers 401 with Jetty's HTML error page.
        if (req.headers.authorization !== expected) {
          res.writeHead(401, { "Content-Type": "text/html;charset=iso-8859-1" });
          return res.end("<html><head><title>Error 401 Unauthorized</title></head><body><h2>HTTP ERROR 401 Unauthorized</h2></body></html>");
        }
      }
      const base = "/druid/indexer/v1/supervisor";
      if (req.method === "POST" && url.pathname === base) {
        const id = body?.spec?.dataSchema?.dataSource;
        if (body?.type !== "kafka") return send(400, { error: "Could not resolve type id of the supervisor spec" });
        if (!id) return send(400, { error: "dataSource cannot be null or empty" });
        if (!body?.spec?.ioConfig?.consumerProperties?.["bootstrap.servers"]) return send(400, { error: "consumerProperties must contain entry for [bootstrap.servers]" });
        let form: Spec;
        try {
          form = serverForm(body, body.suspended === true);
        } catch (e) {
          return send(400, { error: (e as Error).message });
        }
        const prev = supervisors.get(id);
        const live = prev && !prev.terminated ? prev : undefined;
        const unchanged = !!live && JSON.stringify(serverForm(live.spec, live.suspended)) === JSON.stringify(form);
        const skip = atLeast(version, 33) && url.searchParams.get("skipRestartIfUnmodified") === "true" && unchanged;
        supervisors.set(id, { spec: body, suspended: body.suspended === true, restarts: (live?.restarts ?? 0) + (skip ? 0 : live ? 1 : 0), terminated: false });
        return send(200, { id });
      }
      if (req.method === "GET" && url.pathname === "/druid/indexer/v1/tasks") return send(200, tasksOf(url.searchParams.get("datasource")));
      if (req.method === "POST" && url.pathname === "/druid/v2/sql") return sql(body, send);
      const m = /^\/druid\/indexer\/v1\/supervisor\/([^/]+)(?:\/(status|stats|suspend|resume|terminate))?$/.exec(url.pathname);
      if (!m) return send(404, { error: `no route ${url.pathname}` });
      const id = decodeURIComponent(m[1]);
      const sup = supervisors.get(id);
      if (!sup || sup.terminated) {
        if ((opts.unknownId ?? "filter-400") === "filter-400") return send(400, `Cannot find any supervisor with id: [${id}]`);
        return send(404, { error: `[${id}] does not exist` });
      }
      const action = m[2];
      if (req.method === "GET" && !action) return send(200, serverForm(sup.spec, sup.suspended));
      if (req.method === "GET" && action === "status") return send(200, statusOf(id, sup));
      if (req.method === "GET" && action === "stats") return send(200, statsOf(id, sup));
      if (req.method === "POST" && (action === "suspend" || action === "resume")) {
        const want = action === "suspend";
        if (sup.suspended === want) return send(400, { error: `[${id}] is already ${want ? "suspended" : "running"}` });
        sup.suspended = want;
        sup.spec = { ...sup.spec, suspended: want };
        return send(200, serverForm(sup.spec, want));
      }
      if (req.method === "POST" && action === "terminate") {
        sup.terminated = true;
        return send(200, { id });
      }
      return send(405, { error: "method not allowed" });
    });
  });

  const healthOf = (id: string, sup: FakeSupervisor): Required<Omit<FakeHealth, "rowsLastHour">> & { rowsLastHour: number | null } => {
    const io = sup.spec.spec?.ioConfig ?? {};
    const h = health.get(id) ?? {};
    const running = !sup.suspended;
    const tasks = (io.taskCount ?? 1) * (io.replicas ?? 1);
    return {
      state: h.state ?? (running ? "RUNNING" : "SUSPENDED"),
      detailedState: h.detailedState ?? h.state ?? (running ? "RUNNING" : "SUSPENDED"),
      healthy: h.healthy ?? true,
      activeTasks: h.activeTasks ?? (running ? tasks : 0),
      aggregateLag: h.aggregateLag ?? 12,
      processedPerSecond: h.processedPerSecond ?? (running ? 85.5 : 0),
      unparseablePerSecond: h.unparseablePerSecond ?? 0,
      processed: h.processed ?? 184_000,
      unparseable: h.unparseable ?? 0,
      processedWithError: h.processedWithError ?? 0,
      taskStatuses: h.taskStatuses ?? [...Array.from({ length: running ? tasks : 0 }, () => "RUNNING" as const), ...Array.from({ length: 8 }, () => "SUCCESS" as const)],
      rowsLastHour: h.rowsLastHour ?? 30_780,
    };
  };

  const taskIds = (id: string, n: number) => Array.from({ length: n }, (_, i) => `index_kafka_${id}_${(0xabc000 + i).toString(16)}_${i}`);

  function statusOf(id: string, sup: FakeSupervisor): unknown {
    const h = healthOf(id, sup);
    const io = sup.spec.spec?.ioConfig ?? {};
    return {
      id,
      generationTime: "2026-01-01T00:00:00.000Z",
      payload: {
        dataSource: id, stream: io.topic, partitions: 3, replicas: io.replicas ?? 1, durationSeconds: 3600,
        activeTasks: taskIds(id, h.activeTasks).map((t) => ({ id: t, startingOffsets: { "0": 100 }, startTime: "2026-01-01T00:00:05.000Z", remainingSeconds: 1800, type: "ACTIVE", currentOffsets: { "0": 180 }, lag: { "0": 4 } })),
        publishingTasks: [], latestOffsets: { "0": 184 }, minimumLag: { "0": 4 }, aggregateLag: h.aggregateLag, offsetsLastUpdated: "2026-01-01T00:10:00.000Z",
        suspended: sup.suspended, healthy: h.healthy, state: h.state, detailedState: h.detailedState, recentErrors: [],
      },
    };
  }

  function statsOf(id: string, sup: FakeSupervisor): unknown {
    const h = healthOf(id, sup);
    const ids = taskIds(id, h.activeTasks);
    const share = (v: number) => (ids.length ? v / ids.length : 0);
    const meters = (processed: number, unparseable: number, withError: number) => ({ processed, processedBytes: processed * 180, processedWithError: withError, thrownAway: 0, unparseable });
    const out: Record<string, Record<string, unknown>> = {};
    ids.forEach((t, i) => {
      const group = String(i % Math.max(1, sup.spec.spec?.ioConfig?.taskCount ?? 1));
      out[group] ??= {};
      const rate = meters(share(h.processedPerSecond), share(h.unparseablePerSecond), 0);
      out[group][t] = {
        movingAverages: { buildSegments: { "1m": rate, "5m": rate, "15m": rate } },
        totals: { buildSegments: meters(Math.round(share(h.processed)), Math.round(share(h.unparseable)), Math.round(share(h.processedWithError))) },
      };
    });
    return out;
  }

  function tasksOf(datasource: string | null): unknown[] {
    const out: unknown[] = [];
    for (const [id, sup] of supervisors) {
      if (datasource && datasource !== id) continue;
      const h = healthOf(id, sup);
      h.taskStatuses.forEach((code, i) => out.push({
        id: `index_kafka_${id}_${i}`, groupId: `index_kafka_${id}`, type: "index_kafka", createdTime: `2026-01-01T0${i % 10}:00:00.000Z`,
        queueInsertionTime: "1970-01-01T00:00:00.000Z", statusCode: code, status: code, runnerStatusCode: code === "RUNNING" ? "RUNNING" : "NONE",
        duration: code === "RUNNING" ? -1 : 3_600_000, location: { host: "10.0.0.7", port: 8100, tlsPort: -1 }, dataSource: id,
        errorMsg: code === "FAILED" ? "Task failed: see the task log" : null,
      }));
    }
    return out;
  }

  /** Druid SQL: only the row count over a time window that the status command runs. */
  function sql(body: any, send: (s: number, p: unknown) => void): void {
    const query = typeof body?.query === "string" ? body.query : "";
    const m = /FROM\s+"([^"]+)"/i.exec(query);
    if (!m || !/COUNT\(\*\)/i.test(query)) return send(400, { error: "druidException", errorCode: "invalidInput", persona: "USER", category: "INVALID_INPUT", errorMessage: "the fake only answers COUNT(*) over one datasource", context: {} });
    const sup = supervisors.get(m[1]);
    if (!sup || health.get(m[1])?.rowsLastHour === null) {
      return send(400, { error: "druidException", errorCode: "invalidInput", persona: "USER", category: "INVALID_INPUT", errorMessage: `Object '${m[1]}' not found`, context: { sourceType: "sql" } });
    }
    const alias = /COUNT\(\*\)\s+AS\s+"?(\w+)"?/i.exec(query)?.[1] ?? "EXPR$0";
    send(200, [{ [alias]: healthOf(m[1], sup).rowsLastHour ?? 0 }]);
  }

  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    supervisors,
    health,
    requests,
    failNext(n, status, body) {
      faults = [...faults, ...Array.from({ length: n }, () => ({ status, body }))];
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
