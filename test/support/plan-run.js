// Runs the compiled program (dist/, as the host runs it) under mocks for one project and stack and prints
// every registration with the options the engine plans with (parent, provider, retainOnDelete, aliases,
// protect, dependencies). argv: <projectDir> <stack> [extra config JSON]. Prints one JSON line.
"use strict";
const path = require("node:path");
const { startMockHost, settle, repo } = require("./mock-host");

const [projectDir, stack, extra] = process.argv.slice(2);
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const unwrap = (v) => (v && typeof v === "object" && v[SECRET_SIG] ? v.value : v);
const { registrations } = startMockHost({ stack, projectDir, extraConfig: extra ? JSON.parse(extra) : {} });

async function main() {
  require(path.join(repo, "dist/program.js")).runProgram(projectDir);
  await settle(() => registrations.length);
  const out = registrations.map(({ inputs, ...r }) => {
    const { __provider, ...rest } = inputs;
    return { ...r, inputs: Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, unwrap(v)])) };
  });
  process.stdout.write(JSON.stringify(out) + "\n");
}
main().catch((e) => {
  process.stderr.write(`${e && e.stack}\n`);
  process.exit(1);
});
