// Painless scripts are limited to script.max_size_in_bytes (65,535 by default): the runtime ships without
// comments and insignificant whitespace. The minified text is what the JDK conformance test compiles.

const IDENT = /[A-Za-z0-9_$]/;

/** Drops whole-line comments and every whitespace run except one space between two identifier characters. */
export function minifyJava(source: string): string {
  const code = source
    .split("\n")
    .filter((l) => !/^\s*(\/\/|\/\*\*.*\*\/\s*$)/.test(l))
    .join("\n");
  let out = "";
  let pendingSpace = false;
  let inString = false;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (inString) {
      out += c;
      if (c === '"') inString = false;
      continue;
    }
    if (/\s/.test(c)) {
      pendingSpace = true;
      continue;
    }
    if (pendingSpace && out && IDENT.test(out[out.length - 1]) && IDENT.test(c)) out += " ";
    pendingSpace = false;
    if (c === '"') inString = true;
    out += c;
  }
  return out;
}
