// Grafana UIDs derived from stack + dataset: the same inputs always give the same UID (URLs survive
// re-creation), and Grafana's 40-character limit holds for any dataset name.
import { createHash } from "node:crypto";

const MAX_UID = 40;
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "");
const digest = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 8);

function uid(parts: string[]): string {
  const suffix = `-${digest(parts.join("\u0000"))}`;
  return slug(parts.join("-")).slice(0, MAX_UID - suffix.length).replace(/-+$/, "") + suffix;
}

export function folderUid(stack: string): string {
  return uid(["mapstack", stack]);
}

export function dashboardUid(dataset: string, stack: string): string {
  return uid([stack, dataset]);
}
