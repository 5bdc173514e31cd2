// Every user-facing problem is a Diagnostic with file:line:col, so editors and CI logs can jump to it.

export interface Position {
  line: number;
  col: number;
}

export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  message: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.message}`;
}

/** A user error: printed without a stack trace, exit code non-zero. */
export class MapstackError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[] | string) {
    const list = typeof diagnostics === "string" ? [] : diagnostics;
    super(typeof diagnostics === "string" ? diagnostics : list.map(formatDiagnostic).join("\n"));
    this.name = "MapstackError";
    this.diagnostics = list;
  }
}

export function isMapstackError(e: unknown): e is MapstackError {
  return e instanceof Error && e.name === "MapstackError";
}
