// KafkaSupervisor: a Druid Kafka supervisor as a Pulumi resource, backed by the dynamic provider in
// supervisor.ts. Druid's password and the legacy Kafka password stay secret in state.
import * as pulumi from "@pulumi/pulumi";
import type { Json } from "../../dsl/types";
import { supervisorProvider, type RetiredMode } from "./supervisor";

export interface KafkaSupervisorArgs {
  druidUrl: pulumi.Input<string>;
  druidUsername: pulumi.Input<string | null>;
  druidPassword: pulumi.Input<string>;
  kafkaPassword?: pulumi.Input<string>;
  druidVersion?: pulumi.Input<string | null>;
  kafkaJaasEnv?: pulumi.Input<string | null>;
  supervisorId: pulumi.Input<string>;
  spec: pulumi.Input<Json>;
  suspended: pulumi.Input<boolean>;
  retired: pulumi.Input<RetiredMode | null>;
}

export class KafkaSupervisor extends pulumi.dynamic.Resource {
  declare readonly supervisorId: pulumi.Output<string>;
  declare readonly spec: pulumi.Output<Json>;
  declare readonly suspended: pulumi.Output<boolean>;
  declare readonly state: pulumi.Output<string | null>;

  constructor(name: string, args: KafkaSupervisorArgs, opts?: pulumi.CustomResourceOptions) {
    super(supervisorProvider, name, { druidVersion: null, kafkaJaasEnv: null, ...args, state: undefined }, {
      ...opts,
      additionalSecretOutputs: ["druidPassword", "kafkaPassword"],
    }, "druid", "KafkaSupervisor");
  }
}
