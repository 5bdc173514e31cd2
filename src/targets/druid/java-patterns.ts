// The DSL's Python regular expressions and strptime formats, rewritten for the Java libraries Druid runs
// (java.util.regex in regexp_*; Joda-Time in timestamp_parse) so that they match what the local evaluator
// matches. The evaluator runs Python patterns as JavaScript RegExps (no `u` flag), so the target here is
// that behaviour: ASCII \d \w, JavaScript's \s, `.` stopping at \n \r \u2028 \u2029, `$` only at the end.
// Anything without a faithful rewrite is reported, never approximated.

export type Rewrite = { ok: true; value: string } | { ok: false; reason: string };

/** JavaScript's \s, as a Java character-class body. */
export const JS_SPACE_CLASS = "\\t\\n\\u000B\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF";
/** The evaluator's str.strip() whitespace (src/dsl/pytext.ts): JavaScript's \s plus 0x1c–0x1f and 0x85. */
export const PY_STRIP_CLASS = `${JS_SPACE_CLASS}\\u001C-\\u001F\\u0085`;
const LINE_BREAKS = "\\n\\r\\u2028\\u2029";
const WORD = "A-Za-z0-9_";

/** A Python pattern with the DSL's flag letters (i, m, s) as a Java pattern matching what the evaluator matches. */
export function javaRegex(pattern: string, flags: string): Rewrite {
  const multiline = flags.includes("m");
  const dotAll = flags.includes("s");
  let out = "";
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      const n = pattern[i + 1];
      i++;
      if (n === undefined) return { ok: false, reason: "pattern ends with a backslash" };
      const shorthand: Record<string, [string, string]> = {
        d: ["0-9", "[0-9]"], w: [WORD, `[${WORD}]`], s: [JS_SPACE_CLASS, `[${JS_SPACE_CLASS}]`],
      };
      if (shorthand[n]) out += inClass ? shorthand[n][0] : shorthand[n][1];
      else if ("DWS".includes(n)) {
        if (inClass) return { ok: false, reason: `\\${n} inside a character class has no Java equivalent with the same meaning` };
        out += `[^${shorthand[n.toLowerCase()][0]}]`;
      } else if (n === "A") out += "^";
      else if (n === "Z") out += "\\z";
      else if (n === "b" || n === "B") {
        if (inClass) out += "\\x08";
        else out += n === "b" ? `(?:(?<=[${WORD}])(?![${WORD}])|(?<![${WORD}])(?=[${WORD}]))` : `(?:(?<=[${WORD}])(?=[${WORD}])|(?<![${WORD}])(?![${WORD}]))`;
      } else if (/[0-9]/.test(n) && !inClass) {
        let num = n;
        while (/[0-9]/.test(pattern[i + 1] ?? "") && num.length < 2) num += pattern[++i];
        out += `\\${num}`;
      } else if (/[A-Za-z]/.test(n) && !"tnrfvx u".includes(n)) {
        return { ok: false, reason: `escape \\${n} has no checked Java equivalent` };
      } else out += `\\${n}`;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      if (c === "[") out += "\\[";
      else if (c === "&" && pattern[i + 1] === "&") {
        out += "\\&";
      } else out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      if (pattern[i + 1] === "^") out += pattern[++i];
      if (pattern[i + 1] === "]") {
        out += "\\]";
        i++;
      }
      continue;
    }
    if (c === ".") out += dotAll ? "[\\s\\S]" : `[^${LINE_BREAKS}]`;
    else if (c === "$") out += multiline ? `(?=[${LINE_BREAKS}]|\\z)` : "\\z";
    else if (c === "^") out += multiline ? `(?:^|(?<=[${LINE_BREAKS}]))` : "^";
    else if (pattern.startsWith("(?P<", i)) {
      out += "(?<";
      i += 3;
    } else if (pattern.startsWith("(?P=", i)) {
      const end = pattern.indexOf(")", i);
      if (end < 0) return { ok: false, reason: "unterminated (?P=" };
      out += `\\k<${pattern.slice(i + 4, end)}>`;
      i = end;
    } else if (pattern.startsWith("(?<", i) || pattern.startsWith("(?#", i) || /^\(\?[aiLmsux]/.test(pattern.slice(i))) {
      return { ok: false, reason: `group syntax '${pattern.slice(i, i + 4)}' has no checked Java equivalent` };
    } else if (c === "{" && !/^\{\d+(,\d*)?\}/.test(pattern.slice(i))) out += "\\{";
    else out += c;
  }
  if (inClass) return { ok: false, reason: "unterminated character class" };
  // Java's (?i) is ASCII-only unless UNICODE_CASE; the evaluator's RegExp 'i' folds Unicode letters.
  return { ok: true, value: (flags.includes("i") ? "(?iu)" : "") + out };
}

/** A Python re.sub replacement template (\1, \g<1>, \g<name>, \n …) as a java.util.regex replacement. */
export function javaReplacement(repl: string): Rewrite {
  let out = "";
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i];
    if (c === "$") out += "\\$";
    else if (c !== "\\") out += c;
    else {
      const n = repl[i + 1];
      if (n === undefined) return { ok: false, reason: "replacement ends with a backslash" };
      if (/\d/.test(n)) {
        const two = /\d/.test(repl[i + 2] ?? "") ? repl.slice(i + 1, i + 3) : n;
        // Java reads as many digits after $ as form a group number: a digit right after the reference is refused.
        if (/\d/.test(repl[i + 1 + two.length] ?? "")) return { ok: false, reason: "group reference followed by a digit" };
        out += `$${Number(two)}`;
        i += two.length;
      } else if (n === "g") {
        const m = /^<([^>]*)>/.exec(repl.slice(i + 2));
        if (!m) return { ok: false, reason: "\\g without <group>" };
        out += /^\d+$/.test(m[1]) ? `$${Number(m[1])}` : `\${${m[1]}}`;
        if (/^\d+$/.test(m[1]) && /\d/.test(repl[i + 2 + m[0].length] ?? "")) return { ok: false, reason: "group reference followed by a digit" };
        i += 1 + m[0].length;
      } else {
        const esc: Record<string, string> = { n: "\n", t: "\t", r: "\r", f: "\f", v: "\v", a: "\x07", b: "\b", "\\": "\\\\" };
        if (esc[n] !== undefined) out += esc[n];
        else if (/[A-Za-z]/.test(n)) return { ok: false, reason: `bad escape \\${n}` };
        else out += `\\\\${n === "$" ? "\\$" : n}`;
        i++;
      }
    }
  }
  return { ok: true, value: out };
}

/** Number of capturing groups of a (JavaScript-valid) pattern. */
export function groupCount(jsPattern: RegExp): number {
  return new RegExp(`${jsPattern.source}|`).exec("")!.length - 1;
}

/**
 * A Python strptime format as a Joda-Time pattern that accepts the same strings (the input is first
 * stripped, as the evaluator does). Directives whose parsing differs (two-digit years pivot on the current
 * date in Joda, %Z, week numbers, …) are refused with the reason.
 */
export function jodaPattern(fmt: string): Rewrite {
  const DIRECTIVE: Record<string, string> = {
    Y: "yyyy", m: "M", d: "d", H: "H", M: "m", S: "s", f: "SSSSSS", z: "Z", b: "MMM", B: "MMMM", a: "EEE", A: "EEEE", I: "h", p: "a", j: "D",
  };
  let out = "";
  let lit = "";
  const flush = () => {
    if (lit) out += `'${lit.replace(/'/g, "''")}'`;
    lit = "";
  };
  const used = new Set<string>();
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c === "%") {
      const k = fmt[++i];
      if (k === "%") {
        lit += "%";
        continue;
      }
      if (k === undefined || !DIRECTIVE[k]) return { ok: false, reason: `strptime directive %${k ?? ""} has no Joda-Time equivalent that parses the same strings` };
      if (used.has(k)) return { ok: false, reason: `strptime directive %${k} appears twice (Python rejects the format)` };
      used.add(k);
      flush();
      out += DIRECTIVE[k];
    } else if (/\s/.test(c)) {
      return { ok: false, reason: "whitespace in a strptime format matches any run of whitespace in Python, one character in Joda-Time" };
    } else if (/[A-Za-z]/.test(c)) {
      lit += c;
    } else lit += c;
  }
  flush();
  if (!used.has("Y")) return { ok: false, reason: "a format without %Y defaults the year to 1900 in Python and 2000 in Joda-Time" };
  if (used.has("I") !== used.has("p")) return { ok: false, reason: "%I without %p (or %p without %I) parses differently in Joda-Time" };
  if (used.has("j") && (used.has("m") || used.has("d"))) return { ok: false, reason: "%j together with %m/%d resolves differently in Joda-Time" };
  if ((used.has("a") || used.has("A"))) return { ok: false, reason: "Python ignores a weekday name that contradicts the date; Joda-Time rejects it" };
  return { ok: true, value: out };
}
