// Pulumi entry point (Pulumi.yaml `main`). Everything is in program.ts so tests can run it under mocks.
import { runProgramBatched } from "./program";

// Pulumi's language host runs the program in the project directory (cmd/run changes to --pwd): the one
// holding Pulumi.yaml, the stack files and dsl/. Settings, DSL and every artifact are validated before
// this returns (a bad input fails here, nothing registered); resources are then registered a dataset at a
// time (runProgramBatched), and `datasets` is a promise the engine awaits like any stack output.
const outputs = runProgramBatched(process.cwd());

export const stack = outputs.stack;
export const environment = outputs.environment;
export const datasets = outputs.datasets;
export const compileReport = outputs.compileReport;

// Settings, DSL and artifacts are validated by now. From here the SDK records `new Error().stack` for
// every promise it creates (runtime/debuggable.js; read only with PULUMI_DEBUG_PROMISE_LEAKS), and the
// source-map-support that cmd/run installs formats each of them: about 30 per resource, a third of the
// program's CPU at 100 datasets. The SDK's own source-position capture raises the limit for itself.
if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) Error.stackTraceLimit = 0;
