import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildDescriptorSet } from "../../src/proto/descriptor-set";
import { storeDescriptorSet } from "../../src/proto/store";
import type { MockRunResult } from "./mock-program";
import { cli, copyProject, mockRuns, REPO, touchDataset } from "./project";

// Tuesday 10:30 and Monday 11:30 in Paris (UTC+1 in November).
const INSIDE = "2026-11-24T09:30:00Z";
const OUTSIDE = "2026-11-23T10:30:00Z";
const INGESTION = /^pulumi-nodejs:dynamic\/(elasticsearch:(IndexTemplate|IngestPipeline|IlmPolicy)|mapstack:druid:KafkaSupervisor)$/;

describe("the Pulumi program's lifecycle checks (under mocks)", () => {
  let runs: Record<string, MockRunResult>;
  beforeAll(() => {
    const cases = {
      prodUpOutside: { projectDir: REPO, stack: "prod", now: OUTSIDE },
      prodPreviewOutside: { projectDir: REPO, stack: "prod", now: OUTSIDE, preview: true },
      prodUpOverride: { projectDir: REPO, stack: "prod", now: OUTSIDE, config: { allowOutsideWindow: true } },
      prodUpInside: { projectDir: REPO, stack: "prod", now: INSIDE },
      devUpOutside: { projectDir: REPO, stack: "dev", now: OUTSIDE },
    };
    const results = mockRuns(Object.values(cases));
    runs = Object.fromEntries(Object.keys(cases).map((k, i) => [k, results[i]]));
  });

  it("refuses a prod update outside the deploy window before registering anything", () => {
    const r = runs.prodUpOutside;
    expect(r.ok).toBe(false);
    expect(r.error).toContain("it is Mon 11:30 Europe/Paris, outside the deploy window 'Tue-Wed 10:00-16:00 Europe/Paris'");
    expect(r.registrations).toEqual([]);
  });

  it("lets previews, the explicit override and in-window updates through", () => {
    for (const k of ["prodPreviewOutside", "prodUpOverride", "prodUpInside", "devUpOutside"]) {
      expect(runs[k].error, k).toBeUndefined();
      expect(runs[k].registrations.length, k).toBeGreaterThan(0);
    }
  });

  it("protects the resources whose deletion stops ingestion in prod, and nothing in dev", () => {
    const prod = runs.prodUpInside.registrations.filter((r) => INGESTION.test(r.type));
    // Per ES dataset: template, pipeline, ILM policy; per Druid dataset: a supervisor.
    expect(prod.length).toBeGreaterThanOrEqual(4);
    expect(prod.filter((r) => !r.protect).map((r) => r.name)).toEqual([]);
    expect(runs.devUpOutside.registrations.filter((r) => r.protect).map((r) => r.name)).toEqual([]);
  });
});

describe("dataset pins under mocks", () => {
  it("a promoted stack deploys its pins and refuses other dsl/ content, naming dataset and hashes", async () => {
    const dir = copyProject();
    storeDescriptorSet(dir, buildDescriptorSet(path.join(dir, "dsl/proto")));
    expect((await cli(dir, "promote", "--from", "dev", "--to", "staging")).code).toBe(0);
    expect((await cli(dir, "promote", "--from", "staging", "--to", "prod")).code).toBe(0);
    const [pinned] = mockRuns([{ projectDir: dir, stack: "staging", now: INSIDE }]);
    expect(pinned.error).toBeUndefined();

    touchDataset(dir, "order_lines.yaml", "edited without promotion");
    fs.rmSync(path.join(dir, "dsl/settlement_transactions.yaml"));
    const [staging, prod, prodAllowed] = mockRuns([
      { projectDir: dir, stack: "staging", now: INSIDE, preview: true },
      { projectDir: dir, stack: "prod", now: INSIDE },
      { projectDir: dir, stack: "prod", now: INSIDE, config: { allowDatasetDeletion: true } },
    ]);
    expect(staging.error).toMatch(/dataset 'order_lines': Pulumi\.staging\.yaml pins [0-9a-f]{16} but dsl\/ holds [0-9a-f]{16}/);
    expect(staging.error).toContain("mapstack promote --from dev --to staging");
    expect(staging.registrations).toEqual([]);
    expect(prod.error).toMatch(/dataset 'settlement_transactions' \(pinned [0-9a-f]{16}\) is missing from dsl\/: deploying would delete its resources/);
    expect(prod.registrations).toEqual([]);
    // Deletion allowed: only the unpromoted edit of order_lines is left to refuse.
    expect(prodAllowed.error).not.toContain("settlement_transactions");
    expect(prodAllowed.error).toContain("dataset 'order_lines'");
  });
});
