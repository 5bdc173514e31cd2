// Elasticsearch resources of a stack: per dataset one component holding its ILM policy, ingest pipeline
// and index template. The template names the policy and the pipeline, so it depends on both: Pulumi
// creates policy and pipeline first and, when a dataset is removed, deletes template → pipeline → policy.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { CompiledDataset } from "../dsl/types";
import { IlmPolicy, IndexTemplate, IngestPipeline, type EsConnectionArgs } from "../providers/elasticsearch/resources";
import { esArtifacts } from "../targets/elasticsearch";
import type { ProgramContext, TargetOutputs } from "./context";

export class ElasticsearchDataset extends pulumi.ComponentResource {
  readonly index: string;
  readonly policy: IlmPolicy;
  readonly pipeline: IngestPipeline;
  readonly template: IndexTemplate;
  readonly outputs: Record<string, pulumi.Input<unknown>>;

  constructor(ds: CompiledDataset, ctx: ProgramContext, connection: pulumi.Input<EsConnectionArgs>, opts?: pulumi.ComponentResourceOptions) {
    super("mapstack:elasticsearch:Dataset", ds.name, {}, opts);
    const a = esArtifacts(ds, ctx.settings);
    const child = { parent: this, protect: ctx.settings.lifecycle.protectResources };
    this.index = a.names.index;
    this.policy = new IlmPolicy(`${ds.name}-ilm-policy`, { name: a.names.policy, body: a.policy, connection }, child);
    this.pipeline = new IngestPipeline(`${ds.name}-ingest-pipeline`, { name: a.names.pipeline, body: a.pipeline, connection }, child);
    this.template = new IndexTemplate(
      `${ds.name}-index-template`,
      { name: a.names.template, body: a.template, connection },
      { ...child, dependsOn: [this.policy, this.pipeline] },
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

export function registerElasticsearch(ctx: ProgramContext): TargetOutputs {
  const datasets = ctx.datasets.filter((d) => d.sinks.elasticsearch);
  if (!datasets.length) return {};
  const connection = esConnection(ctx);
  const out: TargetOutputs = {};
  for (const d of datasets) out[d.name] = new ElasticsearchDataset(d, ctx, connection).outputs;
  return out;
}
