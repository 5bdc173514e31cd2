// Property-based fuzzing of everything a user can type: mapping documents (structural and textual
// mutations of the bundled ones), stack files, and sample rows. Fixed seed and a time budget per
// property, so the run is repeatable and bounded. The properties: no internal error (only a result or a
// MapstackError), every diagnostic positioned, no message reading "undefined" or "[object Object]".
import * as fc from "fast-check";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { compileText } from "../../src/dsl/compile";
import { isMapstackError, type Diagnostic } from "../../src/dsl/diagnostics";
import { createEvaluator } from "../../src/dsl/evaluate";
import { parseJson } from "../../src/dsl/json-lossless";
import { loadStackSettings } from "../../src/settings/stack-settings";
import { synthesize } from "../../src/synth";
import { TARGET_CHECKS } from "../../src/targets/checks";

const REPO = path.resolve(__dirname, "..", "..");
const DSL = path.join(REPO, "dsl");
const SEED = 20261123;
const BUDGET_MS = 20_000;
const BUNDLED = fs.readdirSync(DSL).filter((f) => /\.(ya?ml|json)$/.test(f)).map((f) => fs.readFileSync(path.join(DSL, f), "utf8"));
const SAMPLES = fs.readFileSync(path.join(DSL, "samples", "order_lines.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => parseJson(l));
const settings = loadStackSettings(REPO, "dev");

function checkDiagnostics(ds: Diagnostic[]): void {
  for (const d of ds) {
    expect(d.line, d.message).toBeGreaterThanOrEqual(1);
    expect(d.col, d.message).toBeGreaterThanOrEqual(1);
    expect(d.message).not.toMatch(/undefined|\[object Object\]|NaN:/);
  }
}

/** Runs `f`; only a result or a user error (MapstackError with positioned, readable diagnostics) may come out. */
function userErrorsOnly(f: () => void): void {
  try {
    f();
  } catch (e) {
    if (!isMapstackError(e)) throw e;
    checkDiagnostics(e.diagnostics);
    expect(e.message).not.toMatch(/undefined|\[object Object\]/);
  }
}

const json = fc.jsonValue({ maxDepth: 3 });

/** Structural mutations of a parsed document: drop, replace or add a value anywhere. */
const mutation = fc.record({ pick: fc.nat(), kind: fc.constantFrom("drop", "replace", "add", "op", "expr"), value: json, text: fc.string({ maxLength: 12 }) });

function paths(v: unknown, p: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(p);
  if (p.length > 40) return out;
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...p, i], out));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) paths(x, [...p, k], out);
  return out;
}

function mutate(doc: unknown, raw: { pick: number; kind: string; value: unknown; text: string }): unknown {
  // fast-check may hand the same value to two mutations; a copy keeps the document a tree, as YAML gives.
  const m = { ...raw, value: raw.value === undefined ? null : JSON.parse(JSON.stringify(raw.value)) };
  const all = paths(doc).filter((p) => p.length > 0);
  if (!all.length) return doc;
  const p = all[m.pick % all.length];
  const parent = p.slice(0, -1).reduce((o: any, k) => o[k], doc as any);
  const key = p[p.length - 1];
  if (m.kind === "drop") Array.isArray(parent) ? parent.splice(key as number, 1) : delete parent[key];
  else if (m.kind === "replace") parent[key] = m.value;
  else if (m.kind === "add" && !Array.isArray(parent)) Object.defineProperty(parent, m.text, { value: m.value, enumerable: true, writable: true, configurable: true });
  else if (m.kind === "op" && Array.isArray(parent)) parent.push({ op: m.text || "trim", sep: m.value });
  else if (m.kind === "expr") parent[key] = `$${m.text}`;
  return doc;
}

function compileAndRun(text: string, yaml: boolean): void {
  const file = path.join(DSL, yaml ? "fuzz.yaml" : "fuzz.json");
  const r = compileText(file, text, { dslDir: DSL, targetChecks: TARGET_CHECKS });
  checkDiagnostics(r.diagnostics);
  if (!r.datasets.length) return;
  const ev = createEvaluator(r.datasets[0]);
  for (const row of SAMPLES.slice(0, 3)) ev.map(row);
  userErrorsOnly(() => synthesize({ settings, datasets: r.datasets, projectDir: REPO }));
}

const params = { seed: SEED, numRuns: 400, interruptAfterTimeLimit: BUDGET_MS };

describe("fuzz: mapping documents", () => {
  it("structural mutations end in a result or positioned errors", () => {
    fc.assert(
      fc.property(fc.nat(BUNDLED.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), (i, ms, asYaml) => {
        let doc = JSON.parse(JSON.stringify(require("yaml").parse(BUNDLED[i])));
        for (const m of ms) doc = mutate(doc, m);
        compileAndRun(asYaml ? stringify(doc) : JSON.stringify(doc, null, 2), asYaml);
      }),
      params,
    );
  });

  it("textual mutations (inserted bytes, line endings, BOM, truncation) end in a result or positioned errors", () => {
    const edit = fc.record({ at: fc.nat(), cut: fc.nat(40), insert: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("\r\r\n", "\ufeff", "[*]", "&a", "*a", "\t", "\u0000", "{", "- ", ": ")) });
    fc.assert(
      fc.property(fc.nat(BUNDLED.length - 1), fc.array(edit, { minLength: 1, maxLength: 3 }), (i, edits) => {
        let t = BUNDLED[i];
        for (const e of edits) {
          const at = e.at % (t.length + 1);
          t = t.slice(0, at) + e.insert + t.slice(at + (e.cut % 3 === 0 ? e.cut : 0));
        }
        compileAndRun(t, true);
      }),
      params,
    );
  });
});

describe("fuzz: stack files", () => {
  const base = fs.readFileSync(path.join(REPO, "Pulumi.dev.yaml"), "utf8");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-fuzz-stack-"));
  fs.copyFileSync(path.join(REPO, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  it("mutated settings end in settings or positioned errors", () => {
    const lines = base.split("\n");
    fc.assert(
      fc.property(fc.nat(lines.length - 1), fc.oneof(json.map((v) => JSON.stringify(v)), fc.string({ maxLength: 10 })), fc.boolean(), (li, value, replaceValue) => {
        const copy = [...lines];
        copy[li] = replaceValue && copy[li].includes(":") ? `${copy[li].slice(0, copy[li].indexOf(":") + 1)} ${value}` : value;
        fs.writeFileSync(path.join(dir, "Pulumi.fz.yaml"), copy.join("\n"));
        userErrorsOnly(() => loadStackSettings(dir, "fz"));
      }),
      params,
    );
  });
});

describe("fuzz: sample rows", () => {
  const r = compileText(path.join(DSL, "order_lines.yaml"), BUNDLED.find((t) => t.includes("index: order_lines"))!, { dslDir: DSL });
  const ev = createEvaluator(r.datasets[0]);
  it("any JSON row maps to a document or a skipped row, never an exception", () => {
    fc.assert(
      fc.property(json, (row) => {
        const out = ev.map(row);
        expect(out.issues.every((i) => typeof i.code === "string" && !/undefined/.test(i.msg))).toBe(true);
      }),
      { ...params, numRuns: 2000 },
    );
  });
  it("rows shaped like the samples with random leaves map without exceptions", () => {
    const leaf = fc.oneof(json, fc.constantFrom("", " ", "N/A", "31/02/2024 10:00:00", "1e309", "-0.0", "9007199254740993", "\u00a0x"));
    fc.assert(
      fc.property(fc.nat(SAMPLES.length - 1), fc.array(fc.tuple(fc.nat(), leaf), { maxLength: 5 }), (i, changes) => {
        const row = JSON.parse(JSON.stringify(SAMPLES[i]));
        const all = paths(row).filter((p) => p.length > 0);
        for (const [pick, v] of changes) {
          const p = all[pick % all.length];
          const parent = p.slice(0, -1).reduce((o: any, k) => o?.[k], row);
          if (parent && typeof parent === "object") parent[p[p.length - 1]] = v;
        }
        ev.map(row);
      }),
      params,
    );
  });
});
