// Loads the stack program exactly as Pulumi's Node.js language host does: the entry and the TypeScript
// switch come from Pulumi.yaml (`main`, `runtime.options.typescript` → PULUMI_NODEJS_TYPESCRIPT, as the
// language host sets it), and the SDK's own cmd/run `run()` loads it — with ts-node, its type-checking
// options and the project's tsconfig when TypeScript is on, a plain require when it is off. Only the
// engine is replaced, by the SDK's mocks. Prints the exports and every registration as one JSON line.
// argv: <stack> [main typescript(true|false)]   (the optional pair overrides Pulumi.yaml, for the TS route)
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { parse } = require("yaml");
const { startMockHost, settle, repo } = require("../support/mock-host");

const [stack = "dev", mainOverride, tsOverride] = process.argv.slice(2);
// A generated project (bench/program-eval.js) runs the repository's program on its own dsl/ and stack files.
const projectDir = process.env.MAPSTACK_PROJECT_DIR || repo;
const project = parse(fs.readFileSync(path.join(repo, "Pulumi.yaml"), "utf8"));
const main = mainOverride || project.main || ".";
const options = (project.runtime && project.runtime.options) || {};
// The language host defaults `typescript` to true when the option is absent.
const typescript = tsOverride !== undefined ? tsOverride === "true" : options.typescript !== false;
process.env.PULUMI_NODEJS_TYPESCRIPT = String(typescript);
delete process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
delete process.env.TS_NODE_TRANSPILE_ONLY;
process.chdir(projectDir);

const { registrations, pulumi } = startMockHost({ stack, projectDir });
// The stack's outputs, as the program hands them to the engine (registerResourceOutputs on the root stack).
let stackOutputs = null;
const monitor = pulumi.runtime.getMonitor();
const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
monitor.registerResourceOutputs = (req, cb) => {
  if (req.getUrn().includes("::pulumi:pulumi:Stack::")) stackOutputs = req.getOutputs().toJavaScript();
  return registerOutputs(req, cb);
};
// What the engine answers once the program is done (the mock monitor does not implement it).
monitor.signalAndWaitForShutdown = (_req, cb) => cb(null, {});
const t0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
let failed = false;
process.on("uncaughtException", () => void (failed = true));
process.on("unhandledRejection", () => void (failed = true));
process.on("exit", (code) => {
  if (code !== 0 || failed) return void (process.exitCode = code || 1);
  const cpu = process.cpuUsage(cpu0);
  writeAll(JSON.stringify({
    main, typescript,
    exports: Object.keys(stackOutputs || {}),
    compileReport: stackOutputs && stackOutputs.compileReport,
    registered: registrations.map((r) => ({
      type: r.type, name: r.name, provider: r.provider, parent: r.parent, retainOnDelete: r.retainOnDelete, aliases: r.aliases,
      ...(r.type.startsWith("pulumi:providers:") ? { inputs: r.inputs } : {}),
    })),
    wallMillis: Number(process.hrtime.bigint() - t0) / 1e6,
    cpuMillis: (cpu.user + cpu.system) / 1000,
    rssMB: Math.round(process.memoryUsage().rss / 1048576),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }) + "\n");
});
// A pipe takes a large line in several writes (writeSync returns what it wrote; EAGAIN when it is full).
function writeAll(text) {
  const buf = Buffer.from(text);
  for (let off = 0; off < buf.length;) {
    try {
      off += fs.writeSync(1, buf, off, buf.length - off);
    } catch (e) {
      if (e.code !== "EAGAIN") throw e;
    }
  }
}
// The language host's command line for `pulumi preview` (the monitor address is unused: mocks are set).
process.argv = [process.argv[0], require.resolve("@pulumi/pulumi/cmd/run"), "--monitor=mock:0", "--project=mapstack", `--stack=${stack}`, "--dry-run", `--pwd=${projectDir}`, projectDir === repo ? main : path.join(repo, main)];
require("@pulumi/pulumi/cmd/run");
