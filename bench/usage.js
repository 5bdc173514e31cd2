"use strict";
// Preloaded (node -r) into every process the bench measures: at exit, appends the process's own CPU time
// (user + system, whole life including node's start-up) and peak RSS to $MAPSTACK_BENCH_USAGE as a JSON line.
// On Linux it adds the CPU of the threads other than the main one (V8's optimizing compiler and GC helpers,
// worker threads): a fixed cost per process that the limit script hardly pays.
const fs = require("node:fs");
const file = process.env.MAPSTACK_BENCH_USAGE;

/** CPU ms of every thread but the first (the main thread), from /proc; null where /proc has no tasks. */
function otherThreadsCpuMs() {
  let tasks;
  try {
    tasks = fs.readdirSync("/proc/self/task");
  } catch {
    return null;
  }
  const ticksPerMs = 100 / 1000; // USER_HZ is 100 on every Linux node supports
  let ms = 0;
  for (const t of tasks) {
    if (t === String(process.pid)) continue;
    try {
      const stat = fs.readFileSync(`/proc/self/task/${t}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // the name may hold spaces
      ms += (Number(f[11]) + Number(f[12])) / ticksPerMs;
    } catch {
      // (a thread that ended while we read)
    }
  }
  return ms;
}

if (file) {
  process.on("exit", () => {
    const u = process.resourceUsage();
    fs.appendFileSync(file, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssMb: u.maxRSS / 1024, otherThreadsCpuMs: otherThreadsCpuMs() }) + "\n");
  });
}
