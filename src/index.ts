// Pulumi entry point (Pulumi.yaml `main`). Everything is in program.ts so tests can run it under mocks.
import * as path from "node:path";
import { runProgram } from "./program";

const outputs = runProgram(path.resolve(__dirname, ".."));

export const stack = outputs.stack;
export const environment = outputs.environment;
export const datasets = outputs.datasets;
export const compileReport = outputs.compileReport;
