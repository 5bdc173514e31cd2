import * as fs from "node:fs";
import * as path from "node:path";
import { TARGET_CHECKS } from "../../targets/checks";
import { compileFiles, listDslFiles } from "../../dsl/compile";
import { formatDiagnostic } from "../../dsl/diagnostics";
import { SelectorCache } from "../../dsl/selectors";
import { EXIT, parse, type Command } from "../command";
import { findProjectDir } from "../project";

export const validateCommand: Command = {
  name: "validate",
  summary: "check DSL files (schema + semantics); all of dsl/ by default",
  help: `Usage: mapstack validate [paths…] [--dsl-dir DIR] [--json]

Validates Mapping DSL documents (the mapping service's V2.x format, JSON or YAML, plus mapstack's
source/sinks/monitoring blocks) against the document schema (schema/mapping-dsl.schema.json), the
seed validator's rules (E_TARGET_DUPLICATE, E_ANALYZER_NOT_FOUND, E_COPY_TO_SELF, …) and mapstack's
own checks (ops and their parameters, JSONPath, regexes, dictionaries, proto messages, sinks). Every
problem is printed as file:line:col: message; all problems of a file are reported at once. Warnings
(W_PIPELINE_TOO_LONG) are printed but do not fail.

Arguments:
  paths…          DSL files or directories (default: the project's dsl/ directory)
Options:
  --dsl-dir DIR   directory proto files resolve from (default: dsl, or the directory of each path)
  --json          print the result as JSON
Exit codes: 0 all valid, 1 problems found, 2 bad command line.`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { "dsl-dir": { type: "string" }, json: { type: "boolean" } });
    const defaultDir = () => path.resolve(io.cwd, values["dsl-dir"] ?? path.join(findProjectDir(io.cwd), "dsl"));
    const targets = positionals.length ? positionals.map((p) => path.resolve(io.cwd, p)) : [defaultDir()];
    const groups = new Map<string, string[]>();
    for (const t of targets) {
      const isDir = fs.existsSync(t) && fs.statSync(t).isDirectory();
      const dir = values["dsl-dir"] ? path.resolve(io.cwd, values["dsl-dir"]) : isDir ? t : path.dirname(t);
      const files = isDir ? listDslFiles(t) : [t];
      groups.set(dir, [...(groups.get(dir) ?? []), ...files]);
    }
    const diagnostics = [];
    const warnings = [];
    const cache = new SelectorCache();
    let datasets = 0;
    let fields = 0;
    for (const [dir, files] of groups) {
      const r = compileFiles(files, { dslDir: dir, cache, targetChecks: TARGET_CHECKS });
      diagnostics.push(...r.diagnostics);
      warnings.push(...r.warnings);
      datasets += r.report.datasets;
      fields += r.report.fields;
    }
    const rel = (f: string) => path.relative(io.cwd, f) || f;
    if (!values.json) for (const w of warnings) io.err(`warning: ${formatDiagnostic({ ...w, file: rel(w.file) })}`);
    if (values.json) {
      io.out(JSON.stringify({ valid: diagnostics.length === 0, datasets, warnings: warnings.map((d) => ({ ...d, file: rel(d.file) })), diagnostics: diagnostics.map((d) => ({ ...d, file: rel(d.file) })) }, null, 2));
    } else if (diagnostics.length) {
      for (const d of diagnostics) io.err(formatDiagnostic({ ...d, file: rel(d.file) }));
      io.err(`${diagnostics.length} problem(s)`);
    } else io.out(`ok: ${datasets} dataset(s) valid, ${fields} fields; JSONPath cache ${cache.hits} hit(s), ${cache.misses} miss(es)`);
    return diagnostics.length ? EXIT.failed : EXIT.ok;
  },
};
