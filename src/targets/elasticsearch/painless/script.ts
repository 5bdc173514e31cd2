// The text of the pipeline's scripts. A script is FUNCTIONS + PRELUDE + BODY: the functions and the body
// are Java-compatible Painless (runtime.ts, failure.ts) and are compiled unchanged by the JDK in the
// conformance test; the prelude is the only Painless-specific line (regex literals, which Painless
// compiles once with the script, since Pattern.compile is not available to scripts) and has a Java twin.
import { FAILURE_BODY, FAILURE_RUNTIME } from "./failure";
import { RUNTIME, RUNTIME_BODY } from "./runtime";

export interface ScriptText {
  functions: string;
  painlessPrelude: string;
  javaPrelude: string;
  body: string;
}

/** A Java string literal (ASCII, escapes for everything else). */
export function javaString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else for (const unit of ch.split("")) out += `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`;
  }
  return `${out}"`;
}

export function mappingScript(patterns: string[]): ScriptText {
  for (const p of patterns) if (p.includes("/") || /[\r\n\u2028\u2029]/.test(p) || /[^\x20-\x7e]/.test(p)) throw new Error(`internal: pattern not usable as a Painless regex literal: ${p}`);
  return {
    functions: RUNTIME,
    painlessPrelude: `Pattern[] RX = new Pattern[] {${patterns.map((p) => `/${p}/`).join(", ")}};\nList msIssues = new ArrayList();\n`,
    javaPrelude: `Pattern[] RX = new Pattern[] {${patterns.map((p) => `Pattern.compile(${javaString(p)})`).join(", ")}};\nList msIssues = this.issues;\n`,
    body: RUNTIME_BODY,
  };
}

export function failureScript(): ScriptText {
  return { functions: FAILURE_RUNTIME, painlessPrelude: "", javaPrelude: "", body: FAILURE_BODY };
}

export const painlessSource = (t: ScriptText): string => t.functions + t.painlessPrelude + t.body;
