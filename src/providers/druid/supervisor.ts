// KafkaSupervisor: a Druid Kafka supervisor as a Pulumi dynamic resource. State keeps the spec we applied
// (with the Kafka password as a placeholder), never Druid's defaults-filled GET answer, so diffs show only
// what the DSL or stack config changed.
import * as pulumi from "@pulumi/pulumi";
import type { Json } from "../../dsl/types";
import { KAFKA_PASSWORD_PLACEHOLDER } from "../../targets/druid/supervisor";
import { normalizeSupervisorSpec, specDifferences } from "./normalize";
import { getStatus, getSupervisor, postSupervisor, setSuspended, terminate, type OverlordAuth } from "./overlord";


/** What happens to a supervisor whose dataset moved to a new datasource (DSL `replaces.old_supervisor`). */
export type RetiredMode = "suspend" | "keep_running";

export interface SupervisorProps {
  druidUrl: string;
  druidUsername: string | null;
  druidPassword: string;
  kafkaPassword: string;
  supervisorId: string;
  /** Spec template (Kafka password as placeholder); null for a retired supervisor we never applied. */
  spec: Json;
  suspended: boolean;
  retired: RetiredMode | null;
  /** Set by read: the supervisor's state as Druid reports it. */
  state?: string | null;
}

const auth = (p: SupervisorProps): OverlordAuth => ({ url: p.druidUrl, username: p.druidUsername, password: p.druidPassword });

/** Puts the password into the JAAS config strings; escaped for JAAS's quoted value syntax. */
export function fillSpec(spec: Json, kafkaPassword: string): Json {
  const jaas = kafkaPassword.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
  const walk = (v: Json): Json => {
    if (typeof v === "string") return v.split(KAFKA_PASSWORD_PLACEHOLDER).join(jaas);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(spec);
}

const same = (a: Json, b: Json) => specDifferences(a ?? null, b ?? null).length === 0;

export const supervisorProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: SupervisorProps, news: SupervisorProps) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (!news.supervisorId) failures.push({ property: "supervisorId", reason: "supervisorId (the datasource) is required" });
    if (!news.druidUrl) failures.push({ property: "druidUrl", reason: "druidUrl is required (stack config mapstack:druidUrl)" });
    if (!news.retired && (!news.spec || typeof news.spec !== "object")) failures.push({ property: "spec", reason: "spec is required unless the supervisor is retired" });
    return { inputs: news, failures };
  },

  async diff(_id: string, olds: SupervisorProps, news: SupervisorProps) {
    if (olds.supervisorId !== news.supervisorId) return { changes: true, replaces: ["supervisorId"], deleteBeforeReplace: false };
    const changed: string[] = [];
    if ((olds.retired ?? null) !== (news.retired ?? null)) changed.push("retired");
    if (!news.retired && !same(olds.spec, news.spec)) changed.push("spec");
    if (!news.retired && olds.suspended !== news.suspended) changed.push("suspended");
    if (!news.retired && olds.kafkaPassword !== news.kafkaPassword) changed.push("kafkaPassword");
    for (const k of ["druidUrl", "druidUsername", "druidPassword"] as const) if (olds[k] !== news[k]) changed.push(k);
    return { changes: changed.length > 0, replaces: [], stables: ["supervisorId"], deleteBeforeReplace: false, detailedDiff: Object.fromEntries(changed.map((k) => [k, { kind: "update" as const }])) };
  },

  async create(inputs: SupervisorProps) {
    const outs: SupervisorProps = { ...inputs, state: null };
    if (inputs.retired) {
      // A retired supervisor we never managed: leave whatever runs alone, except for the suspension asked for.
      if (inputs.retired === "suspend" && (await getSupervisor(auth(inputs), inputs.supervisorId))) await setSuspended(auth(inputs), inputs.supervisorId, true);
      return { id: inputs.supervisorId, outs: { ...outs, spec: null } };
    }
    await postSupervisor(auth(inputs), inputs.supervisorId, fillSpec(inputs.spec, inputs.kafkaPassword));
    return { id: inputs.supervisorId, outs };
  },

  async update(id: string, olds: SupervisorProps, news: SupervisorProps) {
    const a = auth(news);
    if (news.retired) {
      if (news.retired === "suspend") await setSuspended(a, id, true);
      return { outs: { ...news, spec: olds.spec, suspended: news.retired === "suspend" || olds.suspended, state: null } };
    }
    const onlySuspension = !olds.retired && same(olds.spec, news.spec) && olds.kafkaPassword === news.kafkaPassword;
    if (onlySuspension) {
      if (olds.suspended !== news.suspended) await setSuspended(a, id, news.suspended);
    } else {
      await postSupervisor(a, id, fillSpec(news.spec, news.kafkaPassword));
    }
    return { outs: { ...news, state: null } };
  },

  async delete(id: string, props: SupervisorProps) {
    await terminate(auth(props), id);
  },

  async read(id: string, props?: SupervisorProps) {
    if (!props) throw new Error(`cannot import Druid supervisor '${id}' without its connection settings`);
    const live = await getSupervisor(auth(props), id);
    if (live === null) return { id: "", props: {} };
    const status = await getStatus(auth(props), id);
    const liveSuspended = (live as { suspended?: boolean }).suspended === true || status?.suspended === true;
    // A retired supervisor keeps the spec we last applied; otherwise reflect what runs, projected onto it.
    const spec = props.spec ? normalizeSupervisorSpec(live, props.spec) : props.spec;
    return { id, props: { ...props, spec, suspended: liveSuspended, state: status?.state ?? null } };
  },
};

export interface KafkaSupervisorArgs {
  druidUrl: pulumi.Input<string>;
  druidUsername: pulumi.Input<string | null>;
  druidPassword: pulumi.Input<string>;
  kafkaPassword: pulumi.Input<string>;
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
    super(supervisorProvider, name, { ...args, state: undefined }, {
      ...opts,
      additionalSecretOutputs: ["druidPassword", "kafkaPassword"],
    }, "druid", "KafkaSupervisor");
  }
}
