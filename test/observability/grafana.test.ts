// Dashboards: threshold lines sit exactly where the alerts fire, UIDs are stable and distinct, the
// datasource variable defaults to the stack's Prometheus, and synth writes the JSON.
import { describe, expect, it } from "vitest";
import { datasetDashboard, DATASOURCE_VARIABLE } from "../../src/targets/grafana/dashboard";
import { grafanaTarget } from "../../src/targets/grafana";
import { dashboardUid, folderUid } from "../../src/targets/grafana/uids";
import { datasetRules } from "../../src/targets/prometheus/rules";
import { METRICS } from "../../src/observability/metric-catalogue";
import { STACKS, bundled, variants } from "./support";
import { esNames } from "../../src/targets/elasticsearch/names";

interface Panel {
  id?: number;
  gridPos?: { h: number; w: number; x: number; y: number };
  panels?: Panel[];
  type: string;
  title: string;
  description?: string;
  targets?: Array<{ expr: string; datasource: { uid: string } }>;
  fieldConfig?: { defaults: { thresholds?: { steps: Array<{ value: number | null; color: string }> } } };
}

/** Alert threshold as written in the rule expression: the number after the first top-level ` > `. */
function alertThreshold(expr: string): number {
  const m = /\) > ([0-9.]+)/.exec(expr);
  if (!m) throw new Error(`no threshold in ${expr}`);
  return Number(m[1]);
}

describe.each(STACKS)("stack %s", (stack) => {
  const { settings, datasets } = bundled(stack);

  for (const d of datasets) {
    const model = datasetDashboard(d, settings) as unknown as { uid: string; panels: Panel[]; templating: { list: Array<{ name: string; type: string; current: { value: string } }> } };

    it(`${d.name}: every threshold line equals the threshold of the alert it names`, () => {
      const rules = datasetRules(d, settings).rules;
      const withLines = model.panels.filter((p) => p.fieldConfig?.defaults.thresholds);
      expect(withLines.length).toBeGreaterThan(0);
      for (const p of withLines) {
        const name = /alert (\w+)/.exec(p.description ?? "")?.[1];
        const rule = rules.find((r) => r.alert === name);
        expect(rule, `panel "${p.title}" names alert ${name}, which this dataset does not have`).toBeDefined();
        const red = p.fieldConfig!.defaults.thresholds!.steps.find((s) => s.color === "red")!;
        expect(red.value, `panel "${p.title}"`).toBe(alertThreshold(rule!.expr));
      }
      // Every ratio/lag alert has its line on the dashboard (the critical "any failed document" alert has none to draw).
      const drawn = new Set(withLines.map((p) => /alert (\w+)/.exec(p.description ?? "")?.[1]));
      for (const r of rules.filter((r) => /\) > [0-9.]+/.test(r.expr) && r.alert !== "ElasticsearchFailedDocumentsCritical")) expect(drawn.has(r.alert), `${r.alert} has no threshold line`).toBe(true);
    });

    it(`${d.name}: panels cover the sinks the dataset has, all on the datasource variable`, () => {
      const titles = model.panels.map((p) => p.title);
      if (d.sinks.druid) expect(titles).toEqual(expect.arrayContaining(["Druid ingest rate", "Kafka lag (time to catch up)", "Unparseable events", "Task failures (6h)", "Supervisor state"]));
      else expect(titles.some((t) => /Druid|Kafka/.test(t))).toBe(false);
      if (d.sinks.elasticsearch) expect(titles).toEqual(expect.arrayContaining(["Elasticsearch indexing rate", "Indexing failures", `Documents sent to ${esNames(d).failureIndex}`, "Failed documents per second", "ILM phase"]));
      for (const p of model.panels.filter((p) => p.targets)) for (const t of p.targets!) expect(t.datasource.uid).toBe(`\${${DATASOURCE_VARIABLE}}`);
      const v = model.templating.list.find((x) => x.name === DATASOURCE_VARIABLE)!;
      expect(v.type).toBe("datasource");
      expect(v.current.value).toBe(settings.grafana.datasourceUid);
    });
  }

  for (const d of [...datasets, ...variants(datasets).map((v) => v.dataset)]) {
    const model = datasetDashboard(d, settings) as unknown as { schemaVersion: number; panels: Panel[] };
    const all = model.panels.flatMap((p) => [p, ...(p.panels ?? [])]);

    it(`${d.name}: every panel, rows included, has its own id and a grid position`, () => {
      const ids = all.map((p) => p.id);
      expect(ids.every((id) => Number.isInteger(id) && id! > 0), JSON.stringify(ids)).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      expect(all.filter((p) => p.type === "row").length).toBeGreaterThan(0);
      for (const p of all) expect(p.gridPos, p.title).toMatchObject({ h: expect.any(Number), w: expect.any(Number), x: expect.any(Number), y: expect.any(Number) });
      expect(model.schemaVersion).toBeGreaterThanOrEqual(36);
    });

    it(`${d.name}: every metric a panel queries is in the catalogue`, () => {
      const known = new Set(Object.values(METRICS).map((m) => m.name));
      const used = all.flatMap((p) => p.targets ?? []).flatMap((t) => [...t.expr.matchAll(/([a-z_:][a-z0-9_:]*)\{/g)].map((m) => m[1]));
      expect(used.length).toBeGreaterThan(0);
      for (const name of used) expect(known.has(name), `${name} is not in the metric catalogue`).toBe(true);
    });
  }

  it("synth writes <dataset>/grafana/dashboard.json with the stable UID", () => {
    const files = grafanaTarget.synth({ settings, datasets, projectDir: "." });
    expect(files.map((f) => f.path).sort()).toEqual(datasets.map((d) => `${d.name}/grafana/dashboard.json`).sort());
    for (const d of datasets) {
      const f = files.find((x) => x.path.startsWith(`${d.name}/`))!;
      expect(JSON.parse(f.content).uid).toBe(dashboardUid(d.name, stack));
    }
  });
});

describe("UIDs", () => {
  const all = STACKS.flatMap((s) => bundled(s).datasets.map((d) => ({ s, d: d.name })));

  it("are the same on every run and distinct across stacks and datasets", () => {
    const uids = all.map(({ s, d }) => dashboardUid(d, s));
    expect(all.map(({ s, d }) => dashboardUid(d, s))).toEqual(uids);
    expect(new Set(uids).size).toBe(uids.length);
    const folders = STACKS.map(folderUid);
    expect(new Set(folders).size).toBe(STACKS.length);
    for (const u of [...uids, ...folders]) expect(u).toMatch(/^[a-z0-9-]{1,40}$/);
  });

  it("stay within Grafana's 40 characters and distinct for long names sharing a prefix", () => {
    const a = dashboardUid("a_very_long_dataset_name_that_goes_on_and_on_1", "staging");
    const b = dashboardUid("a_very_long_dataset_name_that_goes_on_and_on_2", "staging");
    expect(a.length).toBeLessThanOrEqual(40);
    expect(a).not.toBe(b);
  });
});
