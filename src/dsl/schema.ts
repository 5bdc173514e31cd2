// Structural validation with the document schema (the one written to schema/ for editors through
// yaml-language-server), turned into positioned diagnostics.
import { createHash } from "node:crypto";
import type { ErrorObject } from "ajv";
import type { Diagnostic } from "./diagnostics";
import { mappingDocumentSchema } from "./schema-document";
import type { PathKey, SourceDocument } from "./source";

/** ajv's options for the document schema; the precompiled validator is generated with the same ones. */
export const AJV_OPTIONS = { allErrors: true, strict: false } as const;

interface Validator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** Identifies a schema's content: the precompiled validator carries the hash of the schema it was built from. */
export function schemaHash(schema: unknown): string {
  return createHash("sha256").update(JSON.stringify(schema)).digest("hex");
}

let validator: Validator | null = null;

/**
 * The precompiled validator (dist/dsl/schema-validator.js, written by scripts/build-schema-validator.js
 * after tsc) when it was built from this schema; else the schema compiled now, which costs ~0.2 s of
 * CPU and loads ajv's compiler.
 */
function getValidator(): Validator {
  if (validator) return validator;
  const schema = mappingDocumentSchema();
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pre = require("./schema-validator.js") as { default?: Validator; schemaHash?: string };
    if (typeof pre.default === "function" && pre.schemaHash === schemaHash(schema)) return (validator = pre.default);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw e;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Ajv = (require("ajv") as typeof import("ajv")).default;
  return (validator = new Ajv(AJV_OPTIONS).compile(schema));
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
