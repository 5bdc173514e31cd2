// "One changed op shows as one update with the changed processor": two runs of the compiled program under
// mocks, before and after one op parameter of one dataset changes. Only that dataset's ingest pipeline may
// differ (no other ES object, dashboard, rule, supervisor or S3 object of any dataset), and the ES
// provider's own diff of the two pipelines names the changed processor's property paths.
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { esProvider } from "../../src/providers/elasticsearch/provider";
import { copyProject } from "../support/datasets";
import { ensureDist } from "../support/dist";
import { plan, planRun } from "../support/plan";

beforeAll(ensureDist, 120_000);

describe("one op parameter changed (dev, mocks)", () => {
  it("updates only the dataset's ingest pipeline, and the diff names the mapping processor's changed params", async () => {
    const dir = copyProject();
    const before = planRun(dir, "dev");
    const file = path.join(dir, "dsl/order_lines.yaml");
    const text = fs.readFileSync(file, "utf8");
    expect(text).toContain('{op: join, sep: "|"}');
    fs.writeFileSync(file, text.replace('{op: join, sep: "|"}', '{op: join, sep: ";"}'));
    const after = planRun(dir, "dev");

    const steps = await plan(before, after);
    expect(steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.key}`)).toEqual([
      "update mapstack:elasticsearch:Dataset$pulumi-nodejs:dynamic/elasticsearch:IngestPipeline::ingest-pipeline-order-lines-v1-pipeline",
    ]);

    const name = "ingest-pipeline-order-lines-v1-pipeline";
    const olds = before.find((r) => r.name === name)!.inputs;
    const news = after.find((r) => r.name === name)!.inputs;
    // Only the body changed, and within it the mapping script's params and the pipeline's own version stamp.
    expect(Object.keys(olds).filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]))).toEqual(["body"]);
    const diff = await esProvider.diff!(`${name}-id`, olds as never, news as never);
    expect(diff.changes).toBe(true);
    expect(diff.replaces).toEqual([]);
    const paths = Object.keys((diff as { detailedDiff: Record<string, unknown> }).detailedDiff);
    const processorPaths = paths.filter((p) => p.startsWith("body.processors[0].script.params."));
    // Exactly the changed parameter, e.g. body.processors[0].script.params.fields[7].ops[2].sep.
    expect(processorPaths).toEqual([expect.stringMatching(/^body\.processors\[0\]\.script\.params\.fields\[\d+\]\.ops\[\d+\]\.sep$/)]);
    // Nothing else of the body: no description, no _meta, no other processor; on_failure only for the
    // failure script's pipeline hash (stamped on failed documents).
    expect(paths.filter((p) => !processorPaths.includes(p))).toEqual([expect.stringMatching(/^body\.on_failure\[\d+\]\.script\.params\.contentHash$/)]);
    for (const p of processorPaths) expect((diff as any).detailedDiff[p]).toEqual({ kind: 4, inputDiff: true });
    // The changed value is where the path says.
    const at = (o: unknown, p: string) => p.replace(/\[(\d+)\]/g, ".$1").split(".").reduce((x: any, k) => x?.[/^"/.test(k) ? JSON.parse(k) : k], o);
    expect(processorPaths.some((p) => JSON.stringify(at(olds, p)).includes("|") && JSON.stringify(at(news, p)).includes(";"))).toBe(true);
  }, 180_000);
});
