// `mapstack simulate` on the bundled samples: mapped JSONL on stdout, bad lines named on stderr, exit codes.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Writable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { LineSplitter } from "../../src/cli/lines";
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

describe("simulate streams", () => {
  const goodOrderLines = () => fs.readFileSync(sample("order_lines.jsonl"), "utf8").split("\n").filter((l, i) => l && i + 1 !== 4);
  const expectedOrderLines = () => fs.readFileSync(sample("order_lines.expected.jsonl"), "utf8");

  it("accepts a UTF-8 byte-order mark and CRLF line ends: same output as the plain file", async () => {
    const file = path.join(tmp, "bom-crlf.jsonl");
    fs.writeFileSync(file, "\uFEFF" + fs.readFileSync(sample("order_lines.jsonl"), "utf8").replace(/\n/g, "\r\n"));
    const r = await cli(["simulate", "dsl/order_lines.yaml", file]);
    expect(r.stdout).toBe(expectedOrderLines());
    expect(r.stderr).toContain(`${path.relative(REPO, file)}:4:1: field express: cannot cast string "yes" to boolean`);
    expect(r.stderr).toMatch(/docs in 8, out 7, failed 1;/);
    expect(r.code).toBe(3);
  });

  it("keeps going past bad lines of every kind (not JSON, not an object, blank), naming each", async () => {
    const good = goodOrderLines();
    const file = path.join(tmp, "mixed.jsonl");
    fs.writeFileSync(file, [good[0], "{oops", "[1,2]", "", "   ", "null", ...good.slice(1)].join("\n"));
    const r = await cli(["simulate", "dsl/order_lines.yaml", file]);
    expect(r.stdout).toBe(expectedOrderLines());
    const rel = path.relative(REPO, file);
    expect(r.stderr).toMatch(new RegExp(`^${rel}:2:1: not JSON: `));
    expect(r.stderr).toContain(`${rel}:3:1: expected a JSON object, got an array`);
    expect(r.stderr).toContain(`${rel}:6:1: expected a JSON object, got null`);
    expect(r.stderr).not.toContain(`${rel}:4:1`);
    expect(r.stderr).not.toContain(`${rel}:5:1`);
    expect(r.stderr).toMatch(/docs in 10, out 7, failed 3;/);
    expect(r.code).toBe(3);
  });

  it("a document the evaluator cannot handle (a date out of range) fails alone; the batch goes on", async () => {
    const good = goodOrderLines();
    const file = path.join(tmp, "out-of-range.jsonl");
    const hostile = JSON.stringify({ ...JSON.parse(good[0]), order: { ...JSON.parse(good[0]).order, placed_at: 1e20 } });
    fs.writeFileSync(file, [hostile, ...good].join("\n"));
    const r = await cli(["simulate", "dsl/order_lines.yaml", file]);
    expect(r.stdout).toBe(expectedOrderLines());
    expect(r.stderr).toMatch(new RegExp(`^${path.relative(REPO, file)}:1:1: `));
    expect(r.stderr).toMatch(/docs in 8, out 7, failed 1;/);
    expect(r.code).toBe(3);
  });

  it("--max-errors N stops reading at the Nth failed document and says where", async () => {
    const file = path.join(tmp, "many-bad.jsonl");
    const good = goodOrderLines();
    fs.writeFileSync(file, [good[0], "x", good[1], "y", good[2], "z", good[3]].join("\n"));
    const r = await cli(["simulate", "dsl/order_lines.yaml", file, "--max-errors", "2"]);
    const rel = path.relative(REPO, file);
    expect(r.stdout.trimEnd().split("\n")).toHaveLength(2);
    expect(r.stderr).toContain(`${rel}:4:1: not JSON`);
    expect(r.stderr).not.toContain(`${rel}:6:1`);
    expect(r.stderr).toContain(`${rel}: stopped at line 4 after 2 failed document(s) (--max-errors 2)`);
    expect(r.code).toBe(3);
    expect((await cli(["simulate", "dsl/order_lines.yaml", file, "--max-errors", "0"])).code).toBe(2);
    expect((await cli(["simulate", "dsl/order_lines.yaml", file, "--max-errors", "lots"])).code).toBe(2);
  });

  it("writes documents as they are read: output appears while the input is still open; progress only on a terminal", async () => {
    const fifo = path.join(tmp, "docs.fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const chunks: string[] = [];
    const statuses: string[] = [];
    const stdout = new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) });
    const run = cli(["simulate", "dsl/order_lines.yaml", fifo], REPO, { stdout, status: (s) => statuses.push(s) });
    const writer = fs.createWriteStream(fifo);
    const good = goodOrderLines();
    writer.write(good.join("\n") + "\n");
    await until(() => chunks.join("").split("\n").length > good.length);
    expect(chunks.join("")).toBe(expectedOrderLines());
    // Progress lines need time to pass (every 500 ms); keep the input open and feed it for a while.
    const filler = (good[1] + "\n").repeat(2000);
    const deadline = Date.now() + 1500;
    while (Date.now() < deadline) {
      writer.write(filler);
      await new Promise((r) => setTimeout(r, 50));
    }
    writer.end();
    const r = await run;
    expect(r.code).toBe(0);
    expect(statuses.some((s) => /^simulate: [\d,]+ docs, 0 failed/.test(s))).toBe(true);
    expect(statuses[statuses.length - 1]).toBe(""); // cleared before the summary
    const plain = await cli(["simulate", "dsl/order_lines.yaml", sample("order_lines.jsonl")]);
    expect(plain.stderr).not.toMatch(/\r|simulate: /);
  });

  it("waits for a slow reader (backpressure) instead of reading ahead, then delivers everything", async () => {
    const good = goodOrderLines();
    const file = path.join(tmp, "big.jsonl");
    const copies = 8000;
    fs.writeFileSync(file, (good.join("\n") + "\n").repeat(copies));
    let writes = 0;
    let bytes = 0;
    const held: Array<() => void> = [];
    let release = false;
    const stdout = new Writable({
      highWaterMark: 16 * 1024,
      write(c, _e, cb) {
        writes++;
        bytes += c.length;
        if (release) cb();
        else held.push(cb);
      },
    });
    const run = cli(["simulate", "dsl/order_lines.yaml", file], REPO, { stdout });
    await until(() => writes > 0);
    // Let it run until the held output stops growing: with backpressure that is soon; without, at the end.
    let last = -1;
    while (stdout.writableLength !== last) {
      last = stdout.writableLength;
      await new Promise((r) => setTimeout(r, 300));
    }
    // The reader took one write and holds it: what waits in memory is the output of about one input chunk
    // (256 KiB), not the ~20 MB the whole input maps to.
    expect(writes).toBe(1);
    expect(stdout.writableLength).toBeLessThan(2 * 1024 * 1024);
    release = true;
    held.splice(0).forEach((cb) => cb());
    const r = await run;
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`docs in ${good.length * copies}, out ${good.length * copies}, failed 0;`));
    expect(bytes).toBe(Buffer.byteLength(expectedOrderLines()) * copies);
  });

  it("stops quietly when the reader goes away (simulate … | head -n 1)", async () => {
    const good = goodOrderLines();
    const file = path.join(tmp, "pipe.jsonl");
    fs.writeFileSync(file, (good.join("\n") + "\n").repeat(20000));
    const head = spawn("head", ["-n", "1"], { stdio: ["pipe", "pipe", "inherit"] });
    let firstLine = "";
    head.stdout.on("data", (d) => (firstLine += d));
    const r = await cli(["simulate", "dsl/order_lines.yaml", file], REPO, { stdout: head.stdin });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    await new Promise((res) => head.on("close", res));
    expect(firstLine).toBe(expectedOrderLines().split("\n")[0] + "\n");
  });
});

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("the JSONL line splitter simulate reads with", () => {
  const split = (chunks: Buffer[], maxLine = 1000) => {
    const got: string[] = [];
    const s = new LineSplitter({ line: (n, t) => got.push(`${n}:${t}`), tooLong: (n, size) => got.push(`${n}:too long (${size})`) }, maxLine);
    chunks.forEach((c) => s.push(c));
    s.end();
    return got;
  };

  it("gives the same lines wherever the chunks are cut, even inside a multi-byte character", () => {
    const text = Buffer.from('\uFEFF{"p":"€1,234.50"}\r\n\n{"name":"Zoë 😀"}\n{"last":true}');
    const whole = split([text]);
    expect(whole).toEqual(['1:{"p":"€1,234.50"}\r', "2:", '3:{"name":"Zoë 😀"}', '4:{"last":true}']);
    for (let cut = 1; cut < text.length; cut++) expect(split([text.subarray(0, cut), text.subarray(cut)])).toEqual(whole);
    expect(split([...text].map((b) => Buffer.from([b])))).toEqual(whole);
  });

  it("skips a line longer than the limit without holding it, and goes on with the next", () => {
    const long = "x".repeat(50);
    const chunks = [Buffer.from(`{"a":1}\n${long.slice(0, 20)}`), Buffer.from(long.slice(20)), Buffer.from(`\n{"b":2}\n${long}\n`)];
    expect(split(chunks, 30)).toEqual(['1:{"a":1}', "2:too long (50)", '3:{"b":2}', "4:too long (50)"]);
  });
});
