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
/** Lines 1–8 of the order samples have no issue; their mapped rows are the first 8 expected lines. */
const expectedGood = () => fs.readFileSync(sample("order_lines.expected.jsonl"), "utf8").split("\n").slice(0, 8).join("\n") + "\n";
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("simulate on the bundled samples", () => {
  it("settlement_transactions (protobuf): stdout is the expected JSONL; the unreadable line 6 is named; exit 3", async () => {
    const r = await cli(["simulate", "dsl/settlement_transactions.yaml", "dsl/samples/settlement_transactions.jsonl"]);
    expect(r.stdout).toBe(fs.readFileSync(sample("settlement_transactions.expected.jsonl"), "utf8"));
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^dsl\/samples\/settlement_transactions\.jsonl:6:1: not JSON: /);
    expect(lines[1]).toBe("rows in 8, out 7, skipped 0, with issues 0, unreadable 1; zip pad events 0, objectify records 0");
    expect(r.code).toBe(3);
  });

  it("settlement_transactions: the rows are read as the protobuf message's JSON form (timestamps normalised, defaults absent)", async () => {
    const file = path.join(tmp, "st.jsonl");
    fs.writeFileSync(file, JSON.stringify({ transactionId: "t-1", createdAt: "2024-03-01T12:00:00+02:00", batchNumber: "0", channel: "" }) + "\n");
    const r = await cli(["simulate", "dsl/settlement_transactions.yaml", file]);
    const src = JSON.parse(r.stdout)._source;
    expect(src.created_at).toBe("2024-03-01T10:00:00Z");
    expect(src.batch_number).toBeNull();
    expect(src.channel).toBe("unknown");
    const bad = path.join(tmp, "st-bad.jsonl");
    fs.writeFileSync(bad, JSON.stringify({ transactionId: 5, noSuchField: 1 }) + "\n");
    const rb = await cli(["simulate", "dsl/settlement_transactions.yaml", bad]);
    expect(rb.stderr).toMatch(/st-bad\.jsonl:1:1: not a valid mapstack\.settlement\.v1\.SettlementTransaction message: /);
    expect(rb.code).toBe(3);
  });

  it("order_lines: stdout is the expected JSONL; the duplicate id is skipped, the bad date is an issue; counters; exit 3", async () => {
    const report = path.join(tmp, "order_lines.report.json");
    const r = await cli(["simulate", "dsl/order_lines.yaml", "dsl/samples/order_lines.jsonl", "--report", report]);
    expect(r.stdout).toBe(fs.readFileSync(sample("order_lines.expected.jsonl"), "utf8"));
    expect(r.stderr).toBe(
      "dsl/samples/order_lines.jsonl:9:1: _id: E_ID_CONFLICT duplicate _id 'ORD-1002' (policy=skip) (row skipped)\n" +
        "dsl/samples/order_lines.jsonl:10:1: placed_at: E_OP_EXEC date_parse failed: E_DATE_PARSE_FAIL\n" +
        "rows in 10, out 9, skipped 1, with issues 2, unreadable 0; zip pad events 4, objectify records 15; issues E_ID_CONFLICT=1, E_OP_EXEC=1\n",
    );
    expect(r.code).toBe(3);
    expect(JSON.parse(fs.readFileSync(report, "utf8"))).toMatchObject({ docsIn: 10, docsOut: 9, docsSkipped: 1, zipPadEvents: 4, objectifyRecords: 15, issuesPerCode: { E_ID_CONFLICT: 1, E_OP_EXEC: 1 } });
  });

  it("store_sales (CSV, French locale): column inputs, locale numbers, hashed ids; issues per row", async () => {
    const r = await cli(["simulate", "dsl/store_sales.json", "dsl/samples/store_sales.csv"]);
    expect(r.stdout).toBe(fs.readFileSync(sample("store_sales.expected.jsonl"), "utf8"));
    const first = JSON.parse(r.stdout.split("\n")[0]);
    expect(first._source).toMatchObject({ store: "PAR01", region: "Île-de-France", amount: 1234.5, loyalty_member: true, payment: "card" });
    expect(first._id).toMatch(/^[0-9a-f]{64}$/);
    expect(r.stderr).toContain("dsl/samples/store_sales.csv:5:1: quantity: E_OP_EXEC cast failed: cannot cast 1,5 to long");
    expect(r.code).toBe(3);
  });

  it("exit 0 and the same output when no row has an issue", async () => {
    const good = fs.readFileSync(sample("order_lines.jsonl"), "utf8").split("\n").slice(0, 8).join("\n");
    const file = path.join(tmp, "order_lines.good.jsonl");
    fs.writeFileSync(file, good);
    const r = await cli(["simulate", "dsl/order_lines.yaml", file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(expectedGood());
    expect(r.stderr).toMatch(/with issues 0, unreadable 0;/);
  });

  it("reads a JSON array of documents (a .json file), numbering documents from 1", async () => {
    const file = path.join(tmp, "docs.json");
    fs.writeFileSync(file, JSON.stringify([{ order_key: "A", order: { id: "A" } }, 5, { order_key: "B", order: { id: "B", placed_at: "nope" } }]));
    const r = await cli(["simulate", "dsl/order_lines.yaml", file]);
    expect(r.code).toBe(3);
    expect(r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l)._id)).toEqual(["A", "B"]);
    const rel = path.relative(REPO, file);
    expect(r.stderr).toContain(`${rel}:2:1: expected a JSON object, got number`);
    expect(r.stderr).toContain(`${rel}:3:1: placed_at: E_OP_EXEC date_parse failed: E_DATE_PARSE_FAIL`);
  });

  it("exit 1 with file:line:col for an invalid dataset, and for a missing documents file", async () => {
    const broken = await cli(["simulate", "test/fixtures/dsl/broken/orders_broken.yaml", "dsl/samples/order_lines.jsonl", "--dsl-dir", "dsl"]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe("");
    expect(broken.stderr).toContain(`${path.join(REPO, "test/fixtures/dsl/broken/orders_broken.yaml")}:19:21: unknown op 'shout'`);
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
  const goodOrderLines = () => fs.readFileSync(sample("order_lines.jsonl"), "utf8").split("\n").slice(0, 8);
  const expectedOrderLines = expectedGood;
  /** `copies` copies of the good rows, each with its own order_key (the id policy skips repeated ids). */
  const uniqueCopies = (good: string[], copies: number) => {
    const rows = good.map((l) => JSON.parse(l));
    let out = "";
    for (let c = 0; c < copies; c++) out += rows.map((o) => JSON.stringify({ ...o, order_key: `${o.order_key}-${c}` })).join("\n") + "\n";
    return out;
  };

  it("accepts a UTF-8 byte-order mark and CRLF line ends: same output as the plain file", async () => {
    const file = path.join(tmp, "bom-crlf.jsonl");
    fs.writeFileSync(file, "\uFEFF" + fs.readFileSync(sample("order_lines.jsonl"), "utf8").replace(/\n/g, "\r\n"));
    const r = await cli(["simulate", "dsl/order_lines.yaml", file]);
    expect(r.stdout).toBe(fs.readFileSync(sample("order_lines.expected.jsonl"), "utf8"));
    expect(r.stderr).toContain(`${path.relative(REPO, file)}:10:1: placed_at: E_OP_EXEC date_parse failed: E_DATE_PARSE_FAIL`);
    expect(r.stderr).toMatch(/rows in 10, out 9, skipped 1, with issues 2, unreadable 0;/);
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
    expect(r.stderr).toMatch(/rows in 11, out 8, skipped 0, with issues 0, unreadable 3;/);
    expect(r.code).toBe(3);
  });

  it("rows carrying kilobytes of members no field reads map as without them; a damaged one is still refused at its line", async () => {
    const good = goodOrderLines();
    const payload = { trace: Array.from({ length: 60 }, (_, i) => ({ id: `evt-${i}`, at: 1709283000000 + i, geo: { lat: 48.85, lon: 2.0 }, note: "x\"y\\z 1.0" })) };
    const padded = good.map((l) => JSON.stringify({ payload, ...JSON.parse(l), zz: [1.0, "€"] }));
    const damaged = padded[2].replace('"lon":2', '"lon":2,');
    const file = path.join(tmp, "padded.jsonl");
    fs.writeFileSync(file, [...padded.slice(0, 2), damaged, ...padded.slice(2)].join("\n") + "\n");
    expect(padded[0].length).toBeGreaterThan(4096);
    const r = await cli(["simulate", "dsl/order_lines.yaml", file]);
    expect(r.stdout).toBe(expectedOrderLines());
    const rel = path.relative(REPO, file);
    const refusal = (() => {
      try {
        JSON.parse(damaged);
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error("the damaged row parses");
    })();
    expect(r.stderr.startsWith(`${rel}:3:1: not JSON: ${refusal}\n`)).toBe(true);
    expect(r.stderr).toMatch(/rows in 9, out 8, skipped 0, with issues 0, unreadable 1;/);
  });

  it("a date out of Python's range is an issue of that row alone (as the seed's OverflowError); the batch goes on", async () => {
    const good = goodOrderLines();
    const file = path.join(tmp, "out-of-range.jsonl");
    const hostile = JSON.stringify({ ...JSON.parse(good[0]), order_key: "ORD-HOSTILE", order: { ...JSON.parse(good[0]).order, placed_at: 1e20 } });
    fs.writeFileSync(file, [hostile, ...good].join("\n"));
    const r = await cli(["simulate", "dsl/order_lines.yaml", file]);
    expect(r.stdout.split("\n").slice(1).join("\n")).toBe(expectedOrderLines());
    expect(JSON.parse(r.stdout.split("\n")[0])._source.placed_at).toBeNull();
    expect(r.stderr).toMatch(new RegExp(`^${path.relative(REPO, file)}:1:1: placed_at: E_OP_EXEC date_parse failed: epoch`));
    expect(r.stderr).toMatch(/rows in 9, out 9, skipped 0, with issues 1, unreadable 0;/);
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
    const deadline = Date.now() + 1500;
    for (let round = 0; Date.now() < deadline; round++) {
      writer.write(uniqueCopies([good[1]], 2000).replace(/-(\d+)"/g, `-${round}-$1"`));
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
    fs.writeFileSync(file, uniqueCopies(good, copies));
    let writes = 0;
    let lines = 0;
    const held: Array<() => void> = [];
    let release = false;
    const stdout = new Writable({
      highWaterMark: 16 * 1024,
      write(c, _e, cb) {
        writes++;
        lines += String(c).split("\n").length - 1;
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
    expect(r.stderr).toMatch(new RegExp(`rows in ${good.length * copies}, out ${good.length * copies}, skipped 0, with issues 0, unreadable 0;`));
    expect(lines).toBe(good.length * copies);
  });

  it("stops quietly when the reader goes away (simulate … | head -n 1)", async () => {
    const good = goodOrderLines();
    const file = path.join(tmp, "pipe.jsonl");
    fs.writeFileSync(file, uniqueCopies(good, 20000));
    const head = spawn("head", ["-n", "1"], { stdio: ["pipe", "pipe", "inherit"] });
    let firstLine = "";
    head.stdout.on("data", (d) => (firstLine += d));
    const headClosed = new Promise((res) => head.on("close", res)); // (head may be gone before simulate returns)
    const r = await cli(["simulate", "dsl/order_lines.yaml", file], REPO, { stdout: head.stdin });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    await headClosed;
    expect(JSON.parse(firstLine)._source).toEqual(JSON.parse(expectedOrderLines().split("\n")[0])._source);
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
