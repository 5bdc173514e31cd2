import * as fs from "node:fs";
import * as path from "node:path";
import { TARGET_CHECKS } from "../../targets/checks";
import { compileDirectory } from "../../dsl/compile";
import { MapstackError } from "../../dsl/diagnostics";
import { unifiedDiff } from "../../lifecycle/diff";
import { planPromotion } from "../../lifecycle/promotion";
import { builtSchemaVersion, requireStored } from "../../lifecycle/schema-version";
import { configValues, editStackConfig } from "../../lifecycle/stack-file";
import { loadDeclarations } from "../../settings/declarations";
import { loadStackSettings, resolveSettings, type StackSettings } from "../../settings/stack-settings";
import { EXIT, parse, UsageError, type Command } from "../command";
import { findProjectDir } from "../project";

export const promoteCommand: Command = {
  name: "promote",
  summary: "pin the dataset and schema versions validated in one stack into the next (dev → staging → prod)",
  help: `Usage: mapstack promote --from <stack> --to <stack> [--force] [--dry-run] [--project-dir DIR]

Promotion moves exactly the versions that were validated in the source stack. It compiles dsl/,
checks that the source stack's settings and dsl/ are valid (and, if the source stack is itself
promoted, that dsl/ still matches its pins), then writes into Pulumi.<to>.yaml:
  mapstack:datasetPins    <dataset>@<content hash> of every dataset in dsl/
  mapstack:schemaVersion  the source stack's pinned schema version, or the version dsl/proto
                          builds to (src/proto: sha256 of the buf-built descriptor set); it must
                          be committed as schemas/<version>.binpb ('mapstack schemas build')
  mapstack:promotedFrom   the source stack
Comments, formatting and every other key of the file are kept; the change is printed as a unified
diff. Commit the file and merge it into the target stack's branch; the next 'pulumi up' of that
stack deploys the pinned versions and refuses any other dsl/ content.

Promotion follows dev → staging → prod (by mapstack:environment); skipping a stage or going
backwards is refused unless --force. Removing a pinned dataset from a stack whose
mapstack:allowDatasetDeletion is false is refused.

Options:
  --from STACK        stack whose validated versions are promoted (e.g. dev)
  --to STACK          stack whose Pulumi.<stack>.yaml is updated (e.g. staging)
  --force             allow skipping a stage or promoting backwards
  --dry-run           print the diff, write nothing
  --project-dir DIR   directory holding Pulumi.yaml (default: found from the current directory)
Exit codes: 0 promoted (or already up to date; with --dry-run: nothing written), 1 refused
(invalid settings or DSL, stage skipped without --force, dsl/ not what the source validated,
deletion not allowed, schema version not committed under schemas/), 2 bad command line.`,
  async run(argv, io) {
    const { values } = parse(argv, { from: { type: "string" }, to: { type: "string" }, force: { type: "boolean" }, "dry-run": { type: "boolean" }, "project-dir": { type: "string" } }, false);
    if (!values.from || !values.to) throw new UsageError("promote needs --from <stack> and --to <stack>");
    const projectDir = findProjectDir(io.cwd, values["project-dir"]);
    const load = (stack: string, role: string): StackSettings => {
      try {
        return loadStackSettings(projectDir, stack);
      } catch (e) {
        throw new MapstackError(`${(e as Error).message}\nrefusing to promote: the ${role} stack '${stack}' has invalid settings`);
      }
    };
    const from = load(values.from, "source");
    const to = load(values.to, "target");
    let datasets;
    try {
      datasets = compileDirectory(path.resolve(projectDir, from.dslDir), TARGET_CHECKS).datasets;
    } catch (e) {
      throw new MapstackError(`${(e as Error).message}\nrefusing to promote: dsl/ does not validate`);
    }
    const plan = planPromotion({ from, to, datasets, builtSchemaVersion: from.schemas.pinnedVersion ? null : builtSchemaVersion(projectDir, from), force: values.force ?? false });
    if (plan.changes.schemaVersion) plan.changes.schemaVersion = requireStored(projectDir, plan.changes.schemaVersion, to.stack);

    const file = path.join(projectDir, `Pulumi.${to.stack}.yaml`);
    const before = fs.readFileSync(file, "utf8");
    const after = editStackConfig(file, before, plan.changes);
    // The edited file must still be valid settings before it is written.
    const { values: raw } = configValues(after);
    const decls = loadDeclarations(projectDir);
    resolveSettings(to.stack, raw, decls, () => ({ file, line: 1, col: 1 }), { secretKeysPresent: new Set([...decls.values()].filter((d) => d.secret).map((d) => d.key)) });

    for (const n of plan.notes) io.err(`note: ${n}`);
    const diff = unifiedDiff(before, after, path.basename(file));
    if (!diff) {
      io.out(`${path.basename(file)} already pins what ${from.stack} validated; nothing to change`);
      return EXIT.ok;
    }
    io.out(diff.trimEnd());
    if (values["dry-run"]) {
      io.out(`dry run: ${path.basename(file)} not written`);
      return EXIT.ok;
    }
    fs.writeFileSync(file, after);
    io.out(`promoted ${datasets.length} dataset(s) from ${from.stack} to ${to.stack}: commit ${path.basename(file)} and deploy ${to.stack}`);
    return EXIT.ok;
  },
};
