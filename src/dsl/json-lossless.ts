// JSON as the seed (Python's json) reads it: a number written with a fraction or exponent is a float
// even when integral (1.0 stays 1.0 when printed or joined), unlike JavaScript's JSON.parse. Lines
// without such numbers take the native parser.
import { PyFloat } from "./values";

const MAYBE_FLOAT = /\d[.eE]/;

export function parseJson(text: string): unknown {
  if (!MAYBE_FLOAT.test(text)) return JSON.parse(text);
  const value = JSON.parse(text);
  return hasIntegralFloat(text) ? new LosslessParser(text).parse() : value;
}

/** Whether some number token (outside strings) has a fraction/exponent and an integral value. */
function hasIntegralFloat(text: string): boolean {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 45 || (c >= 48 && c <= 57)) {
      const m = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i, i + 400))!;
      if ((m[1] || m[2]) && (Number.isInteger(Number(m[0])) || Object.is(Number(m[0]), -0))) return true;
      i += m[0].length - 1;
    }
  }
  return false;
}

class LosslessParser {
  private i = 0;
  constructor(private readonly s: string) {}

  parse(): unknown {
    const v = this.value();
    this.ws();
    return v;
  }

  private ws(): void {
    while (this.i < this.s.length && " \t\n\r".includes(this.s[this.i])) this.i++;
  }

  private value(): unknown {
    this.ws();
    const c = this.s[this.i];
    if (c === "{") {
      this.i++;
      const o: Record<string, unknown> = {};
      this.ws();
      if (this.s[this.i] === "}") {
        this.i++;
        return o;
      }
      for (;;) {
        this.ws();
        const k = this.string();
        this.ws();
        this.i++; // ':' (validity was checked by JSON.parse)
        o[k] = this.value();
        this.ws();
        if (this.s[this.i++] === "}") return o;
      }
    }
    if (c === "[") {
      this.i++;
      const a: unknown[] = [];
      this.ws();
      if (this.s[this.i] === "]") {
        this.i++;
        return a;
      }
      for (;;) {
        a.push(this.value());
        this.ws();
        if (this.s[this.i++] === "]") return a;
      }
    }
    if (c === '"') return this.string();
    if (this.s.startsWith("true", this.i)) return (this.i += 4), true;
    if (this.s.startsWith("false", this.i)) return (this.i += 5), false;
    if (this.s.startsWith("null", this.i)) return (this.i += 4), null;
    const m = /-?\d+(\.\d+)?([eE][-+]?\d+)?/y;
    m.lastIndex = this.i;
    const t = m.exec(this.s)!;
    this.i += t[0].length;
    const n = Number(t[0]);
    return (t[1] || t[2]) && (Number.isInteger(n) || Object.is(n, -0)) ? new PyFloat(n) : n;
  }

  private string(): string {
    const start = this.i;
    this.i++;
    while (this.s[this.i] !== '"') this.i += this.s[this.i] === "\\" ? 2 : 1;
    this.i++;
    return JSON.parse(this.s.slice(start, this.i));
  }
}
