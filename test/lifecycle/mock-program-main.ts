// Child-process entry: node -r ts-node/register/transpile-only test/lifecycle/mock-program-main.ts '<MockRunOptions JSON>'
// Prints one JSON MockRunResult line on stdout.
import { runUnderMocks, type MockRunOptions } from "./mock-program";

runUnderMocks(JSON.parse(process.argv[2]) as MockRunOptions).then(
  (r) => {
    process.stdout.write(JSON.stringify(r) + "\n");
    process.exit(0);
  },
  (e) => {
    process.stderr.write(String((e as Error).stack ?? e) + "\n");
    process.exit(1);
  },
);
