#!/usr/bin/env node
"use strict";
// The CLI ships compiled (npm install runs `prepare` → tsc) so it starts without ts-node.
// Node >= 22.1 can keep V8's compiled code between runs; on Node 20 this is a no-op.
const nodeModule = require("node:module");
if (typeof nodeModule.enableCompileCache === "function") nodeModule.enableCompileCache();
let cli;
try {
  cli = require("../dist/cli/main.js");
} catch (e) {
  if (e && e.code === "MODULE_NOT_FOUND" && String(e.message).includes("dist/cli/main.js")) {
    process.stderr.write("mapstack: the compiled CLI (dist/) is missing: run `npm run build` (npm install does it via prepare)\n");
    process.exit(70);
  }
  throw e;
}
cli.main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
