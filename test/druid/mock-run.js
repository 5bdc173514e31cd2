// Runs the stack program under Pulumi mocks in a plain `node` process and prints the Druid registrations
// as one JSON line. With a Druid URL it loads each serialised KafkaSupervisor provider as Pulumi's
// dynamic-provider host does and runs create().
// argv: <stack> [druidUrl|-] [projectDir]
"use strict";
const path = require("node:path");
const { startMockHost, useTypeScriptSources, settle, resolveTargetOutputs, loadSerializedProvider, splitProvider, repo } = require("../support/mock-host");

useTypeScriptSources();
const [stack, druidUrl, projectArg] = process.argv.slice(2);
const projectDir = projectArg || repo;
const { config, secretKeys, registrations } = startMockHost({ stack, projectDir, state: (args) => ({ ...args.inputs, state: "RUNNING" }) });

async function main() {
  const { runProgram } = require(path.join(repo, "src/program.ts"));
  let out;
  try {
    out = runProgram(projectDir);
  } catch (e) {
    process.stdout.write(JSON.stringify({ error: e.message, registrations: registrations.length }) + "\n");
    return;
  }
  await settle();
  const mine = registrations.filter((r) => r.type.includes("druid") || r.type.startsWith("aws:s3"));
  const result = { registrations: [], created: [], outputs: await resolveTargetOutputs(out.datasets, "druid") };
  for (const r of mine) {
    const { provider, inputs, entry } = splitProvider(r.inputs, config, secretKeys);
    result.registrations.push({ type: r.type, name: r.name, inputs, ...entry });
    if (provider && druidUrl && druidUrl !== "-") {
      const unwrap = (v) => (v && typeof v === "object" && "value" in v && Object.keys(v).some((k) => k.length === 32) ? v.value : v);
      const props = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, unwrap(v)]));
      result.created.push((await loadSerializedProvider(provider).create({ ...props, druidUrl })).id);
    }
  }
  process.stdout.write(JSON.stringify(result) + "\n");
}
main().catch((e) => {
  process.stderr.write(`${e && e.stack}\n`);
  process.exit(1);
});
