// Reads a per-environment .env file of the replaced Druid GitOps repository (sourced by bash there):
// KEY=value, KEY="value", KEY='value', comments and blank lines. Every entry keeps its line and column.
import type { Diagnostic } from "../../dsl/diagnostics";

export interface EnvEntry {
  key: string;
  value: string;
  line: number;
  /** Column where the value starts. */
  col: number;
}

export interface EnvFile {
  file: string;
  entries: Map<string, EnvEntry>;
  problems: Diagnostic[];
}

export function parseEnvFile(file: string, text: string): EnvFile {
  const entries = new Map<string, EnvEntry>();
  const problems: Diagnostic[] = [];
  text.split(/\r?\n/).forEach((raw, n) => {
    const line = n + 1;
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith("#")) return;
    const indent = raw.length - raw.trimStart().length;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(trimmed);
    if (!m) {
      problems.push({ file, line, col: indent + 1, message: "expected KEY=value" });
      return;
    }
    const valueCol = indent + trimmed.indexOf("=") + 2;
    let v = m[2];
    const q = v[0];
    if (q === '"' || q === "'") {
      const end = v.indexOf(q, 1);
      if (end < 0) {
        problems.push({ file, line, col: valueCol, message: `unterminated ${q === '"' ? "double" : "single"} quote` });
        return;
      }
      const rest = v.slice(end + 1).trim();
      if (rest && !rest.startsWith("#")) {
        problems.push({ file, line, col: valueCol + end + 1, message: "unexpected text after the closing quote" });
        return;
      }
      v = v.slice(1, end);
    } else {
      v = v.replace(/\s+#.*$/, "").trim();
    }
    if (entries.has(m[1])) problems.push({ file, line, col: indent + 1, message: `${m[1]} is set twice (first on line ${entries.get(m[1])!.line})` });
    entries.set(m[1], { key: m[1], value: v, line, col: valueCol });
  });
  return { file, entries, problems };
}
