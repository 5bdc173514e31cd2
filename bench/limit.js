#!/usr/bin/env node
"use strict";
// The physical limit of simulate: read JSONL as a stream, JSON.parse and JSON.stringify every line, write
// the result. No mapping at all; simulate cannot be faster than this. Usage: node bench/limit.js <docs.jsonl>
const fs = require("node:fs");

async function main() {
  const input = fs.createReadStream(process.argv[2], { highWaterMark: 256 * 1024, encoding: "utf8" });
  let carry = "";
  let out = "";
  for await (const chunk of input) {
    const text = carry + chunk;
    let start = 0;
    let nl;
    while ((nl = text.indexOf("\n", start)) !== -1) {
      if (nl > start) out += JSON.stringify(JSON.parse(text.slice(start, nl))) + "\n";
      start = nl + 1;
    }
    carry = text.slice(start);
    if (out.length > 65536) {
      if (!process.stdout.write(out)) await new Promise((r) => process.stdout.once("drain", r));
      out = "";
    }
  }
  if (carry) out += JSON.stringify(JSON.parse(carry)) + "\n";
  process.stdout.write(out);
}
main();
