#!/usr/bin/env node
"use strict";
// mapstack benchmarks (plain node, on the compiled dist/: run `npm run build` first).
//  (a) compile: p50/p95 of compiling each bundled DSL file from text with a fresh SelectorCache, after warm-up.
//  (b) simulate: docs/s of our compiled evaluator vs. a baseline that selects with jsonpath-plus
//      `JSONPath({path, json})` per document and applies the same compiled ops, so only selection differs.
// Targets: compile p95 <= 1 ms per dataset; simulate >= 10x the baseline. Exit code 1 when a target is missed.
// Options: --runs N (compile runs, default 300), --docs N (documents per dataset, default 20000).
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
let dist;
try {
  dist = {
    compile: require(path.join(root, "dist/dsl/compile.js")),
    fields: require(path.join(root, "dist/dsl/fields.js")),
    evaluate: require(path.join(root, "dist/dsl/evaluate.js")),
    ops: require(path.join(root, "dist/dsl/ops.js")),
  };
} catch (e) {
  console.error(`bench needs the compiled dist/ (run \`npm run build\`): ${e.message}`);
  process.exit(1);
}
const { JSONPath } = require("jsonpath-plus");

const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const RUNS = arg("--runs", 1000);
// Steady state is what a long-lived process (the Pulumi program, CI validating many files) sees; the
// cold first compile (JIT, schema and proto loading) is printed separately.
const WARMUP = 500;
const DOCS = arg("--docs", 20000);
const dslDir = path.join(root, "dsl");
const files = dist.compile.listDslFiles(dslDir);

// ---- (a) compile ------------------------------------------------------------------------------
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const compileRows = [];
const datasets = {};
for (const file of files) {
  const text = fs.readFileSync(file);
  const once = () => dist.compile.compileText(file, text, { dslDir, cache: new dist.fields.SelectorCache() });
  const c0 = process.hrtime.bigint();
  const first = once();
  const coldMs = Number(process.hrtime.bigint() - c0) / 1e6;
  if (first.diagnostics.length) throw new Error(`${file} does not compile: ${first.diagnostics.map((d) => d.message).join("; ")}`);
  datasets[first.datasets[0].name] = first.datasets[0];
  for (let i = 0; i < WARMUP; i++) once();
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    once();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  compileRows.push({ dataset: first.datasets[0].name, fields: first.datasets[0].fields.length, p50: pct(times, 50), p95: pct(times, 95), max: times[times.length - 1], cold: coldMs });
}

// ---- (b) simulate -----------------------------------------------------------------------------
// Deterministic generator (mulberry32) so every run maps the same documents.
function rng(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = (r, a) => a[Math.floor(r() * a.length)];
const iso = (ms) => new Date(ms).toISOString();

function settlementDoc(r, i) {
  const created = Date.UTC(2024, 0, 1) + Math.floor(r() * 3e10);
  const legs = Array.from({ length: 1 + Math.floor(r() * 4) }, (_, j) => ({
    legId: `L-${i}-${j}`,
    type: j === 0 ? "LEG_TYPE_PRINCIPAL" : pick(r, ["LEG_TYPE_FEE", "LEG_TYPE_TAX"]),
    amount: { value: (r() * 100).toFixed(2), currency: "EUR" },
    account: `acc-${j}`,
  }));
  const doc = {
    transactionId: `txn-${i}`,
    merchantId: `m-${Math.floor(r() * 5000).toString(16)}`,
    amount: { value: (r() * 10000).toFixed(2), currency: pick(r, ["eur", "USD", "gbp"]) },
    status: pick(r, ["SETTLEMENT_STATUS_PENDING", "SETTLEMENT_STATUS_SETTLED", "SETTLEMENT_STATUS_FAILED", 7]),
    createdAt: iso(created),
    payer: { partyId: `P-${i}`, name: r() < 0.8 ? " Alice Martin " : undefined },
    payee: { partyId: `Q-${i}`, name: r() < 0.7 ? "Boulangerie Dupont" : undefined, bic: "agrifrpp" },
    legs,
    channel: pick(r, ["WEB", "Pos", undefined]),
    countryCode: pick(r, ["fr", "DE", "gb"]),
    batchNumber: String(Math.floor(r() * 1e6)),
  };
  if (r() < 0.8) doc.settledAt = iso(created + 5000);
  return JSON.parse(JSON.stringify(doc));
}

function orderDoc(r, i) {
  const n = 1 + Math.floor(r() * 5);
  const skus = Array.from({ length: n }, (_, j) => `SKU-${j}`);
  const doc = {
    order: {
      id: ` ORD-${i} `,
      placed_at: pick(r, ["01/03/2024 14:30:00", "2024-03-02T10:00:00+01:00", 1709283000000]),
      total: `€${(r() * 1000).toFixed(2)}`,
      currency: pick(r, ["eur", "usd", undefined]),
      tags: pick(r, ["Gift, Express,  FRAGILE", "sale", undefined]),
      coupons: Array.from({ length: Math.floor(r() * 3) }, (_, j) => ({ code: `c${j}` })),
      express: pick(r, ["true", false, undefined]),
      skus,
      quantities: skus.slice(0, n - (r() < 0.3 ? 1 : 0)).map(() => 1 + Math.floor(r() * 5)),
      unit_prices: skus.map(() => Math.round(r() * 10000) / 100),
    },
    customer: { email: `  User${i}@Example.COM `, first_name: "Jane", last_name: r() < 0.9 ? "Doe" : undefined },
    shipping: { parcel_ids: ["P1", "P2", "P3"].slice(0, 1 + Math.floor(r() * 3)), carriers: ["dhl", "ups"].slice(0, 1 + Math.floor(r() * 2)) },
  };
  return JSON.parse(JSON.stringify(doc));
}

/** Baseline: jsonpath-plus selection per document, then the same compiled ops as the evaluator. */
function baselineEvaluator(ds) {
  const programs = ds.fields.map((f) => ({
    name: f.name,
    inputs: f.inputs.map((s) => ({ expr: s.expr, definite: s.definite })),
    ops: f.ops.map(dist.ops.compileOp),
  }));
  const counters = dist.evaluate.newCounters();
  const selectOne = (sel, doc) => {
    const r = JSONPath({ path: sel.expr, json: doc });
    return sel.definite ? (r.length ? r[0] : null) : r;
  };
  return {
    counters,
    map(doc) {
      const out = {};
      let failed = false;
      for (const p of programs) {
        try {
          let v = p.inputs.length === 1 ? selectOne(p.inputs[0], doc) : p.inputs.map((s) => selectOne(s, doc));
          for (const op of p.ops) v = op(v, counters);
          if (v !== null && v !== undefined) out[p.name] = v;
        } catch (e) {
          if (!(e instanceof dist.ops.FieldError)) throw e;
          failed = true;
        }
      }
      return failed ? { ok: false } : { ok: true, doc: out };
    },
  };
}

/** Selection only: every field's selectors on a document, no ops. Ours: the compiled closures. */
function oursSelectionOnly(ds) {
  const { compileSelector } = require(path.join(root, "dist/dsl/jsonpath.js"));
  const selectors = ds.fields.flatMap((f) => f.inputs.map(compileSelector));
  return {
    map(doc) {
      const out = new Array(selectors.length);
      for (let i = 0; i < selectors.length; i++) out[i] = selectors[i](doc);
      return { ok: true, doc: out };
    },
  };
}
function baselineSelectionOnly(ds) {
  const inputs = ds.fields.flatMap((f) => f.inputs);
  return {
    map(doc) {
      const out = new Array(inputs.length);
      for (let i = 0; i < inputs.length; i++) {
        const r = JSONPath({ path: inputs[i].expr, json: doc });
        out[i] = inputs[i].definite ? (r.length ? r[0] : null) : r;
      }
      return { ok: true, doc: out };
    },
  };
}

function throughput(ev, docs, minMs = 400) {
  let checksum = 0;
  for (let i = 0; i < Math.min(docs.length, 2000); i++) ev.map(docs[i]); // warm-up
  let n = 0;
  const t0 = process.hrtime.bigint();
  let elapsed = 0;
  do {
    for (const d of docs) {
      const r = ev.map(d);
      if (r.ok) checksum++;
    }
    n += docs.length;
    elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
  } while (elapsed < minMs);
  return { docsPerSec: (n / elapsed) * 1000, checksum };
}

const generators = { settlement_transactions: settlementDoc, order_lines: orderDoc };
const simRows = [];
for (const [name, gen] of Object.entries(generators)) {
  const ds = datasets[name];
  if (!ds) continue;
  const r = rng(42);
  const docs = Array.from({ length: DOCS }, (_, i) => gen(r, i));
  // Same results from both before timing anything: the baseline must map what the evaluator maps.
  const ours = dist.evaluate.createEvaluator(ds);
  const base = baselineEvaluator(ds);
  for (const d of docs.slice(0, 500)) {
    const a = JSON.stringify(ours.map(d));
    const b = JSON.stringify(base.map(d));
    if (a !== b) throw new Error(`baseline and evaluator disagree on ${name}:\n${a}\n${b}`);
  }
  for (const d of docs.slice(0, 500)) {
    const a = JSON.stringify(oursSelectionOnly(ds).map(d));
    const b = JSON.stringify(baselineSelectionOnly(ds).map(d));
    if (a !== b) throw new Error(`baseline and evaluator select differently on ${name}:\n${a}\n${b}`);
  }
  const selFast = throughput(oursSelectionOnly(ds), docs);
  const selSlow = throughput(baselineSelectionOnly(ds), docs);
  simRows.push({ dataset: name, what: "selection only", ours: selFast.docsPerSec, baseline: selSlow.docsPerSec, ratio: selFast.docsPerSec / selSlow.docsPerSec, target: true });
  const fast = throughput(dist.evaluate.createEvaluator(ds), docs);
  const slow = throughput(baselineEvaluator(ds), docs);
  simRows.push({ dataset: name, what: "selection + same ops", ours: fast.docsPerSec, baseline: slow.docsPerSec, ratio: fast.docsPerSec / slow.docsPerSec, target: false });
}

// ---- report -----------------------------------------------------------------------------------
const fmt = (n, d = 3) => n.toFixed(d);
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
console.log(`mapstack bench — node ${process.version}, ${RUNS} compile runs after ${WARMUP} warm-up, ${DOCS} generated docs per dataset\n`);
console.log("(a) compile from text, fresh SelectorCache (target p95 <= 1 ms)");
console.log(`${pad("dataset", 26)}${lpad("fields", 7)}${lpad("p50 ms", 10)}${lpad("p95 ms", 10)}${lpad("max ms", 10)}${lpad("cold ms", 10)}  target`);
let missed = 0;
for (const r of compileRows) {
  const ok = r.p95 <= 1;
  if (!ok) missed++;
  console.log(`${pad(r.dataset, 26)}${lpad(r.fields, 7)}${lpad(fmt(r.p50), 10)}${lpad(fmt(r.p95), 10)}${lpad(fmt(r.max), 10)}${lpad(fmt(r.cold), 10)}  ${ok ? "ok" : "MISSED"}`);
}
console.log("\n(b) simulate throughput: ours (compiled JSONPath closures) vs. baseline (jsonpath-plus JSONPath({path, json}) per document)");
console.log("    'selection only' runs every field's selectors and nothing else: the target (>= 10x) applies to it.");
console.log("    'selection + same ops' maps whole documents; both sides run the same compiled ops, so only selection differs (informational).");
console.log(`${pad("dataset", 26)}${pad("what", 22)}${lpad("ours docs/s", 14)}${lpad("baseline docs/s", 17)}${lpad("ratio", 9)}  target`);
for (const r of simRows) {
  const ok = r.ratio >= 10;
  if (r.target && !ok) missed++;
  const verdict = r.target ? (ok ? "ok" : "MISSED") : "-";
  console.log(`${pad(r.dataset, 26)}${pad(r.what, 22)}${lpad(Math.round(r.ours).toLocaleString("en-US"), 14)}${lpad(Math.round(r.baseline).toLocaleString("en-US"), 17)}${lpad(fmt(r.ratio, 1) + "x", 9)}  ${verdict}`);
}
console.log(missed ? `\n${missed} target(s) missed` : "\nall targets met");
process.exitCode = missed ? 1 : 0;
