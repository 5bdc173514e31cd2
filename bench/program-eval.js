#!/usr/bin/env node
"use strict";
// Pulumi program cost as the real host runs it: the SDK's own cmd/run loads the compiled program
// (Pulumi.yaml: main dist/index.js, typescript false) in a fresh process, with the engine replaced by the
// SDK's mocks (test/program/load-as-pulumi.js), for projects of 1, 100 and 500 generated datasets
// (test/support/datasets.js). Prints cold wall time, CPU and peak RSS (getrusage maxrss) of the whole
// process (module loading included) — figures only, no pass/fail. Needs `npm run build`.
// Usage: node bench/program-eval.js [--datasets 1,100,500] [--stack dev] [--reps 2] [--cpu-prof DIR]
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { copyProject } = require("../test/support/datasets");

const root = path.resolve(__dirname, "..");
const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : def;
};
const COUNTS = arg("--datasets", "1,100,500").split(",").map(Number);
const STACK = arg("--stack", "dev");
const REPS = Number(arg("--reps", 2));
// --cpu-prof DIR: a V8 CPU profile of each run's process (open in Chrome DevTools / speedscope).
const PROF = arg("--cpu-prof", null);
if (!fs.existsSync(path.join(root, "dist/index.js"))) {
  console.error("program-eval needs the compiled dist/: run `npm run build` first");
  process.exit(1);
}

console.log(`Pulumi program under the SDK's cmd/run (mocked engine), stack ${STACK}, best of ${REPS}\n`);
console.log("datasets  resources  wall      CPU       peak RSS");
for (const n of COUNTS) {
  const dir = copyProject({ datasets: n });
  let best = null;
  for (let r = 0; r < REPS; r++) {
    const t0 = Date.now();
    const p = spawnSync(process.execPath, [...(PROF ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(PROF)}`, `--cpu-prof-name=program-${n}-${r}.cpuprofile`] : []), path.join(root, "test/program/load-as-pulumi.js"), STACK], {
      encoding: "utf8", cwd: dir, env: { ...process.env, MAPSTACK_PROJECT_DIR: dir }, maxBuffer: 256 << 20,
    });
    const wall = Date.now() - t0;
    if (p.status !== 0) {
      console.error(`${n} datasets: the program failed:\n${(p.stderr || "").slice(-2000)}`);
      process.exit(1);
    }
    const out = JSON.parse(p.stdout.trim().split("\n").pop());
    const run = { wall, cpu: out.cpuMillis, rss: out.peakRssMB ?? out.rssMB, resources: out.registered.length };
    if (!best || run.wall < best.wall) best = run;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`${String(n).padEnd(10)}${String(best.resources).padEnd(11)}${(best.wall / 1000).toFixed(1).padStart(5)} s   ${(best.cpu / 1000).toFixed(1).padStart(5)} s   ${String(best.rss).padStart(5)} MB`);
}
