// Hostile and broken inputs: each is rejected with one clear, positioned error, and compile returns
// (bounded work: no hang, no stack overflow, no process abort). No timing assertions: returning is the test.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compileFiles } from "../../src/dsl/compile";
import { compileYaml, DSL_DIR } from "./helpers";

const errors = (input: string | Uint8Array) => {
  const r = compileYaml(input);
  expect(r.datasets).toEqual([]);
  return r.diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`);
};

const EMPTY = "1:1: file is empty; expected a mapping document (dsl_version, index, globals, id_policy, fields)";
const DEEP = "document nests deeper than 32 levels";

describe("hostile inputs", () => {
  it("an empty file, whitespace only, or comments only", () => {
    expect(errors("")).toEqual([EMPTY]);
    expect(errors(new Uint8Array())).toEqual([EMPTY]);
    expect(errors("\n  \n\t\n")).toEqual([EMPTY]);
    expect(errors("# just a comment\n  # another\n\n")).toEqual([EMPTY]);
  });

  it("text that is not YAML: every parse error with its position", () => {
    expect(errors("key: [unclosed\n")).toEqual(["2:1: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]"]);
    expect(errors('dsl_version: "2.1"\n\tdataset: x\n')).toEqual(["2:1: not valid YAML: Tabs are not allowed as indentation"]);
    expect(errors('dsl_version: "2.1"\ndataset: a\ndataset: b\n')).toEqual(["3:1: not valid YAML: Map keys must be unique"]);
    expect(errors("{ [ : ] ::: }}\n- x").length).toBeGreaterThan(1);
  });

  it("YAML that is not a mapping", () => {
    const msg = "1:1: a mapping document is an object with dsl_version, index, globals, id_policy and fields";
    expect(errors("just a sentence\n")).toEqual([msg]);
    expect(errors("- a\n- b\n")).toEqual([msg]);
  });

  it("binary content (NUL byte) and invalid UTF-8", () => {
    expect(errors(Buffer.from('dsl_version: "2.1"\n\0\0\0'))).toEqual(["2:1: binary content (NUL byte at offset 19); expected a YAML or JSON text file"]);
    expect(errors(Buffer.from([0x64, 0x73, 0x6c, 0xff, 0xfe, 0x0a]))).toEqual(["1:1: not valid UTF-8 text; expected a YAML or JSON text file"]);
    expect(errors(fs.readFileSync(process.execPath).subarray(0, 4096))[0]).toMatch(/^\d+:\d+: (binary content|not valid UTF-8)/);
  });

  it("an alias bomb (billion laughs) is stopped by the alias cap", () => {
    let lol = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < 10; i++) {
      const [name, prev] = [String.fromCharCode(97 + i), String.fromCharCode(96 + i)];
      lol += `${name}: &${name} [${Array(9).fill(`*${prev}`).join(",")}]\n`;
    }
    expect(errors(lol)).toEqual(['1:1: too many YAML alias expansions (limit 50); aliases are capped to stop "billion laughs" documents']);
  });

  it("a file over 1 MiB, as text, as bytes, and on disk", () => {
    expect(errors("# " + "a".repeat(1024 * 1024))).toEqual(["1:1: file is larger than the 1048576-byte (1 MiB) limit"]);
    expect(errors(Buffer.alloc(1024 * 1024 + 1, 0x61))).toEqual(["1:1: file is 1048577 bytes; the limit is 1048576 bytes (1 MiB)"]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-big-"));
    const file = path.join(dir, "big.yaml");
    fs.writeFileSync(file, "# " + "x".repeat(2 * 1024 * 1024));
    const r = compileFiles([file], { dslDir: DSL_DIR });
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`)).toEqual([`${file}:1:1: file is 2097154 bytes; the limit is 1048576 bytes (1 MiB)`]);
    fs.rmSync(dir, { recursive: true });
  });

  it("10 000-deep flow nesting stops at the 33rd bracket", () => {
    expect(errors("a: " + "[".repeat(10_000) + "]".repeat(10_000))).toEqual([`1:36: ${DEEP}`]);
    expect(errors("a: " + "{b: ".repeat(10_000) + "}".repeat(10_000))).toEqual([`1:132: ${DEEP}`]);
    // brackets inside quoted strings and comments are text, not nesting
    expect(errors('a: "' + "[".repeat(10_000) + '"\n# ' + "{".repeat(10_000) + "\n")[0]).not.toContain(DEEP);
  });

  it("deep block nesting by indentation stops at the 33rd level", () => {
    const lines = Array.from({ length: 1000 }, (_, i) => " ".repeat(i) + "k:").join("\n");
    expect(errors(lines)).toEqual([`34:34: ${DEEP}`]);
    const seqMaps = Array.from({ length: 1000 }, (_, i) => " ".repeat(i * 2) + "- k:").join("\n");
    expect(errors(seqMaps)).toEqual([`33:67: ${DEEP}`]);
  });

  it("compact block nesting on one line (- - - … 100 000 deep) is an error, not a crash", () => {
    expect(errors("- ".repeat(10_000) + "x\n")).toEqual([`1:67: ${DEEP}`]);
    expect(errors("- ".repeat(100_000) + "x\n")).toEqual([`1:67: ${DEEP}`]);
    expect(errors("? ".repeat(10_000) + "x\n")).toEqual([`1:67: ${DEEP}`]);
  });

  it("nesting just under the limit still parses (and then fails on content, not depth)", () => {
    const ok = Array.from({ length: 32 }, (_, i) => " ".repeat(i) + "k:").join("\n") + " v\n";
    const e = errors(ok);
    expect(e.join("\n")).not.toContain(DEEP);
    expect(e[0]).toMatch(/dsl_version/);
  });

  it("an unquoted JSONPath in a YAML flow list gets a hint to quote it", () => {
    const bad = errors('dsl_version: "2.2"\nindex: t\nx: [*, a]\n');
    expect(bad[0]).toMatch(/^3:5: not valid YAML: Alias cannot be an empty string — a JSONPath with \[ \] or \* inside a YAML flow list must be quoted/);
  });
});
