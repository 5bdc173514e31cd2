// The JDK proves what the runtime computes, not that Painless accepts it: Painless only lets a script use
// whitelisted classes and members (resolved by name and arity). Every static member, constructor and
// method name of the emitted scripts must be in the whitelist excerpt (painless-allowlist.json, taken
// from Elasticsearch's whitelist files), and the script must avoid what Painless reads differently.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { FAILURE_RUNTIME } from "../../src/targets/elasticsearch/painless/failure";
import { RUNTIME } from "../../src/targets/elasticsearch/painless/runtime";

const allow = JSON.parse(fs.readFileSync(path.join(__dirname, "painless-allowlist.json"), "utf8")).classes as Record<string, string[]>;
const members = new Set(Object.values(allow).flat());

for (const [name, text] of [["mapping runtime", RUNTIME], ["failure runtime", FAILURE_RUNTIME]] as const) {
  describe(`${name}: only whitelisted Painless`, () => {
    const code = text.replace(/"[^"]*"/g, '""');
    const own = new Set([...code.matchAll(/(?:^|[;}])(?:[A-Za-z]\w*(?:\[\])*\s*)([a-z]\w*)\(/g)].map((m) => m[1]));

    it("static members and constructors are whitelisted", () => {
      const statics = [...code.matchAll(/\b([A-Z][A-Za-z]*)\.([A-Za-z_]+)\b/g)].filter((m) => !(allow[m[1]] ?? []).includes(m[2])).map((m) => m[0]);
      const ctors = [...code.matchAll(/new ([A-Z][A-Za-z]*)\(/g)].filter((m) => !(m[1] in allow)).map((m) => m[0]);
      expect([...new Set([...statics, ...ctors])]).toEqual([]);
    });

    it("every method called is whitelisted or defined by the script", () => {
      const called = [...code.matchAll(/\.([a-z][A-Za-z]*)\(/g)].map((m) => m[1]);
      const bare = [...code.matchAll(/(?:^|[^.\w])([a-z][A-Za-z0-9]*)\(/g)].map((m) => m[1]).filter((n) => !["if", "for", "while", "return", "catch", "switch", "new"].includes(n));
      expect([...new Set(called.filter((n) => !members.has(n)))]).toEqual([]);
      expect([...new Set(bare.filter((n) => !own.has(n)))]).toEqual([]);
    });

    it("avoids what Painless reads differently from Java", () => {
      expect(code).not.toMatch(/\bdef\b/);
      expect(text).not.toMatch(/'/.test(text) ? /'[^']'(?!")/ : /$^/);
      expect(text).not.toMatch(/\\/);
      expect(code).not.toMatch(/\b(static|final|switch|while\s*\(\s*true)\b/);
      expect(code).not.toMatch(/[A-Za-z)\]]\s*[!=]==/);
    });
  });
}
