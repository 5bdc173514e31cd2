import * as path from "node:path";
import { TARGET_CHECKS } from "../../targets/checks";
import { compileDirectory } from "../../dsl/compile";
import { credentialsFromEnv, detectDrift, driftTable, type DriftItem } from "../../lifecycle/drift";
import { loadStackSettings } from "../../settings/stack-settings";
import { parse, UsageError, type Command } from "../command";
import { findProjectDir } from "../project";

/** Exit codes specific to drift (0, 1 and 2 keep their CLI-wide meaning). */
export const DRIFT_EXIT = { clean: 0, drifted: 3, unreadable: 4 } as const;

export const driftCommand: Command = {
  name: "drift",
  summary: "compare what a stack would deploy with what live Elasticsearch and Druid hold (no Pulumi state needed)",
  help: `Usage: mapstack drift --stack <stack> [--target elasticsearch|druid]… [--es-url URL] [--druid-url URL]
                      [--all] [--json] [--project-dir DIR]

Compiles dsl/ with the stack's settings (what 'mapstack synth' writes) and reads every object from
the live endpoints with the providers' own read and normalisation code: ILM policies, ingest
pipelines and index templates from Elasticsearch, Kafka supervisors (spec and suspension) from the
Druid Overlord. Defaults a server adds on GET are not drift; out-of-band edits and deletions are.
For teams without access to Pulumi state; with state, 'pulumi preview --refresh --expect-no-changes'
is the complete check (it also covers Grafana, PrometheusRules and S3 objects).

Credentials come from the environment and are never printed:
  MAPSTACK_ES_API_KEY       Elasticsearch API key (or MAPSTACK_ES_PASSWORD with mapstack:esUsername)
  MAPSTACK_ES_PASSWORD      Elasticsearch basic-auth password
  MAPSTACK_DRUID_PASSWORD   Druid basic-auth password (user: mapstack:druidUsername)

Options:
  --stack NAME        stack whose Pulumi.<stack>.yaml to read (required)
  --target T          only this target (repeatable; default: elasticsearch and druid)
  --es-url URL        read Elasticsearch here instead of mapstack:esUrl (e.g. a port-forward)
  --druid-url URL     read Druid here instead of mapstack:druidUrl
  --all               list in-sync objects too
  --json              print the items as JSON
  --project-dir DIR   directory holding Pulumi.yaml (default: found from the current directory)
Exit codes: 0 no drift, 1 invalid settings or DSL, 2 bad command line, 3 drift found (table on
stdout), 4 some object could not be read (and no drift among the rest).`,
  async run(argv, io) {
    const { values } = parse(
      argv,
      {
        stack: { type: "string" }, target: { type: "string", multiple: true }, "es-url": { type: "string" }, "druid-url": { type: "string" },
        all: { type: "boolean" }, json: { type: "boolean" }, "project-dir": { type: "string" },
      },
      false,
    );
    if (!values.stack) throw new UsageError("drift needs --stack <name>");
    const targets = (values.target ?? ["elasticsearch", "druid"]) as Array<DriftItem["target"]>;
    for (const t of targets) if (t !== "elasticsearch" && t !== "druid") throw new UsageError(`--target must be elasticsearch or druid, got ${JSON.stringify(t)}`);
    for (const k of ["es-url", "druid-url"] as const) if (values[k] && !/^https?:\/\/\S+$/.test(values[k]!)) throw new UsageError(`--${k} must be an http(s) URL`);
    const projectDir = findProjectDir(io.cwd, values["project-dir"]);
    const settings = loadStackSettings(projectDir, values.stack);
    const { datasets } = compileDirectory(path.resolve(projectDir, settings.dslDir), TARGET_CHECKS);
    const items = await detectDrift({
      settings, datasets, projectDir, targets, credentials: credentialsFromEnv(process.env),
      esUrl: values["es-url"]?.replace(/\/+$/, ""), druidUrl: values["druid-url"]?.replace(/\/+$/, ""),
    });
    const drifted = items.filter((i) => i.status === "changed" || i.status === "missing");
    const unreadable = items.filter((i) => i.status === "unreadable");
    if (values.json) io.out(JSON.stringify({ stack: settings.stack, drifted: drifted.length, unreadable: unreadable.length, items }, null, 2));
    else {
      const table = driftTable(items, values.all);
      if (table) io.out(table);
      io.out(`stack ${settings.stack}: ${items.length} object(s) checked, ${drifted.length} drifted, ${unreadable.length} unreadable`);
    }
    return drifted.length ? DRIFT_EXIT.drifted : unreadable.length ? DRIFT_EXIT.unreadable : DRIFT_EXIT.clean;
  },
};
