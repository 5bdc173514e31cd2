import * as path from "node:path";
import { buildDescriptorSet } from "../../proto/descriptor-set";
import { listCommittedVersions, loadCommittedSet, protoDirOf, readLock, recordStackVersion, STACK_ALIASES, storeDescriptorSet } from "../../proto/store";
import { loadStackSettings } from "../../settings/stack-settings";
import { EXIT, parse, UsageError, type Command } from "../command";
import { findProjectDir } from "../project";

export const schemasCommand: Command = {
  name: "schemas",
  summary: "protobuf descriptor-set versions: list, build into schemas/, record what a stack runs",
  help: `Usage: mapstack schemas list [--stack NAME] [--json]
       mapstack schemas build [--stack NAME]
       mapstack schemas record --stack NAME [--version V]

Descriptor sets are versioned by content (sha256 of the set, first 12 hex). The repository keeps every
version a stack may run under schemas/<version>.binpb, so a rollback pin (schemaVersion) works offline at
'pulumi preview'; the program uploads the set to s3://<schemaBucket>/<schemaPrefix>/<version>/descriptors.binpb
(kept on delete) and writes <schemaPrefix>/stacks/<stack>.json naming the version the stack runs.

  list     versions under schemas/, which stack runs which (schemas/lock.json, with the runbook's
           develop-latest / staging-latest / stable names), the stack's pin, and the version dsl/proto builds now
  build    build dsl/proto with buf and write schemas/<version>.binpb (commit it with the proto change)
  record   write the version a stack now runs into schemas/lock.json (CI, after a successful 'pulumi up';
           default version: the stack's pin, else what dsl/proto builds). This is the breaking-change baseline.

Options:
  --stack NAME        stack (Pulumi.<stack>.yaml)
  --version V         version to record (record only)
  --json              JSON output (list only)
  --project-dir DIR   directory holding Pulumi.yaml (default: found from the current directory)
Exit codes: 0 done, 1 build failed or unknown version, 2 bad command line.`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { stack: { type: "string" }, version: { type: "string" }, json: { type: "boolean" }, "project-dir": { type: "string" } });
    const [sub, ...extra] = positionals;
    if (!sub || extra.length) throw new UsageError("expected one of: list, build, record");
    const projectDir = findProjectDir(io.cwd, values["project-dir"]);
    const settings = values.stack ? loadStackSettings(projectDir, values.stack) : null;
    const protoDir = protoDirOf(projectDir, settings ?? { dslDir: "dsl" });
    switch (sub) {
      case "build": {
        const set = buildDescriptorSet(protoDir);
        const file = storeDescriptorSet(projectDir, set);
        io.out(`${set.version}  ${path.relative(io.cwd, file)}  (${set.bytes.length} bytes, ${set.files.length} files: ${set.files.join(", ")})`);
        return EXIT.ok;
      }
      case "record": {
        if (!settings) throw new UsageError("record needs --stack <name>");
        const version = values.version ?? settings.schemas.pinnedVersion ?? buildDescriptorSet(protoDir).version;
        const full = loadCommittedSet(projectDir, version, "version").version;
        const entry = recordStackVersion(projectDir, settings.stack, full);
        io.out(`stack ${settings.stack} runs ${entry.version} (history: ${entry.history.join(" → ")}); commit schemas/lock.json`);
        return EXIT.ok;
      }
      case "list": {
        const lock = readLock(projectDir);
        const current = buildDescriptorSet(protoDir).version;
        const rows = listCommittedVersions(projectDir).map((v) => {
          const stacks = Object.entries(lock.stacks).filter(([, e]) => e.version === v).map(([s]) => s);
          return {
            version: v,
            runBy: stacks,
            aliases: stacks.map((s) => STACK_ALIASES[s] ?? `${s}-latest`),
            ranBefore: Object.entries(lock.stacks).filter(([, e]) => e.version !== v && e.history.includes(v)).map(([s]) => s),
            builtFromDsl: v === current,
            pinnedBy: settings?.schemas.pinnedVersion && v.startsWith(settings.schemas.pinnedVersion) ? [settings.stack] : [],
          };
        });
        const shown = settings ? rows.filter((r) => r.runBy.includes(settings.stack) || r.ranBefore.includes(settings.stack) || r.builtFromDsl || r.pinnedBy.length) : rows;
        if (values.json) {
          io.out(JSON.stringify({ current, bucket: settings ? `s3://${settings.schemas.bucket}/${settings.schemas.prefix}/` : null, versions: shown }, null, 2));
          return EXIT.ok;
        }
        if (settings) io.out(`stack ${settings.stack}: s3://${settings.schemas.bucket}/${settings.schemas.prefix}/<version>/ — pin: ${settings.schemas.pinnedVersion ?? "none"}`);
        if (!shown.length) io.out("no version under schemas/ yet; run 'mapstack schemas build'");
        for (const r of shown) {
          const tags = [
            ...r.runBy.map((s, i) => `runs on ${s} (${r.aliases[i]})`),
            ...r.ranBefore.map((s) => `ran on ${s}`),
            ...r.pinnedBy.map((s) => `pinned by ${s}`),
            ...(r.builtFromDsl ? ["= dsl/proto"] : []),
          ];
          io.out(`${r.version}  ${tags.join(", ")}`);
        }
        if (!rows.some((r) => r.builtFromDsl)) io.out(`${current}  = dsl/proto, not yet in schemas/ (run 'mapstack schemas build')`);
        return EXIT.ok;
      }
      default:
        throw new UsageError(`unknown subcommand '${sub}' (list, build, record)`);
    }
  },
};
