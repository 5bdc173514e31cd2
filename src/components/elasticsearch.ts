// Elasticsearch resources of a stack: per dataset one component holding its ILM policy, ingest pipeline
// and index template. The template names the policy and the pipeline, so it depends on both: Pulumi
// creates policy and pipeline first.
//
// No data loss on lifecycle changes:
// - Pulumi names are the physical ES names (which carry the sink version), never the dataset's key: a
//   renamed dataset keeps its URNs, so nothing is created and then deleted under the same ES name.
// - Every ES object is `retainOnDelete`: a version bump (new names) or a dataset removal drops the old
//   objects from the stack without DELETE calls. ES refuses to delete a template or ILM policy a data
//   stream still uses, and the old backing indices keep using the old pipeline until they roll over;
//   docs/lifecycle.md gives the cleanup, run once the old data stream is gone.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { CompiledDataset } from "../dsl/types";
import { IlmPolicy, IndexTemplate, IngestPipeline, type EsConnectionArgs } from "../providers/elasticsearch/resources";
import { esArtifacts, type EsArtifacts } from "../targets/elasticsearch";
import { buildFailureTemplate, FAILURE_TEMPLATE_NAME } from "../targets/elasticsearch/pipeline";
import { runSteps, type ProgramContext, type RegistrationSteps, type TargetOutputs } from "./context";

export class ElasticsearchDataset extends pulumi.ComponentResource {
  readonly index: string;
  readonly policy: IlmPolicy;
  readonly pipeline: IngestPipeline;
  readonly template: IndexTemplate;
  readonly outputs: Record<string, pulumi.Input<unknown>>;

  constructor(ds: CompiledDataset, ctx: ProgramContext, connection: pulumi.Input<EsConnectionArgs>, opts?: pulumi.ComponentResourceOptions, artifacts?: EsArtifacts) {
    const a = artifacts ?? esArtifacts(ds, ctx.settings);
    super("mapstack:elasticsearch:Dataset", a.names.index, {}, opts);
    const child = { parent: this, protect: ctx.settings.lifecycle.protectResources, retainOnDelete: true };
    // Earlier releases named the children after the dataset; the aliases keep those stacks' URNs.
    const formerly = (suffix: string) => ({ aliases: [{ name: `${ds.name}-${suffix}` }] });
    const adopt = ctx.settings.elasticsearch.adoptExisting;
    this.index = a.names.index;
    this.policy = new IlmPolicy(esResourceName("ilm-policy", a.names.policy), { name: a.names.policy, body: a.policy, connection, adopt }, { ...child, ...formerly("ilm-policy") });
    this.pipeline = new IngestPipeline(esResourceName("ingest-pipeline", a.names.pipeline), { name: a.names.pipeline, body: a.pipeline, connection, adopt }, { ...child, ...formerly("ingest-pipeline") });
    this.template = new IndexTemplate(
      esResourceName("index-template", a.names.template),
      { name: a.names.template, body: a.template, connection, adopt },
      { ...child, ...formerly("index-template"), dependsOn: [this.policy, this.pipeline] },
    );
    this.outputs = {
      mode: ds.sinks.elasticsearch!.mode,
      index: a.names.index,
      failureIndex: a.names.failureIndex,
      indexTemplate: this.template.name,
      ingestPipeline: this.pipeline.name,
      ilmPolicy: this.policy.name,
    };
    this.registerOutputs(this.outputs);
  }
}

/** Pulumi name of an ES object: its kind and physical name, so it follows the object, not the dataset key. */
export function esResourceName(kind: "ilm-policy" | "ingest-pipeline" | "index-template", physicalName: string): string {
  return `${kind}-${physicalName}`;
}

/** The connection every ES resource carries, credentials as secrets; the CA is read here, where the file is. */
export function esConnection(ctx: ProgramContext): pulumi.Output<EsConnectionArgs> {
  const es = ctx.settings.elasticsearch;
  let caCert: string | undefined;
  if (es.caCertPath) {
    const file = path.resolve(ctx.projectDir, es.caCertPath);
    if (!fs.existsSync(file)) throw new Error(`Pulumi.${ctx.settings.stack}.yaml: mapstack:esCaCertPath ${es.caCertPath}: no such file (${file})`);
    caCert = fs.readFileSync(file, "utf8");
  }
  return pulumi.secret(
    pulumi.all([ctx.secrets.esApiKey, ctx.secrets.esPassword]).apply(([apiKey, password]) => ({
      url: es.url,
      ...(apiKey ? { apiKey } : {}),
      ...(es.username ? { username: es.username, password } : {}),
      ...(caCert ? { caCert } : {}),
    })),
  );
}

export interface PreparedElasticsearch {
  /** Every dataset with an ES sink and its artifacts, built once per run. */
  datasets: { dataset: CompiledDataset; artifacts: EsArtifacts }[];
}

/**
 * Builds every ES artifact of the stack. Throws when a dataset cannot be expressed; the program calls it
 * before registering any resource of any target, and registers what it built (nothing is built twice).
 */
export function prepareElasticsearch(ctx: Pick<ProgramContext, "settings" | "datasets">): PreparedElasticsearch {
  return { datasets: ctx.datasets.filter((d) => d.sinks.elasticsearch).map((dataset) => ({ dataset, artifacts: esArtifacts(dataset, ctx.settings) })) };
}

export function registerElasticsearch(ctx: ProgramContext, prepared: PreparedElasticsearch = prepareElasticsearch(ctx)): TargetOutputs {
  return runSteps(elasticsearchSteps(ctx, prepared));
}

/** registerElasticsearch one dataset per step (see RegistrationSteps). */
export function* elasticsearchSteps(ctx: ProgramContext, prepared: PreparedElasticsearch): RegistrationSteps {
  const { datasets } = prepared;
  if (!datasets.length) return {};
  const connection = esConnection(ctx);
  // One permissive template for every failure index of the stack: failed documents are never lost to a
  // dataset's strict mapping or rollover alias (the pipeline's on_failure writes them there).
  const failureTemplate = new IndexTemplate(
    esResourceName("index-template", FAILURE_TEMPLATE_NAME),
    { name: FAILURE_TEMPLATE_NAME, body: buildFailureTemplate() as never, connection, adopt: ctx.settings.elasticsearch.adoptExisting },
    { protect: ctx.settings.lifecycle.protectResources, retainOnDelete: true },
  );
  const out: TargetOutputs = {};
  for (const { dataset: d, artifacts } of datasets) {
    out[d.name] = new ElasticsearchDataset(d, ctx, connection, { dependsOn: [failureTemplate] }, artifacts).outputs;
    yield;
  }
  return out;
}
