// A capturing Io for `main(argv, io)`: what the CLI would print, split into stdout and stderr.
import * as path from "node:path";
import type { Io } from "../../src/cli/command";
import { main } from "../../src/cli/main";

export const REPO = path.resolve(__dirname, "..", "..");

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(argv: string[], cwd = REPO): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: (t) => out.push(t.endsWith("\n") ? t : t + "\n"),
    err: (t) => err.push(t.endsWith("\n") ? t : t + "\n"),
    cwd,
  };
  const code = await main(argv, io);
  return { code, stdout: out.join(""), stderr: err.join("") };
}
