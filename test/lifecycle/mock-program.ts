// Runs src/program.ts under pulumi.runtime.setMocks for one stack and returns every registration.
// Used by the lifecycle tests (in a child `node` process, where dynamic-provider closures serialise
// as they do under the Pulumi CLI) and by bench/program-eval.js.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";

export interface Registration {
  type: string;
  name: string;
  inputs: unknown;
  protect: boolean;
}

export interface MockRunResult {
  ok: boolean;
  error?: string;
  registrations: Registration[];
  outputs?: unknown;
  /** Until runProgram returned (synchronous evaluation: settings, compile, checks, resource constructors). */
  programMillis?: number;
  /** Until every registration reached the (mock) engine. */
  millis: number;
}

export interface MockRunOptions {
  projectDir: string;
  stack: string;
  preview?: boolean;
  /** ISO time the program's clock reads (deploy windows). */
  now?: string;
  /** Extra config values (without the mapstack: prefix), overriding Pulumi.<stack>.yaml. */
  config?: Record<string, unknown>;
}

/** Pulumi.<stack>.yaml's config as the strings pulumi.Config hands to the program. */
export function stackConfig(projectDir: string, stack: string, extra: Record<string, unknown> = {}): { config: Record<string, string>; secretKeys: string[] } {
  const doc = parse(fs.readFileSync(path.join(projectDir, `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> };
  const raw: Record<string, unknown> = { ...(doc.config ?? {}) };
  for (const [k, v] of Object.entries(extra)) raw[`mapstack:${k}`] = v;
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [k, v] of Object.entries(raw)) {
    if (v && typeof v === "object" && !Array.isArray(v) && "secure" in v) {
      // Mocks cannot decrypt: a placeholder stands in, still marked secret.
      config[k] = "mock-secret";
      secretKeys.push(k);
    } else config[k] = typeof v === "string" ? v : JSON.stringify(v);
  }
  return { config, secretKeys };
}

/** Dynamic providers embed their serialised closure; a hash keeps comparisons meaningful and output small. */
function digestClosures(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(digestClosures);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, k === "__provider" && typeof x === "string" ? `sha256:${createHash("sha256").update(x).digest("hex").slice(0, 16)}` : digestClosures(x)]),
    );
  }
  return v;
}

async function settle(count: () => number): Promise<void> {
  let last = -1;
  let stable = 0;
  while (stable < 5) {
    await new Promise((r) => setTimeout(r, 10));
    const c = count();
    stable = c === last ? stable + 1 : 0;
    last = c;
  }
}

export async function runUnderMocks(opts: MockRunOptions): Promise<MockRunResult> {
  const registrations: Registration[] = [];
  let lastRegistration = process.hrtime.bigint();
  const { config, secretKeys } = stackConfig(opts.projectDir, opts.stack, opts.config);
  pulumi.runtime.setAllConfig(config, secretKeys);
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registrations.push({ type: args.type, name: args.name, inputs: digestClosures(args.inputs), protect: false });
        lastRegistration = process.hrtime.bigint();
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call(args) {
        return args.inputs;
      },
    },
    "mapstack",
    opts.stack,
    opts.preview ?? false,
  );
  // The mock monitor does not hand `protect` to newResource; read it off the registration request.
  const protectByName = new Map<string, boolean>();
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: any, cb: unknown): unknown };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, cb: unknown) => {
    protectByName.set(`${req.getType()}::${req.getName()}`, Boolean(req.getProtect?.()));
    return register(req, cb);
  };
  const { runProgram } = require("../../src/program") as typeof import("../../src/program");
  const t0 = process.hrtime.bigint();
  try {
    const out = runProgram(opts.projectDir, opts.now ? { now: () => new Date(opts.now!) } : {});
    const programMillis = Number(process.hrtime.bigint() - t0) / 1e6;
    await settle(() => registrations.length);
    const millis = Math.max(programMillis, Number(lastRegistration - t0) / 1e6);
    // apply() never runs on unknowns during a preview; the output's own promise resolves either way.
    const datasets = await (pulumi.output(out.datasets as unknown as pulumi.Input<Record<string, unknown>>) as unknown as { promise(withUnknowns?: boolean): Promise<unknown> }).promise(true);
    const outputs = { datasets, compileReport: { ...out.compileReport, compileMillis: undefined } };
    for (const r of registrations) r.protect = protectByName.get(`${r.type}::${r.name}`) ?? false;
    return { ok: true, registrations, outputs, programMillis, millis };
  } catch (e) {
    return { ok: false, error: (e as Error).message, registrations, millis: Number(process.hrtime.bigint() - t0) / 1e6 };
  }
}
