// The emitted supervisor spec, run by the JDK harness with Druid's own libraries (protobuf-java JsonFormat,
// Jayway JsonPath, Joda-Time), must give the same columns as the local evaluator on what Druid sees.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "../../src/cli/simulate/rows";
import { compileDirectory } from "../../src/dsl/compile";
import { createEvaluator } from "../../src/dsl/evaluate";
import { loadProtoFile, lookupMessage } from "../../src/dsl/proto";
import type { CompiledDataset } from "../../src/dsl/types";
import { PyFloat } from "../../src/dsl/values";
import { protoJsonAsDruidSees } from "../../src/druid/proto-json";
import { buildDescriptorSet } from "../../src/proto/descriptor-set";
import { loadStackSettings } from "../../src/settings/stack-settings";
import { buildSupervisorSpec } from "../../src/targets/druid/supervisor";
import { seededRandom } from "../seeded-random";

const ROOT = path.resolve(__dirname, "../..");
const JARS = ["protobuf", "protobuf-util", "gson", "guava", "json-path", "json-smart", "accessors-smart", "asm", "joda-time", "slf4j-api", "slf4j-nop"]
  .map((j) => `/usr/share/java/${j}.jar`);
const classes = fs.mkdtempSync(path.join(os.tmpdir(), "druid-harness-"));

beforeAll(() => {
  execFileSync("javac", ["-d", classes, "-cp", JARS.join(":"), path.join(__dirname, "DruidHarness.java"), path.join(__dirname, "JsonFormatHarness.java")]);
});

interface HarnessRow {
  druidJson?: Record<string, unknown>;
  error?: string;
  time?: number | null;
  columns?: Record<string, unknown>;
}

function runHarness(spec: unknown, descriptor: Buffer, samples: string[]): HarnessRow[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "druid-run-"));
  fs.writeFileSync(path.join(dir, "spec.json"), JSON.stringify(spec));
  fs.writeFileSync(path.join(dir, "desc.binpb"), descriptor);
  fs.writeFileSync(path.join(dir, "samples.jsonl"), samples.join("\n"));
  const out = execFileSync("java", ["-cp", [classes, ...JARS].join(":"), "DruidHarness", ...["spec.json", "desc.binpb", "samples.jsonl"].map((f) => path.join(dir, f))], { encoding: "utf8" });
  return out.trim().split("\n").map((l) => JSON.parse(l));
}

/** The evaluator's value as a Druid column of `type` holds it (dates as epoch millis). */
function asColumn(v: unknown, type: string, isDate: boolean): unknown {
  if (v === null || v === undefined) return null;
  if (isDate) return Math.floor(Date.parse(String(v)));
  if (Array.isArray(v)) return v.length === 0 ? null : v.length === 1 ? asColumn(v[0], type, false) : v.map((x) => asColumn(x, "string", false));
  if (type === "string") return typeof v === "boolean" ? String(v) : String(v);
  const n = typeof v === "boolean" ? (v ? 1 : 0) : Number(v);
  if (!Number.isFinite(n)) return null;
  return type === "long" ? Math.trunc(n) : n;
}

/** Druid prints doubles Java's way in string columns; compare numbers as numbers. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === "string" && typeof b === "string" && a !== b && a.trim() !== "" && b.trim() !== "" && !Number.isNaN(Number(a)) && !Number.isNaN(Number(b))) return Number(a) === Number(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

function check(ds: CompiledDataset, samples: string[], mutate?: (spec: any) => void, stack = "dev"): string[] {
  const protoDir = path.join(ROOT, "dsl/proto");
  const set = buildDescriptorSet(protoDir);
  const spec = buildSupervisorSpec(ds, loadStackSettings(ROOT, stack), { version: set.version, descriptorBase64: set.bytes.toString("base64") }) as any;
  mutate?.(spec);
  const druid = runHarness(spec, set.bytes, samples);
  const loaded = loadProtoFile(path.join(ROOT, "dsl"), (ds.source as { protoFile: string }).protoFile, { keepCase: true });
  if (!loaded.ok) throw new Error(loaded.message);
  const type = lookupMessage(loaded.root, (ds.source as { message: string }).message)!;
  const evaluator = createEvaluator(ds);
  const sink = ds.sinks.druid!;
  const dims = new Map((spec.spec.dataSchema.dimensionsSpec.dimensions as Array<{ name: string; type: string }>).map((d) => [d.name, d.type]));
  const mismatches: string[] = [];
  samples.forEach((line, i) => {
    const seen = protoJsonAsDruidSees(JSON.parse(line), type);
    expect(druid[i].error, `sample ${i}`).toBeUndefined();
    // What Druid's reader prints is what simulate feeds the evaluator.
    expect(seen, `sample ${i}: proto JSON`).toEqual(druid[i].druidJson);
    const r = evaluator.map(seen);
    if (!r.ok) throw new Error("row skipped");
    const src = r.doc._source as Record<string, unknown>;
    const get = (t: string) => t.split(".").reduce<any>((o, k) => (o == null ? null : o[k]), src);
    const timeField = ds.fields.find((f) => f.target === sink.timestamp.field)!;
    const expectedTime = asColumn(get(timeField.target), "long", true);
    if (expectedTime !== druid[i].time) mismatches.push(`sample ${i} __time: evaluator ${expectedTime}, druid ${druid[i].time}`);
    for (const [name, actual] of Object.entries(druid[i].columns!)) {
      const type = dims.get(name) ?? (sink.metrics.find((m) => m.field === name)?.type.startsWith("long") ? "long" : "double");
      const f = ds.fields.find((x) => x.target === name)!;
      const isDate = type === "long" && f.type === "date";
      const expected = asColumn(get(name), type, isDate);
      if (!same(expected, actual)) mismatches.push(`sample ${i} ${name}: evaluator ${JSON.stringify(expected)}, druid ${JSON.stringify(actual)}`);
    }
  });
  let compared = 0;
  druid.forEach((d) => (compared += Object.keys(d.columns ?? {}).length));
  expect(compared).toBeGreaterThan(samples.length * 5);
  return mismatches;
}

const bundled = () => compileDirectory(path.join(ROOT, "dsl")).datasets.find((d) => d.name === "settlement_transactions")!;
const isJson = (l: string) => {
  try {
    JSON.parse(l);
    return true;
  } catch {
    return false;
  }
};
// Lines that are not JSON are parse errors on both sides (Druid's unparseable count, simulate's issue).
const samplesOf = (file: string) => fs.readFileSync(file, "utf8").split("\n").filter((l) => l.trim() && isJson(l));

describe("Druid ingests what the evaluator computes (JDK harness with Druid's libraries)", () => {
  // Every stack: its knobs and settings shape the spec (consumer properties, tuning), never the columns.
  for (const stack of ["dev", "staging", "prod"]) {
    it(`bundled settlement samples (${stack})`, () => {
      expect(check(bundled(), samplesOf(path.join(ROOT, "dsl/samples/settlement_transactions.jsonl")), undefined, stack)).toEqual([]);
    });

    it(`edge samples: defaults absent in proto3, blanks, locale numbers, odd dates, unicode spaces (${stack})`, () => {
      expect(check(bundled(), samplesOf(path.join(__dirname, "edge-samples.jsonl")), undefined, stack)).toEqual([]);
    });
  }

  it("would catch Druid's own leniency: a bare cast differs from the evaluator on the edge samples", () => {
    const naive = check(bundled(), samplesOf(path.join(__dirname, "edge-samples.jsonl")), (spec) => {
      for (const t of spec.spec.dataSchema.transformSpec.transforms) {
        if (t.name === "amount") t.expression = `cast("amount__in0", 'DOUBLE')`;
      }
    });
    expect(naive).toContain('sample 1 amount: evaluator null, druid "NaN"');
    expect(naive).toContain("sample 2 amount: evaluator null, druid 8");
    expect(naive.some((m) => /amount: evaluator null, druid null/.test(m))).toBe(false);
  });

  it("edge ops: strptime formats, regexes, split/take, casts, dict misses, when", () => {
    const ds = JSON.parse(JSON.stringify(bundled())) as CompiledDataset;
    const byTarget = (t: string) => ds.fields.find((f) => f.target === t)!;
    ds.globals = { ...ds.globals, nulls: ["", "N/A"], decimalSep: ",", thousandsSep: " ", dateFormats: ["%d/%m/%YT%H:%M", "%Y%m%d"], defaultTz: "Europe/Paris" };
    byTarget("merchant_id").ops = [{ op: "regex_replace", pattern: "^m-(\\w+)$", repl: "M_\\1", flags: "i" }, { op: "upper" }];
    byTarget("currency").ops = [{ op: "split", sep: "-", take: "last" }, { op: "trim" }, { op: "upper" }];
    byTarget("payer_name").ops = [{ op: "coalesce" }, { op: "regex_extract", pattern: "(\\w+)\\s+(\\w+)", group: 2, flags: "" }];
    byTarget("amount").ops = [{ op: "cast", to: "number" }];
    byTarget("channel").ops = [{ op: "coalesce" }, { op: "when", cond: { kind: "matches", regex: "^w", flags: "i", by: null }, then: [{ op: "literal", value: "online" }], else: [{ op: "lower" }] }];
    byTarget("created_at").ops = [{ op: "date_parse", formats: null, assumeTz: null }];
    byTarget("country_code").ops = [{ op: "length" }];
    byTarget("country_code").druidType = "long";
    expect(check(ds, samplesOf(path.join(__dirname, "edge-samples.jsonl")))).toEqual([]);
  });
});

/** Deterministic picks from lists. */
function seededPicker(seed: number): <T>(xs: T[]) => T {
  const random = seededRandom(seed);
  return (xs) => xs[Math.floor(random() * xs.length)];
}

/**
 * Messages made from a bundled sample, each with one field changed to a value the JSON parser may take or
 * refuse (timestamps across the calendar, offsets that leave the range, enums, 64-bit integers, nulls,
 * defaults, unknown and repeated names); deterministic.
 */
function variedMessages(count: number): Array<{ line: string; change: string }> {
  const base = JSON.parse(samplesOf(path.join(ROOT, "dsl/samples/settlement_transactions.jsonl"))[0]);
  const pick = seededPicker(11);
  const p = (n: number, w: number) => String(n).padStart(w, "0");
  const stamp = () =>
    `${p(pick([0, 1, 50, 99, 100, 1000, 1900, 1969, 1970, 2000, 2023, 2024, 2100, 9999]), 4)}-${p(pick([0, 1, 2, 3, 6, 12, 13]), 2)}-` +
    `${p(pick([0, 1, 15, 28, 29, 30, 31, 32]), 2)}T${p(pick([0, 9, 23, 24]), 2)}:${p(pick([0, 30, 59, 60]), 2)}:${p(pick([0, 5, 59, 60]), 2)}` +
    `${pick(["", "", ".5", ".25", ".000", ".100", ".123", ".1234", ".123456", ".1234567", ".123456789", ".000000001"])}` +
    `${pick(["Z", "Z", "+01:00", "-05:30", "+14:00", "-12:00", "+23:59", "-00:00"])}`;
  const changes: Array<() => Record<string, unknown>> = [
    () => ({ createdAt: stamp() }),
    () => ({ createdAt: stamp() }),
    () => ({ createdAt: stamp() }),
    () => ({ status: pick(["SETTLEMENT_STATUS_SETTLED", "SETTLEMENT_STATUS_UNSPECIFIED", 0, 2, 99, "settled", null]) }),
    () => ({ batchNumber: pick(["42", "0", 0, 7, "-9223372036854775808", "9223372036854775808", 1.5, "1e3", "1.0", "+5", " 4", "4 "]) }),
    () => ({ channel: pick(["", "WEB", null, 5]) }),
    () => ({ legs: pick([[], null, [{ legId: "L-1", type: "LEG_TYPE_FEE" }], [{ legId: "" }]]) }),
    () => ({ amount: pick([{ value: "1.00" }, {}, { value: "" }, null, "1.00"]) }),
    () => ({ transaction_id: pick(["t-1", ""]) }),
    () => ({ merchant_id: "m-1", merchantId: "m-2" }),
    () => ({ notAField: 1 }),
  ];
  return Array.from({ length: count }, () => {
    const change = pick(changes)();
    return { line: JSON.stringify({ ...base, ...change }), change: JSON.stringify(change) };
  });
}

describe("the protobuf JSON view simulate maps is protobuf-java's JsonFormat (parse, then print)", () => {
  it("on generated messages: the same printed message, or refused by both", () => {
    const samples = variedMessages(400);
    const protoDir = path.join(ROOT, "dsl/proto");
    const set = buildDescriptorSet(protoDir);
    const spec = buildSupervisorSpec(bundled(), loadStackSettings(ROOT, "dev"), { version: set.version, descriptorBase64: set.bytes.toString("base64") });
    const druid = runHarness(spec, set.bytes, samples.map((s) => s.line));
    const loaded = loadProtoFile(path.join(ROOT, "dsl"), "proto/settlement_transaction.proto", { keepCase: true });
    if (!loaded.ok) throw new Error(loaded.message);
    const type = lookupMessage(loaded.root, "mapstack.settlement.v1.SettlementTransaction")!;
    const disagreements: string[] = [];
    let refused = 0;
    samples.forEach(({ line, change }, i) => {
      let ours: unknown;
      try {
        ours = protoJsonAsDruidSees(JSON.parse(line), type);
      } catch (e) {
        ours = `refused: ${(e as Error).message}`;
      }
      const java = druid[i].error?.startsWith("InvalidProtocolBufferException") ? "refused" : druid[i].druidJson;
      if (java === "refused") refused++;
      const agree = java === "refused" ? typeof ours === "string" : JSON.stringify(ours) === JSON.stringify(java);
      const shown = (x: unknown) => (typeof x === "string" ? x : JSON.stringify(Object.fromEntries(Object.keys(JSON.parse(change)).map((k) => [k, (x as Record<string, unknown>)[k]]))));
      if (!agree) disagreements.push(`${change}: ours ${shown(ours)}, java ${druid[i].error ?? shown(java)}`);
    });
    expect(disagreements).toEqual([]);
    // Both kinds are exercised.
    expect(refused).toBeGreaterThan(40);
    expect(samples.length - refused).toBeGreaterThan(40);
  });
});

/**
 * A JSON text's value with every number written with a fraction or exponent marked as a float
 * ({"$float": value}), so that 1.0 and 1 differ as they do for the evaluator. Independent of the
 * project's JSON readers: number tokens are found by a scan that skips strings.
 */
function floatsMarked(text: string): unknown {
  let marked = "";
  for (let i = 0; i < text.length; ) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      marked += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === "-" || (c >= "0" && c <= "9")) {
      const token = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i))![0];
      marked += /[.eE]/.test(token) ? `{"$float":${token}}` : token;
      i += token.length;
    } else {
      marked += c;
      i++;
    }
  }
  return JSON.parse(marked);
}

/** The view's value in floatsMarked's form: a PyFloat and a number with a fraction are floats. */
function viewMarked(v: unknown): unknown {
  if (v instanceof PyFloat) return { $float: v.value };
  if (typeof v === "number") return Number.isInteger(v) ? v : { $float: v };
  if (Array.isArray(v)) return v.map(viewMarked);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, viewMarked(x)]));
  return v;
}

/** JSON lines setting one to three fields of mapstack.test.v1.Scalars to values written every way the parser may meet them. */
function scalarSamples(count: number): string[] {
  const pick = seededPicker(23);
  // JSON numbers only up to 2^53: the documents are read with JSON.parse, which rounds longer ones (a
  // 64-bit value beyond that must be written as a string, as proto3 JSON does; see docs/druid.md).
  const numbers = ["0", "1", "-1", "1.0", "1.5", "-0", "-0.0", "0.0", "1e3", "1E2", "2.5e-1", "0.1", "3.4028235e38", "1e39", "1e400", "2147483647", "2147483648", "-2147483649",
    "4294967295", "4294967296", "9007199254740991", "-9007199254740991", "1e15"];
  const longTexts = ['"9223372036854775807"', '"9223372036854775808"', '"-9223372036854775808"', '"18446744073709551615"', '"18446744073709551616"', '"1.00000000000000000001"'];
  const texts = ['"1"', '"1.0"', '"-5"', '"NaN"', '"Infinity"', '"-Infinity"', '"abc"', '" 1"', '"1e3"', '"0x10"', '""', '"+7"', '"9223372036854775808"',
    '"1e400"', '"-1e39"', '" NaN"', '"+Infinity"', '"1.5f"', '"2.5 "'];
  const others = ["true", "false", "null", "[]", "{}", "[1]"];
  const general = [...numbers, ...numbers, ...texts, ...longTexts, ...others];
  const fields: Array<[string[], string[]]> = [
    [["aDouble", "a_double"], general], [["aFloat", "a_float"], general], [["anInt32", "an_int32"], general], [["anInt64", "an_int64"], general],
    [["aUint32", "a_uint32"], general], [["aUint64", "a_uint64"], general], [["aSint32"], general], [["aSint64"], general],
    [["aFixed32"], general], [["aFixed64"], general], [["aSfixed32"], general], [["aSfixed64"], general],
    [["aBool", "a_bool"], ["true", "false", '"true"', '"false"', "1", "0", '"yes"', "null"]],
    [["aString", "a_string"], ['"x"', '""', "5", "1.5", "1.0", "-2.0", "true", "null", "[]", '["y"]', '"é\\n"']],
    [["someBytes"], ['"aGk="', '"aGk"', '"a-_b"', '"!!"', '""', "5"]],
    [["colour"], ['"COLOUR_RED"', "2", "5", '"red"', "0", '"COLOUR_UNSPECIFIED"', "1.0", "null"]],
    [["inner"], ['{"label":"x","rank":1.0}', "{}", '{"rank":"3"}', '{"bogus":1}', "5", "null"]],
    [["doubles"], ['[1,2.0,"3"]', "[]", "[null]", '["NaN"]', "5", "[0,-0.0]"]],
    [["int64s"], ['[1,"2",3.0]', "[]", '["x"]', "[1e3]"]],
    [["inners"], ['[{"label":"a"},{}]', "[]", "[5]"]],
    [["counts"], ['{"a":1,"b":"2"}', "{}", '{"a":1.5}', '{"a":0}']],
    [["at"], ['"2024-03-01T09:15:00Z"', '"2024-03-01T09:15:00.000Z"', '"2024-03-01T09:15:00.5+01:00"', '"2024-13-01T00:00:00Z"', '"x"', "5"]],
    [["took"], ['"1.5s"', '"-0.000000001s"', '"3s"', '"0s"', '"1"', '"1.0000000001s"', '"-1.1234567891s"']],
    [["maybeDouble"], ["1", "1.0", "0", '"2.5"', "null"]],
    [["maybeInt64"], ["1", "0", '"7"', "1.0", "null"]],
    [["maybeBool"], ["true", "false", '"true"', "null"]],
    [["explicitInt32"], ["0", "1", "1.0", "null"]],
    [["namesById", "names_by_id"], ['{"1":"a","02":"b"}', '{"-5":"c"}', '{"1.0":"d"}', '{"x":"e"}', '{" 3":"f"}', '{"7":null}', '{"9223372036854775808":"g"}', "{}"]],
    [["innerByFlag"], ['{"true":{"label":"y"},"false":{}}', '{"True":{}}', '{"1":{}}', '{"false":null}']],
    [["byName", "by_name"], ['"x"', '""', "null"]],
    [["byNumber", "by_number"], ["0", "3", "null"]],
    [["byInner"], ["{}", '{"label":"z"}', "null"]],
  ];
  return Array.from({ length: count }, () => {
    const chosen = new Map<string, string>();
    const n = pick([1, 2, 3]);
    for (let i = 0; i < n; i++) {
      const [names, values] = pick(fields);
      chosen.set(pick(names), pick(values));
      // Now and then the same field again under its other name (allowed while the first left it unset).
      if (names.length > 1 && pick([false, false, false, true])) chosen.set(names.find((x) => !chosen.has(x)) ?? names[0], pick(values));
    }
    return `{${[...chosen].map(([k, v]) => `"${k}":${v}`).join(",")}}`;
  });
}

describe("the protobuf JSON view reads every kind of field as protobuf-java's JsonFormat does", () => {
  it("on generated values of every scalar, enum, message, repeated, map, well-known and wrapper field", () => {
    const dir = path.join(__dirname, "proto");
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "jsonformat-"));
    const set = path.join(work, "scalars.binpb");
    execFileSync("protoc", ["--include_imports", `--descriptor_set_out=${set}`, `-I${dir}`, "-I/usr/include", "scalars.proto"]);
    const samples = scalarSamples(1500);
    fs.writeFileSync(path.join(work, "samples.jsonl"), samples.join("\n") + "\n");
    const out = execFileSync("java", ["-cp", [classes, ...JARS].join(":"), "JsonFormatHarness", set, "mapstack.test.v1.Scalars", path.join(work, "samples.jsonl")], { encoding: "utf8" });
    const java = out.trim().split("\n").map((l) => JSON.parse(l) as { printed?: string; error?: string });
    const loaded = loadProtoFile(dir, "scalars.proto", { keepCase: true });
    if (!loaded.ok) throw new Error(loaded.message);
    const type = lookupMessage(loaded.root, "mapstack.test.v1.Scalars")!;
    const disagreements = new Set<string>();
    let refused = 0;
    samples.forEach((line, i) => {
      let ours: unknown;
      try {
        ours = viewMarked(protoJsonAsDruidSees(parseDocument(line), type));
      } catch (e) {
        ours = "refused";
      }
      let theirs = java[i].printed === undefined ? "refused" : floatsMarked(java[i].printed!);
      // A float field: the same float32. JDK 17's Float.toString sometimes prints one digit more than the
      // shortest that reads back (2147483647 → 2.14748365E9); the view prints the shortest, as JDK 19+ does.
      const ourFloat = (ours as { aFloat?: { $float?: number } })?.aFloat?.$float;
      const theirFloat = (theirs as { aFloat?: { $float?: number } })?.aFloat?.$float;
      if (ourFloat !== undefined && theirFloat !== undefined && Math.fround(ourFloat) === Math.fround(theirFloat)) (theirs as { aFloat: unknown }).aFloat = { $float: ourFloat };
      if (theirs === "refused") refused++;
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) disagreements.add(`${line}: ours ${JSON.stringify(ours)}, java ${java[i].error ?? JSON.stringify(theirs)}`);
    });
    expect([...disagreements]).toEqual([]);
    expect(refused).toBeGreaterThan(100);
    expect(samples.length - refused).toBeGreaterThan(300);
  });
});

