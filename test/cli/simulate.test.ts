// `mapstack simulate` on the bundled samples: mapped JSONL on stdout, bad lines named on stderr, exit codes.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, REPO } from "./io";

const sample = (name: string) => path.join(REPO, "dsl", "samples", name);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-sim-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("simulate on the bundled samples", () => {
  it("settlement_transactions: stdout is the expected JSONL; the bad lines 4 and 6 are named; exit 3", async () => {
    const r = await cli(["simulate", "dsl/settlement_transactions.yaml", "dsl/samples/settlement_transactions.jsonl"]);
    expect(r.stdout).toBe(fs.readFileSync(sample("settlement_transactions.expected.jsonl"), "utf8"));
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe('dsl/samples/settlement_transactions.jsonl:4:1: field amount: cannot cast string "12,50" to double');
    expect(lines[1]).toMatch(/^dsl\/samples\/settlement_transactions\.jsonl:6:1: not JSON: /);
    expect(lines[2]).toBe(
      "docs in 8, out 6, failed 2; zip pad events 0, zip truncated values 0, objectify records 0; field errors amount=1",
    );
    expect(r.code).toBe(3);
  });

  it("order_lines: stdout is the expected JSONL; line 4 fails on express; zip counters are reported; exit 3", async () => {
    const report = path.join(tmp, "order_lines.report.json");
    const r = await cli(["simulate", "dsl/order_lines.yaml", "dsl/samples/order_lines.jsonl", "--report", report]);
    expect(r.stdout).toBe(fs.readFileSync(sample("order_lines.expected.jsonl"), "utf8"));
    expect(r.stderr).toBe(
      'dsl/samples/order_lines.jsonl:4:1: field express: cannot cast string "yes" to boolean\n' +
        "docs in 8, out 7, failed 1; zip pad events 4, zip truncated values 4, objectify records 19; field errors express=1\n",
    );
    expect(r.code).toBe(3);
    expect(JSON.parse(fs.readFileSync(report, "utf8"))).toMatchObject({
      docsIn: 8, docsOut: 7, docsFailed: 1, badDocuments: 0, zipPadEvents: 4, zipTruncatedValues: 4, objectifyRecords: 19, fieldErrors: { express: 1 },
    });
  });

  it("exit 0 and the same output when every document maps", async () => {
    for (const [ds, bad] of [["settlement_transactions", [4, 6]], ["order_lines", [4]]] as const) {
      const good = fs.readFileSync(sample(`${ds}.jsonl`), "utf8").split("\n").filter((_, i) => !(bad as readonly number[]).includes(i + 1)).join("\n");
      const file = path.join(tmp, `${ds}.good.jsonl`);
      fs.writeFileSync(file, good);
      const r = await cli(["simulate", `dsl/${ds}.yaml`, file]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(fs.readFileSync(sample(`${ds}.expected.jsonl`), "utf8"));
      expect(r.stderr).toMatch(/failed 0;/);
    }
  });

  it("reads a JSON array of documents (a .json file), numbering documents from 1", async () => {
    const file = path.join(tmp, "docs.json");
    fs.writeFileSync(file, JSON.stringify([{ order: { id: "A" } }, 5, { order: { id: "B", express: "nope" } }]));
    const r = await cli(["simulate", "dsl/order_lines.yaml", file]);
    expect(r.code).toBe(3);
    expect(r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l).order_id)).toEqual(["A"]);
    const rel = path.relative(REPO, file);
    expect(r.stderr).toContain(`${rel}:2:1: expected a JSON object, got number`);
    expect(r.stderr).toContain(`${rel}:3:1: field express: cannot cast string "nope" to boolean`);
  });

  it("exit 1 with file:line:col for an invalid dataset, and for a missing documents file", async () => {
    const broken = await cli(["simulate", "test/fixtures/dsl/broken/orders_broken.yaml", "dsl/samples/order_lines.jsonl", "--dsl-dir", "dsl"]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe("");
    expect(broken.stderr).toContain(`${path.join(REPO, "test/fixtures/dsl/broken/orders_broken.yaml")}:8:17: unknown op 'shout'`);
    const missing = await cli(["simulate", "dsl/order_lines.yaml", "dsl/samples/nope.jsonl"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("nope.jsonl:1:1: no such file");
  });

  it("exit 2 on a bad command line", async () => {
    expect((await cli(["simulate", "dsl/order_lines.yaml"])).code).toBe(2);
    const r = await cli(["simulate", "dsl/order_lines.yaml", "dsl/samples/order_lines.jsonl", "--fast"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mapstack simulate: .*--fast/);
    expect(r.stderr).toContain("Usage: mapstack simulate");
  });
});
