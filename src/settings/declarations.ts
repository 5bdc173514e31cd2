// Pulumi.yaml's project-level `config:` block is the one list of settings: type, default, description,
// secret. Both the Pulumi program and the offline CLI read it from there.
import * as fs from "node:fs";
import * as path from "node:path";
import { MapstackError } from "../dsl/diagnostics";
import { readSource } from "../dsl/source";

export const PROJECT = "mapstack";

export interface Declaration {
  key: string;
  type: "string" | "integer" | "boolean" | "array";
  default?: unknown;
  description: string;
  secret: boolean;
}

export function loadDeclarations(projectDir: string): Map<string, Declaration> {
  const file = path.join(projectDir, "Pulumi.yaml");
  if (!fs.existsSync(file)) throw new MapstackError(`${file}:1:1: Pulumi.yaml not found; run mapstack from the project directory (or pass --project-dir)`);
  const read = readSource(file, fs.readFileSync(file));
  if (!read.ok) throw new MapstackError(read.diagnostics);
  const project = read.source.value as { name?: string; config?: Record<string, Record<string, unknown>> };
  const out = new Map<string, Declaration>();
  for (const [key, d] of Object.entries(project.config ?? {})) {
    out.set(key, {
      key,
      type: (d.type as Declaration["type"]) ?? "string",
      ...("default" in d ? { default: d.default } : {}),
      description: String(d.description ?? ""),
      secret: d.secret === true,
    });
  }
  return out;
}
