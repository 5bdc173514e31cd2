// The deliberate differences from the seed service (docs/seed-differences.md), as predicates over the
// recorded cases, so the conformance suite can tell a documented difference from a regression.
export interface Difference {
  id: string;
  covers(c: { seed_bug: string | null; mapping: Record<string, unknown> }): boolean;
  validation?(mapping: Record<string, unknown>, mapstackValid: boolean): boolean;
}

export const SEED_DIFFERENCES: Difference[] = [];
