import { describe, expect, it } from "vitest";
import { parseJson, parseJsonLossless } from "../../src/dsl/json-lossless";
import { memberParser, valueEnd } from "../../src/dsl/json-members";
import { PyFloat } from "../../src/dsl/values";
import { seededRandom } from "../seeded-random";

const NUMBERS = ["0", "-0", "1", "-12", "1.0", "-0.0", "2.50", "3.25", "1e3", "1.5E+2", "2.5e-1", "1E0", "12345678901234567.5", "0.99999999999999999", "48.852000000000004", "1709283000000", "9007199254740993"];
const STRINGS = ["", "a", "x\\\"1.0\\\"", "\\\\", "1.0", "\\u00e9t\\u00E9", "€ 1,234.50", "tab\\tnew\\nline", "a\\/b", "[1.0, {\"k\": 2}]".replace(/"/g, '\\"'), "😀"];
const KEYS = ["a", "order", "payload", "n\\u0061me", "__proto__", "k 1", "1.0"];

function text(r: () => number, depth: number): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const sp = () => pick(["", "", " ", "\n", " \t\r\n "]);
  const k = r();
  if (depth <= 0 || k < 0.45) {
    const s = r();
    if (s < 0.45) return pick(NUMBERS);
    if (s < 0.85) return `"${pick(STRINGS)}"`;
    return pick(["true", "false", "null"]);
  }
  const n = Math.floor(r() * 5);
  const items = Array.from({ length: n }, () => (k < 0.75 ? `${sp()}"${pick(KEYS)}"${sp()}:${sp()}${text(r, depth - 1)}${sp()}` : `${sp()}${text(r, depth - 1)}${sp()}`));
  return k < 0.75 ? `{${items.join(",")}${n ? "" : sp()}}` : `[${items.join(",")}${n ? "" : sp()}]`;
}

/** Breaks a text the ways a damaged line is broken: a character dropped, doubled, replaced or inserted. */
function damage(r: () => number, t: string): string {
  const at = Math.floor(r() * t.length);
  const c = '{}[]",:.-e0\\ \u0001'[Math.floor(r() * 15)];
  switch (Math.floor(r() * 4)) {
    case 0:
      return t.slice(0, at) + t.slice(at + 1);
    case 1:
      return t.slice(0, at) + t[at] + t.slice(at);
    case 2:
      return t.slice(0, at) + c + t.slice(at + 1);
    default:
      return t.slice(0, at) + c + t.slice(at);
  }
}

const hasPyFloat = (v: unknown): boolean =>
  v instanceof PyFloat || (v !== null && typeof v === "object" && Object.values(v).some(hasPyFloat));

const nativeError = (t: string): string | null => {
  try {
    JSON.parse(t);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
};

describe("reading a JSON line as the seed reads it (integral floats stay floats)", () => {
  it("takes the native shortcut only when no number token is an integral float, on 5,000 generated texts", () => {
    const r = seededRandom(7);
    let floats = 0;
    for (let n = 0; n < 5000; n++) {
      const t = text(r, 4);
      const exact = parseJsonLossless(t);
      expect(parseJson(t), t).toEqual(exact);
      if (hasPyFloat(exact)) floats++;
    }
    expect(floats).toBeGreaterThan(500); // the generator does exercise both sides
  });

  it("reads 1.0 inside a string as text and 1.0 after it as a float", () => {
    const v = parseJson('{"s":"a\\"b: 1.0, ","n":1.0}') as Record<string, unknown>;
    expect(v.s).toBe('a"b: 1.0, ');
    expect(v.n).toBeInstanceOf(PyFloat);
  });
});

describe("a large line read for the members a mapping uses", () => {
  const pad = (r: () => number) => `"payload":${text(r, 6)},"blob":"${"x".repeat(2100)}"`;

  it("finds where a value ends exactly when JSON.parse accepts it, on 20,000 generated and damaged texts", () => {
    const r = seededRandom(11);
    for (let n = 0; n < 20000; n++) {
      let t = text(r, 4);
      if (n % 2) t = damage(r, t);
      const end = valueEnd(t, 0);
      const accepted = end >= 0 && /^\s*$/.test(t.slice(end));
      expect(accepted, t).toBe(nativeError(t) === null);
    }
  });

  it("builds only the kept members, with the values parseJson gives them", () => {
    const keep = memberParser(new Set(["order", "name", "__proto__", "1.0"]));
    const r = seededRandom(3);
    for (let n = 0; n < 2000; n++) {
      const members = Array.from({ length: 1 + Math.floor(r() * 6) }, () => `"${KEYS[Math.floor(r() * KEYS.length)]}": ${text(r, 3)}`);
      members.splice(Math.floor(r() * members.length), 0, pad(r));
      const t = ` {${members.join(" ,")}} \r`;
      const whole = parseJson(t) as Record<string, unknown>;
      const expected = JSON.parse("{}") as Record<string, unknown>;
      for (const k of Object.keys(whole)) if (["order", "name", "__proto__", "1.0"].includes(k)) Object.defineProperty(expected, k, { value: whole[k], enumerable: true, writable: true, configurable: true });
      const got = keep(t) as Record<string, unknown>;
      expect(Object.keys(got), t).toEqual(Object.keys(expected));
      expect(got, t).toEqual(expected);
    }
  });

  it("gives parseJson's whole value when the mapping reads the large members too (and after it stops scanning)", () => {
    const keepAll = memberParser(new Set(KEYS.map((k) => JSON.parse(`"${k}"`) as string).concat(["payload", "blob"])));
    const r = seededRandom(9);
    for (let n = 0; n < 300; n++) {
      const t = `{"order":${text(r, 3)},${pad(r)},"a":${text(r, 2)}}`;
      expect(keepAll(t), t).toEqual(parseJson(t));
    }
  });

  it("refuses a damaged line with JSON.parse's own message, even when the damage is in a member it leaves out", () => {
    const keep = memberParser(new Set(["order"]));
    const r = seededRandom(5);
    let refused = 0;
    for (let n = 0; n < 3000; n++) {
      const t = damage(r, `{"order":${text(r, 2)},"payload":${text(r, 6)}`) + `,"blob":"${"x".repeat(2100)}"}`;
      const message = nativeError(t);
      if (message === null) expect(() => keep(t)).not.toThrow();
      else {
        refused++;
        expect(() => keep(t), t).toThrow(message);
      }
    }
    expect(refused).toBeGreaterThan(1000);
  });
});
