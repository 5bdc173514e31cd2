// `mapstack status` against fakes that answer like Druid and Elasticsearch: the post-deploy checklist
// (supervisor RUNNING, tasks, ingestion rate, unparseable events, SQL row count, ES health), its table and
// its exit codes. The command is run through its module (registration in the command list is separate).
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Io } from "../../src/cli/command";
import { runStatusChecks, statusCommand, STATUS_EXIT, type StatusCheck } from "../../src/cli/commands/status";
import { compileDirectory } from "../../src/dsl/compile";
import type { Json } from "../../src/dsl/types";
import { supervisorProvider } from "../../src/providers/druid/supervisor";
import { loadStackSettings } from "../../src/settings/stack-settings";
import { planDruid } from "../../src/targets/druid";
import { esNames } from "../../src/targets/elasticsearch/names";
import { startDruidFake, type DruidFake } from "../fakes/druid-fake";
import { FakeElasticsearch } from "../fakes/elasticsearch-fake";
import { REPO } from "./io";

const settings = loadStackSettings(REPO, "dev");
const { datasets } = compileDirectory(path.join(REPO, "dsl"));
const DRUID_PASSWORD = "druid-status-pw-991";
const ES_KEY = "c3RhdHVzLWtleS1ub3QtcHJpbnRlZA==";
const druidDatasets = datasets.filter((d) => d.sinks.druid);
const esDatasets = datasets.filter((d) => d.sinks.elasticsearch);
/** A dataset whose sink is a data stream (the others are rollover aliases, checked through _cluster/health). */
const streamDs = esDatasets.find((d) => d.sinks.elasticsearch!.mode === "data_stream")!;

let es: FakeElasticsearch;
let druid: DruidFake;

beforeEach(async () => {
  es = await new FakeElasticsearch().start();
  es.requiredAuth = `ApiKey ${ES_KEY}`;
  druid = await startDruidFake({ username: settings.druid.username!, password: DRUID_PASSWORD });
  for (const { dataset, spec } of planDruid(settings, druidDatasets, REPO).supervisors) {
    await supervisorProvider.create!({
      druidUrl: druid.url, druidUsername: settings.druid.username, druidPassword: DRUID_PASSWORD,
      supervisorId: dataset.sinks.druid!.datasource, spec: spec as Json, suspended: false, retired: null,
    });
  }
  for (const d of esDatasets) {
    if (d.sinks.elasticsearch!.mode === "data_stream") es.dataStreams.set(esNames(d).index, { status: "GREEN", template: esNames(d).template });
    else es.indexHealth.set(esNames(d).index, "green");
  }
});
afterEach(async () => {
  await es.stop();
  await druid.close();
});

const checks = (over: { druidPassword?: string } = {}) =>
  runStatusChecks({ settings, datasets, projectDir: REPO, credentials: { esApiKey: ES_KEY, druidPassword: over.druidPassword ?? DRUID_PASSWORD }, druidUrl: druid.url, esUrl: es.url, retry: { maxAttempts: 1 } });
const byCheck = (list: StatusCheck[]) => Object.fromEntries(list.map((c) => [`${c.dataset}/${c.check}`, c.result]));

async function run(...argv: string[]) {
  const out: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => out.push(t), cwd: REPO };
  const saved = { ...process.env };
  Object.assign(process.env, { MAPSTACK_ES_API_KEY: ES_KEY, MAPSTACK_DRUID_PASSWORD: DRUID_PASSWORD });
  try {
    const code = await statusCommand.run(["--stack", "dev", "--druid-url", druid.url, "--es-url", es.url, ...argv], io);
    return { code, out: out.join("\n") };
  } finally {
    process.env = saved;
  }
}

describe("mapstack status", () => {
  it("a healthy stack: every check ok, a table, exit 0", async () => {
    expect(druidDatasets.length).toBeGreaterThan(0);
    const r = await run();
    expect(r.code).toBe(STATUS_EXIT.healthy);
    expect(r.out).toMatch(/^DATASET\s+TARGET\s+CHECK\s+RESULT\s+DETAIL$/m);
    const ds = druidDatasets[0].name;
    expect(r.out).toMatch(new RegExp(`^${ds}\\s+druid\\s+supervisor state\\s+ok\\s+RUNNING$`, "m"));
    expect(r.out).toMatch(/tasks\s+ok\s+\d+ active of \d+ \(taskCount × replicas\); 0\/8 completed tasks failed/);
    expect(r.out).toMatch(/ingestion rate\s+ok\s+85\.5 rows\/s/);
    expect(r.out).toMatch(/unparseable events\s+ok\s+0 of 184000 events \(0\.0%, limit 1\.0%\)/);
    expect(r.out).toMatch(/rows in the last hour\s+ok\s+SELECT COUNT\(\*\) … last hour = 30780/);
    expect(r.out).toMatch(/data stream health\s+ok\s+\S+: GREEN/);
    expect(r.out).toMatch(/: \d+ check\(s\), 0 failed, 0 warning\(s\), 0 unreadable$/m);
    const sql = druid.requests.find((q) => q.path === "/druid/v2/sql")!;
    expect((sql.body as { query: string }).query).toMatch(/FROM "settlement_transactions" WHERE __time >= CURRENT_TIMESTAMP - INTERVAL '1' HOUR/);
  });

  it("each failure of the checklist is its own FAIL row, and the exit code is 3", async () => {
    const id = druidDatasets[0].sinks.druid!.datasource;
    druid.health.set(id, {
      state: "UNHEALTHY_TASKS", detailedState: "UNHEALTHY_TASKS", healthy: false, processedPerSecond: 0,
      processed: 900, unparseable: 100, taskStatuses: ["RUNNING", "SUCCESS", "FAILED", "FAILED"], rowsLastHour: 0,
    });
    es.dataStreams.set(esNames(streamDs).index, { status: "RED", template: "x" });
    const list = await checks();
    const ds = druidDatasets[0].name;
    expect(byCheck(list)).toMatchObject({
      [`${ds}/supervisor state`]: "fail", [`${ds}/tasks`]: "fail", [`${ds}/ingestion rate`]: "fail",
      [`${ds}/unparseable events`]: "fail", [`${ds}/rows in the last hour`]: "fail", [`${streamDs.name}/data stream health`]: "fail",
    });
    expect(list.find((c) => c.check === "tasks")!.detail).toMatch(/2\/3 completed tasks failed \(66\.7%, limit 5\.0%\); last error: Task failed/);
    expect(list.find((c) => c.check === "unparseable events")!.detail).toBe("100 of 1000 events (10.0%, limit 1.0%)");
    expect((await run()).code).toBe(STATUS_EXIT.failed);
  });

  it("a datasource Druid SQL does not know yet is a failed row count, not an unreadable service", async () => {
    druid.health.set(druidDatasets[0].sinks.druid!.datasource, { rowsLastHour: null });
    const row = (await checks()).find((c) => c.check === "rows in the last hour");
    expect(row).toMatchObject({ result: "fail", detail: `Druid SQL does not know '${druidDatasets[0].sinks.druid!.datasource}' yet: no row ingested` });
  });

  it("a YELLOW data stream is a warning, not a failure; no active task at all is a failure", async () => {
    es.dataStreams.set(esNames(streamDs).index, { status: "YELLOW", template: "x" });
    druid.health.set(druidDatasets[0].sinks.druid!.datasource, { activeTasks: 0 });
    const list = await checks();
    expect(list.find((c) => c.target === "elasticsearch" && c.dataset === streamDs.name)!.result).toBe("warn");
    // No active task at all is a failure even so.
    expect(list.find((c) => c.check === "tasks")!.result).toBe("fail");
  });

  it("a supervisor or data stream that does not exist fails, naming it", async () => {
    const id = druidDatasets[0].sinks.druid!.datasource;
    druid.supervisors.get(id)!.terminated = true;
    es.dataStreams.delete(esNames(streamDs).index);
    const list = await checks();
    expect(list.filter((c) => c.target === "druid")).toEqual([{ dataset: druidDatasets[0].name, target: "druid", check: "supervisor state", result: "fail", detail: `supervisor '${id}' does not exist` }]);
    expect(list.find((c) => c.target === "elasticsearch" && c.dataset === streamDs.name)).toMatchObject({ result: "fail", detail: `${esNames(streamDs).index} does not exist` });
  });

  it("credentials Druid refuses make the Druid checks unreadable (exit 4), without printing the password", async () => {
    const list = await checks({ druidPassword: "wrong-pw-55512" });
    expect(list.filter((c) => c.target === "druid").every((c) => c.result === "unreadable")).toBe(true);
    expect(list.find((c) => c.target === "druid")!.detail).toMatch(/authentication failed \(401\)/);
    expect(JSON.stringify(list)).not.toContain("wrong-pw-55512");
    const saved = process.env.MAPSTACK_DRUID_PASSWORD;
    const r = await (async () => {
      const out: string[] = [];
      Object.assign(process.env, { MAPSTACK_ES_API_KEY: ES_KEY, MAPSTACK_DRUID_PASSWORD: "wrong-pw-55512" });
      try {
        const code = await statusCommand.run(["--stack", "dev", "--druid-url", druid.url, "--es-url", es.url, "--json"], { out: (t) => out.push(t), err: (t) => out.push(t), cwd: REPO });
        return { code, out: out.join("\n") };
      } finally {
        if (saved === undefined) delete process.env.MAPSTACK_DRUID_PASSWORD;
        else process.env.MAPSTACK_DRUID_PASSWORD = saved;
      }
    })();
    expect(r.code).toBe(STATUS_EXIT.unreadable);
    expect(JSON.parse(r.out)).toMatchObject({ stack: "dev", failed: 0 });
    expect(r.out).not.toContain("wrong-pw-55512");
    expect(r.out).not.toContain(ES_KEY);
  });

  it("an unreadable esCaCertPath is a user error naming the file, not an internal error", async () => {
    const broken = { ...settings, elasticsearch: { ...settings.elasticsearch, caCertPath: "certs/missing-ca.pem" } };
    await expect(runStatusChecks({ settings: broken, datasets, projectDir: REPO, credentials: {}, esUrl: es.url, druidUrl: druid.url }))
      .rejects.toMatchObject({ name: "MapstackError", message: expect.stringMatching(/mapstack:esCaCertPath: cannot read .*certs\/missing-ca\.pem \(ENOENT\)/) });
  });

  it("--dataset and --target narrow the checks; unknown names are usage errors", async () => {
    const only = await run("--target", "elasticsearch", "--dataset", esDatasets[0].name);
    expect(only.code).toBe(0);
    expect(only.out).not.toMatch(/\sdruid\s/);
    expect(only.out).toMatch(/1 check\(s\)/);
    await expect(run("--dataset", "nope")).rejects.toThrow(/unknown dataset 'nope' \(datasets: /);
    await expect(run("--target", "kafka")).rejects.toThrow(/--target must be druid or elasticsearch/);
    await expect(statusCommand.run([], { out: () => {}, err: () => {}, cwd: REPO })).rejects.toThrow(/status needs --stack/);
  });
});
