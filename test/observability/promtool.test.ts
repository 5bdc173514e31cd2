// Every generated rule file passes `promtool check rules --lint=all`, and generated `promtool test rules`
// unit tests (input series from the metric catalogue, shaped like the exporters' output) prove each
// alert fires just above its threshold and stays silent just below, for every bundled dataset on every
// committed stack, plus variants: a hyphenated/dotted Druid datasource, fractional thresholds, a
// critical dataset, and the emitter's list spelling of dataSource.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { prometheusTarget } from "../../src/targets/prometheus";
import { datasetRules, deployRules } from "../../src/targets/prometheus/rules";
import type { CompiledDataset } from "../../src/dsl/types";
import { datasetTestFiles, deployTestFile, type DruidSpelling } from "./promtool-cases";
import { STACKS, bundled, variants } from "./support";

const PROMTOOL = process.env.PROMTOOL ?? "/usr/bin/promtool";
const work = fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-promtool-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function promtool(args: string[], cwd: string): { status: number | null; output: string } {
  const r = spawnSync(PROMTOOL, args, { cwd, encoding: "utf8" });
  if (r.error) throw new Error(`cannot run ${PROMTOOL} (${r.error.message}): install the Debian package 'prometheus' (README test command) or set PROMTOOL`);
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

it("promtool is installed (the CI installs the Debian prometheus package)", () => {
  expect(fs.existsSync(PROMTOOL), `${PROMTOOL} not found: apt-get install prometheus, or set PROMTOOL=/path/to/promtool`).toBe(true);
});

describe.each(STACKS)("stack %s", (stack) => {
  const { settings, datasets } = bundled(stack);
  const dir = path.join(work, stack);
  fs.mkdirSync(dir, { recursive: true });

  it("synth writes the rule files promtool accepts", () => {
    const files = prometheusTarget.synth({ settings, datasets, projectDir: "." }).filter((a) => a.path.endsWith("/rules.yaml") || a.path.endsWith("-rules.yaml"));
    expect(files.map((f) => f.path).sort()).toEqual([...datasets.map((d) => `${d.name}/prometheus/rules.yaml`), "prometheus/mapstack-deploy-rules.yaml"].sort());
    const paths = files.map((f) => {
      const p = path.join(dir, "synth", f.path);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, f.content);
      return p;
    });
    const r = promtool(["check", "rules", "--lint=all", "--lint-fatal", ...paths], dir);
    expect(r.status, r.output).toBe(0);
  });

  const cases: Array<{ d: CompiledDataset; spelling: DruidSpelling; what: string }> = [
    ...datasets.map((d) => ({ d, spelling: "plain" as const, what: d.name })),
    ...datasets.filter((d) => d.sinks.druid).map((d) => ({ d, spelling: "list" as const, what: `${d.name}, task metrics' dataSource as "[name]"` })),
    ...variants(datasets).map((v) => ({ d: v.dataset, spelling: "list" as const, what: v.what })),
  ];
  for (const { d, spelling, what } of cases) {
    it(`${what}: every alert fires just above its threshold and not just below`, () => {
      const group = datasetRules(d, settings);
      expect(group.rules.length).toBeGreaterThan(0);
      const base = `${d.name}.${spelling}`;
      fs.writeFileSync(path.join(dir, `${base}.rules.yaml`), stringify({ groups: [group] }, { lineWidth: 0 }));
      expect(promtool(["check", "rules", "--lint=all", "--lint-fatal", `${base}.rules.yaml`], dir).status).toBe(0);
      const files = datasetTestFiles(`${base}.rules.yaml`, group, d, settings, spelling);
      // Each alert has at least one firing and one silent expectation.
      for (const rule of group.rules) {
        const checks = files.flatMap((f) => f.tests).flatMap((t) => t.alert_rule_test).filter((c) => c.alertname === rule.alert);
        expect(checks.some((c) => c.exp_alerts.length > 0), `${rule.alert} never expected to fire`).toBe(true);
        expect(checks.some((c) => c.exp_alerts.length === 0), `${rule.alert} never expected to stay silent`).toBe(true);
      }
      const names = files.map((f, i) => {
        fs.writeFileSync(path.join(dir, `${base}.${i}.test.yaml`), stringify(f, { lineWidth: 0 }));
        return `${base}.${i}.test.yaml`;
      });
      const r = promtool(["test", "rules", ...names], dir);
      expect(r.status, r.output).toBe(0);
    });
  }

  it(stack === "prod" ? "a critical dataset pages on any failed document in prod" : "no page on a single failed document outside prod", () => {
    const critical = variants(datasets).find((v) => v.what.includes("critical"))!.dataset;
    const alerts = datasetRules(critical, settings).rules.map((r) => r.alert);
    if (stack === "prod") expect(alerts).toContain("ElasticsearchFailedDocumentsCritical");
    else expect(alerts).not.toContain("ElasticsearchFailedDocumentsCritical");
    expect(alerts).toContain("ElasticsearchFailedDocumentsHigh");
  });

  it("deploy rules: apply success below 95 % fires, above stays silent", () => {
    const group = deployRules(settings);
    fs.writeFileSync(path.join(dir, "deploy.rules.yaml"), stringify({ groups: [group] }, { lineWidth: 0 }));
    fs.writeFileSync(path.join(dir, "deploy.test.yaml"), stringify(deployTestFile("deploy.rules.yaml", group, settings), { lineWidth: 0 }));
    const r = promtool(["test", "rules", "deploy.test.yaml"], dir);
    expect(r.status, r.output).toBe(0);
  });
});
