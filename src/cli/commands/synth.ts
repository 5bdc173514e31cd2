import * as path from "node:path";
import { TARGET_CHECKS } from "../../targets/checks";
import { compileDirectory } from "../../dsl/compile";
import { loadStackSettings } from "../../settings/stack-settings";
import { SYNTH_MANIFEST, synthesize, writeSynthOutput } from "../../synth";
import { EXIT, parse, UsageError, type Command } from "../command";
import { findProjectDir } from "../project";

export const synthCommand: Command = {
  name: "synth",
  summary: "write every artifact a stack would deploy into <out>/<stack>/ (deterministic)",
  help: `Usage: mapstack synth --stack <dev|staging|prod> [--out DIR] [--project-dir DIR]

Reads the stack's settings from Pulumi.<stack>.yaml, compiles dsl/ and writes every artifact the
targets produce into DIR/<stack>/<dataset>/…, plus DIR/<stack>/summary.txt. The output is
byte-identical on rerun, so it can be committed or diffed in review. Needs no server and no Pulumi CLI.

DIR/<stack>/${SYNTH_MANIFEST} lists what synth wrote. A rerun deletes only files listed there that it
no longer writes; other files are left alone. An existing, non-empty DIR/<stack> without that manifest
is refused (exit 1), so synth never deletes what it did not create.

Options:
  --stack NAME        stack whose Pulumi.<stack>.yaml to read (required)
  --out DIR           output directory (default: out)
  --project-dir DIR   directory holding Pulumi.yaml (default: found from the current directory)
Exit codes: 0 written, 1 invalid DSL or settings or an output directory synth did not create,
2 bad command line.`,
  async run(argv, io) {
    const { values } = parse(argv, { stack: { type: "string" }, out: { type: "string" }, "project-dir": { type: "string" } }, false);
    if (!values.stack) throw new UsageError("synth needs --stack <name>");
    const projectDir = findProjectDir(io.cwd, values["project-dir"]);
    const settings = loadStackSettings(projectDir, values.stack);
    const { datasets } = compileDirectory(path.resolve(projectDir, settings.dslDir), TARGET_CHECKS);
    const artifacts = synthesize({ settings, datasets, projectDir });
    const outDir = path.resolve(io.cwd, values.out ?? "out", values.stack);
    const { written, removed } = writeSynthOutput(outDir, values.stack, artifacts);
    const where = path.relative(io.cwd, outDir) || outDir;
    io.out(`wrote ${written} files to ${where}${removed.length ? `; removed ${removed.length} file(s) an earlier synth wrote: ${removed.join(", ")}` : ""}`);
    return EXIT.ok;
  },
};
