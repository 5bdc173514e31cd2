import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseExposition } from "../../src/lifecycle/pushgateway";
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
