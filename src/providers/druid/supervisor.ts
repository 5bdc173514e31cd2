// The dynamic provider behind KafkaSupervisor (resources.ts): a Druid Kafka supervisor. State keeps the
// spec we applied, never Druid's defaults-filled GET answer, so diffs show only what the DSL or stack
// config changed; a read of an unchanged supervisor gives back exactly that spec (see normalize.ts).
// Kafka credentials are never sent: the POSTed spec names a Druid-side environment variable instead
// (kafka-credentials.ts). Suspension is its own property, applied through /suspend and /resume.
// Types only: the CLI (drift, status) drives this provider without loading the Pulumi SDK.
import type * as pulumi from "@pulumi/pulumi";
import type { Json } from "../../dsl/types";
import { DEFAULT_KAFKA_JAAS_ENV, withKafkaCredentialsFromEnvironment } from "./kafka-credentials";
import { propertyDiff, type PropertyDiffKind } from "../elasticsearch/normalize";
import { canonicalSupervisorSpec, liveInAppliedTerms, redactSpec, sameSupervisorSpec } from "./normalize";
import { getStatus, getSupervisor, postSupervisor, setSuspended, terminate, type OverlordAuth } from "./overlord";
import { druidVersionProblems, hasSkipRestartIfUnmodified } from "./versions";

/** What happens to a supervisor whose dataset moved to a new datasource (DSL `replaces.old_supervisor`). */
export type RetiredMode = "suspend" | "keep_running";

export interface SupervisorProps {
  druidUrl: string;
  druidUsername: string | null;
  druidPassword: string;
  /** Kept for existing stacks; never sent to Druid (the JAAS line comes from Druid's environment). */
  kafkaPassword?: string;
  /** Release of the target cluster (mapstack:druidVersion); decides skipRestartIfUnmodified. Null: unknown, not used. */
  druidVersion?: string | null;
  /** Druid-side environment variable holding the Kafka JAAS line; default MAPSTACK_KAFKA_SASL_JAAS_CONFIG. */
  kafkaJaasEnv?: string | null;
  supervisorId: string;
  /** Spec template; null for a retired supervisor we never applied. */
  spec: Json;
  suspended: boolean;
  retired: RetiredMode | null;
  /** Set by read: the supervisor's state as Druid reports it. */
  state?: string | null;
}

const auth = (p: SupervisorProps): OverlordAuth => ({ url: p.druidUrl, username: p.druidUsername, password: p.druidPassword });

/** The spec as POSTed: Kafka credentials by environment reference, `suspended` as the resource says. */
export function postedSpec(p: SupervisorProps): Json {
  const s = withKafkaCredentialsFromEnvironment(p.spec, p.kafkaJaasEnv || DEFAULT_KAFKA_JAAS_ENV);
  return s && typeof s === "object" && !Array.isArray(s) ? { ...s, suspended: p.suspended } : s;
}

const sameSpec = (a: SupervisorProps, b: SupervisorProps) => sameSupervisorSpec(postedSpec(a), postedSpec(b));
const baseUrl = (u: string | undefined) => (u ?? "").replace(/\/+$/, "");

function usesInlineProtobuf(spec: Json): boolean {
  const decoder = (spec as { spec?: { ioConfig?: { inputFormat?: { protoBytesDecoder?: { type?: string } } } } } | null)?.spec?.ioConfig?.inputFormat?.protoBytesDecoder;
  return decoder?.type === "inline";
}

/** Pulumi's DetailedPropertyDiff kinds (provider.proto): ADD 0, ADD_REPLACE 1, DELETE 2, DELETE_REPLACE 3, UPDATE 4, UPDATE_REPLACE 5. */
const DIFF_KIND: Record<PropertyDiffKind, number> = { add: 0, delete: 2, update: 4 };

/** Property paths where two supervisors' specs differ (`spec.spec.ioConfig.taskCount`), both sides canonical. */
function specPaths(olds: SupervisorProps, news: SupervisorProps): Record<string, PropertyDiffKind> {
  const canonical = (p: SupervisorProps) => {
    const c = canonicalSupervisorSpec(postedSpec(p) ?? null);
    // Suspension is its own property (`suspended`), applied through /suspend and /resume.
    if (c && typeof c === "object" && !Array.isArray(c)) {
      const { suspended: _s, ...rest } = c as Record<string, Json>;
      return rest;
    }
    return c;
  };
  const paths = propertyDiff(canonical(olds), canonical(news), "spec");
  // Equal canonical forms can still differ in what sameSupervisorSpec compares: never report no path for a change.
  return Object.keys(paths).length ? paths : { spec: "update" };
}

export const supervisorProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: SupervisorProps, news: SupervisorProps) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (!news.supervisorId) failures.push({ property: "supervisorId", reason: "supervisorId (the datasource) is required" });
    if (!news.druidUrl || !/^https?:\/\//.test(news.druidUrl)) failures.push({ property: "druidUrl", reason: "druidUrl must be an http(s) URL (stack config mapstack:druidUrl)" });
    if (!news.retired && (!news.spec || typeof news.spec !== "object")) failures.push({ property: "spec", reason: "spec is required unless the supervisor is retired" });
    if (news.druidVersion) {
      for (const reason of druidVersionProblems(news.druidVersion, { inlineProtobuf: usesInlineProtobuf(news.spec) })) failures.push({ property: "druidVersion", reason });
    }
    return { inputs: news, failures };
  },

  async diff(_id: string, olds: SupervisorProps, news: SupervisorProps) {
    // detailedDiff follows the provider protocol (property paths, numeric kinds); see the ES provider for
    // what the SDK's dynamic-provider host does with it.
    const replace = (key: "supervisorId" | "druidUrl") => ({ changes: true, replaces: [key], deleteBeforeReplace: false, detailedDiff: { [key]: { kind: DIFF_KIND.update + 1, inputDiff: true } } });
    if (olds.supervisorId !== news.supervisorId) return replace("supervisorId");
    // Another cluster: create the supervisor there first, then terminate it on the old one (Pulumi's delete of the old state).
    if (baseUrl(olds.druidUrl) !== baseUrl(news.druidUrl)) return replace("druidUrl");
    const changed: Record<string, PropertyDiffKind> = {};
    if ((olds.retired ?? null) !== (news.retired ?? null)) changed.retired = "update";
    if (!news.retired && !sameSpec(olds, news)) Object.assign(changed, specPaths(olds, news));
    if (!news.retired && olds.suspended !== news.suspended) changed.suspended = "update";
    for (const k of ["druidUsername", "druidPassword", "druidVersion", "kafkaJaasEnv"] as const) if ((olds[k] ?? null) !== (news[k] ?? null)) changed[k] = "update";
    const detailedDiff = Object.fromEntries(Object.entries(changed).map(([path, kind]) => [path, { kind: DIFF_KIND[kind], inputDiff: true }]));
    return { changes: Object.keys(changed).length > 0, replaces: [], stables: ["supervisorId"], deleteBeforeReplace: false, detailedDiff };
  },

  async create(inputs: SupervisorProps) {
    const outs: SupervisorProps = { ...inputs, state: null };
    if (inputs.retired) {
      // A retired supervisor we never managed: leave whatever runs alone, except for the suspension asked for.
      if (inputs.retired === "suspend" && (await getSupervisor(auth(inputs), inputs.supervisorId))) await setSuspended(auth(inputs), inputs.supervisorId, true);
      return { id: inputs.supervisorId, outs: { ...outs, spec: null } };
    }
    await postSupervisor(auth(inputs), inputs.supervisorId, postedSpec(inputs), hasSkipRestartIfUnmodified(inputs.druidVersion));
    return { id: inputs.supervisorId, outs };
  },

  async update(id: string, olds: SupervisorProps, news: SupervisorProps) {
    const a = auth(news);
    if (news.retired) {
      if (news.retired === "suspend") await setSuspended(a, id, true);
      return { outs: { ...news, spec: olds.spec, suspended: news.retired === "suspend" || olds.suspended, state: null } };
    }
    if (olds.retired || !sameSpec(olds, news)) {
      // The POSTed spec carries `suspended`, so one call applies both a spec change and a suspension change.
      await postSupervisor(a, id, postedSpec(news), hasSkipRestartIfUnmodified(news.druidVersion));
    } else if (olds.suspended !== news.suspended) {
      // Unchanged spec: never re-POSTed (before Druid 33 that restarts every task).
      await setSuspended(a, id, news.suspended);
    }
    return { outs: { ...news, state: null } };
  },

  async delete(id: string, props: SupervisorProps) {
    // Also for a retired supervisor: dropping it from the program (old_supervisor: terminate) is how it ends.
    await terminate(auth(props), id);
  },

  async read(id: string, props?: SupervisorProps) {
    if (!props) throw new Error(`cannot import Druid supervisor '${id}' without its connection settings`);
    const live = await getSupervisor(auth(props), id);
    if (live === null) return { id: "", props: {} };
    const status = await getStatus(auth(props), id);
    const liveSuspended = (live as { suspended?: boolean }).suspended === true || status?.suspended === true;
    // A retired supervisor keeps the spec we last applied; otherwise what runs, in the applied spec's terms.
    // Redacted first: a supervisor POSTed before credentials moved to Druid's environment holds the password.
    const spec = props.spec ? liveInAppliedTerms(redactSpec(live), postedSpec(props)) : props.spec;
    const sameAsApplied = props.spec && sameSupervisorSpec(spec, postedSpec(props));
    return { id, props: { ...props, spec: sameAsApplied ? props.spec : spec, suspended: liveSuspended, state: status?.state ?? null } };
  },
};
