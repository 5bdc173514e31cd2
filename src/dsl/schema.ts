// Structural validation with the document schema (the one written to schema/ for editors through
// yaml-language-server), turned into positioned diagnostics.
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import type { Diagnostic } from "./diagnostics";
import { mappingDocumentSchema } from "./schema-document";
import type { PathKey, SourceDocument } from "./source";


let validator: ValidateFunction | null = null;

function getValidator(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    validator = ajv.compile(mappingDocumentSchema());
  }
  return validator;
}

function pointerToPath(pointer: string): PathKey[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function describePath(p: PathKey[]): string {
  return p.length ? p.map((k) => (typeof k === "number" ? `[${k}]` : `.${k}`)).join("").replace(/^\./, "") : "document";
}

function message(e: ErrorObject): string {
  const where = describePath(pointerToPath(e.instancePath));
  switch (e.keyword) {
    case "additionalProperties":
      return `unknown key '${e.params.additionalProperty}' in ${where}`;
    case "required":
      return `${where} is missing required key '${e.params.missingProperty}'`;
    case "enum":
      return `${where} must be one of: ${(e.params.allowedValues as unknown[]).join(", ")}`;
    case "const":
      return `${where} must be ${JSON.stringify(e.params.allowedValue)}`;
    case "pattern":
      return `${where} does not match ${e.params.pattern}`;
    default:
      return `${where} ${e.message ?? "is invalid"}`;
  }
}

/**
 * Schema diagnostics, one per problem. `skip` drops errors under paths that the semantic checks explain
 * better (ops and selectors, whose oneOf branches would otherwise produce a wall of alternatives).
 */
export function schemaDiagnostics(src: SourceDocument, skip: (p: PathKey[]) => boolean): Diagnostic[] {
  const validate = getValidator();
  if (validate(src.value)) return [];
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of validate.errors ?? []) {
    if (e.keyword === "oneOf" || e.keyword === "if" || e.keyword === "allOf") continue;
    const p = pointerToPath(e.instancePath);
    if (skip(p)) continue;
    const isKey = e.keyword === "additionalProperties";
    const pos = isKey ? src.locate([...p, e.params.additionalProperty as string], { key: true }) : src.locate(p);
    const text = message(e);
    const id = `${pos.line}:${pos.col}:${text}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ file: src.file, line: pos.line, col: pos.col, message: text });
  }
  return out;
}
