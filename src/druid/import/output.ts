// Text of the files import-druid writes: the mapping document (YAML) and each Pulumi.<stack>.yaml.
import { stringify } from "yaml";
import { editStackConfig } from "../../lifecycle/stack-file";
import { PROJECT } from "../../settings/declarations";
import type { DruidImport, StackImport } from "./build";

export function documentText(imp: DruidImport, sourceDir: string): string {
  const header = [
    "# yaml-language-server: $schema=../schema/mapping-dsl.schema.json",
    `# Imported by \`mapstack import-druid\` from ${sourceDir}. Review the warnings it printed, then`,
    "# `mapstack validate` and `mapstack synth --stack <stack>` to compare with the specs the old procedure generated.",
  ];
  return `${header.join("\n")}\n${stringify(imp.document, { lineWidth: 0 })}`;
}

const comment = (lines: string[]) => lines.map((l) => `# ${l}`.trimEnd()).join("\n");

/** A new stack file, or the existing one with the imported keys set in place (comments kept). */
export function stackFileText(s: StackImport, existing: string | null, file: string): string {
  if (existing !== null) return editStackConfig(file, existing, s.settings);
  const keys = Object.keys(s.settings).sort();
  const body = keys.length ? editStackConfig(file, "", Object.fromEntries(keys.map((k) => [k, s.settings[k]]))) : "config: {}\n";
  return [
    comment([`Stack ${s.stack}, imported by \`mapstack import-druid\` from ${s.envFile}.`, "Secrets were not copied. Still to do for this stack:", ...s.todo.map((t) => `  ${t}`)]),
    body,
  ].join("\n");
}

export { PROJECT };
