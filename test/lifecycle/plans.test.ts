// Renames, version bumps, dataset removals and URL changes, planned as the engine plans them from two runs
// of the compiled program under mocks: no provider DELETE of an object Elasticsearch still uses, and no
// delete of an object the same plan (re)creates under the same physical name.
import { beforeAll, describe, expect, it } from "vitest";
import { bumpElasticsearchVersion, copyProject, removeDataset, renameDataset } from "../support/datasets";
import { ensureDist } from "../support/dist";
import { plan, planRun, type Step } from "../support/plan";

const DYNAMIC = /pulumi-nodejs:dynamic\//;
const ES = /pulumi-nodejs:dynamic\/elasticsearch:/;
const ingest = (steps: Step[]) => steps.filter((s) => DYNAMIC.test(s.key));

beforeAll(ensureDist, 120_000);

describe("lifecycle plans (dev, mocks)", () => {
  it("renaming a dataset keeps every Elasticsearch object and the Druid supervisor (no create, no delete)", async () => {
    const dir = copyProject();
    const before = planRun(dir, "dev");
    renameDataset(dir, "settlement_transactions", "settlements");
    const steps = ingest(await plan(before, planRun(dir, "dev")));
    expect(steps.filter((s) => s.op !== "same" && s.op !== "update")).toEqual([]);
  }, 120_000);

  it("a sink version bump creates the new objects and deletes none of the old ones in Elasticsearch", async () => {
    const dir = copyProject();
    const before = planRun(dir, "dev");
    bumpElasticsearchVersion(dir, "order_lines");
    const steps = ingest(await plan(before, planRun(dir, "dev"))).filter((s) => ES.test(s.key));
    expect(steps.filter((s) => s.op === "create").map((s) => s.key.split("::").pop()).sort()).toEqual(["ilm-policy-order-lines-v2-policy", "index-template-order-lines-v2", "ingest-pipeline-order-lines-v2-pipeline"]);
    const gone = steps.filter((s) => s.op === "delete");
    expect(gone.map((s) => s.physical).sort()).toEqual(["order-lines-v1", "order-lines-v1-pipeline", "order-lines-v1-policy"]);
    expect(gone.filter((s) => s.providerDelete)).toEqual([]);
  }, 120_000);

  it("removing a dataset drops its Elasticsearch objects from the stack without deleting them", async () => {
    const dir = copyProject();
    const before = planRun(dir, "dev");
    removeDataset(dir, "settlement_transactions");
    const steps = ingest(await plan(before, planRun(dir, "dev")));
    const esDeletes = steps.filter((s) => s.op === "delete" && ES.test(s.key));
    expect(esDeletes).toHaveLength(3);
    expect(esDeletes.filter((s) => s.providerDelete)).toEqual([]);
  }, 120_000);

  it("no plan deletes an object under a physical name the same plan keeps or creates", async () => {
    const dir = copyProject();
    const before = planRun(dir, "dev");
    renameDataset(dir, "order_lines", "orders");
    bumpElasticsearchVersion(dir, "settlement_transactions");
    const after = planRun(dir, "dev");
    const steps = await plan(before, after);
    const live = new Set(after.filter((r) => DYNAMIC.test(r.type)).map((r) => r.inputs.name ?? r.inputs.supervisorId));
    expect(steps.filter((s) => (s.op === "delete" || s.op === "replace") && s.providerDelete && live.has(s.physical!))).toEqual([]);
  }, 120_000);

  it("existing stacks keep their URNs: each resource aliases its former dataset-keyed name", () => {
    const regs = planRun(copyProject(), "dev").filter((r) => DYNAMIC.test(r.type));
    const policy = regs.find((r) => r.name === "ilm-policy-order-lines-v1-policy")!;
    expect(policy.aliases.map((a) => a.name)).toEqual(["order_lines-ilm-policy"]);
    const supervisor = regs.find((r) => r.type.endsWith("KafkaSupervisor"))!;
    expect(supervisor.aliases.map((a) => a.name)).toEqual([`settlement_transactions/${supervisor.inputs.supervisorId}`]);
  }, 120_000);

  // Needs the Druid provider to replace on a druidUrl change (other helper's change in src/providers/druid).
  it("a Druid URL change replaces the supervisor: created on the new cluster, terminated on the old", async () => {
    const dir = copyProject();
    const before = planRun(dir, "dev");
    const steps = ingest(await plan(before, planRun(dir, "dev", { "mapstack:druidUrl": "https://druid-new.dev.data.internal:8888" })));
    const sup = steps.filter((s) => /KafkaSupervisor/.test(s.key));
    expect(sup.map((s) => [s.op, s.providerDelete])).toEqual([["replace", true]]);
  }, 120_000);
});
