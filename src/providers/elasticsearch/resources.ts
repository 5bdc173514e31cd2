// Pulumi resources for Elasticsearch objects, backed by the dynamic provider in provider.ts.
import * as pulumi from "@pulumi/pulumi";
import { esProvider, type EsConnection, type EsKind } from "./provider";

export interface EsConnectionArgs {
  url: pulumi.Input<string>;
  apiKey?: pulumi.Input<string>;
  username?: pulumi.Input<string>;
  password?: pulumi.Input<string>;
  caCert?: pulumi.Input<string>;
}

export interface EsObjectArgs {
  name: pulumi.Input<string>;
  body: pulumi.Input<Record<string, unknown>>;
  connection: pulumi.Input<EsConnectionArgs>;
  /** Overwrite an existing object with this name instead of refusing (mapstack:esAdoptExisting). */
  adopt?: pulumi.Input<boolean>;
}

abstract class EsObject extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly body: pulumi.Output<Record<string, unknown>>;
  declare readonly connection: pulumi.Output<EsConnection>;
  constructor(kind: EsKind, resourceName: string, args: EsObjectArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      esProvider,
      resourceName,
      // The whole connection is secret: it carries the API key or password.
      { kind, name: args.name, body: args.body, connection: pulumi.secret(args.connection), adopt: args.adopt ?? false },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "connection"] },
      // Type token pulumi-nodejs:dynamic/elasticsearch:<Kind>, so previews name what changes.
      "elasticsearch",
      kind === "index-template" ? "IndexTemplate" : kind === "ingest-pipeline" ? "IngestPipeline" : "IlmPolicy",
    );
  }
}

export class IndexTemplate extends EsObject {
  constructor(name: string, args: EsObjectArgs, opts?: pulumi.CustomResourceOptions) {
    super("index-template", name, args, opts);
  }
}

export class IngestPipeline extends EsObject {
  constructor(name: string, args: EsObjectArgs, opts?: pulumi.CustomResourceOptions) {
    super("ingest-pipeline", name, args, opts);
  }
}

export class IlmPolicy extends EsObject {
  constructor(name: string, args: EsObjectArgs, opts?: pulumi.CustomResourceOptions) {
    super("ilm-policy", name, args, opts);
  }
}
