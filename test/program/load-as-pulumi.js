// Loads the stack program the way Pulumi's Node.js host does: plain node, ts-node, CommonJS, the entry
// named by Pulumi.yaml `main`. Prints the module's exports and every registered resource as one JSON line.
// argv: <stack>
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { parse } = require("yaml");
const { startMockHost, settle, repo } = require("../support/mock-host");

const stack = process.argv[2] || "dev";
const { registrations } = startMockHost({ stack });
process.on("uncaughtException", (e) => {
  process.stderr.write(`${e && e.message}\n`);
  process.exit(1);
});
const main = parse(fs.readFileSync(path.join(repo, "Pulumi.yaml"), "utf8")).main;
const program = require(path.join(repo, main));
settle().then(() => {
  process.stdout.write(JSON.stringify({ exports: Object.keys(program), registered: registrations.map((r) => ({ type: r.type, name: r.name })) }) + "\n");
});
