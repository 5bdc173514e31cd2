// Runs the stack program under Pulumi mocks in a plain `node` process and reports the ES registrations.
// With an ES URL argument it also loads each serialised provider closure the way Pulumi's dynamic-provider
// host does and runs its create() against that URL, proving the closure works outside this process.
// argv: <stack> [fakeEsUrl]. Prints one JSON line.
"use strict";
const path = require("node:path");
const { startMockHost, useTypeScriptSources, settle, resolveTargetOutputs, loadSerializedProvider, splitProvider, repo } = require("../support/mock-host");

useTypeScriptSources();
const [stack, esUrl] = process.argv.slice(2);
const { config, secretKeys, registrations } = startMockHost({ stack });

async function main() {
  const { runProgram } = require(path.join(repo, "src/program.ts"));
  const out = runProgram(repo);
  await settle();
  const es = registrations.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/elasticsearch:") || r.type === "mapstack:elasticsearch:Dataset");
  const result = { registrations: [], created: [], outputs: await resolveTargetOutputs(out.datasets, "elasticsearch") };
  for (const r of es) {
    const { provider, inputs, entry } = splitProvider(r.inputs, config, secretKeys);
    result.registrations.push({ type: r.type, name: r.name, inputs, ...entry });
    if (provider && esUrl) {
      const state = { kind: inputs.kind, name: inputs.name, body: inputs.body, connection: { ...inputs.connection, url: esUrl } };
      result.created.push((await loadSerializedProvider(provider).create(state)).id);
    }
  }
  process.stdout.write(JSON.stringify(result) + "\n");
}
main().catch((e) => {
  process.stderr.write(`${e && e.stack}\n`);
  process.exit(1);
});
