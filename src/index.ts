// Pulumi entry point (Pulumi.yaml `main`). Everything is in program.ts so tests can run it under mocks.
import { runProgram } from "./program";

// Pulumi's language host runs the program in the project directory (cmd/run changes to --pwd): the one
// holding Pulumi.yaml, the stack files and dsl/.
const outputs = runProgram(process.cwd());

export const stack = outputs.stack;
export const environment = outputs.environment;
export const datasets = outputs.datasets;
export const compileReport = outputs.compileReport;
