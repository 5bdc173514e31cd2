import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compileFiles } from "../../dsl/compile";
import { formatDiagnostic, MapstackError } from "../../dsl/diagnostics";
import { buildDruidImport } from "../../druid/import/build";
import { documentText, stackFileText } from "../../druid/import/output";
import { readDruidRepository } from "../../druid/import/repository";
import { TARGET_CHECKS } from "../../targets/checks";
import { EXIT, parse, UsageError, type Command } from "../command";

export const importDruidCommand: Command = {
  name: "import-druid",
  summary: "move a Druid GitOps repository (config/*.env, dimensions/metrics/transforms JSON, proto) over: a dataset document + Pulumi.<stack>.yaml settings",
  help: `Usage: mapstack import-druid <dir> [--out DIR] [--stack NAME…] [--force]

Reads a Druid GitOps repository (the procedure mapstack replaces: druid-ingestion/config/<env>.env,
config/dimensions.json, metrics.json, transforms.json, index-spec.json,
druid-specs/templates/kafka-supervisor.json and the .proto under schemas/proto/) and writes:
  <out>/dsl/<datasource>.yaml      the equivalent mapping document (protobuf source, sinks.druid)
  <out>/dsl/proto/…                the .proto files
  <out>/Pulumi.<env>.yaml          each environment's settings (an existing file is edited in place)
The document is validated (as mapstack validate does) before anything is written. Transforms with no
exact DSL op, columns Druid could not read and per-environment values mapstack keeps per dataset are
printed as file:line:col warnings. Secrets (the Kafka JAAS line, S3 keys) are never copied: each stack
file says what to set instead.

Options:
  --out DIR       where to write (default: the current directory)
  --stack NAME    import only this environment (repeatable; default: every config/<env>.env)
  --force         overwrite an existing dsl/<datasource>.yaml or .proto file with other content
Exit codes: 0 written, 1 invalid input (nothing written), 2 bad command line.`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { out: { type: "string" }, stack: { type: "string", multiple: true }, force: { type: "boolean" } });
    if (positionals.length !== 1) throw new UsageError("import-druid needs one repository directory");
    const show = (abs: string) => path.relative(io.cwd, abs) || ".";
    const repo = readDruidRepository(path.resolve(io.cwd, positionals[0]), show);
    const imp = buildDruidImport(repo, { stacks: values.stack });
    const out = path.resolve(io.cwd, values.out ?? ".");
    const docText = documentText(imp, positionals[0]);

    // Validate in a scratch directory first: nothing is written unless the document compiles.
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-import-"));
    try {
      const docFile = path.join(scratch, `${imp.index}.yaml`);
      fs.writeFileSync(docFile, docText);
      for (const p of imp.protoFiles) {
        fs.mkdirSync(path.dirname(path.join(scratch, "proto", p)), { recursive: true });
        fs.copyFileSync(path.join(repo.protoDir, p), path.join(scratch, "proto", p));
      }
      const r = compileFiles([docFile], { dslDir: scratch, targetChecks: TARGET_CHECKS });
      if (r.diagnostics.length) {
        throw new MapstackError(`the imported document does not validate (nothing written):\n${r.diagnostics.map((d) => formatDiagnostic({ ...d, file: `dsl/${imp.index}.yaml` })).join("\n")}`);
      }
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }

    // Everything to write, checked for conflicts before the first write.
    const writes: Array<{ file: string; text: string | Buffer }> = [{ file: path.join(out, "dsl", `${imp.index}.yaml`), text: docText }];
    for (const p of imp.protoFiles) writes.push({ file: path.join(out, "dsl", "proto", p), text: fs.readFileSync(path.join(repo.protoDir, p)) });
    const conflicts = writes.filter((w) => fs.existsSync(w.file) && !fs.readFileSync(w.file).equals(Buffer.from(w.text)));
    if (conflicts.length && !values.force) {
      throw new MapstackError(conflicts.map((c) => `${show(c.file)}:1:1: exists with other content; pass --force to overwrite (nothing written)`).join("\n"));
    }
    for (const s of imp.stacks) {
      const file = path.join(out, `Pulumi.${s.stack}.yaml`);
      const existing = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null;
      writes.push({ file, text: stackFileText(s, existing, file) });
      if (existing !== null) for (const t of s.todo) io.err(`${show(file)}: to do: ${t}`);
    }
    for (const w of writes) {
      fs.mkdirSync(path.dirname(w.file), { recursive: true });
      fs.writeFileSync(w.file, w.text);
    }
    for (const w of imp.warnings) io.err(`warning: ${formatDiagnostic(w)}`);
    for (const w of writes) io.out(`wrote ${show(w.file)}`);
    io.out(`imported ${imp.index}: ${(imp.document.fields as unknown[]).length} fields, stacks ${imp.stacks.map((s) => s.stack).join(", ")}; ${imp.warnings.length} warning(s)`);
    return EXIT.ok;
  },
};
