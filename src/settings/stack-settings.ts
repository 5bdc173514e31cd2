// Typed, validated per-stack settings. Raw values come either from Pulumi.<stack>.yaml (offline CLI)
// or from pulumi.Config (the program); both go through resolveSettings so they can never disagree.
import { DEFAULT_KAFKA_JAAS_ENV } from "../providers/druid/kafka-credentials";
import { druidVersionProblems } from "../providers/druid/versions";
import { resolveDruidStackKnobs, STACK_KNOB_TYPES, type DruidStackKnobs } from "../targets/druid/knobs";
import * as fs from "node:fs";
import * as path from "node:path";
import { Diagnostic, MapstackError } from "../dsl/diagnostics";
import { readSource, type SourceDocument } from "../dsl/source";
import { parseDeployWindow } from "../lifecycle/window";
import { loadDeclarations, PROJECT, type Declaration } from "./declarations";

/** Oldest Elasticsearch major the ingest pipeline runs on (docs/elasticsearch.md, "Supported versions"). */
export const ES_MIN_MAJOR = 8;

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export interface ThresholdOverrides {
  maxLagSeconds?: number;
  parseErrorRatio?: number;
  taskFailureRatio?: number;
  indexingFailureRatio?: number;
  noIngestMinutes?: number;
}

export interface StackSettings {
  stack: string;
  environment: Environment;
  dslDir: string;
  elasticsearch: {
    url: string;
    username: string | null;
    caCertPath: string | null;
    shards: number;
    replicas: number;
    refreshInterval: string;
    ilmHotMaxAge: string | null;
    ilmDeleteAfter: string | null;
    /** Create overwrites an existing object of the same name (taking it under management) instead of refusing. */
    adoptExisting: boolean;
    /** Release of the cluster (mapstack:esVersion), checked against what the pipeline needs. */
    version: string;
  };
  /** The program's explicit providers: nothing is taken from ambient defaults (current kube context, AWS_REGION). */
  aws: { region: string };
  kubernetes: { context: string; cluster: string | null; kubeconfigPath: string | null };
  druid: {
    url: string;
    username: string | null;
    taskCount: number;
    replicas: number;
    taskDuration: string;
    suspended: boolean;
    /** Supervisor/consumer/tuning knobs of the Druid GitOps repository (docs/druid.md). */
    knobs: DruidStackKnobs;
    version: string;
  };
  kafka: {
    bootstrapServers: string;
    securityProtocol: "PLAINTEXT" | "SSL" | "SASL_PLAINTEXT" | "SASL_SSL";
    saslMechanism: string;
    saslUsername: string | null;
    /** Druid-side environment variable with the JAAS line (the password never enters the spec). */
    jaasEnv: string;
  };
  schemas: { bucket: string; prefix: string; pinnedVersion: string | null };
  grafana: { url: string; datasourceUid: string };
  prometheus: { namespace: string; ruleLabels: Record<string, string>; overrides: ThresholdOverrides };
  lifecycle: {
    deployWindow: string | null;
    allowOutsideWindow: boolean;
    protectResources: boolean;
    allowDatasetDeletion: boolean;
    /** dataset name → content hash, from `mapstack promote`. */
    datasetPins: Record<string, string>;
    promotedFrom: string | null;
  };
}

/** Where a raw value came from, for error positions. */
export type Locate = (key: string) => { file: string; line: number; col: number };

const DURATION = /^\d+(ms|s|m|h|d)$/;
const ISO_DURATION = /^P(T(\d+H)?(\d+M)?(\d+S)?|\d+D)$/;

/**
 * Validates raw values (strings from pulumi.Config, or typed YAML values) against the declarations and
 * returns typed settings, or throws a MapstackError listing every problem with its position.
 */
export function resolveSettings(
  stack: string,
  raw: Record<string, unknown>,
  decls: Map<string, Declaration>,
  locate: Locate,
  opts: { secretKeysPresent?: Set<string> } = {},
): StackSettings {
  const problems: Diagnostic[] = [];
  const fail = (key: string, message: string): void => void problems.push({ ...locate(key), message: `${PROJECT}:${key} ${message}` });
  for (const key of Object.keys(raw)) {
    if (!decls.has(key)) fail(key, `is not a setting of this project (declared in Pulumi.yaml: ${[...decls.keys()].join(", ")})`);
  }
  const value = (key: string): unknown => {
    const d = decls.get(key);
    if (!d) throw new Error(`internal: setting ${key} is not declared in Pulumi.yaml`);
    const v = raw[key];
    if (v === undefined || v === null) {
      if ("default" in d) return d.default;
      if (d.secret) return opts.secretKeysPresent?.has(key) ? "" : undefined;
      fail(key, `is required: ${d.description} Set it with: pulumi config set ${PROJECT}:${key} <value>`);
      return undefined;
    }
    switch (d.type) {
      case "integer": {
        const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
        if (!Number.isInteger(n)) fail(key, `must be an integer, got ${JSON.stringify(v)}`);
        return n;
      }
      case "boolean":
        if (typeof v === "boolean") return v;
        if (v === "true" || v === "false") return v === "true";
        fail(key, `must be true or false, got ${JSON.stringify(v)}`);
        return false;
      case "array": {
        let arr: unknown = v;
        if (typeof v === "string") {
          try {
            arr = JSON.parse(v);
          } catch {
            arr = undefined;
          }
        }
        if (!Array.isArray(arr) || !arr.every((x) => typeof x === "string")) {
          fail(key, `must be a list of strings, got ${JSON.stringify(v)}`);
          return [];
        }
        return arr;
      }
      default:
        if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") {
          fail(key, `must be a string, got ${JSON.stringify(v)}`);
          return "";
        }
        return String(v);
    }
  };
  const str = (k: string) => (value(k) as string | undefined) ?? "";
  const opt = (k: string) => str(k) || null;
  const int = (k: string, min: number) => {
    const n = value(k) as number;
    if (Number.isInteger(n) && n < min) fail(k, `must be at least ${min}, got ${n}`);
    return n;
  };
  const bool = (k: string) => value(k) as boolean;
  const url = (k: string) => {
    const u = str(k);
    if (u && !/^https?:\/\/[^\s/]+/.test(u)) fail(k, `must be an http(s) URL, got ${JSON.stringify(u)}`);
    return u.replace(/\/+$/, "");
  };
  const duration = (k: string, re: RegExp, example: string) => {
    const d = opt(k);
    if (d && !re.test(d)) fail(k, `must be a duration like ${example}, got ${JSON.stringify(d)}`);
    return d;
  };
  const ratio = (k: string) => {
    const s = str(k);
    if (!s) return undefined;
    const n = Number(s);
    if (!Number.isFinite(n) || n < 0 || (/Ratio$/.test(k) && n > 1)) fail(k, `must be a ${/Ratio$/.test(k) ? "ratio between 0 and 1" : "positive number"}, got ${JSON.stringify(s)}`);
    return n;
  };

  const druidKnobs = () => {
    const r = resolveDruidStackKnobs(Object.fromEntries(Object.keys(STACK_KNOB_TYPES).map((k) => [k, value(k)])));
    for (const p of r.problems) fail(p.key, p.message);
    return r.knobs;
  };

  const esVersion = () => {
    const v = str("esVersion");
    const m = /^(\d+)\.(\d+)(\.\d+)?$/.exec(v);
    if (!m) fail("esVersion", `must be an Elasticsearch release like 8.15.0, got ${JSON.stringify(v)}`);
    else if (Number(m[1]) < ES_MIN_MAJOR) fail("esVersion", `Elasticsearch ${v} is not supported: the ingest pipeline's Painless runtime needs ${ES_MIN_MAJOR}.0 or later (docs/elasticsearch.md)`);
    return v;
  };

  const druidVersion = () => {
    const v = str("druidVersion");
    for (const p of druidVersionProblems(v, { inlineProtobuf: true })) fail("druidVersion", p);
    return v;
  };

  const environment = str("environment") as Environment;
  if (environment && !ENVIRONMENTS.includes(environment)) fail("environment", `must be one of ${ENVIRONMENTS.join(", ")}, got ${JSON.stringify(environment)}`);
  const protocol = str("kafkaSecurityProtocol");
  if (!["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"].includes(protocol)) fail("kafkaSecurityProtocol", `must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, got ${JSON.stringify(protocol)}`);
  const labels: Record<string, string> = {};
  for (const l of (value("prometheusRuleLabels") as string[]) ?? []) {
    const m = /^([a-zA-Z_][a-zA-Z0-9_]*)=(.*)$/.exec(l);
    if (!m) fail("prometheusRuleLabels", `entries must be key=value label pairs, got ${JSON.stringify(l)}`);
    else labels[m[1]] = m[2];
  }
  const pins: Record<string, string> = {};
  for (const p of (value("datasetPins") as string[]) ?? []) {
    const m = /^([a-z][a-z0-9_]*)@([0-9a-f]{16})$/.exec(p);
    if (!m) fail("datasetPins", `entries must be <dataset>@<16-hex content hash>, got ${JSON.stringify(p)}`);
    else pins[m[1]] = m[2];
  }
  const awsRegion = str("awsRegion");
  if (awsRegion && !/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(awsRegion)) fail("awsRegion", `must be an AWS region like eu-west-3, got ${JSON.stringify(awsRegion)}`);
  const schemaVersion = opt("schemaVersion");
  if (schemaVersion && !/^[0-9a-f]{7,64}$/.test(schemaVersion)) fail("schemaVersion", `must be a hex version id, got ${JSON.stringify(schemaVersion)}`);
  const window = opt("deployWindow");
  if (window) {
    try {
      parseDeployWindow(window);
    } catch (e) {
      fail("deployWindow", (e as Error).message.replace(/^deployWindow /, "value "));
    }
  }

  const settings: StackSettings = {
    stack,
    environment,
    dslDir: str("dslDir"),
    elasticsearch: {
      url: url("esUrl"),
      version: esVersion(),
      username: opt("esUsername"),
      caCertPath: opt("esCaCertPath"),
      shards: int("esShards", 1),
      replicas: int("esReplicas", 0),
      refreshInterval: duration("esRefreshInterval", /^(-1|\d+(ms|s|m))$/, "1s") ?? "1s",
      ilmHotMaxAge: duration("esIlmHotMaxAge", DURATION, "1d"),
      ilmDeleteAfter: duration("esIlmDeleteAfter", DURATION, "30d"),
      adoptExisting: bool("esAdoptExisting"),
    },
    aws: { region: awsRegion },
    kubernetes: { context: str("kubernetesContext"), cluster: opt("kubernetesCluster"), kubeconfigPath: opt("kubeconfigPath") },
    druid: {
      url: url("druidUrl"),
      username: opt("druidUsername"),
      taskCount: int("druidTaskCount", 1),
      replicas: int("druidReplicas", 1),
      taskDuration: duration("druidTaskDuration", ISO_DURATION, "PT1H") ?? "PT1H",
      suspended: bool("druidSuspended"),
      knobs: druidKnobs(),
      version: druidVersion(),
    },
    kafka: {
      bootstrapServers: str("kafkaBootstrapServers"),
      securityProtocol: protocol as StackSettings["kafka"]["securityProtocol"],
      saslMechanism: str("kafkaSaslMechanism"),
      saslUsername: opt("kafkaSaslUsername"),
      jaasEnv: str("kafkaJaasEnv") || DEFAULT_KAFKA_JAAS_ENV,
    },
    schemas: { bucket: str("schemaBucket"), prefix: str("schemaPrefix"), pinnedVersion: schemaVersion },
    grafana: { url: url("grafanaUrl"), datasourceUid: str("grafanaDatasourceUid") },
    prometheus: {
      namespace: str("prometheusNamespace"),
      ruleLabels: labels,
      overrides: Object.fromEntries(
        Object.entries({
          maxLagSeconds: ratio("alertMaxLagSeconds"),
          parseErrorRatio: ratio("alertParseErrorRatio"),
          taskFailureRatio: ratio("alertTaskFailureRatio"),
          indexingFailureRatio: ratio("alertIndexingFailureRatio"),
          noIngestMinutes: ratio("alertNoIngestMinutes"),
        }).filter(([, v]) => v !== undefined),
      ),
    },
    lifecycle: {
      deployWindow: window,
      allowOutsideWindow: bool("allowOutsideWindow"),
      protectResources: bool("protectResources"),
      allowDatasetDeletion: bool("allowDatasetDeletion"),
      datasetPins: pins,
      promotedFrom: opt("promotedFrom"),
    },
  };
  if (settings.kafka.securityProtocol.startsWith("SASL") && !settings.kafka.saslUsername) {
    fail("kafkaSaslUsername", `is required when kafkaSecurityProtocol is ${settings.kafka.securityProtocol}`);
  }
  if (problems.length) throw new MapstackError(problems);
  return settings;
}


export interface StackFile {
  file: string;
  source: SourceDocument;
  /** Plain values keyed without the project prefix. */
  values: Record<string, unknown>;
  /** Keys set as `secure:` (encrypted) values. */
  secretKeys: Set<string>;
  /** Values of other namespaces (aws:region, …). */
  foreign: Record<string, unknown>;
}

export function readStackFile(projectDir: string, stack: string): StackFile {
  const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) {
    const known = fs.readdirSync(projectDir).filter((f) => /^Pulumi\..+\.yaml$/.test(f)).map((f) => f.slice(7, -5));
    throw new MapstackError(`${file}:1:1: no such stack '${stack}' (stacks: ${known.join(", ") || "none"})`);
  }
  const read = readSource(file, fs.readFileSync(file));
  if (!read.ok) throw new MapstackError(read.diagnostics);
  const config = ((read.source.value as { config?: Record<string, unknown> })?.config ?? {}) as Record<string, unknown>;
  const values: Record<string, unknown> = {};
  const foreign: Record<string, unknown> = {};
  const secretKeys = new Set<string>();
  for (const [k, v] of Object.entries(config)) {
    if (!k.startsWith(`${PROJECT}:`)) {
      foreign[k] = v;
      continue;
    }
    const key = k.slice(PROJECT.length + 1);
    if (v && typeof v === "object" && !Array.isArray(v) && "secure" in v) secretKeys.add(key);
    else values[key] = v;
  }
  return { file, source: read.source, values, secretKeys, foreign };
}

/** Settings of a stack read from Pulumi.<stack>.yaml, as the offline CLI sees them (secrets not decrypted). */
export function loadStackSettings(projectDir: string, stack: string): StackSettings {
  const decls = loadDeclarations(projectDir);
  const sf = readStackFile(projectDir, stack);
  const locate: Locate = (key) => {
    const inFile = key in sf.values || sf.secretKeys.has(key);
    const pos = inFile ? sf.source.locate(["config", `${PROJECT}:${key}`]) : { line: 1, col: 1 };
    return { file: sf.file, ...pos };
  };
  // Offline, a secret need not be present: synth and validate never use credentials.
  const secretKeys = new Set([...decls.values()].filter((d) => d.secret).map((d) => d.key));
  return resolveSettings(stack, sf.values, decls, locate, { secretKeysPresent: secretKeys });
}
