// Runs the compiled program (dist/, what the host runs) under mocks and writes each dynamic resource's
// serialised provider — the `__provider` text the SDK puts into inputs and state — to <outDir>, one file
// per distinct text, with every resource's other inputs (secrets unwrapped) for the test to replay.
// argv: <stack> <outDir>. Prints one JSON line: { resources: [{type, name, file, inputs}], texts: {file: chars} }.
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { startMockHost, settle, repo } = require("./mock-host");

const [stack, outDir] = process.argv.slice(2);
const { registrations } = startMockHost({ stack });
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const unwrap = (v) => (v && typeof v === "object" && v[SECRET_SIG] ? v.value : v);

async function main() {
  require(path.join(repo, "dist/program.js")).runProgram(repo);
  await settle(() => registrations.length);
  const result = { resources: [], texts: {} };
  for (const r of registrations.filter((x) => x.type.startsWith("pulumi-nodejs:dynamic/"))) {
    const { __provider: text, ...rest } = r.inputs;
    const file = path.join(outDir, `${crypto.createHash("sha256").update(text).digest("hex").slice(0, 12)}.js`);
    if (!(file in result.texts)) {
      fs.writeFileSync(file, text);
      result.texts[file] = text.length;
    }
    result.resources.push({ type: r.type, name: r.name, file, inputs: Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, unwrap(v)])) });
  }
  process.stdout.write(JSON.stringify(result) + "\n");
}
main().catch((e) => {
  process.stderr.write(`${e && e.stack}\n`);
  process.exit(1);
});
