// Kafka SASL credentials through Druid's environment-variable dynamic config provider
// (EnvironmentVariableDynamicConfigProvider, consumer property `druid.dynamic.config.provider`): the spec
// names an environment variable and every Druid process that consumes Kafka (Overlord, MiddleManagers/
// Peons or Indexers) resolves it when it builds its consumer. So no password is ever POSTed, stored in
// Druid's metadata store, returned by GET or kept in Pulumi state. Pure; plain data only.
import type { Json } from "../../dsl/types";

/** The consumer property Druid reads its dynamic config provider from (KafkaSupervisorIOConfig). */
export const DYNAMIC_CONFIG_PROVIDER_KEY = "druid.dynamic.config.provider";

/** Default name of the Druid-side variable holding the full JAAS line (module, username and password). */
export const DEFAULT_KAFKA_JAAS_ENV = "MAPSTACK_KAFKA_SASL_JAAS_CONFIG";

/** The placeholder the spec builder (src/targets/druid/supervisor.ts) puts where the password goes. */
export const KAFKA_PASSWORD_MARK = "<secret:kafkaSaslPassword>";

type Obj = { [k: string]: Json };
const isObj = (v: Json | undefined): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

/**
 * consumerProperties with `sasl.jaas.config` taken from the Druid process's environment variable `envVar`
 * instead of the spec. Other properties are kept; an existing provider's other variables are kept too.
 */
export function jaasFromEnvironment(consumerProperties: Obj, envVar = DEFAULT_KAFKA_JAAS_ENV): Obj {
  const out: Obj = { ...consumerProperties };
  delete out["sasl.jaas.config"];
  const existing = isObj(out[DYNAMIC_CONFIG_PROVIDER_KEY]) ? (out[DYNAMIC_CONFIG_PROVIDER_KEY] as Obj) : null;
  const variables = existing && isObj(existing.variables) ? existing.variables : {};
  out[DYNAMIC_CONFIG_PROVIDER_KEY] = { type: "environment", variables: { ...variables, "sasl.jaas.config": envVar } };
  return out;
}

/**
 * The spec as it is POSTed: a `sasl.jaas.config` that still carries the password placeholder is replaced by
 * the environment reference, so the password never leaves the stack. A spec already in that form is unchanged.
 */
export function withKafkaCredentialsFromEnvironment(spec: Json, envVar = DEFAULT_KAFKA_JAAS_ENV): Json {
  if (!isObj(spec) || !isObj(spec.spec) || !isObj(spec.spec.ioConfig) || !isObj(spec.spec.ioConfig.consumerProperties)) return spec;
  const cp = spec.spec.ioConfig.consumerProperties;
  const jaas = cp["sasl.jaas.config"];
  if (typeof jaas !== "string" || !jaas.includes(KAFKA_PASSWORD_MARK)) return spec;
  return { ...spec, spec: { ...spec.spec, ioConfig: { ...spec.spec.ioConfig, consumerProperties: jaasFromEnvironment(cp, envVar) } } };
}

/** True when some sasl.jaas.config / *.password value in the spec holds a literal secret. */
export function specHoldsKafkaSecret(spec: Json): boolean {
  if (Array.isArray(spec)) return spec.some(specHoldsKafkaSecret);
  if (!isObj(spec)) return false;
  return Object.entries(spec).some(([k, v]) => {
    if (typeof v === "string" && (k === "sasl.jaas.config" || /(^|\.)password$/.test(k))) return /password\s*=\s*["'](?!<secret:)[^"']+["']/.test(v) || (k !== "sasl.jaas.config" && v.length > 0);
    return specHoldsKafkaSecret(v);
  });
}
