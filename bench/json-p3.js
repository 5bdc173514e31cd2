#!/usr/bin/env node
"use strict";
// Like naive-jsonpath-plus.js, with json-p3 (RFC 9535 JSONPath) queries compiled once up front, and the
// same chunked reader and batched writes as simulate: a fair, fast hand-written alternative. No ops.
// Usage: node bench/json-p3.js <dataset.yaml> <docs.jsonl>
const fs = require("node:fs");
const path = require("node:path");
const { jsonpath } = require("json-p3");
const { selectorsOf, root } = require("./datasets");
const { compileFiles } = require(path.join(root, "dist/dsl/compile.js"));

async function main() {
  const [dslFile, docsFile] = process.argv.slice(2);
  const compiled = compileFiles([dslFile], { dslDir: path.dirname(dslFile) });
  if (compiled.diagnostics.length) throw new Error(compiled.diagnostics.map((d) => d.message).join("\n"));
  const fields = selectorsOf(compiled.datasets[0]).map((f) => ({
    target: f.target,
    selectors: f.selectors.map((s) => ({ query: jsonpath.compile(s.expr), definite: s.definite })),
  }));
  const select = (sel, doc) => {
    const r = sel.query.query(doc).values();
    return sel.definite ? (r.length ? r[0] : null) : r;
  };
  const map = (line) => {
    const doc = JSON.parse(line);
    const out = {};
    for (const f of fields) {
      const v = f.selectors.length === 1 ? select(f.selectors[0], doc) : f.selectors.map((s) => select(s, doc));
      if (v !== null && v !== undefined) out[f.target] = v;
    }
    return JSON.stringify(out) + "\n";
  };
  let carry = "";
  let out = "";
  for await (const chunk of fs.createReadStream(docsFile, { highWaterMark: 256 * 1024, encoding: "utf8" })) {
    const text = carry + chunk;
    let start = 0;
    let nl;
    while ((nl = text.indexOf("\n", start)) !== -1) {
      if (nl > start) out += map(text.slice(start, nl));
      start = nl + 1;
    }
    carry = text.slice(start);
    if (out.length > 65536) {
      if (!process.stdout.write(out)) await new Promise((r) => process.stdout.once("drain", r));
      out = "";
    }
  }
  if (carry.trim()) out += map(carry);
  process.stdout.write(out);
}
main();
