// Painless scripts are limited to script.max_size_in_bytes (65,535 by default): the runtime ships without
// comments and insignificant whitespace. The minified text is what the JDK conformance test compiles.

/** Identifier characters [A-Za-z0-9_$] by char code. */
const isIdent = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;
/** What /\s/ matches, ASCII by code, the rest by the expression (the runtime is loaded by every command that compiles). */
const isSpace = (c: number, ch: string): boolean => (c < 128 ? c === 32 || (c >= 9 && c <= 13) : /\s/.test(ch));

/** Drops whole-line comments and every whitespace run except one space between two identifier characters. */
export function minifyJava(source: string): string {
  const code = source
    .split("\n")
    .filter((l) => !/^\s*(\/\/|\/\*\*.*\*\/\s*$)/.test(l))
    .join("\n");
  const out: string[] = [];
  let last = -1; // char code of the last character written (-1: none yet)
  let pendingSpace = false;
  let i = 0;
  const n = code.length;
  while (i < n) {
    const c = code.charCodeAt(i);
    if (isSpace(c, code[i])) {
      pendingSpace = true;
      i++;
      continue;
    }
    if (pendingSpace && last !== -1 && isIdent(last) && isIdent(c)) out.push(" ");
    pendingSpace = false;
    if (c === 34) {
      // A string literal is copied as it is, up to the next '"' (or the end).
      const end = code.indexOf('"', i + 1);
      const stop = end === -1 ? n : end + 1;
      out.push(code.slice(i, stop));
      last = code.charCodeAt(stop - 1);
      i = stop;
      continue;
    }
    // A run of characters that are neither whitespace nor a quote is copied in one piece.
    let j = i + 1;
    while (j < n) {
      const d = code.charCodeAt(j);
      if (d === 34 || isSpace(d, code[j])) break;
      j++;
    }
    out.push(code.slice(i, j));
    last = code.charCodeAt(j - 1);
    i = j;
  }
  return out.join("");
}
