#!/usr/bin/env node
"use strict";
// Pulumi program evaluation time under mocks (pulumi.runtime.setMocks, no engine): how long `pulumi preview`
// / `pulumi up` spend in our code before the engine has every resource, for
//  (a) the bundled example (dsl/, 2 datasets) and
//  (b) 100 generated datasets (alternating copies of the two bundled ones, renamed), in a temp project.
// Per case: one warm-up run, then --runs N measured runs in this process; prints p50 and max of
//   program  = runProgram() returning (settings, compile, lifecycle checks, synth, resource constructors)
//   settled  = the last resource registration reaching the mock engine.
// Module loading (ts-node) is excluded. No target: the figures are for the README and for regressions.
// Usage: node bench/program-eval.js [--runs N] [--datasets N] [--stack dev]
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
process.env.TS_NODE_PROJECT = path.join(root, "tsconfig.json");
require("ts-node/register/transpile-only");
const { runUnderMocks } = require(path.join(root, "test/lifecycle/mock-program.ts"));
const { parseDocument } = require("yaml");

const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : def;
};
const RUNS = Number(arg("--runs", 5));
const COUNT = Number(arg("--datasets", 100));
const STACK = arg("--stack", "dev");

/** A project dir with Pulumi files, dsl/proto and `count` renamed copies of the bundled datasets. */
function generatedProject(count) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-bench-"));
  for (const f of fs.readdirSync(root).filter((f) => /^Pulumi(\..+)?\.yaml$/.test(f))) fs.copyFileSync(path.join(root, f), path.join(dir, f));
  fs.cpSync(path.join(root, "certs"), path.join(dir, "certs"), { recursive: true });
  fs.mkdirSync(path.join(dir, "dsl"));
  fs.cpSync(path.join(root, "dsl/proto"), path.join(dir, "dsl/proto"), { recursive: true });
  const templates = ["order_lines.yaml", "settlement_transactions.yaml"].map((f) => fs.readFileSync(path.join(root, "dsl", f), "utf8"));
  for (let i = 0; i < count; i++) {
    const doc = parseDocument(templates[i % 2]);
    const name = `${i % 2 ? "settlement" : "orders"}_${String(i).padStart(3, "0")}`;
    doc.set("dataset", name);
    doc.setIn(["source", "kafka", "topic"], `bench.${name}.v1`);
    doc.setIn(["sinks", "elasticsearch", "index"], name.replace(/_/g, "-"));
    if (doc.hasIn(["sinks", "druid"])) doc.setIn(["sinks", "druid", "datasource"], name);
    fs.writeFileSync(path.join(dir, "dsl", `${name}.yaml`), String(doc));
  }
  return dir;
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

async function measure(label, projectDir) {
  const now = "2026-11-24T09:30:00Z"; // inside every bundled deploy window
  const warm = await runUnderMocks({ projectDir, stack: STACK, now });
  if (!warm.ok) throw new Error(`${label}: ${warm.error}`);
  const program = [];
  const settled = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await runUnderMocks({ projectDir, stack: STACK, now });
    if (!r.ok) throw new Error(`${label}: ${r.error}`);
    program.push(r.programMillis);
    settled.push(r.millis);
  }
  const datasets = warm.outputs.compileReport.datasets;
  return { label, datasets, resources: warm.registrations.length, program, settled };
}

async function main() {
  const rows = [await measure("bundled example", root)];
  const gen = generatedProject(COUNT);
  try {
    rows.push(await measure(`${COUNT} generated datasets`, gen));
  } finally {
    fs.rmSync(gen, { recursive: true, force: true });
  }
  const f = (ms) => `${ms.toFixed(0)} ms`;
  console.log(`Pulumi program evaluation under mocks — stack ${STACK}, ${RUNS} runs after 1 warm-up, node ${process.version}, ${os.cpus().length} CPU(s)`);
  console.log(["case".padEnd(26), "datasets", "resources", "program p50", "program max", "settled p50", "settled max", "per dataset (settled p50)"].join("  "));
  for (const r of rows) {
    console.log([r.label.padEnd(26), String(r.datasets).padStart(8), String(r.resources).padStart(9), f(pct(r.program, 50)).padStart(11), f(Math.max(...r.program)).padStart(11),
      f(pct(r.settled, 50)).padStart(11), f(Math.max(...r.settled)).padStart(11), `${(pct(r.settled, 50) / r.datasets).toFixed(1)} ms`.padStart(25)].join("  "));
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e.stack || String(e));
    process.exit(1);
  },
);
