// Runs the stack program under Pulumi mocks in a plain `node` process (where dynamic-provider closures
// serialise exactly as under the Pulumi CLI) and reports the ES registrations. With an ES URL argument it
// also loads each serialised provider closure the way Pulumi's dynamic-provider host does and runs its
// create() against that URL, proving the closure works outside this process.
// argv: <stack> [fakeEsUrl]. Prints one JSON line.
"use strict";
const path = require("node:path");
const fs = require("node:fs");
const os = require("node:os");
const repo = path.resolve(__dirname, "..", "..");
require("ts-node").register({ transpileOnly: true, project: path.join(repo, "tsconfig.json") });
const pulumi = require("@pulumi/pulumi");
const { stackConfig } = require(path.join(repo, "test/support/stack-config.ts"));

const [stack, esUrl] = process.argv.slice(2);
const { config, secretKeys } = stackConfig(stack);
pulumi.runtime.setAllConfig(config, secretKeys);
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const registrations = [];
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registrations.push({ type: args.type, name: args.name, inputs: args.inputs });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  },
  "mapstack", stack, true,
);

async function main() {
  const { runProgram } = require(path.join(repo, "src/program.ts"));
  const out = runProgram(repo);
  await new Promise((r) => setTimeout(r, 300));
  const es = registrations.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/elasticsearch:") || r.type === "mapstack:elasticsearch:Dataset");
  const result = { registrations: [], created: [], outputs: {} };
  for (const r of es) {
    const inputs = { ...r.inputs };
    const provider = inputs.__provider;
    delete inputs.__provider;
    const entry = { type: r.type, name: r.name, inputs, providerChars: provider ? provider.length : 0 };
    if (provider) entry.providerHasSecret = Object.keys(config).filter((k) => secretKeys.includes(k)).some((k) => provider.includes(config[k]));
    result.registrations.push(entry);
    if (provider && esUrl) {
      // As @pulumi/pulumi/cmd/dynamic-provider does: requireFromString(text).handler() is the provider.
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-provider-")), "provider.js");
      fs.writeFileSync(file, provider);
      const handler = require(file).handler();
      const state = { kind: inputs.kind, name: inputs.name, body: inputs.body, connection: { ...inputs.connection, url: esUrl } };
      const created = await handler.create(state);
      result.created.push(created.id);
    }
  }
  for (const [ds, v] of Object.entries(out.datasets)) {
    const o = v.elasticsearch || {};
    result.outputs[ds] = {};
    for (const [k, x] of Object.entries(o)) result.outputs[ds][k] = pulumi.Output.isInstance(x) ? await new Promise((res) => x.apply((y) => res(y))) : x;
  }
  process.stdout.write(JSON.stringify(result) + "\n");
}
main().catch((e) => {
  process.stderr.write(`${e && e.stack}\n`);
  process.exit(1);
});
