// Shared by the child-process harnesses: runs the stack program in a plain `node` process, as Pulumi's
// Node.js host does (ts-node, CommonJS), with the SDK's mocks standing in for the engine. Dynamic-provider
// closures serialise here exactly as under the Pulumi CLI, which vitest's transforms would break.
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const repo = path.resolve(__dirname, "..", "..");
require("ts-node").register({ transpileOnly: true, project: path.join(repo, "tsconfig.json") });
const pulumi = require("@pulumi/pulumi");
const { stackConfig } = require(path.join(repo, "test/support/stack-config.ts"));

/**
 * Sets the stack's config (committed values + test secrets) and mocks that record every registration.
 * `state(args)` gives the mocked resource state (default: the inputs).
 */
function startMockHost({ stack, projectDir = repo, state = (args) => args.inputs }) {
  const { config, secretKeys } = stackConfig(stack, projectDir);
  pulumi.runtime.setAllConfig(config, secretKeys);
  const registrations = [];
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registrations.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: state(args) };
      },
      call: (args) => args.inputs,
    },
    "mapstack",
    stack,
    true,
  );
  return { pulumi, config, secretKeys, registrations, repo };
}

/** Lets pending registrations settle (the mocks resolve them asynchronously). */
const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

/** Plain values of a target's per-dataset outputs (datasets.<name>.<target>). */
async function resolveTargetOutputs(datasets, target) {
  const out = {};
  for (const [ds, v] of Object.entries(datasets)) {
    out[ds] = {};
    for (const [k, x] of Object.entries(v[target] || {})) {
      out[ds][k] = pulumi.Output.isInstance(x) ? await new Promise((res) => x.apply((y) => res(y))) : x;
    }
  }
  return out;
}

/** As @pulumi/pulumi/cmd/dynamic-provider does: requireFromString(text).handler() is the provider. */
function loadSerializedProvider(text) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-provider-")), "provider.js");
  fs.writeFileSync(file, text);
  return require(file).handler();
}

/** Splits a dynamic resource's inputs into its serialised provider and the rest. */
function splitProvider(inputs, config, secretKeys) {
  const rest = { ...inputs };
  const provider = rest.__provider;
  delete rest.__provider;
  const entry = { providerChars: provider ? provider.length : 0 };
  if (provider) entry.providerHasSecret = secretKeys.some((k) => config[k] && provider.includes(config[k]));
  return { provider, inputs: rest, entry };
}

module.exports = { startMockHost, settle, resolveTargetOutputs, loadSerializedProvider, splitProvider, repo };
