// The shape of a CLI command and the argument parsing they share.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { MapstackError } from "../dsl/diagnostics";

export interface Io {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
  /**
   * Where bulk output goes (simulate's mapped documents), written with backpressure. Absent: through out().
   * An "error" event with code EPIPE means the reader went away (`mapstack simulate … | head`).
   */
  stdout?: NodeJS.WritableStream;
  /**
   * Replaces the transient status line (progress) on a terminal; "" clears it. Absent when stderr is not
   * a terminal, so logs and pipes never get progress noise.
   */
  status?(line: string): void;
}

export interface Command {
  name: string;
  summary: string;
  /** Full help text: usage line, options, exit codes. */
  help: string;
  run(argv: string[], io: Io): Promise<number>;
}

/** Thrown for bad command lines: printed with the command's usage, exit code 2. */
export class UsageError extends MapstackError {}

export type Options = NonNullable<ParseArgsConfig["options"]>;

export function parse<O extends Options>(argv: string[], options: O, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ""));
  }
}

export const EXIT = { ok: 0, failed: 1, usage: 2, partial: 3 } as const;
