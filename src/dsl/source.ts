// Reads a DSL (or stack config) file into a YAML document that remembers where every node came from.
// Hostile input is rejected up front with bounded work: size cap, binary check, nesting cap, alias cap.
import * as jsYaml from "js-yaml";
import type { Document, LineCounter, Node } from "yaml";
import { Diagnostic, Position } from "./diagnostics";

/**
 * The positioned YAML parser, loaded on first use: the common file takes js-yaml's fast path and needs
 * positions only to report a problem, so most commands never pay for loading this one.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = (): typeof import("yaml") => require("yaml");

export const MAX_FILE_BYTES = 1024 * 1024;
export const MAX_NESTING_DEPTH = 32;
export const MAX_ALIASES = 50;

export type PathKey = string | number;

export interface SourceDocument {
  file: string;
  text: string;
  value: unknown;
  /** Position of the node at `path`, or of the nearest existing ancestor; `key` points at the mapping key. */
  locate(path: readonly PathKey[], opts?: { key?: boolean }): Position;
  /** The YAML document, for editors that keep comments (promote). */
  doc: Document;
  lineCounter: LineCounter;
}

export type ReadResult = { ok: true; source: SourceDocument } | { ok: false; diagnostics: Diagnostic[] };

const at = (file: string, message: string, line = 1, col = 1): Diagnostic => ({ file, line, col, message });

function decodeText(file: string, bytes: Uint8Array): string | Diagnostic {
  if (bytes.length > MAX_FILE_BYTES) {
    return at(file, `file is ${bytes.length} bytes; the limit is ${MAX_FILE_BYTES} bytes (1 MiB)`);
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < nul; i++) if (bytes[i] === 10) {
      line++;
      lineStart = i + 1;
    }
    return at(file, `binary content (NUL byte at offset ${nul}); expected a YAML or JSON text file`, line, nul - lineStart + 1);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return at(file, "not valid UTF-8 text; expected a YAML or JSON text file");
  }
}

/** Flow collections (`[[[[…`) nest without indentation: bound them before the parser recurses into them. */
function flowDepthOffset(text: string): number | null {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === "#") {
      const nl = text.indexOf("\n", i);
      i = nl < 0 ? text.length : nl;
    } else if (c === "[" || c === "{") {
      if (++depth > MAX_NESTING_DEPTH) return i;
    } else if (c === "]" || c === "}") depth = Math.max(0, depth - 1);
  }
  return null;
}

/**
 * Block collections nest by indentation, and `- - - x` nests one sequence per indicator on a single line:
 * estimate the depth from the text so the parser never recurses into thousands of levels (it overflows the
 * stack, and V8 can then abort the whole process). The estimate may undercount (a sequence at its parent
 * key's indentation), never by more than half, so nestingProblem still applies the exact limit after parsing.
 */
function blockDepthOffset(text: string): number | null {
  const stack: number[] = [];
  let lineStart = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf("\n", lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    let i = lineStart;
    while (i < lineEnd && text.charCodeAt(i) === 32) i++;
    const c = text[i];
    if (i < lineEnd && c !== "#" && c !== "\r") {
      const ind = i - lineStart;
      while (stack.length && stack[stack.length - 1] > ind) stack.pop();
      if (!stack.length || stack[stack.length - 1] < ind) stack.push(ind);
      // Compact nested collections: each "- " or "? " followed by more content opens one more level.
      while ((text[i] === "-" || text[i] === "?") && (text[i + 1] === " " || text[i + 1] === "\t")) {
        let j = i + 1;
        while (j < lineEnd && (text[j] === " " || text[j] === "\t")) j++;
        if (j >= lineEnd || text[j] === "#" || text[j] === "\r") break;
        stack.push(j - lineStart);
        if (stack.length - 1 > MAX_NESTING_DEPTH) return j;
        i = j;
      }
      if (stack.length - 1 > MAX_NESTING_DEPTH) return i;
    }
    lineStart = lineEnd + 1;
  }
  return null;
}

function nestingProblem(file: string, root: Node | null, lc: LineCounter): Diagnostic | null {
  const { isMap, isPair, isSeq } = yaml();
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (isMap(node) || isSeq(node)) {
      if (depth > MAX_NESTING_DEPTH) {
        const p = lc.linePos(node.range?.[0] ?? 0);
        return at(file, `document nests deeper than ${MAX_NESTING_DEPTH} levels`, p.line, p.col);
      }
      for (const item of node.items as unknown[]) {
        if (isPair(item)) stack.push([item.value, depth + 1]);
        else stack.push([item, depth + 1]);
      }
    }
  }
  return null;
}

/** A locator for a document only js-yaml could read: everything points where the positioned parser stopped. */
function unpositioned(where: Diagnostic): Positioned {
  // No YAML document to edit either (promote edits stack files, which the positioned parser reads).
  return { ok: true, value: null, locate: () => ({ line: where.line, col: where.col }), doc: null, lineCounter: null } as unknown as Positioned;
}

export function readSource(file: string, input: string | Uint8Array): ReadResult {
  const decoded = typeof input === "string" ? input : decodeText(file, input);
  if (typeof decoded !== "string") return { ok: false, diagnostics: [decoded] };
  // YAML reads CR, LF and CRLF as line breaks; the two parsers agree only on LF, so that is what they get
  // (line numbers are unchanged: every break stays one break).
  const text = decoded.includes("\r") ? decoded.replace(/\r\n?/g, "\n") : decoded;
  if (typeof input === "string" && Buffer.byteLength(input) > MAX_FILE_BYTES) {
    return { ok: false, diagnostics: [at(file, `file is larger than the ${MAX_FILE_BYTES}-byte (1 MiB) limit`)] };
  }
  if (text.trim() === "" || /^(\s*#[^\n]*\n?)*\s*$/.test(text)) {
    return { ok: false, diagnostics: [at(file, "file is empty; expected a mapping document (dsl_version, index, globals, id_policy, fields)")] };
  }
  const flow = flowDepthOffset(text);
  if (flow !== null) {
    return { ok: false, diagnostics: [positionFromOffset(file, text, `document nests deeper than ${MAX_NESTING_DEPTH} levels`, flow)] };
  }
  const block = blockDepthOffset(text);
  if (block !== null) {
    return { ok: false, diagnostics: [positionFromOffset(file, text, `document nests deeper than ${MAX_NESTING_DEPTH} levels`, block)] };
  }
  const fast = fastValue(text);
  if (fast.ok) {
    const deepValue = valueDepthExceeded(fast.value);
    if (!deepValue) {
      // Positions are only needed to report a problem: the positioned parse runs then, not on every compile.
      let slow: Positioned | null = null;
      const positioned = (): Positioned => {
        if (!slow) {
          const r = parsePositioned(file, text);
          // The two parsers disagree on a corner of YAML: the value stands, problems point at the parser's complaint.
          slow = r.ok ? r : unpositioned(r.diagnostics[0] ?? at(file, ""));
        }
        return slow;
      };
      return {
        ok: true,
        source: {
          file,
          text,
          value: fast.value,
          locate: (path, opts) => positioned().locate(path, opts),
          get doc() {
            return positioned().doc;
          },
          get lineCounter() {
            return positioned().lineCounter;
          },
        },
      };
    }
  }
  const r = parsePositioned(file, text);
  if (!r.ok) return r;
  return { ok: true, source: { file, text, value: r.value, locate: r.locate, doc: r.doc, lineCounter: r.lineCounter } };
}

/** Anchors make aliases possible, and aliases are what alias bombs are made of: those go the capped way. */
const ANCHOR_RE = /(^|[\s[{,])&[^\s&\]},]/;

/**
 * The common case — a plain DSL file without anchors or tags — parsed by js-yaml's YAML 1.2 core schema,
 * an order of magnitude faster than the positioned parse. Anything unusual returns ok: false and takes
 * the positioned path, which reports problems with line and column.
 */
function fastValue(text: string): { ok: true; value: unknown } | { ok: false } {
  if (ANCHOR_RE.test(text) || text.includes("!")) return { ok: false };
  try {
    return { ok: true, value: jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, json: false }) };
  } catch {
    return { ok: false };
  }
}

function valueDepthExceeded(value: unknown): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v && typeof v === "object") {
      if (depth > MAX_NESTING_DEPTH) return true;
      for (const x of Array.isArray(v) ? v : Object.values(v)) stack.push([x, depth + 1]);
    }
  }
  return false;
}

interface Positioned {
  ok: true;
  value: unknown;
  doc: Document;
  lineCounter: LineCounter;
  locate: SourceDocument["locate"];
}

function parsePositioned(file: string, text: string): Positioned | { ok: false; diagnostics: Diagnostic[] } {
  const { isMap, isScalar, isSeq, LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  } catch (e) {
    return { ok: false, diagnostics: [at(file, `cannot parse: ${(e as Error).message}`)] };
  }
  const diagnostics: Diagnostic[] = [];
  for (const err of doc.errors) {
    const p = err.linePos?.[0] ?? lineCounter.linePos(err.pos[0]);
    diagnostics.push(at(file, `not valid YAML: ${firstLine(err.message)}`, p.line, p.col));
  }
  if (diagnostics.length) return { ok: false, diagnostics };
  const deep = nestingProblem(file, doc.contents as Node | null, lineCounter);
  if (deep) return { ok: false, diagnostics: [deep] };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    const msg = (e as Error).message;
    const reason = /alias/i.test(msg)
      ? `too many YAML alias expansions (limit ${MAX_ALIASES}); aliases are capped to stop "billion laughs" documents`
      : `cannot read document: ${firstLine(msg)}`;
    return { ok: false, diagnostics: [at(file, reason)] };
  }
  const locate = (path: readonly PathKey[], opts: { key?: boolean } = {}): Position => {
    let node: unknown = doc.contents;
    let best: { range?: [number, number, number] | null } | null = (doc.contents as Node) ?? null;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        if (last && opts.key) {
          best = pair.key as Node;
          break;
        }
        node = pair.value;
      } else if (isSeq(node) && typeof seg === "number") {
        node = node.items[seg];
      } else break;
      if (node && typeof node === "object" && "range" in node) best = node as Node;
      else break;
    }
    const offset = best?.range?.[0] ?? 0;
    return lineCounter.linePos(offset);
  };
  return { ok: true, value, doc, lineCounter, locate };
}

function firstLine(s: string): string {
  return s.split("\n")[0].trim();
}

function positionFromOffset(file: string, text: string, message: string, offset: number): Diagnostic {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) {
    line++;
    lineStart = i + 1;
  }
  return at(file, message, line, offset - lineStart + 1);
}
