// Reads a JSON object keeping only the top-level members a mapping reads. Events often carry kilobytes
// of payload no field looks at; building objects for it was most of simulate's cost on such documents.
// The members left out are still checked to be valid JSON (a line JSON.parse refuses is refused here
// too, with JSON.parse's own message), but nothing is built for them.
import { parseJson } from "./json-lossless";

/** Below this length a document is parsed whole: the members' scan costs more than it saves. */
const WORTH_SCANNING = 2048;
/** Large lines scanned before deciding whether scanning pays on this input, and the share it must leave out. */
const TRIAL_LINES = 64;
const WORTH_DROPPING = 0.3;

const STRING = /"[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y;
const OBJECT = 1;
const ARRAY = 2;

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

function skipSpace(s: string, i: number): number {
  while (isSpace(s.charCodeAt(i))) i++;
  return i;
}

/** The index after the JSON string at i, or -1. */
function stringEnd(s: string, i: number): number {
  STRING.lastIndex = i;
  return STRING.test(s) ? STRING.lastIndex : -1;
}

/** The index after `"key" :` at i (spaces skipped), or -1. */
function keyEnd(s: string, i: number): number {
  i = stringEnd(s, skipSpace(s, i));
  if (i < 0) return -1;
  i = skipSpace(s, i);
  return s.charCodeAt(i) === 58 ? i + 1 : -1;
}

/**
 * The index after the JSON value starting at i (after optional spaces), or -1 when it is not valid JSON.
 * Iterative, so a deeply nested value cannot overflow the stack.
 */
export function valueEnd(s: string, i: number): number {
  const open: number[] = [];
  for (;;) {
    i = skipSpace(s, i);
    const c = s.charCodeAt(i);
    if (c === 34) i = stringEnd(s, i);
    else if (c === 123 || c === 91) {
      const inner = skipSpace(s, i + 1);
      if (s.charCodeAt(inner) === (c === 123 ? 125 : 93)) i = inner + 1;
      else {
        open.push(c === 123 ? OBJECT : ARRAY);
        i = c === 123 ? keyEnd(s, inner) : inner;
        if (i < 0) return -1;
        continue;
      }
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      NUMBER.lastIndex = i;
      i = NUMBER.test(s) ? NUMBER.lastIndex : -1;
    } else if (c === 116 && s.startsWith("true", i)) i += 4;
    else if (c === 102 && s.startsWith("false", i)) i += 5;
    else if (c === 110 && s.startsWith("null", i)) i += 4;
    else return -1;
    if (i < 0) return -1;
    // After a value: close what ends here, then a comma leads to the next value.
    for (;;) {
      if (open.length === 0) return i;
      i = skipSpace(s, i);
      const d = s.charCodeAt(i);
      const top = open[open.length - 1];
      if (d === 44) {
        i = top === OBJECT ? keyEnd(s, i + 1) : i + 1;
        if (i < 0) return -1;
        break;
      }
      if (d !== (top === OBJECT ? 125 : 93)) return -1;
      open.pop();
      i++;
    }
  }
}

/**
 * A parser of documents for a mapping that reads only `keys` at the top level: an object line of some
 * size is parsed as the object of those members only (same values, same order, duplicates resolved as
 * JSON.parse does, floats as parseJson reads them). Anything else is parsed whole.
 */
export function memberParser(keys: ReadonlySet<string>): (text: string) => unknown {
  // When the first large lines show the mapping reads most of what they hold, the scan is only overhead
  // for this input: the rest is parsed whole (same values either way).
  let scanned = 0;
  let scannedLength = 0;
  let droppedLength = 0;
  let worthIt = true;
  const parse = (text: string): unknown => {
    if (text.length < WORTH_SCANNING || !worthIt) return parseJson(text);
    if (scanned++ === TRIAL_LINES && !(worthIt = droppedLength >= scannedLength * WORTH_DROPPING)) return parseJson(text);
    scannedLength += text.length;
    let i = skipSpace(text, 0);
    if (text.charCodeAt(i) !== 123) return parseJson(text);
    const kept: string[] = [];
    let dropped = false;
    i = skipSpace(text, i + 1);
    if (text.charCodeAt(i) === 125) return parseJson(text);
    for (;;) {
      const start = skipSpace(text, i);
      const nameEnd = stringEnd(text, start);
      if (nameEnd < 0) return parseJson(text); // (throws JSON.parse's message)
      const name = text.slice(start + 1, nameEnd - 1);
      const colon = skipSpace(text, nameEnd);
      if (text.charCodeAt(colon) !== 58) return parseJson(text);
      const end = valueEnd(text, colon + 1);
      if (end < 0) return parseJson(text);
      if (keys.has(name.includes("\\") ? (JSON.parse(`"${name}"`) as string) : name)) kept.push(text.slice(start, end));
      else {
        dropped = true;
        droppedLength += end - start;
      }
      i = skipSpace(text, end);
      const c = text.charCodeAt(i);
      if (c === 44) {
        i++;
        continue;
      }
      if (c !== 125 || skipSpace(text, i + 1) !== text.length) return parseJson(text);
      break;
    }
    return dropped ? parseJson(`{${kept.join(",")}}`) : parseJson(text);
  };
  return parse;
}
