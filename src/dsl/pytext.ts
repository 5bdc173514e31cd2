// Python's notion of whitespace for str.strip(): Unicode White_Space plus the ASCII separators 0x1c–0x1f.
const PY_SPACE = "\\s\\u001c-\\u001f\\u0085";
const STRIP_RE = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, "g");

/**
 * Python's str.strip(). Most strings start and end with a printable ASCII character, which is never
 * whitespace: those are returned as they are without running the whitespace expression.
 */
export function pyStrip(s: string): string {
  const n = s.length;
  if (n === 0) return s;
  const a = s.charCodeAt(0);
  const b = s.charCodeAt(n - 1);
  if (a > 32 && a < 127 && b > 32 && b < 127) return s;
  return s.replace(STRIP_RE, "");
}
