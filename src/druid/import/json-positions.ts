// A strict JSON reader that remembers where each value starts, so problems in a replaced repository's
// config/*.json (malformed text, a transform that cannot be imported) are reported as file:line:col.
import type { Diagnostic } from "../../dsl/diagnostics";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };
export type JsonPath = Array<string | number>;

export interface PositionedJson {
  value: JsonValue;
  /** Line and column (1-based) where the value at `path` starts; the nearest ancestor when absent. */
  at(path: JsonPath): { line: number; col: number };
}

export class JsonSyntaxError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(`${diagnostic.file}:${diagnostic.line}:${diagnostic.col}: ${diagnostic.message}`);
  }
}

export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) {
    line++;
    start = i + 1;
  }
  return { line, col: offset - start + 1 };
}

const describe = (c: string | undefined) => (c === undefined ? "end of file" : JSON.stringify(c));

/** Parses RFC 8259 JSON (no comments, no trailing commas); throws JsonSyntaxError at the first problem. */
export function parseJsonWithPositions(file: string, text: string): PositionedJson {
  const starts = new Map<string, number>();
  let i = 0;
  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError({ file, ...lineCol(text, at), message: `malformed JSON: ${message}` });
  };
  const ws = () => {
    while (i < text.length && " \t\r\n".includes(text[i])) i++;
  };
  const expect = (c: string) => {
    if (text[i] !== c) fail(`expected ${JSON.stringify(c)}, found ${describe(text[i])}`);
    i++;
  };
  const str = (): string => {
    const begin = i;
    expect('"');
    let out = "";
    while (true) {
      const c = text[i];
      if (c === undefined) fail("unterminated string", begin);
      if (c === '"') {
        i++;
        return out;
      }
      if (c < " ") fail("control character in a string (escape it)");
      if (c === "\\") {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else fail(`bad escape \\${e ?? ""}`);
      } else {
        out += c;
        i++;
      }
    }
  };
  const value = (path: JsonPath, depth: number): JsonValue => {
    ws();
    if (depth > 64) fail("nested deeper than 64 levels");
    starts.set(JSON.stringify(path), i);
    const c = text[i];
    if (c === "{") {
      i++;
      const obj: { [k: string]: JsonValue } = {};
      ws();
      if (text[i] === "}") {
        i++;
        return obj;
      }
      while (true) {
        ws();
        const keyAt = i;
        const k = str();
        if (Object.prototype.hasOwnProperty.call(obj, k)) fail(`duplicate key ${JSON.stringify(k)}`, keyAt);
        ws();
        expect(":");
        obj[k] = value([...path, k], depth + 1);
        ws();
        if (text[i] === ",") {
          i++;
          ws();
          if (text[i] === "}") fail("trailing comma before '}'");
          continue;
        }
        if (text[i] === "}") {
          i++;
          return obj;
        }
        fail(`expected ',' or '}', found ${describe(text[i])}`);
      }
    }
    if (c === "[") {
      i++;
      const arr: JsonValue[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return arr;
      }
      while (true) {
        arr.push(value([...path, arr.length], depth + 1));
        ws();
        if (text[i] === ",") {
          i++;
          ws();
          if (text[i] === "]") fail("trailing comma before ']'");
          continue;
        }
        if (text[i] === "]") {
          i++;
          return arr;
        }
        fail(`expected ',' or ']', found ${describe(text[i])}`);
      }
    }
    if (c === '"') return str();
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i, i + 400));
    if (m && m[0].length) {
      i += m[0].length;
      return Number(m[0]);
    }
    for (const [word, v] of [["true", true], ["false", false], ["null", null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    return fail(c === undefined ? "unexpected end of file" : `unexpected ${describe(c)}`);
  };
  const v = value([], 0);
  ws();
  if (i < text.length) fail(`unexpected ${describe(text[i])} after the JSON value`);
  return {
    value: v,
    at(path) {
      for (let n = path.length; n >= 0; n--) {
        const s = starts.get(JSON.stringify(path.slice(0, n)));
        if (s !== undefined) return lineCol(text, s);
      }
      return { line: 1, col: 1 };
    },
  };
}
