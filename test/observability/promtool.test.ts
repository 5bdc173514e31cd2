// Every generated rule file passes `promtool check rules`, and generated `promtool test rules` unit
// tests prove each alert fires just above its threshold and stays silent just below, for every bundled
// dataset on every committed stack.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { prometheusTarget } from "../../src/targets/prometheus";
import { datasetRules, deployRules } from "../../src/targets/prometheus/rules";
import { datasetTestFile, deployTestFile } from "./promtool-cases";
import { STACKS, bundled } from "./support";

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
    const r = promtool(["check", "rules", ...paths], dir);
    expect(r.status, r.output).toBe(0);
  });

  for (const d of datasets) {
    it(`${d.name}: every alert fires just above its threshold and not just below`, () => {
      const group = datasetRules(d, settings);
      expect(group.rules.length).toBeGreaterThan(0);
      fs.writeFileSync(path.join(dir, `${d.name}.rules.yaml`), stringify({ groups: [group] }, { lineWidth: 0 }));
      const tests = datasetTestFile(`${d.name}.rules.yaml`, group, d, settings);
      // Each alert has at least one firing and one silent expectation.
      for (const rule of group.rules) {
        const checks = tests.tests.flatMap((t) => t.alert_rule_test).filter((c) => c.alertname === rule.alert);
        expect(checks.some((c) => c.exp_alerts.length > 0), `${rule.alert} never expected to fire`).toBe(true);
        expect(checks.some((c) => c.exp_alerts.length === 0), `${rule.alert} never expected to stay silent`).toBe(true);
      }
      fs.writeFileSync(path.join(dir, `${d.name}.test.yaml`), stringify(tests, { lineWidth: 0 }));
      const r = promtool(["test", "rules", `${d.name}.test.yaml`], dir);
      expect(r.status, r.output).toBe(0);
    });
  }

  it("deploy rules: apply success below 95 % fires, above stays silent", () => {
    const group = deployRules(settings);
    fs.writeFileSync(path.join(dir, "deploy.rules.yaml"), stringify({ groups: [group] }, { lineWidth: 0 }));
    fs.writeFileSync(path.join(dir, "deploy.test.yaml"), stringify(deployTestFile("deploy.rules.yaml", group, settings), { lineWidth: 0 }));
    const r = promtool(["test", "rules", "deploy.test.yaml"], dir);
    expect(r.status, r.output).toBe(0);
  });
});
