// What the engine would do between two runs of the program, from their registrations (under mocks):
// resources are matched by URN or alias (the mock monitor's URN: last parent type $ type :: name), a
// matched dynamic resource is replaced when its provider's own diff says so, and a resource that leaves
// the program is deleted — with a provider DELETE call unless its old state says retainOnDelete.
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { esProvider } from "../../src/providers/elasticsearch/provider";
import { supervisorProvider } from "../../src/providers/druid/supervisor";
import { REPO } from "./dist";

export interface PlannedRegistration {
  type: string;
  name: string;
  parent: string | null;
  custom: boolean;
  retainOnDelete: boolean;
  aliases: { name: string | null }[];
  inputs: Record<string, any>;
}

export function planRun(projectDir: string, stack: string, config: Record<string, string> = {}): PlannedRegistration[] {
  const out = execFileSync(process.execPath, [path.join(REPO, "test/support/plan-run.js"), projectDir, stack, JSON.stringify(config)], { cwd: REPO, encoding: "utf8", maxBuffer: 256 << 20 });
  return JSON.parse(out.trim().split("\n").pop()!);
}

const parentType = (r: PlannedRegistration) => (r.parent ? r.parent.split("::")[2].split("$").pop()! : null);
const keyOf = (r: PlannedRegistration, name = r.name) => `${parentType(r) ? `${parentType(r)}$` : ""}${r.type}::${name}`;

const PROVIDERS: Record<string, { diff?: (id: string, o: any, n: any) => Promise<{ replaces?: string[] }> }> = {
  "pulumi-nodejs:dynamic/elasticsearch:": esProvider,
  "pulumi-nodejs:dynamic/druid:": supervisorProvider,
};

export interface Step {
  op: "create" | "update" | "same" | "replace" | "delete";
  key: string;
  /** For delete and replace: whether the provider's delete runs (false when the old state retains it). */
  providerDelete?: boolean;
  physical?: string;
}

export async function plan(olds: PlannedRegistration[], news: PlannedRegistration[]): Promise<Step[]> {
  const oldByKey = new Map(olds.map((r) => [keyOf(r), r]));
  const steps: Step[] = [];
  const matched = new Set<string>();
  for (const n of news) {
    const candidates = [keyOf(n), ...n.aliases.filter((a) => a.name).map((a) => keyOf(n, a.name!))];
    const hit = candidates.find((k) => oldByKey.has(k) && !matched.has(k));
    if (!hit) {
      steps.push({ op: "create", key: keyOf(n) });
      continue;
    }
    matched.add(hit);
    const o = oldByKey.get(hit)!;
    const provider = Object.entries(PROVIDERS).find(([prefix]) => n.type.startsWith(prefix))?.[1];
    const replaces = provider?.diff ? (await provider.diff(`${o.name}-id`, o.inputs, n.inputs)).replaces ?? [] : [];
    if (replaces.length) steps.push({ op: "replace", key: keyOf(n), providerDelete: !o.retainOnDelete, physical: o.inputs.name ?? o.inputs.supervisorId });
    else steps.push({ op: JSON.stringify(o.inputs) === JSON.stringify(n.inputs) ? "same" : "update", key: keyOf(n) });
  }
  for (const o of olds) {
    if (!matched.has(keyOf(o))) steps.push({ op: "delete", key: keyOf(o), providerDelete: o.custom && !o.retainOnDelete, physical: o.inputs.name ?? o.inputs.supervisorId });
  }
  return steps;
}
