// JSONPath expressions are parsed once per compile run, across all datasets (the seed's "JSONPath cache");
// hits and misses are reported by `validate` and in the stack outputs.
import { JsonPathSyntaxError, parseJsonPath } from "./jsonpath-parse";
import type { CompiledSelector } from "./types";

export class SelectorCache {
  private readonly cache = new Map<string, CompiledSelector | JsonPathSyntaxError>();
  hits = 0;
  misses = 0;
  get(expr: string): CompiledSelector | JsonPathSyntaxError {
    const hit = this.cache.get(expr);
    if (hit) {
      this.hits++;
      return hit;
    }
    this.misses++;
    let parsed: CompiledSelector | JsonPathSyntaxError;
    try {
      parsed = parseJsonPath(expr);
    } catch (e) {
      if (!(e instanceof JsonPathSyntaxError)) throw e;
      parsed = e;
    }
    this.cache.set(expr, parsed);
    return parsed;
  }
}
