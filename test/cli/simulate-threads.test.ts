// simulate on several threads prints what it prints on one: the same stdout, stderr, exit code and
// counters, byte for byte, on inputs with every kind of row (duplicates, op issues, unreadable lines,
// blank lines, CRLF, a byte-order mark, multi-byte text, lines longer than a batch), for the JSON and the
// protobuf source. The real binary runs, as a user runs it (worker threads load the built files).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LineSplitter } from "../../src/cli/lines";
import { LineBatcher, type LineBatch } from "../../src/cli/simulate/line-batches";
import { seededRandom } from "../seeded-random";
import { REPO } from "./io";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-threads-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  report: Record<string, unknown>;
}

function simulate(dataset: string, file: string, extra: string[]): Run {
  const report = path.join(tmp, `report-${extra.join("_")}.json`);
  const r = spawnSync(process.execPath, [path.join(REPO, "bin", "mapstack.js"), "simulate", dataset, file, "--report", report, ...extra], {
    cwd: REPO,
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  const counters = fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, "utf8")) : {};
  fs.rmSync(report, { force: true });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, report: counters };
}

/** A run's bytes and counters, without the one figure that says how many threads mapped. */
const outcome = (r: Run) => ({ code: r.code, stdout: r.stdout, stderr: r.stderr, report: { ...r.report, threads: undefined } });

/**
 * Lines drawn from the bundled samples (good rows, rows with op issues, unreadable ones), made distinct by
 * their id except where a duplicate is wanted, mixed with blank lines, lines that are not objects, CRLF
 * ends, multi-byte text and rows carrying a payload longer than a batch (128 KiB).
 */
function mixedInput(seed: number, sample: string, idKey: string, rows: number): string {
  const random = seededRandom(seed);
  const samples = fs.readFileSync(path.join(REPO, "dsl", "samples", sample), "utf8").split("\n").filter((l) => l.trim());
  const out: string[] = ["\ufeff" + samples[0]];
  const ids: string[] = [];
  for (let i = 1; i < rows; i++) {
    const roll = random();
    if (roll < 0.02) out.push(["", "   ", "\r"][Math.floor(random() * 3)]);
    else if (roll < 0.03) out.push(["not json", "[1, 2]", "null", '{"broken": '][Math.floor(random() * 4)]);
    else {
      let line = samples[Math.floor(random() * samples.length)];
      let doc: Record<string, unknown>;
      try {
        doc = JSON.parse(line);
      } catch {
        out.push(line);
        continue;
      }
      if (roll < 0.08 && ids.length) doc[idKey] = ids[Math.floor(random() * ids.length)];
      else if (typeof doc[idKey] === "string") ids.push((doc[idKey] = `${doc[idKey]}-${i}-é日本😀`) as string);
      if (roll > 0.995) doc.payload = "x".repeat(150_000 + Math.floor(random() * 200_000));
      line = JSON.stringify(doc);
      out.push(random() < 0.1 ? line + "\r" : line);
    }
  }
  return out.join("\n"); // the last line has no line end
}

describe("simulate --jobs N gives the bytes of a run on one thread", () => {
  const cases = [
    { dataset: "dsl/order_lines.yaml", sample: "order_lines.jsonl", idKey: "order_key", seed: 7 },
    { dataset: "dsl/settlement_transactions.yaml", sample: "settlement_transactions.jsonl", idKey: "transactionId", seed: 11 },
  ];
  for (const c of cases) {
    it(`${path.basename(c.dataset)}: --jobs 2 and 3 match --jobs 1, also when --max-errors stops the run`, () => {
      const file = path.join(tmp, `${c.seed}.jsonl`);
      fs.writeFileSync(file, mixedInput(c.seed, c.sample, c.idKey, 12_000));
      const one = simulate(c.dataset, file, ["--jobs", "1"]);
      expect(one.report.threads).toBe(1);
      // the input exercises what the threads must agree on
      expect(one.code).toBe(3);
      expect(one.stderr).toMatch(/E_ID_CONFLICT/);
      expect(one.stderr).toMatch(/not JSON/);
      expect(one.stderr).toMatch(/expected a JSON object/);
      expect(one.stdout.split("\n").length).toBeGreaterThan(5000);
      for (const jobs of ["2", "3"]) {
        const many = simulate(c.dataset, file, ["--jobs", jobs]);
        expect(many.report.threads).toBe(Number(jobs));
        expect(outcome(many)).toEqual(outcome(one));
      }
      const stopOne = simulate(c.dataset, file, ["--jobs", "1", "--max-errors", "40"]);
      expect(stopOne.stderr).toMatch(/stopped at line \d+ after 40 failed document\(s\)/);
      expect(outcome(simulate(c.dataset, file, ["--jobs", "3", "--max-errors", "40"]))).toEqual(outcome(stopOne));
    });
  }

  it("by default, a file of 50,000 rows or more is mapped on two threads (on two cores or more); fewer, wider rows on one", () => {
    const doc = JSON.parse(fs.readFileSync(path.join(REPO, "dsl", "samples", "order_lines.jsonl"), "utf8").split("\n")[0]);
    const many = path.join(tmp, "many.jsonl");
    fs.writeFileSync(many, Array.from({ length: 60_000 }, (_, i) => JSON.stringify({ ...doc, order_key: `k-${i}` })).join("\n") + "\n");
    const r = simulate("dsl/order_lines.yaml", many, []);
    expect(r.code).toBe(0);
    expect(r.report.threads).toBe(os.availableParallelism() > 1 ? 2 : 1);
    expect(r.stdout.split("\n")).toHaveLength(60_001);
    // more bytes in 4,000 rows of 8 KB: start-up would cost the second thread more than it saves
    const wide = path.join(tmp, "wide.jsonl");
    fs.writeFileSync(wide, Array.from({ length: 4_000 }, (_, i) => JSON.stringify({ ...doc, order_key: `w-${i}`, payload: "p".repeat(8192) })).join("\n") + "\n");
    expect(fs.statSync(wide).size).toBeGreaterThan(fs.statSync(many).size);
    const w = simulate("dsl/order_lines.yaml", wide, []);
    expect(w.code).toBe(0);
    expect(w.report.threads).toBe(1);
  });

  it("--jobs must be a whole number from 1 to 64 (exit 2)", () => {
    for (const bad of ["0", "x", "65", "1.5"]) {
      const r = simulate("dsl/order_lines.yaml", path.join(REPO, "dsl", "samples", "order_lines.jsonl"), ["--jobs", bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--jobs must be a whole number from 1 to 64/);
    }
  });
});

describe("the batches of lines handed to threads", () => {
  /** Lines as the reader on one thread sees them: one splitter over the whole stream. */
  const splitWhole = (chunks: Buffer[], maxLine: number) => {
    const got: string[] = [];
    const s = new LineSplitter({ line: (n, t) => got.push(`${n}:${t}`), tooLong: (n, size) => got.push(`${n}:too long (${size})`) }, maxLine);
    chunks.forEach((c) => s.push(c));
    s.end();
    return got;
  };
  /** The same stream cut into batches, each split on its own from its first line's number. */
  const splitBatches = (chunks: Buffer[], maxLine: number) => {
    const got: string[] = [];
    const take = (b: LineBatch) => {
      if (b.kind === "tooLong") return got.push(`${b.line}:too long (${b.bytesAtLeast})`);
      const s = new LineSplitter({ line: (n, t) => got.push(`${n}:${t}`), tooLong: (n, size) => got.push(`${n}:too long (${size})`) }, maxLine, b.firstLine);
      s.push(Buffer.from(b.bytes));
      s.end();
    };
    const batcher = new LineBatcher(take, maxLine);
    chunks.forEach((c) => batcher.push(c));
    batcher.end();
    return got;
  };

  it("give the lines, numbers and too-long lines of one splitter, wherever the chunks are cut", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const random = seededRandom(seed);
      const words = ["a", "é", "日本", "😀", '{"k":1}', " ", "\r", "\ufeff"];
      const lines = Array.from({ length: 1 + Math.floor(random() * 30) }, () =>
        Array.from({ length: Math.floor(random() * 25) }, () => words[Math.floor(random() * words.length)]).join(""),
      );
      const text = Buffer.from((random() < 0.5 ? "\ufeff" : "") + lines.join("\n") + (random() < 0.5 ? "\n" : ""));
      const chunks: Buffer[] = [];
      for (let at = 0; at < text.length; ) {
        const size = 1 + Math.floor(random() * 60);
        chunks.push(text.subarray(at, at + size));
        at += size;
      }
      const maxLine = 10 + Math.floor(random() * 50);
      expect(splitBatches(chunks, maxLine), `seed ${seed}`).toEqual(splitWhole(chunks, maxLine));
    }
  });
});
