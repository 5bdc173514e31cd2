import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { compileFiles, listDslFiles } from "../../src/dsl/compile";
import { parseExposition, PUSHGATEWAY_PASSWORD_ENV, PUSHGATEWAY_USER_ENV } from "../../src/lifecycle/pushgateway";
import { startPushgatewayFake, type PushgatewayFake } from "../fakes/pushgateway-fake";
import { cli, REPO } from "./project";

let gw: PushgatewayFake;
beforeEach(async () => {
  gw = await startPushgatewayFake();
});
afterEach(async () => gw.close());

const report = (stack: string, result: string, duration = "12.5", ...extra: string[]) =>
  cli(REPO, "report", "--pushgateway", gw.url, "--stack", stack, "--result", result, "--duration", duration, ...extra);

async function scrape(): Promise<ReturnType<typeof parseExposition>> {
  return parseExposition(await (await fetch(`${gw.url}/metrics`)).text());
}
const value = (samples: Awaited<ReturnType<typeof scrape>>, name: string, labels: Record<string, string>) =>
  samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe("mapstack report", () => {
  it("counts applies per stack and result across pushes, so a success ratio is computable", async () => {
    expect((await report("prod", "success")).code).toBe(0);
    expect((await report("prod", "failure", "30")).code).toBe(0);
    expect((await report("dev", "success", "3")).code).toBe(0);
    expect((await report("prod", "success", "41.25", "--changed", "7")).code).toBe(0);
    const s = await scrape();
    const total = (stack: string, result: string) => value(s, "mapstack_apply_total", { job: "mapstack", stack, result });
    expect(total("prod", "success")).toBe(2);
    expect(total("prod", "failure")).toBe(1);
    expect(total("dev", "success")).toBe(1);
    // The failure series exists at 0 before the first failure, so increase() sees that first failure.
    expect(total("dev", "failure")).toBe(0);
    expect(total("prod", "success")! / (total("prod", "success")! + total("prod", "failure")!)).toBeCloseTo(2 / 3);
    expect(value(s, "mapstack_apply_last_duration_seconds", { stack: "prod" })).toBe(41.25);
    expect(value(s, "mapstack_apply_last_success", { stack: "prod" })).toBe(1);
    expect(value(s, "mapstack_apply_last_changed_resources", { stack: "prod" })).toBe(7);
    expect(value(s, "mapstack_apply_last_changed_resources", { stack: "dev" })).toBeUndefined();
    // One group per stack, pushed with PUT to the documented path.
    expect(gw.requests.filter((r) => r.method === "PUT").map((r) => r.path)).toEqual([
      "/metrics/job/mapstack/stack/prod", "/metrics/job/mapstack/stack/prod", "/metrics/job/mapstack/stack/dev", "/metrics/job/mapstack/stack/prod",
    ]);
    expect(gw.requests.find((r) => r.method === "PUT")!.body).toContain("# TYPE mapstack_apply_total counter");
  });

  it("pushes each dataset's compile time and JSONPath cache hits/misses, the figures of compiling its file alone", async () => {
    expect((await report("staging", "success")).code).toBe(0);
    const s = await scrape();
    const files = listDslFiles(path.join(REPO, "dsl"));
    expect(files.length).toBeGreaterThan(1);
    for (const file of files) {
      const alone = compileFiles([file], { dslDir: path.join(REPO, "dsl") });
      const name = alone.datasets[0].name;
      const labels = { job: "mapstack", stack: "staging", dataset: name };
      expect(value(s, "mapstack_compile_jsonpath_cache_hits", labels)).toBe(alone.report.jsonpathCacheHits);
      expect(value(s, "mapstack_compile_jsonpath_cache_misses", labels)).toBe(alone.report.jsonpathCacheMisses);
      // CSV datasets read columns: no JSONPath to parse.
      if (alone.datasets[0].source.format !== "csv") expect(alone.report.jsonpathCacheMisses).toBeGreaterThan(0);
      expect(value(s, "mapstack_compile_last_duration_seconds", labels)).toBeGreaterThan(0);
    }
    // Without them, only the apply metrics.
    expect((await report("dev", "success", "1", "--no-compile-metrics")).code).toBe(0);
    expect(value(await scrape(), "mapstack_compile_jsonpath_cache_hits", { stack: "dev" })).toBeUndefined();
  });

  it("fails with exit 1 when the Pushgateway is unreachable, 2 on a bad command line", async () => {
    const url = gw.url;
    await gw.close();
    const r = await cli(REPO, "report", "--pushgateway", url, "--stack", "prod", "--result", "success", "--duration", "1");
    expect(r.code).toBe(1);
    expect(r.err).toContain(`cannot read the Pushgateway's metrics at ${url}/metrics`);
    gw = await startPushgatewayFake();
    expect((await report("prod", "maybe")).code).toBe(2);
    expect((await report("prod", "success", "soon")).err).toMatch(/--duration must be a number/);
    expect(gw.requests.filter((r) => r.method === "PUT")).toEqual([]);
  });
});

describe("mapstack report to a Pushgateway behind basic auth", () => {
  const USER = "ci-reporter";
  const PASSWORD = "s3cr3t-P@ss/word";
  const encoded = encodeURIComponent(PASSWORD);
  const token = Buffer.from(`${USER}:${PASSWORD}`).toString("base64");
  let authed: PushgatewayFake;
  beforeEach(async () => {
    authed = await startPushgatewayFake({ basicAuth: { user: USER, password: PASSWORD }, echoRequestOn401: true });
  });
  afterEach(async () => {
    delete process.env[PUSHGATEWAY_USER_ENV];
    delete process.env[PUSHGATEWAY_PASSWORD_ENV];
    await authed.close();
  });
  const withCredentials = (url: string, user: string, password: string) => url.replace("http://", `http://${encodeURIComponent(user)}:${encodeURIComponent(password)}@`);
  const noSecret = (r: { out: string; err: string }) => {
    for (const secret of [PASSWORD, encoded, token, `${USER}:`]) {
      expect(r.out, `stdout contains ${secret}`).not.toContain(secret);
      expect(r.err, `stderr contains ${secret}`).not.toContain(secret);
    }
  };
  const args = (url: string, ...extra: string[]) => ["report", "--pushgateway", url, "--stack", "prod", "--result", "success", "--duration", "3", ...extra];

  it("takes the credentials from the URL, sends them only as Basic auth, prints the URL without them", async () => {
    const r = await cli(REPO, ...args(withCredentials(authed.url, USER, PASSWORD), "--print"));
    expect(r.code, r.err).toBe(0);
    noSecret(r);
    expect(r.out).toContain(`to ${authed.url}`);
    expect(authed.requests.map((q) => q.method)).toEqual(["GET", "PUT"]);
    expect(authed.groups.size).toBe(1);
  });

  it(`takes them from ${PUSHGATEWAY_USER_ENV} / ${PUSHGATEWAY_PASSWORD_ENV}`, async () => {
    process.env[PUSHGATEWAY_USER_ENV] = USER;
    process.env[PUSHGATEWAY_PASSWORD_ENV] = PASSWORD;
    const r = await cli(REPO, ...args(authed.url));
    expect(r.code, r.err).toBe(0);
    noSecret(r);
    expect(authed.groups.size).toBe(1);
  });

  it("a refused password (server echoing the request headers) fails with exit 1 and no secret in any output", async () => {
    const wrong = `${PASSWORD}-old`;
    const r = await cli(REPO, ...args(withCredentials(authed.url, USER, wrong)));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/HTTP 401 \(the Pushgateway wants credentials/);
    noSecret(r);
    expect(r.err).not.toContain(Buffer.from(`${USER}:${wrong}`).toString("base64"));
    expect(r.err).not.toMatch(/basic [A-Za-z0-9+/=]{8,}/i);
    expect(authed.groups.size).toBe(0);
  });

  it("without credentials it says how to give them", async () => {
    const r = await cli(REPO, ...args(authed.url));
    expect(r.code).toBe(1);
    expect(r.err).toContain(PUSHGATEWAY_USER_ENV);
  });

  it("an unreachable Pushgateway's error names the URL without the password", async () => {
    const url = authed.url;
    await authed.close();
    const r = await cli(REPO, ...args(withCredentials(url, USER, PASSWORD)));
    authed = await startPushgatewayFake();
    expect(r.code).toBe(1);
    expect(r.err).toContain(`cannot read the Pushgateway's metrics at ${url}/metrics`);
    noSecret(r);
  });

  it("a password without a user name is a usage error that does not repeat it", async () => {
    process.env[PUSHGATEWAY_PASSWORD_ENV] = PASSWORD;
    const r = await cli(REPO, ...args(authed.url));
    expect(r.code).toBe(2);
    noSecret(r);
  });
});
