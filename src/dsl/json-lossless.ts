// JSON as the seed (Python's json) reads it: a number written with a fraction or exponent is a float
// even when integral (1.0 stays 1.0 when printed or joined), unlike JavaScript's JSON.parse. Lines
// without such numbers take the native parser.
import { PyFloat, setOwn } from "./values";

export function parseJson(text: string): unknown {
  return hasIntegralFloat(text) ? parseJsonLossless(text) : JSON.parse(text);
}

/** What parseJson returns, always through the lossless parser (the reference its shortcut is tested against). */
export function parseJsonLossless(text: string): unknown {
  JSON.parse(text); // a syntax error is reported as the native parser words it
  return new LosslessParser(text).parse();
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * Whether some number token (outside strings) has a fraction/exponent and an integral value. Never
 * throws: on invalid JSON the answer does not matter, JSON.parse reports it. The text between number
 * tokens is skipped by one sticky expression (strings with their escapes, and everything that is not a
 * quote, a digit or '-'); a long text is scanned in plain code instead, with the same answer.
 */
function hasIntegralFloat(text: string): boolean {
  if (text.length > SKIPS_UP_TO) return integralFloatByScan(text);
  try {
    return integralFloatAfterSkips(text);
  } catch {
    return integralFloatByScan(text); // (the expression's backtracking stack overflowed)
  }
}

/** Longest text skipped with the expression (its backtracking stack grows with a string's length). */
const SKIPS_UP_TO = 256 * 1024;

/**
 * From a position, past every string and every character that cannot start a number. Written as runs
 * ([^"\\]* inside strings) rather than one alternative per character: a third faster on small documents,
 * twice on long strings.
 */
const TO_NUMBER = /(?:[^"\d-]+|"[^"\\]*(?:\\[^][^"\\]*)*")*/y;

function integralFloatAfterSkips(text: string): boolean {
  const n = text.length;
  let i = 0;
  while (i < n) {
    TO_NUMBER.lastIndex = i;
    TO_NUMBER.test(text);
    i = TO_NUMBER.lastIndex;
    if (i >= n || text.charCodeAt(i) === 34) return false; // the end, or a string that is never closed
    const end = numberEnd(text, i);
    if (end < 0) return true;
    i = end;
  }
  return false;
}

/** The same answer in one pass of plain code, strings skipped with indexOf. */
function integralFloatByScan(text: string): boolean {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      let j = text.indexOf('"', i + 1);
      while (j !== -1) {
        let backslashes = 0;
        for (let k = j - 1; text.charCodeAt(k) === 92; k--) backslashes++;
        if ((backslashes & 1) === 0) break;
        j = text.indexOf('"', j + 1);
      }
      if (j === -1) return false;
      i = j + 1;
      continue;
    }
    if (c === 45 || isDigit(c)) {
      const end = numberEnd(text, i);
      if (end < 0) return true;
      i = end;
      continue;
    }
    i++;
  }
  return false;
}

/**
 * The number token starting at `start` ('-' or a digit): -1 when it has a fraction or exponent and an
 * integral value, else the index after it. No allocation except for exponent or long-fraction tokens
 * (the only ones whose integrality needs Number()).
 */
function numberEnd(text: string, start: number): number {
  const n = text.length;
  let i = start + 1;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  let fraction = false;
  let nonZeroFraction = false;
  let exponent = false;
  if (text.charCodeAt(i) === 46 && isDigit(text.charCodeAt(i + 1))) {
    fraction = true;
    i++;
    for (let d = text.charCodeAt(i); i < n && isDigit(d); d = text.charCodeAt(++i)) if (d !== 48) nonZeroFraction = true;
  }
  const e = text.charCodeAt(i);
  if (e === 101 || e === 69) {
    let j = i + 1;
    const sign = text.charCodeAt(j);
    if (sign === 43 || sign === 45) j++;
    if (isDigit(text.charCodeAt(j))) {
      exponent = true;
      i = j;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    }
  }
  if (!fraction && !exponent) return i;
  // Up to 15 characters, a non-zero fraction cannot round to an integer; beyond, Number() decides.
  if (!exponent && !nonZeroFraction) return -1;
  if (exponent || i - start > 15) {
    const v = Number(text.slice(start, i));
    if (Number.isInteger(v) || Object.is(v, -0)) return -1;
  }
  return i;
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
        setOwn(o, k, this.value()); // JSON.parse makes "__proto__" an own member too
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
