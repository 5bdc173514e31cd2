// Druid resources of a stack: the descriptor set in S3 (content-addressed, kept on delete so rollback
// works), the stack's schema record, and one component per dataset holding its Kafka supervisor.
// Everything is compiled and the breaking-change gate run before the first resource is registered.
// Resource names come from the datasource, never from the dataset's key: renaming a DSL file or its
// `dataset:` keeps the same supervisor (same URN) instead of creating a second one and terminating it.
import { BucketObjectv2 } from "@pulumi/aws/s3/bucketObjectv2";
import * as pulumi from "@pulumi/pulumi";
import { DESCRIPTOR_SET_FILE } from "../proto/descriptor-set";
import { schemaGate, type GateResult } from "../proto/gate";
import { STACK_ALIASES } from "../proto/store";
import { KafkaSupervisor } from "../providers/druid/resources";
import { needsDescriptorSet, planDruid, schemaManifest, type DruidPlan } from "../targets/druid";
import { runSteps, type ProgramContext, type RegistrationSteps, type TargetOutputs } from "./context";

export class DruidDataset extends pulumi.ComponentResource {
  readonly supervisor: KafkaSupervisor;
  readonly retired: KafkaSupervisor | null;

  constructor(
    name: string,
    args: { ctx: ProgramContext; dataset: string; datasource: string; spec: unknown; replaces: { datasource: string; oldSupervisor: string } | null },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("mapstack:druid:Dataset", name, {}, opts);
    const { ctx } = args;
    const s = ctx.settings;
    const common = {
      druidUrl: s.druid.url,
      druidUsername: s.druid.username,
      druidPassword: ctx.secrets.druidPassword,
      druidVersion: s.druid.version,
      kafkaJaasEnv: s.kafka.jaasEnv,
    };
    const childOpts = { parent: this, protect: s.lifecycle.protectResources };
    // Earlier releases named supervisors `<dataset>/<datasource>`; the alias keeps those stacks' URNs.
    const formerly = (datasource: string) => ({ aliases: [{ name: `${args.dataset}/${datasource}` }] });
    this.supervisor = new KafkaSupervisor(supervisorResourceName(args.datasource), {
      ...common,
      supervisorId: args.datasource,
      spec: args.spec as pulumi.Input<never>,
      suspended: s.druid.suspended,
      retired: null,
    }, { ...childOpts, ...formerly(args.datasource) });
    // The supervisor of the old datasource keeps its resource name, so moving is an update (suspend or
    // leave running) rather than a replace; `terminate` drops it and Pulumi's delete terminates it.
    const r = args.replaces;
    this.retired = r && r.oldSupervisor !== "terminate"
      ? new KafkaSupervisor(supervisorResourceName(r.datasource), {
          ...common,
          supervisorId: r.datasource,
          spec: null,
          suspended: r.oldSupervisor === "suspend",
          retired: r.oldSupervisor === "suspend" ? "suspend" : "keep_running",
        }, { ...childOpts, ...formerly(r.datasource) })
      : null;
    this.registerOutputs({ supervisorId: this.supervisor.supervisorId, state: this.supervisor.state });
  }
}

/** The supervisor's Pulumi name: its datasource (= supervisor id), which a dataset rename does not change. */
export function supervisorResourceName(datasource: string): string {
  return `druid-supervisor-${datasource}`;
}

export interface PreparedDruid {
  gate: GateResult | null;
  plan: DruidPlan;
}

/**
 * Compiles every supervisor spec and runs the breaking-change gate. Throws a MapstackError (file:line:col);
 * the program calls it before registering any resource of any target.
 */
export function prepareDruid(ctx: Pick<ProgramContext, "settings" | "datasets" | "projectDir">): PreparedDruid {
  const withDruid = ctx.datasets.filter((d) => d.sinks.druid);
  const gate: GateResult | null = needsDescriptorSet(withDruid) ? schemaGate(ctx.projectDir, ctx.settings, ctx.datasets) : null;
  return { gate, plan: planDruid(ctx.settings, withDruid, ctx.projectDir, gate?.schema.deployed ?? null) };
}

export function registerDruid(ctx: ProgramContext, prepared: PreparedDruid = prepareDruid(ctx)): TargetOutputs {
  return runSteps(druidSteps(ctx, prepared));
}

/** registerDruid one dataset per step (see RegistrationSteps). */
export function* druidSteps(ctx: ProgramContext, prepared: PreparedDruid): RegistrationSteps {
  const s = ctx.settings;
  const provider = ctx.providers.aws;
  const { gate, plan } = prepared;
  if (!plan.supervisors.length && !plan.schema) return {};
  if (gate) pulumi.log.info(`druid schema gate: ${gate.note}`);

  let schemaObject: BucketObjectv2 | null = null;
  const version = plan.schema?.version ?? null;
  if (plan.schema) {
    const prefix = `${s.schemas.prefix}/${plan.schema.version}`;
    schemaObject = new BucketObjectv2(`schema-${plan.schema.version}`, {
      bucket: s.schemas.bucket,
      key: `${prefix}/${DESCRIPTOR_SET_FILE}`,
      contentBase64: plan.schema.bytes.toString("base64"),
      contentType: "application/octet-stream",
      metadata: { "mapstack-version": plan.schema.version },
    }, { retainOnDelete: true, provider });
    new BucketObjectv2(`schema-${plan.schema.version}-manifest`, {
      bucket: s.schemas.bucket,
      key: `${prefix}/manifest.json`,
      content: JSON.stringify(schemaManifest(plan.schema, s), null, 2) + "\n",
      contentType: "application/json",
    }, { retainOnDelete: true, provider });
  }

  const outputs: TargetOutputs = {};
  const supervisors: KafkaSupervisor[] = [];
  for (const { dataset, spec } of plan.supervisors) {
    const sink = dataset.sinks.druid!;
    const c = new DruidDataset(sink.datasource, { ctx, dataset: dataset.name, datasource: sink.datasource, spec, replaces: sink.replaces }, schemaObject ? { dependsOn: [schemaObject] } : undefined);
    supervisors.push(c.supervisor);
    outputs[dataset.name] = {
      datasource: sink.datasource,
      supervisorId: c.supervisor.supervisorId,
      supervisorState: c.supervisor.state,
      schemaVersion: version,
      ...(sink.replaces ? { replaces: sink.replaces.datasource, oldSupervisor: sink.replaces.oldSupervisor } : {}),
    };
    yield;
  }

  if (plan.schema) {
    // Written after the supervisors so the record only ever names a version that was applied.
    new BucketObjectv2(`schema-record-${s.stack}`, {
      bucket: s.schemas.bucket,
      key: `${s.schemas.prefix}/stacks/${s.stack}.json`,
      content: JSON.stringify({
        stack: s.stack,
        environment: s.environment,
        alias: STACK_ALIASES[s.environment] ?? `${s.stack}-latest`,
        version: plan.schema.version,
        source: gate?.schema.source ?? "built",
        previous: gate?.schema.baseline?.version ?? null,
        key: `${s.schemas.prefix}/${plan.schema.version}/${DESCRIPTOR_SET_FILE}`,
      }, null, 2) + "\n",
      contentType: "application/json",
    }, { dependsOn: supervisors, provider });
    // The replaced repository's pointer folders (develop-latest/, staging-latest/, stable/): a copy of the
    // version this stack now runs, so readers of s3://…/schemas/stable/ keep working. Updated on every
    // deploy or promotion, after the supervisors.
    const alias = STACK_ALIASES[s.environment] ?? `${s.stack}-latest`;
    new BucketObjectv2(`schema-pointer-${s.stack}`, {
      bucket: s.schemas.bucket,
      key: `${s.schemas.prefix}/${alias}/${DESCRIPTOR_SET_FILE}`,
      contentBase64: plan.schema.bytes.toString("base64"),
      contentType: "application/octet-stream",
      metadata: { "mapstack-version": plan.schema.version },
    }, { dependsOn: supervisors, provider });
  }
  return outputs;
}
