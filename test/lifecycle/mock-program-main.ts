// Child-process entry: node -r ts-node/register/transpile-only test/lifecycle/mock-program-main.ts '<MockRunOptions[] JSON>' <out.json>
// Runs each in turn and writes the MockRunResult[] as JSON to out.json (stdout carries the program's log lines).
import * as fs from "node:fs";
import { runUnderMocks, type MockRunOptions, type MockRunResult } from "./mock-program";

async function main(): Promise<void> {
  const runs = JSON.parse(process.argv[2]) as MockRunOptions[];
  const results: MockRunResult[] = [];
  for (const r of runs) results.push(await runUnderMocks(r));
  fs.writeFileSync(process.argv[3], JSON.stringify(results));
}

main().then(
  () => process.exit(0),
  (e) => process.stderr.write(String((e as Error).stack ?? e) + "\n", () => process.exit(1)),
);
