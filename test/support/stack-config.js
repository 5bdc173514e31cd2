// Turns a committed Pulumi.<stack>.yaml into the flat config map the Pulumi runtime expects, plus
// test values for the secrets a real stack sets with `pulumi config set --secret`. Plain CommonJS so the
// host-mode harness can use it without registering ts-node (which would hide what the real host does).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { parse } = require("yaml");

const REPO = path.resolve(__dirname, "..", "..");

const TEST_SECRETS = {
  "mapstack:esApiKey": "es-api-key-SECRET-1",
  "mapstack:esPassword": "es-password-SECRET-2",
  "mapstack:druidPassword": "druid-password-SECRET-3",
  "mapstack:kafkaSaslPassword": "kafka-password-SECRET-4",
  "mapstack:grafanaToken": "grafana-token-SECRET-5",
};

function stackConfig(stack, projectDir = REPO) {
  const doc = parse(fs.readFileSync(path.join(projectDir, `Pulumi.${stack}.yaml`), "utf8"));
  const config = {};
  for (const [k, v] of Object.entries((doc && doc.config) || {})) {
    if (v && typeof v === "object" && !Array.isArray(v) && "secure" in v) continue;
    config[k] = typeof v === "string" ? v : JSON.stringify(v);
  }
  return { config: { ...config, ...TEST_SECRETS }, secretKeys: Object.keys(TEST_SECRETS) };
}

module.exports = { REPO, TEST_SECRETS, stackConfig };
