import * as fs from "node:fs";
import * as path from "node:path";
import { compileDirectory } from "../../dsl/compile";
import type { CompiledDataset } from "../../dsl/types";
import { checkWireCompat, compareEsFieldTypes, formatEsChange, formatVerdict, type BreakingVerdict, type EsTypeChange } from "../../proto/compat";
import { checkoutDir, isGitRef } from "../../proto/git";
import { committedSetPath, readLock } from "../../proto/store";
import { EXIT, parse, UsageError, type Command } from "../command";
import { findProjectDir } from "../project";

export const compatCommand: Command = {
  name: "compat",
  summary: "breaking-change check: buf breaking (WIRE_JSON) on dsl/proto + Elasticsearch field types",
  help: `Usage: mapstack compat [--proto-dir DIR] [--against <git-ref | dir | descriptor-set file>] [--stack NAME] [--json]

Checks that the protobuf schemas Druid decodes stay compatible, with 'buf breaking' and the WIRE_JSON
rule category (Druid reads the wire format and addresses fields by their JSON names): deleting a field,
changing its type or number, renaming it, removing an enum value or a message are breaking. Each
violation is printed as file:line:col: RULE_ID (message M, field F): explanation.
When the baseline is a git ref, the DSL at that ref is compiled too and every Elasticsearch field whose
mapped type changed while sinks.elasticsearch.version stayed the same is reported (an existing index
cannot take a new type: bump the version).

A breaking protobuf change needs a new Druid datasource: set sinks.druid.datasource to a new name with
replaces: {datasource: <old>, old_supervisor: suspend|keep_running|terminate}. 'pulumi preview' runs the
same check against the version the stack runs (schemas/lock.json) and fails without that move.

Options:
  --proto-dir DIR     current protos (default: <dslDir>/proto of the project)
  --against REF|PATH  baseline: a git ref (e.g. HEAD, origin/main, v1.2.0), a proto directory, or a
                      descriptor set (.binpb). Default: the version --stack runs (schemas/lock.json) when
                      --stack is given, else HEAD
  --stack NAME        compare with the version this stack runs (schemas/lock.json)
  --json              print verdicts as JSON
  --project-dir DIR   directory holding Pulumi.yaml (default: found from the current directory)
Exit codes: 0 compatible, 1 breaking changes (or unreadable input), 2 bad command line.`,
  async run(argv, io) {
    const { values } = parse(argv, {
      "proto-dir": { type: "string" }, against: { type: "string" }, stack: { type: "string" }, json: { type: "boolean" }, "project-dir": { type: "string" },
    }, false);
    const projectDir = findProjectDir(io.cwd, values["project-dir"]);
    const dslDir = path.join(projectDir, "dsl");
    const protoDir = path.resolve(io.cwd, values["proto-dir"] ?? path.join(dslDir, "proto"));
    let against = values.against;
    if (!against && values.stack) {
      const entry = readLock(projectDir).stacks[values.stack];
      if (!entry) throw new UsageError(`stack ${values.stack} has no entry in schemas/lock.json; pass --against`);
      against = committedSetPath(projectDir, entry.version);
    }
    against ??= "HEAD";
    const cleanups: Array<() => void> = [];
    try {
      let baseline: string;
      let previousDatasets: CompiledDataset[] | null = null;
      const asPath = path.resolve(io.cwd, against);
      if (fs.existsSync(asPath)) baseline = asPath;
      else if (isGitRef(projectDir, against)) {
        const protoAtRef = checkoutDir(projectDir, against, path.relative(projectDir, protoDir) || ".");
        cleanups.push(protoAtRef.cleanup);
        baseline = protoAtRef.path;
        if (!values["proto-dir"]) {
          const dslAtRef = checkoutDir(projectDir, against, "dsl");
          cleanups.push(dslAtRef.cleanup);
          previousDatasets = compileDirectory(dslAtRef.path).datasets;
        }
      } else throw new UsageError(`--against ${against}: neither a file, a directory nor a git ref`);
      const verdicts: BreakingVerdict[] = checkWireCompat(protoDir, baseline);
      const esChanges: EsTypeChange[] = previousDatasets ? compareEsFieldTypes(previousDatasets, compileDirectory(dslDir).datasets) : [];
      const rel = path.relative(io.cwd, protoDir) || ".";
      if (values.json) {
        io.out(JSON.stringify({ compatible: !verdicts.length && !esChanges.length, against, protobuf: verdicts, elasticsearch: esChanges }, null, 2));
      } else {
        for (const v of verdicts) io.err(formatVerdict(v, rel));
        for (const c of esChanges) io.err(path.join(path.relative(io.cwd, dslDir) || ".", formatEsChange(c)));
        if (verdicts.length || esChanges.length) {
          io.err(`${verdicts.length} protobuf and ${esChanges.length} Elasticsearch breaking change(s) against ${against}` +
            (verdicts.length ? "; a breaking protobuf change needs a new druid datasource (sinks.druid.datasource + replaces:)" : ""));
        } else io.out(`compatible with ${against} (buf breaking, WIRE_JSON${previousDatasets ? "; Elasticsearch field types" : ""})`);
      }
      return verdicts.length || esChanges.length ? EXIT.failed : EXIT.ok;
    } finally {
      for (const c of cleanups) c();
    }
  },
};
