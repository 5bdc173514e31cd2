import { describe, expect, it } from "vitest";
import { checkPins, comparePins } from "../../src/lifecycle/pins";

const ds = (name: string, contentHash: string) => ({ name, contentHash });
const A = "aaaaaaaaaaaaaaaa";
const B = "bbbbbbbbbbbbbbbb";

describe("dataset pins", () => {
  it("an unpinned stack deploys whatever dsl/ holds", () => {
    expect(comparePins([ds("x", A)], {})).toEqual([]);
    expect(() => checkPins({ stack: "dev", promotedFrom: null, datasets: [ds("x", A)], pins: {}, allowDatasetDeletion: false })).not.toThrow();
  });

  it("names the dataset, the pinned and the actual hash, and says to promote", () => {
    const run = () => checkPins({ stack: "staging", promotedFrom: "dev", datasets: [ds("orders", B), ds("fresh", A)], pins: { orders: A }, allowDatasetDeletion: true });
    expect(run).toThrow(/dataset 'orders': Pulumi\.staging\.yaml pins aaaaaaaaaaaaaaaa but dsl\/ holds bbbbbbbbbbbbbbbb/);
    expect(run).toThrow(/dataset 'fresh' \(aaaaaaaaaaaaaaaa\) is in dsl\/ but not pinned/);
    expect(run).toThrow(/mapstack promote --from dev --to staging/);
  });

  it("a pinned dataset missing from dsl/ is a deletion, refused unless allowed", () => {
    const args = { stack: "prod", promotedFrom: "staging", datasets: [ds("kept", A)], pins: { kept: A, gone: B } };
    expect(() => checkPins({ ...args, allowDatasetDeletion: false })).toThrow(/dataset 'gone' \(pinned bbbbbbbbbbbbbbbb\) is missing from dsl\/.*allowDatasetDeletion false/);
    expect(() => checkPins({ ...args, allowDatasetDeletion: false })).toThrow(/pulumi config set mapstack:allowDatasetDeletion true --stack prod/);
    expect(() => checkPins({ ...args, allowDatasetDeletion: true })).not.toThrow();
  });
});
