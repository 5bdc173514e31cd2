// Turns a committed Pulumi.<stack>.yaml into the flat config map the Pulumi runtime expects, plus
// test values for the secrets a real stack sets with `pulumi config set --secret`.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

export const REPO = path.resolve(__dirname, "..", "..");

export const TEST_SECRETS: Record<string, string> = {
  "mapstack:esApiKey": "es-api-key-SECRET-1",
  "mapstack:esPassword": "es-password-SECRET-2",
  "mapstack:druidPassword": "druid-password-SECRET-3",
  "mapstack:kafkaSaslPassword": "kafka-password-SECRET-4",
  "mapstack:grafanaToken": "grafana-token-SECRET-5",
};

export function stackConfig(stack: string, projectDir = REPO): { config: Record<string, string>; secretKeys: string[] } {
  const doc = parse(fs.readFileSync(path.join(projectDir, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
  const config: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc.config ?? {})) {
    if (v && typeof v === "object" && !Array.isArray(v) && "secure" in v) continue;
    config[k] = typeof v === "string" ? v : JSON.stringify(v);
  }
  return { config: { ...config, ...TEST_SECRETS }, secretKeys: Object.keys(TEST_SECRETS) };
}
