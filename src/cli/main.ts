// mapstack CLI entry: dispatch, help, and the rule that user errors print without a stack trace.
import { isMapstackError } from "../dsl/diagnostics";
import { UsageError, type Io } from "./command";
import { COMMANDS } from "./commands";

const USAGE = () => `Usage: mapstack <command> [options]

Data-platform ingest layer as code: compiles the mapping DSL (dsl/) into Elasticsearch, Druid,
Grafana and Prometheus artifacts. Works offline; no server and no Pulumi CLI needed.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join("\n")}

Run 'mapstack <command> --help' for a command's options.`;

const stdio: Io = {
  out: (t) => process.stdout.write(t.endsWith("\n") ? t : t + "\n"),
  err: (t) => process.stderr.write(t.endsWith("\n") ? t : t + "\n"),
  cwd: process.cwd(),
  stdout: process.stdout,
  status: process.stderr.isTTY ? (line) => process.stderr.write(`\r\x1b[K${line}`) : undefined,
};

// `mapstack … | head`: the reader went away. Nothing more can be printed, and that is not an error worth
// a stack trace; commands that stream (simulate) also stop reading their input when they see it.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code !== "EPIPE") throw e;
});

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.out(USAGE());
    return name ? 0 : 2;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.err(`mapstack: unknown command '${name}'\n\n${USAGE()}`);
    return 2;
  }
  const cmd = await entry.load();
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(cmd.help);
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`mapstack ${name}: ${e.message}\n\n${cmd.help}`);
      return 2;
    }
    if (isMapstackError(e)) {
      io.err(e.message);
      return 1;
    }
    if (process.env.MAPSTACK_DEBUG) throw e;
    io.err(`mapstack ${name}: internal error: ${(e as Error).message} (set MAPSTACK_DEBUG=1 for a stack trace)`);
    return 70;
  }
}
