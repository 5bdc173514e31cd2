// Loads the stack program the way Pulumi's Node.js host does (plain node, ts-node, CommonJS, Pulumi.yaml
// `main`), with the SDK's mocks standing in for the engine. Prints one JSON line per registered resource.
// argv: <stack> [projectDir]
"use strict";
const path = require("node:path");
const fs = require("node:fs");
const repo = path.resolve(__dirname, "..", "..");
const stack = process.argv[2] || "dev";
const projectDir = path.resolve(process.argv[3] || repo);
require("ts-node").register({ transpileOnly: true, project: path.join(repo, "tsconfig.json") });
const pulumi = require("@pulumi/pulumi");
const { stackConfig } = require(path.join(repo, "test/support/stack-config.ts"));
const { parse } = require("yaml");

const main = parse(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")).main;
const { config, secretKeys } = stackConfig(stack, projectDir);
pulumi.runtime.setAllConfig(config, secretKeys);
const registered = [];
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registered.push({ type: args.type, name: args.name });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  },
  "mapstack",
  stack,
  true,
);
process.on("uncaughtException", (e) => {
  process.stderr.write(`${e && e.message}\n`);
  process.exit(1);
});
const program = require(path.join(repo, main));
Promise.resolve(program.compileReport).then(async () => {
  await new Promise((r) => setTimeout(r, 200));
  process.stdout.write(JSON.stringify({ exports: Object.keys(program), registered }) + "\n");
});
