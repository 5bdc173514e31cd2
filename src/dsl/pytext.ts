// Python's notion of whitespace for str.strip(): Unicode White_Space plus the ASCII separators 0x1c–0x1f.
const PY_SPACE = "\\s\\u001c-\\u001f\\u0085";
const STRIP_RE = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, "g");

export function pyStrip(s: string): string {
  return s.replace(STRIP_RE, "");
}
