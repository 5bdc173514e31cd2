// Shared by the child-process harnesses: runs the stack program in a plain `node` process with the SDK's
// mocks standing in for the engine. Dynamic-provider closures serialise here exactly as under the Pulumi
// CLI, which vitest's transforms would break. ts-node is registered only by harnesses that load src/*.ts
// directly (useTypeScriptSources); the host-mode harness loads what Pulumi.yaml names, as the host does.
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { stackConfig, REPO: repo } = require("./stack-config");

/** For harnesses that require src/*.ts themselves (not the host path): fast transpile-only ts-node. */
function useTypeScriptSources() {
  require("ts-node").register({ transpileOnly: true, project: path.join(repo, "tsconfig.json") });
}

/**
 * Sets the stack's config (committed values + test secrets) and mocks that record every registration,
 * with the options the mock hands no further (parent, provider, retainOnDelete, aliases, protect, …) read
 * off the registration request. `state(args)` gives the mocked resource state (default: the inputs).
 */
function startMockHost({ stack, projectDir = repo, state = (args) => args.inputs, preview = true, extraConfig = {} }) {
  const pulumi = require("@pulumi/pulumi");
  const { config, secretKeys } = stackConfig(stack, projectDir);
  Object.assign(config, extraConfig);
  pulumi.runtime.setAllConfig(config, secretKeys);
  const registrations = [];
  const requests = new Map();
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const req = requests.get(`${args.type}::${args.name}`) || {};
        registrations.push({ type: args.type, name: args.name, inputs: args.inputs, ...req });
        return { id: `${args.name}-id`, state: state(args) };
      },
      call: (args) => args.inputs,
    },
    "mapstack",
    stack,
    preview,
  );
  const monitor = pulumi.runtime.getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    requests.set(`${req.getType()}::${req.getName()}`, {
      parent: req.getParent() || null,
      provider: req.getProvider() || null,
      custom: req.getCustom(),
      protect: Boolean(req.getProtect()),
      retainOnDelete: Boolean(req.getRetainondelete && req.getRetainondelete()),
      deleteBeforeReplace: Boolean(req.getDeletebeforereplace()),
      dependencies: req.getDependenciesList(),
      aliases: req.getAliasesList().map((a) => (a.hasSpec() ? { name: a.getSpec().getName() || null, type: a.getSpec().getType() || null } : { urn: a.getUrn() })),
    });
    return register(req, cb);
  };
  return { pulumi, config, secretKeys, registrations, repo };
}

/** Lets pending registrations settle (the mocks resolve them asynchronously). */
async function settle(count) {
  if (!count) return new Promise((r) => setTimeout(r, 300));
  let last = -1;
  let stable = 0;
  while (stable < 5) {
    await new Promise((r) => setTimeout(r, 10));
    const c = count();
    stable = c === last ? stable + 1 : 0;
    last = c;
  }
}

/** Plain values of a target's per-dataset outputs (datasets.<name>.<target>). */
async function resolveTargetOutputs(datasets, target) {
  const pulumi = require("@pulumi/pulumi");
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

module.exports = { startMockHost, useTypeScriptSources, settle, resolveTargetOutputs, loadSerializedProvider, splitProvider, repo };
