// Which Druid releases mapstack deploys to, and what each one can do. Pure (no I/O, no Pulumi) so settings
// validation, the provider and the docs all read the same rules. Plain data only: this module is reached
// from the provider's serialised closure.

export interface DruidVersion {
  major: number;
  minor: number;
  patch: number;
  text: string;
}

/** Oldest release we deploy to: the replaced GitOps repository ran apache/druid:30.0.0. */
export const MIN_SUPPORTED_MAJOR = 30;

/** First release whose supervisor POST accepts ?skipRestartIfUnmodified=true (apache/druid#17707). */
export const SKIP_RESTART_SINCE_MAJOR = 33;

/** Releases refused outright, with the reason a user is shown. */
export const BROKEN_RELEASES: Array<{ major: number; minor?: number; patch?: number; when: "inline-protobuf" | "always"; reason: string }> = [
  {
    major: 35,
    when: "inline-protobuf",
    reason:
      "Druid 35 cannot load protobuf descriptors: an inline descriptor fails with 'Cannot construct instance of " +
      "InlineDescriptorProtobufBytesDecoder, problem: java.lang.NullPointerException' (apache/druid#18730, fixed " +
      "by apache/druid#18770 in Druid 36); use 34.x or 36+",
  },
];

/** "33.0.0", "34.0", "30.0.1-rc1" → parts; null when it is not a Druid release number. */
export function parseDruidVersion(text: string): DruidVersion | null {
  const m = /^(\d{1,3})\.(\d{1,3})(?:\.(\d{1,3}))?(?:[-+][0-9A-Za-z.-]+)?$/.exec(text.trim());
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), text: text.trim() };
}

export interface DruidFeatures {
  /** Some dataset has a protobuf source (the spec carries an inline descriptor). */
  inlineProtobuf: boolean;
}

/** Why this version cannot be used for these datasets; empty when it can. */
export function druidVersionProblems(text: string, features: DruidFeatures): string[] {
  const v = parseDruidVersion(text);
  if (!v) return [`druidVersion ${JSON.stringify(text)} is not a Druid release number (e.g. "34.0.0")`];
  if (v.major < MIN_SUPPORTED_MAJOR) {
    return [`Druid ${v.text} is older than the oldest supported release (${MIN_SUPPORTED_MAJOR}.0.0): the supervisor spec uses inputFormat with flattenSpec and 'auto' dimensions`];
  }
  const problems: string[] = [];
  for (const b of BROKEN_RELEASES) {
    const hit = b.major === v.major && (b.minor === undefined || b.minor === v.minor) && (b.patch === undefined || b.patch === v.patch);
    if (hit && (b.when === "always" || features.inlineProtobuf)) problems.push(`Druid ${v.text} is refused: ${b.reason}`);
  }
  return problems;
}

/** True when POST /druid/indexer/v1/supervisor knows skipRestartIfUnmodified (older releases ignore it and restart every task). */
export function hasSkipRestartIfUnmodified(text: string | null | undefined): boolean {
  const v = text ? parseDruidVersion(text) : null;
  return !!v && v.major >= SKIP_RESTART_SINCE_MAJOR;
}

/** Extensions every Druid service must load (druid.extensions.loadList) for mapstack's specs. */
export function requiredExtensions(features: DruidFeatures & { basicAuth: boolean }): string[] {
  return [
    "druid-kafka-indexing-service",
    ...(features.inlineProtobuf ? ["druid-protobuf-extensions"] : []),
    ...(features.basicAuth ? ["druid-basic-security"] : []),
  ];
}
