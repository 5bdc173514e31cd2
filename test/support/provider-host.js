// A fresh Node process holding one serialised provider, loaded as @pulumi/pulumi's dynamic-provider host
// loads it (require of the text, then .handler()). Reads JSON lines {id, method, args} on stdin, calls
// provider[method](...args), answers {id, ok, result} or {id, ok: false, error} on stdout.
// argv: <provider file>
"use strict";
const readline = require("node:readline");

const provider = require(process.argv[2]).handler();
readline.createInterface({ input: process.stdin }).on("line", async (line) => {
  const { id, method, args } = JSON.parse(line);
  let answer;
  try {
    answer = { id, ok: true, result: (await provider[method](...args)) ?? null };
  } catch (e) {
    answer = { id, ok: false, error: e instanceof Error && e.message ? e.message : `non-Error thrown: ${Object.prototype.toString.call(e)} ${JSON.stringify(e)} keys=${Object.getOwnPropertyNames(e || {})}` };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
