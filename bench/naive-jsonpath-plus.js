#!/usr/bin/env node
"use strict";
// The naive way to do what simulate does, as a user would script it: readline, JSON.parse, jsonpath-plus
// JSONPath({path, json}) for every selector of every document, JSON.stringify. It applies no ops, so it
// does less than simulate: a ratio against it understates simulate's advantage.
// Usage: node bench/naive-jsonpath-plus.js <dataset.yaml> <docs.jsonl>
const fs = require("node:fs");
const path = require("node:path");
const readline = require("node:readline");
const { JSONPath } = require("jsonpath-plus");
const { selectorsOf, root } = require("./datasets");
const { compileFiles } = require(path.join(root, "dist/dsl/compile.js"));

async function main() {
  const [dslFile, docsFile] = process.argv.slice(2);
  const compiled = compileFiles([dslFile], { dslDir: path.dirname(dslFile) });
  if (compiled.diagnostics.length) throw new Error(compiled.diagnostics.map((d) => d.message).join("\n"));
  const fields = selectorsOf(compiled.datasets[0]);
  const select = (sel, json) => {
    const r = JSONPath({ path: sel.expr, json });
    return sel.definite ? (r.length ? r[0] : null) : r;
  };
  const rl = readline.createInterface({ input: fs.createReadStream(docsFile), crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const doc = JSON.parse(line);
    const out = {};
    for (const f of fields) {
      const v = f.selectors.length === 1 ? select(f.selectors[0], doc) : f.selectors.map((s) => select(s, doc));
      if (v !== null && v !== undefined) out[f.target] = v;
    }
    if (!process.stdout.write(JSON.stringify(out) + "\n")) await new Promise((r) => process.stdout.once("drain", r));
  }
}
main();
