// Which top-level members of a row a compiled mapping can read: what a reader may leave out of a row
// without changing any mapped value.
import type { CompiledDataset, CompiledInput } from "./types";

/**
 * The top-level keys the dataset's inputs and _id read, or null when some input can reach any member
 * (a selector starting with a wildcard, a recursive descent, an index, a slice or a filter, or `$` itself).
 */
export function topLevelKeysRead(ds: CompiledDataset): Set<string> | null {
  const keys = new Set<string>(ds.idPolicy?.from ?? []);
  let anyKey = false;
  const input = (i: CompiledInput): void => {
    if (i.kind === "column") keys.add(i.name);
    else if (i.kind === "jsonpath") {
      const first = i.selector.segments[0];
      if (first?.kind === "name") keys.add(first.name);
      else if (first?.kind === "names") first.names.forEach((n) => keys.add(n));
      else anyKey = true;
    }
  };
  // Inputs sit in fields and in op parameters at any depth (zip, objectify, branches of map/when): every
  // object shaped as an input is taken as one, which can only add keys.
  const seen = new Set<object>();
  const walk = (v: unknown): void => {
    if (anyKey || v === null || typeof v !== "object" || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) return v.forEach(walk);
    const o = v as Record<string, unknown>;
    if (o.kind === "column" && typeof o.name === "string") input(o as CompiledInput);
    else if (o.kind === "jsonpath") {
      const segments = (o.selector as { segments?: unknown } | undefined)?.segments;
      if (Array.isArray(segments)) input(o as CompiledInput);
      else anyKey = true;
    }
    for (const k of Object.keys(o)) walk(o[k]);
  };
  walk(ds.fields);
  return anyKey ? null : keys;
}
