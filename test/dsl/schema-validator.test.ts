// The precompiled schema validator (scripts/build-schema-validator.js, run by `npm run build`) must judge
// every document exactly as the schema compiled at run time does: same verdict, same errors in the same
// order, so `validate` reports the same diagnostics whichever one it loaded.
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { AJV_OPTIONS, schemaHash } from "../../src/dsl/schema";
import { mappingDocumentSchema } from "../../src/dsl/schema-document";
import { readSource } from "../../src/dsl/source";
import { DSL_DIR } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { validatorSource } = require("../../scripts/build-schema-validator.js") as {
  validatorSource(schema: unknown, options: unknown, hash: string): string;
};

type Validate = ((v: unknown) => boolean) & { errors?: unknown[] | null };

/** The generated module, loaded as the build would place it (its requires resolve from the project). */
function precompiled(): { validate: Validate; hash: string } {
  const schema = mappingDocumentSchema();
  const source = validatorSource(schema, AJV_OPTIONS, schemaHash(schema));
  const mod = { exports: {} as { default: Validate; schemaHash: string } };
  const projectRequire = createRequire(path.join(__dirname, "../../package.json"));
  new Function("module", "exports", "require", source)(mod, mod.exports, projectRequire);
  return { validate: mod.exports.default, hash: mod.exports.schemaHash };
}

const bundled = fs.readdirSync(DSL_DIR).filter((f) => /\.(ya?ml|json)$/.test(f)).map((f) => {
  const r = readSource(f, fs.readFileSync(path.join(DSL_DIR, f)));
  if (!r.ok) throw new Error(`${f}: ${r.diagnostics[0].message}`);
  return { name: f, value: r.source.value as Record<string, unknown> };
});

/** Broken variants of the bundled documents: unknown keys, wrong types, bad enums, missing keys, bad ops. */
function variants(doc: Record<string, unknown>): Array<[string, unknown]> {
  const clone = () => JSON.parse(JSON.stringify(doc)) as Record<string, any>;
  const out: Array<[string, unknown]> = [["as is", doc]];
  const add = (label: string, change: (d: Record<string, any>) => void) => {
    const d = clone();
    change(d);
    out.push([label, d]);
  };
  add("unknown top-level key", (d) => (d.colour = "blue"));
  add("dsl_version wrong", (d) => (d.dsl_version = "9.9"));
  add("missing index", (d) => delete d.index);
  add("globals wrong type", (d) => (d.globals = "x"));
  add("globals.nulls not a list", (d) => (d.globals.nulls = 3));
  add("field without input", (d) => delete d.fields[0].input);
  add("field with unknown key", (d) => (d.fields[0].colour = 1));
  add("field type unknown", (d) => (d.fields[0].type = "blob"));
  add("op unknown", (d) => d.fields[0].pipeline.push({ op: "frobnicate" }));
  add("op bad parameter", (d) => d.fields[0].pipeline.push({ op: "split", sep: 4 }));
  add("input kind unknown", (d) => (d.fields[0].input = [{ kind: "xpath", expr: "/a" }]));
  add("fields empty", (d) => (d.fields = []));
  add("sinks unknown key", (d) => (d.sinks = { ...(d.sinks ?? {}), kafka: {} }));
  add("id_policy wrong", (d) => (d.id_policy = { from: "x", op: 3 }));
  add("not an object", () => undefined);
  out.push(["array", [doc]], ["null", null], ["string", "dsl_version: 2.2"]);
  return out;
}

describe("precompiled schema validator", () => {
  const pre = precompiled();
  const runtime = new Ajv(AJV_OPTIONS).compile(mappingDocumentSchema()) as Validate;

  it("carries the hash of the current schema (what schema.ts checks before using it)", () => {
    expect(pre.hash).toBe(schemaHash(mappingDocumentSchema()));
    expect(pre.hash).not.toBe(schemaHash({ ...mappingDocumentSchema(), title: "another schema" }));
  });

  for (const { name, value } of bundled) {
    it(`gives the run-time validator's verdict and errors on ${name} and broken variants of it`, () => {
      let invalid = 0;
      for (const [label, v] of variants(value)) {
        const ok = pre.validate(v);
        expect(ok, label).toBe(runtime(v));
        expect(pre.validate.errors ?? null, label).toEqual(runtime.errors ?? null);
        if (!ok) invalid++;
      }
      expect(invalid).toBeGreaterThan(10);
    });
  }
});
