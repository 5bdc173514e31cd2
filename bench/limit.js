#!/usr/bin/env node
"use strict";
// The physical limit of simulate: read JSONL as a stream, JSON.parse and JSON.stringify every line, write
// the result. No mapping at all; simulate cannot be faster than this on documents it reads whole. Lines
// are found in the bytes and decoded one by one, as simulate reads them (decoding whole chunks costs 3–5×
// more), so the limit is not slowed by a reader simulate does not use. Usage: node bench/limit.js <docs.jsonl>
const fs = require("node:fs");

async function main() {
  const input = fs.createReadStream(process.argv[2], { highWaterMark: 256 * 1024 });
  let carry = null;
  let out = "";
  const line = (text) => {
    if (text.length) out += JSON.stringify(JSON.parse(text)) + "\n";
  };
  for await (const chunk of input) {
    let start = 0;
    let nl;
    while ((nl = chunk.indexOf(10, start)) !== -1) {
      if (carry) {
        line(Buffer.concat([carry, chunk.subarray(start, nl)]).toString("utf8"));
        carry = null;
      } else line(chunk.toString("utf8", start, nl));
      start = nl + 1;
    }
    if (start < chunk.length) carry = carry ? Buffer.concat([carry, chunk.subarray(start)]) : Buffer.from(chunk.subarray(start));
    if (out.length > 65536) {
      if (!process.stdout.write(out)) await new Promise((r) => process.stdout.once("drain", r));
      out = "";
    }
  }
  if (carry) line(carry.toString("utf8"));
  process.stdout.write(out);
}
main();
