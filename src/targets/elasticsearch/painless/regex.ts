// The DSL's regexes inside Elasticsearch. The local evaluator runs a Python pattern as a JavaScript RegExp
// (src/dsl/pyregex.ts rewrites (?P<name>), \A, \Z); the pipeline runs it with java.util.regex. This
// module reads the JavaScript pattern the evaluator builds (Annex B syntax, no `u` flag) and writes the
// java.util.regex pattern that matches the same strings, spelling out every construct whose meaning
// differs between the two engines (`.`, `$`, `^` with m, `\s`, `\b`, literal escapes, class syntax).
// What cannot be written exactly is reported as a problem (positioned by the caller) instead of guessed.
import { pyRegex } from "../../../dsl/pyregex";

export interface JavaRegex {
  /** java.util.regex source, ASCII only, never containing '/' or a line break (so it is a valid Painless regex literal). */
  java: string;
  /** Number of capturing groups (same numbering as the JavaScript pattern). */
  groups: number;
  /** Named groups → their number. */
  names: Record<string, number>;
}

export type RegexTranslation = { ok: true; regex: JavaRegex } | { ok: false; problem: string };

const JS_SPACE = "\\t\\n\\x{B}\\f\\r\\x{20}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}";
const LINE_TERMINATORS = "\\n\\r\\x{2028}\\x{2029}";
const WORD_BOUNDARY = "(?:(?<=\\w)(?!\\w)|(?<!\\w)(?=\\w))";
const NOT_WORD_BOUNDARY = "(?:(?<=\\w)(?=\\w)|(?<!\\w)(?!\\w))";

class Untranslatable extends Error {}

const hex = (code: number) => `\\x{${code.toString(16).toUpperCase()}}`;

/** ECMAScript Canonicalize for a non-unicode, ignoreCase RegExp (22.2.2.7.3). */
function canonicalize(code: number): number {
  const ch = String.fromCharCode(code);
  const u = ch.toUpperCase();
  if (u.length !== 1) return code;
  const cu = u.charCodeAt(0);
  return code >= 128 && cu < 128 ? code : cu;
}

let classes: Map<number, number[]> | null = null;
/** Every UTF-16 unit the evaluator's case-insensitive match treats as equal to `code` (itself included). */
function caseVariants(code: number): number[] {
  if (!classes) {
    classes = new Map();
    for (let c = 0; c <= 0xffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const k = canonicalize(c);
      const list = classes.get(k);
      if (list) list.push(c);
      else classes.set(k, [c]);
    }
  }
  return classes.get(canonicalize(code)) ?? [code];
}

/** One UTF-16 unit as a Java regex literal (Java's own (?i) folds ASCII letters only, as the evaluator does). */
function literal(code: number): string {
  if (code >= 0xd800 && code <= 0xdfff) throw new Untranslatable("characters outside the Basic Multilingual Plane are matched per UTF-16 unit locally and per code point by Java");
  if ((code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) return String.fromCharCode(code);
  return hex(code);
}

interface ClassItem {
  /** Java class body fragment. */
  text: string;
  /** Single character (for ranges), or null for a class escape. */
  code: number | null;
  negatedSet?: boolean;
}

class Parser {
  private i = 0;
  groups = 0;
  names: Record<string, number> = {};
  constructor(private readonly src: string, private readonly flags: { m: boolean; s: boolean; i: boolean }) {}

  /** A literal unit; under the i flag, a non-ASCII letter also matches its case variants (spelled out). */
  private lit(code: number): string {
    if (!this.flags.i || code < 128) return literal(code);
    const v = caseVariants(code);
    return v.length > 1 ? `[${v.map(literal).join("")}]` : literal(code);
  }

  /** Extra units a class member range must match under the i flag (non-ASCII case variants). */
  private extras(from: number, to: number): string {
    if (!this.flags.i) return "";
    const out = new Set<number>();
    for (let c = Math.max(from, 128); c <= to; c++) for (const v of caseVariants(c)) if (v < from || v > to) out.add(v);
    return [...out].map(literal).join("");
  }

  parse(): string {
    const out = this.disjunction();
    if (this.i < this.src.length) throw new Untranslatable(`unexpected '${this.src[this.i]}'`);
    return out;
  }

  private peek(k = 0): string | undefined {
    return this.src[this.i + k];
  }

  private disjunction(): string {
    const alts = [this.alternative()];
    while (this.peek() === "|") {
      this.i++;
      alts.push(this.alternative());
    }
    return alts.join("|");
  }

  private alternative(): string {
    let out = "";
    while (this.i < this.src.length && this.peek() !== "|" && this.peek() !== ")") out += this.term();
    return out;
  }

  private term(): string {
    const c = this.peek()!;
    if (c === "^") {
      this.i++;
      return this.flags.m ? `(?:^|(?<=[${LINE_TERMINATORS}]))` : "^";
    }
    if (c === "$") {
      this.i++;
      return this.flags.m ? `(?=[${LINE_TERMINATORS}]|\\z)` : "\\z";
    }
    if (c === "\\" && (this.peek(1) === "b" || this.peek(1) === "B")) {
      this.i += 2;
      return this.peek(-1) === "b" ? WORD_BOUNDARY : NOT_WORD_BOUNDARY;
    }
    if (this.src.startsWith("(?=", this.i) || this.src.startsWith("(?!", this.i)) {
      const head = this.src.slice(this.i, this.i + 3);
      this.i += 3;
      const inner = this.disjunction();
      this.expect(")");
      return head + inner + ")" + this.quantifier();
    }
    if (this.src.startsWith("(?<=", this.i) || this.src.startsWith("(?<!", this.i)) throw new Untranslatable("look-behind assertions are not supported by the Elasticsearch target");
    return this.atom() + this.quantifier();
  }

  private expect(c: string): void {
    if (this.peek() !== c) throw new Untranslatable(`expected '${c}'`);
    this.i++;
  }

  private quantifier(): string {
    const c = this.peek();
    let q = "";
    if (c === "*" || c === "+" || c === "?") {
      this.i++;
      q = c;
    } else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return "";
      this.i += m[0].length;
      q = m[0];
    } else return "";
    if (this.peek() === "?") {
      this.i++;
      q += "?";
    }
    return q;
  }

  private atom(): string {
    const c = this.peek()!;
    if (c === ".") {
      this.i++;
      return this.flags.s ? "(?s:.)" : `[^${LINE_TERMINATORS}]`;
    }
    if (c === "(") {
      if (this.src.startsWith("(?:", this.i)) {
        this.i += 3;
      } else if (this.src.startsWith("(?<", this.i)) {
        const m = /^\(\?<([A-Za-z_$][\w$]*)>/.exec(this.src.slice(this.i));
        if (!m) throw new Untranslatable("bad group name");
        this.i += m[0].length;
        this.names[m[1]] = ++this.groups;
        const inner = this.disjunction();
        this.expect(")");
        return `(${inner})`;
      } else if (this.src.startsWith("(?", this.i)) {
        throw new Untranslatable(`group syntax '${this.src.slice(this.i, this.i + 3)}' is not supported`);
      } else {
        this.i++;
        this.groups++;
        const inner = this.disjunction();
        this.expect(")");
        return `(${inner})`;
      }
      const inner = this.disjunction();
      this.expect(")");
      return `(?:${inner})`;
    }
    if (c === "[") return this.charClass();
    if (c === "\\") return this.atomEscape();
    if (c === "*" || c === "+" || c === "?") throw new Untranslatable("nothing to repeat");
    this.i++;
    return this.lit(c.charCodeAt(0));
  }

  private atomEscape(): string {
    const item = this.escape(false);
    if (item.code !== null) return this.lit(item.code);
    return item.negatedSet ? `[^${item.text}]` : `[${item.text}]`;
  }

  /** An escape after '\' (the backslash not yet consumed). */
  private escape(inClass: boolean): ClassItem {
    this.i++;
    const c = this.peek();
    if (c === undefined) throw new Untranslatable("trailing backslash");
    this.i++;
    switch (c) {
      case "d":
        return { text: "0-9", code: null };
      case "D":
        return { text: "0-9", code: null, negatedSet: true };
      case "w":
        return { text: "a-zA-Z0-9_", code: null };
      case "W":
        return { text: "a-zA-Z0-9_", code: null, negatedSet: true };
      case "s":
        return { text: JS_SPACE, code: null };
      case "S":
        return { text: JS_SPACE, code: null, negatedSet: true };
      case "n":
        return { text: "", code: 10 };
      case "r":
        return { text: "", code: 13 };
      case "t":
        return { text: "", code: 9 };
      case "f":
        return { text: "", code: 12 };
      case "v":
        return { text: "", code: 11 };
      case "b":
        if (inClass) return { text: "", code: 8 };
        break;
      case "0":
        if (!/\d/.test(this.peek() ?? "")) return { text: "", code: 0 };
        throw new Untranslatable("octal escapes are not supported");
      case "c": {
        const x = this.peek();
        if (x && /[A-Za-z]/.test(x)) {
          this.i++;
          return { text: "", code: x.charCodeAt(0) % 32 };
        }
        throw new Untranslatable("\\c must be followed by a letter");
      }
      case "x": {
        const m = /^[0-9a-fA-F]{2}/.exec(this.src.slice(this.i));
        if (m) {
          this.i += 2;
          return { text: "", code: parseInt(m[0], 16) };
        }
        return { text: "", code: "x".charCodeAt(0) };
      }
      case "u": {
        const m = /^[0-9a-fA-F]{4}/.exec(this.src.slice(this.i));
        if (m) {
          this.i += 4;
          return { text: "", code: parseInt(m[0], 16) };
        }
        return { text: "", code: "u".charCodeAt(0) };
      }
      case "k":
        if (Object.keys(this.names).length || /\(\?<[A-Za-z_$]/.test(this.src)) throw new Untranslatable("backreferences are not supported by the Elasticsearch target");
        return { text: "", code: "k".charCodeAt(0) };
    }
    if (/[1-9]/.test(c)) throw new Untranslatable("backreferences (and legacy octal escapes) are not supported by the Elasticsearch target");
    // Annex B identity escape: the character itself.
    return { text: "", code: c.charCodeAt(0) };
  }

  private charClass(): string {
    this.i++;
    let negated = false;
    if (this.peek() === "^") {
      negated = true;
      this.i++;
    }
    const items: ClassItem[] = [];
    while (this.peek() !== "]") {
      if (this.i >= this.src.length) throw new Untranslatable("unterminated character class");
      const a = this.classAtom();
      if (this.peek() === "-" && this.peek(1) !== "]" && this.peek(1) !== undefined) {
        const save = this.i;
        this.i++;
        const b = this.classAtom();
        if (a.code !== null && b.code !== null) {
          if (b.code < a.code) throw new Untranslatable("range out of order");
          items.push({ text: `${literal(a.code)}-${literal(b.code)}${this.extras(a.code, b.code)}`, code: null });
          continue;
        }
        // Annex B: a class escape next to '-' makes the '-' literal.
        this.i = save;
      }
      items.push(a);
    }
    this.i++;
    if (!items.length) return negated ? "(?s:.)" : "(?!)";
    const body = items
      .map((it) => {
        if (it.code !== null && it.text === "") return literal(it.code) + this.extras(it.code, it.code);
        if (it.negatedSet) {
          if (negated) throw new Untranslatable("a negated class containing \\D, \\W or \\S is not supported by the Elasticsearch target");
          return `[^${it.text}]`;
        }
        return it.text;
      })
      .join("");
    return `[${negated ? "^" : ""}${body}]`;
  }

  private classAtom(): ClassItem {
    const c = this.peek()!;
    if (c === "\\") {
      const it = this.escape(true);
      if (it.code !== null) return { text: "", code: it.code };
      return it;
    }
    this.i++;
    return { text: "", code: c.charCodeAt(0) };
  }
}

/** The JavaScript RegExp the evaluator builds, translated to java.util.regex. */
export function translateJsRegex(source: string, flags: string): RegexTranslation {
  if (flags.includes("u") || flags.includes("y") || flags.includes("v")) return { ok: false, problem: `regex flags '${flags}' are not supported` };
  try {
    const p = new Parser(source, { m: flags.includes("m"), s: flags.includes("s"), i: flags.includes("i") });
    const body = p.parse();
    const java = (flags.includes("i") ? "(?i)" : "") + (body === "" ? "(?:)" : body);
    return { ok: true, regex: { java, groups: p.groups, names: p.names } };
  } catch (e) {
    if (e instanceof Untranslatable) return { ok: false, problem: e.message };
    throw e;
  }
}

export type DslRegex =
  /** The evaluator fails every string value with this message (guard or invalid pattern). */
  | { kind: "error"; message: string }
  | { kind: "ok"; regex: JavaRegex }
  | { kind: "untranslatable"; problem: string };

/** A DSL regex op's pattern (Python syntax, flags i/m/s) as the evaluator runs it, for the pipeline. */
const translated = new Map<string, DslRegex>();

export function dslRegex(pattern: string, flags: string, guarded: boolean, global = false): DslRegex {
  const key = `${guarded ? "g" : "-"}${global ? "g" : "-"}${flags}\u0000${pattern}`;
  let r = translated.get(key);
  if (!r) translated.set(key, (r = translateDslRegex(pattern, flags, guarded, global)));
  return r;
}

function translateDslRegex(pattern: string, flags: string, guarded: boolean, global: boolean): DslRegex {
  if (guarded && pattern.length > 2000) return { kind: "error", message: "E_REGEX_GUARD: pattern too long" };
  if (guarded && pattern.includes("(?<")) return { kind: "error", message: "E_REGEX_GUARD: look-behind not allowed" };
  const r = pyRegex(pattern, flags, global);
  if (!r.ok) return { kind: "error", message: `E_REGEX_ERROR: ${r.message}` };
  const t = translateJsRegex(r.re.source, r.re.flags.replace("g", ""));
  return t.ok ? { kind: "ok", regex: t.regex } : { kind: "untranslatable", problem: t.problem };
}

/**
 * Why a DSL pattern cannot run identically in Elasticsearch (null when it can, or when the evaluator itself
 * rejects it: that rejection is reproduced by the pipeline). For validate to report as a positioned error.
 */
export function javaRegexProblem(pattern: string, flags = ""): string | null {
  const r = dslRegex(pattern, flags, true);
  return r.kind === "untranslatable" ? `pattern ${JSON.stringify(pattern)} cannot run identically in Elasticsearch: ${r.problem}` : null;
}
