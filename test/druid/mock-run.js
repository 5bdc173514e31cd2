// Runs the stack program under Pulumi mocks in a plain `node` process (dynamic-provider closures serialise
// there as under the Pulumi CLI) and prints the Druid registrations as one JSON line. With a Druid URL it
// loads each serialised KafkaSupervisor provider as Pulumi's dynamic-provider host does and runs create().
// argv: <stack> [druidUrl|-] [projectDir]
"use strict";
const path = require("node:path");
const fs = require("node:fs");
const os = require("node:os");
const repo = path.resolve(__dirname, "..", "..");
require("ts-node").register({ transpileOnly: true, project: path.join(repo, "tsconfig.json") });
const pulumi = require("@pulumi/pulumi");
const { stackConfig } = require(path.join(repo, "test/support/stack-config.ts"));

const [stack, druidUrl, projectArg] = process.argv.slice(2);
const projectDir = projectArg || repo;
const { config, secretKeys } = stackConfig(stack, projectDir);
pulumi.runtime.setAllConfig(config, secretKeys);
const registrations = [];
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registrations.push({ type: args.type, name: args.name, inputs: args.inputs });
      return { id: `${args.name}-id`, state: { ...args.inputs, state: "RUNNING" } };
    },
    call: (args) => args.inputs,
  },
  "mapstack", stack, true,
);

async function main() {
  const { runProgram } = require(path.join(repo, "src/program.ts"));
  let out;
  try {
    out = runProgram(projectDir);
  } catch (e) {
    process.stdout.write(JSON.stringify({ error: e.message, registrations: registrations.length }) + "\n");
    return;
  }
  await new Promise((r) => setTimeout(r, 300));
  const mine = registrations.filter((r) => r.type.includes("druid") || r.type.startsWith("aws:s3"));
  const result = { registrations: [], created: [], outputs: {} };
  for (const r of mine) {
    const inputs = { ...r.inputs };
    const provider = inputs.__provider;
    delete inputs.__provider;
    const entry = { type: r.type, name: r.name, inputs, providerChars: provider ? provider.length : 0 };
    if (provider) entry.providerHasSecret = secretKeys.some((k) => provider.includes(config[k]));
    result.registrations.push(entry);
    if (provider && druidUrl && druidUrl !== "-") {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-provider-")), "provider.js");
      fs.writeFileSync(file, provider);
      const handler = require(file).handler();
      const unwrap = (v) => (v && typeof v === "object" && "value" in v && Object.keys(v).some((k) => k.length === 32) ? v.value : v);
      const props = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, unwrap(v)]));
      const created = await handler.create({ ...props, druidUrl });
      result.created.push(created.id);
    }
  }
  for (const [ds, v] of Object.entries(out.datasets)) {
    const o = v.druid || {};
    result.outputs[ds] = {};
    for (const [k, x] of Object.entries(o)) result.outputs[ds][k] = pulumi.Output.isInstance(x) ? await new Promise((res) => x.apply((y) => res(y))) : x;
  }
  process.stdout.write(JSON.stringify(result) + "\n");
}
main().catch((e) => {
  process.stderr.write(`${e && e.stack}\n`);
  process.exit(1);
});
