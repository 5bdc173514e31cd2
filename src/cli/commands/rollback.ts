import * as fs from "node:fs";
import * as path from "node:path";
import { MapstackError } from "../../dsl/diagnostics";
import { unifiedDiff } from "../../lifecycle/diff";
import { requireStored, storedSchemaVersions } from "../../lifecycle/schema-version";
import { editStackConfig } from "../../lifecycle/stack-file";
import { readLock } from "../../proto/store";
import { loadStackSettings } from "../../settings/stack-settings";
import { EXIT, parse, UsageError, type Command } from "../command";
import { findProjectDir } from "../project";

export const rollbackCommand: Command = {
  name: "rollback",
  summary: "pin a stack to an older, still-stored protobuf schema version (schema-only rollback)",
  help: `Usage: mapstack rollback --stack <stack> --schema-version <version> [--dry-run] [--project-dir DIR]
       mapstack rollback --stack <stack> --list

Schema-only rollback (the runbook's 'make rollback ENV=prod VERSION=abc123f'): sets
mapstack:schemaVersion in Pulumi.<stack>.yaml to an older descriptor set, keeping comments and
formatting, and prints the diff. The version must still be stored as schemas/<version>.binpb (the
committed schema store the program loads pinned versions from; a unique prefix of at least 7 hex
digits is accepted). Then apply it:
  git commit Pulumi.<stack>.yaml && pulumi up --stack <stack>
The Druid supervisors then decode with the pinned descriptor set. To go forward again, promote
(mapstack promote) or run rollback with the newer version.

A whole-stack rollback is not this command: redeploy the earlier commit (see docs/lifecycle.md).

Options:
  --stack NAME            stack whose Pulumi.<stack>.yaml is updated (required)
  --schema-version V      version to pin (from --list, schemas/, or schemas/lock.json history)
  --list                  print the stored versions and the stack's deploy history, change nothing
  --dry-run               print the diff, write nothing
  --project-dir DIR       directory holding Pulumi.yaml (default: found from the current directory)
Exit codes: 0 pinned (or already pinned; --list/--dry-run: nothing written), 1 invalid stack
settings or version not stored, 2 bad command line.`,
  async run(argv, io) {
    const { values } = parse(argv, { stack: { type: "string" }, "schema-version": { type: "string" }, list: { type: "boolean" }, "dry-run": { type: "boolean" }, "project-dir": { type: "string" } }, false);
    if (!values.stack) throw new UsageError("rollback needs --stack <name>");
    const projectDir = findProjectDir(io.cwd, values["project-dir"]);
    const settings = loadStackSettings(projectDir, values.stack);
    const history = readLock(projectDir).stacks[settings.stack]?.history ?? [];
    if (values.list) {
      const stored = storedSchemaVersions(projectDir);
      io.out(`stack ${settings.stack} pins: ${settings.schemas.pinnedVersion ?? "(none: the version dsl/proto builds)"}`);
      io.out(`deploy history (oldest first): ${history.join(" ") || "(none recorded in schemas/lock.json)"}`);
      io.out(`stored versions (schemas/*.binpb): ${stored.join(" ") || "(none)"}`);
      return EXIT.ok;
    }
    if (!values["schema-version"]) throw new UsageError("rollback needs --schema-version <version> (or --list)");
    if (!/^[0-9a-f]{7,64}$/.test(values["schema-version"])) throw new UsageError(`--schema-version must be hex (at least 7 digits), got ${JSON.stringify(values["schema-version"])}`);
    const version = requireStored(projectDir, values["schema-version"], settings.stack);
    if (!history.includes(version)) {
      io.err(`note: ${version} is stored but stack ${settings.stack} has not run it before (schemas/lock.json); make sure it is the version you mean`);
    }

    const file = path.join(projectDir, `Pulumi.${settings.stack}.yaml`);
    const before = fs.readFileSync(file, "utf8");
    const after = editStackConfig(file, before, { schemaVersion: version });
    const diff = unifiedDiff(before, after, path.basename(file));
    if (!diff) {
      io.out(`${path.basename(file)} already pins schema version ${version}; run pulumi up --stack ${settings.stack} if it is not deployed yet`);
      return EXIT.ok;
    }
    io.out(diff.trimEnd());
    if (values["dry-run"]) {
      io.out(`dry run: ${path.basename(file)} not written`);
      return EXIT.ok;
    }
    fs.writeFileSync(file, after);
    if (loadStackSettings(projectDir, settings.stack).schemas.pinnedVersion !== version) throw new MapstackError(`${file}: internal: the written pin does not read back as ${version}`);
    io.out(`pinned stack ${settings.stack} to schema version ${version}; next: commit ${path.basename(file)}, then pulumi up --stack ${settings.stack}`);
    return EXIT.ok;
  },
};
