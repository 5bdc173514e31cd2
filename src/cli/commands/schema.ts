import * as fs from "node:fs";
import * as path from "node:path";
import { mappingDocumentSchema } from "../../dsl/schema-document";
import { EXIT, parse, type Command } from "../command";
import { findProjectDir } from "../project";

export const SCHEMA_FILE = path.join("schema", "mapping-dsl.schema.json");

export function schemaText(): string {
  return `${JSON.stringify(mappingDocumentSchema(), null, 2)}\n`;
}

export const schemaCommand: Command = {
  name: "schema",
  summary: "write (or --check) the editor JSON Schema of mapping documents, generated from the op catalogue",
  help: `Usage: mapstack schema [--check]

Writes schema/mapping-dsl.schema.json, the JSON Schema editors use through the first-line comment
"# yaml-language-server: $schema=../schema/mapping-dsl.schema.json". It is generated from the op
catalogue, so editor completion and mapstack validate never disagree on what an op accepts.

Options:
  --check   exit 1 when the committed file differs from what the catalogue generates
Exit codes: 0 written/up to date, 1 out of date (--check), 2 bad command line.`,
  async run(argv, io) {
    const { values } = parse(argv, { check: { type: "boolean" } }, false);
    const file = path.join(findProjectDir(io.cwd), SCHEMA_FILE);
    const text = schemaText();
    if (values.check) {
      const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
      if (current !== text) {
        io.err(`${SCHEMA_FILE} is out of date with the op catalogue; run: mapstack schema`);
        return EXIT.failed;
      }
      io.out(`${SCHEMA_FILE} is up to date`);
      return EXIT.ok;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    io.out(`wrote ${SCHEMA_FILE}`);
    return EXIT.ok;
  },
};
