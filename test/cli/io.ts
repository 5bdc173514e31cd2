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

/** `extra` gives the run a real output stream (stdout) or a terminal status line, as the binary has. */
export async function cli(argv: string[], cwd = REPO, extra: Pick<Io, "stdout" | "status"> = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: (t) => out.push(t.endsWith("\n") ? t : t + "\n"),
    err: (t) => err.push(t.endsWith("\n") ? t : t + "\n"),
    cwd,
    ...extra,
  };
  const code = await main(argv, io);
  return { code, stdout: out.join(""), stderr: err.join("") };
}
