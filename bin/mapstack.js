#!/usr/bin/env node
"use strict";
// The CLI ships compiled (npm install runs `prepare` → tsc) so it starts without ts-node.
require("../dist/cli/main.js").main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
