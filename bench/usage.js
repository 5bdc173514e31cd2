"use strict";
// Preloaded (node -r) into every process the bench measures: at exit, appends the process's own CPU time
// (user + system, whole life including node's start-up) and peak RSS to $MAPSTACK_BENCH_USAGE as a JSON line.
const fs = require("node:fs");
const file = process.env.MAPSTACK_BENCH_USAGE;
if (file) {
  process.on("exit", () => {
    const u = process.resourceUsage();
    fs.appendFileSync(file, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssMb: u.maxRSS / 1024 }) + "\n");
  });
}
