// The DSL's regex ops are Python `re` patterns (the seed runs re.sub / re.search). They run here as
// JavaScript RegExps: named groups, \A/\Z and replacement templates are rewritten; the rest of the
// syntax the two share means the same.

export type RegexResult = { ok: true; re: RegExp } | { ok: false; message: string };

const FLAG_MAP: Record<string, string> = { i: "i", m: "m", s: "s" };

function translatePattern(p: string): string {
  let out = "";
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === "\\") {
      const n = p[i + 1];
      if (n === "A") out += "^";
      else if (n === "Z") out += "$(?![\\s\\S])";
      else out += c + (n ?? "");
      i++;
    } else if (p.startsWith("(?P<", i)) {
      out += "(?<";
      i += 3;
    } else if (p.startsWith("(?P=", i)) {
      const end = p.indexOf(")", i);
      out += `\\k<${p.slice(i + 4, end)}>`;
      i = end;
    } else out += c;
  }
  return out;
}

const cache = new Map<string, RegexResult>();

/** A Python pattern with the seed's flags letters (i, m, s) as a RegExp; `global` for substitution. */
export function pyRegex(pattern: string, flags: string, global: boolean): RegexResult {
  const key = `${global ? "g" : ""}${flags}\u0000${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let r: RegexResult;
  try {
    const f = [...new Set(flags.split(""))].map((x) => FLAG_MAP[x] ?? "").join("") + (global ? "g" : "");
    r = { ok: true, re: new RegExp(translatePattern(pattern), f) };
  } catch (e) {
    r = { ok: false, message: (e as Error).message.replace(/^Invalid regular expression: /, "") };
  }
  cache.set(key, r);
  return r;
}

/** One piece of a Python re.sub replacement template: literal text, or a group by number or name. */
export type ReplacementPart = { lit: string } | { group: number | string };

/** Parses a replacement template (\1, \g<1>, \g<name>, \n …) as Python reads it; throws Python's complaint. */
export function parsePyReplacement(repl: string): ReplacementPart[] {
  const parts: ReplacementPart[] = [];
  let lit = "";
  const flush = () => {
    if (lit) parts.push({ lit });
    lit = "";
  };
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i];
    if (c !== "\\") {
      lit += c;
      continue;
    }
    const n = repl[i + 1];
    if (n === undefined) throw new Error("bad escape (end of pattern)");
    if (/\d/.test(n)) {
      const two = /\d/.test(repl[i + 2] ?? "") ? repl.slice(i + 1, i + 3) : n;
      flush();
      parts.push({ group: Number(two) });
      i += two.length;
    } else if (n === "g") {
      const m = /^<([^>]*)>/.exec(repl.slice(i + 2));
      if (!m) throw new Error("missing group name");
      flush();
      parts.push({ group: /^\d+$/.test(m[1]) ? Number(m[1]) : m[1] });
      i += 2 + m[0].length - 1;
    } else {
      const esc: Record<string, string> = { n: "\n", t: "\t", r: "\r", f: "\f", v: "\v", a: "\x07", b: "\b", "\\": "\\" };
      if (esc[n] !== undefined) lit += esc[n];
      else if (/[A-Za-z]/.test(n)) throw new Error(`bad escape \\${n}`);
      else lit += `\\${n}`;
      i++;
    }
  }
  flush();
  return parts;
}

/** Python's re.sub replacement template as a replacer function. */
export function pyReplacement(repl: string): (match: string, groups: Array<string | undefined>, named: Record<string, string | undefined> | undefined) => string {
  const parts = parsePyReplacement(repl);
  return (match, groups, named) =>
    parts
      .map((p) => {
        if ("lit" in p) return p.lit;
        if (p.group === 0) return match;
        if (typeof p.group === "number") {
          if (p.group > groups.length) throw new Error(`invalid group reference ${p.group}`);
          return groups[p.group - 1] ?? "";
        }
        if (!named || !(p.group in named)) throw new Error(`unknown group name '${p.group}'`);
        return named[p.group] ?? "";
      })
      .join("");
}
