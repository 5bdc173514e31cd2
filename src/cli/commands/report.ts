import * as path from "node:path";
import { compileFiles, listDslFiles } from "../../dsl/compile";
import { MapstackError } from "../../dsl/diagnostics";
import {
  PUSHGATEWAY_PASSWORD_ENV, PUSHGATEWAY_USER_ENV, pushApplyReport, pushgatewayTarget, RESULTS,
  type ApplyResult, type DatasetCompileFigures, type PushgatewayTarget,
} from "../../lifecycle/pushgateway";
import { loadStackSettings } from "../../settings/stack-settings";
import { EXIT, parse, UsageError, type Command, type Io } from "../command";
import { findProjectDir } from "../project";

/**
 * Compile figures per dataset: each DSL file compiled on its own with a fresh selector cache, so hits
 * and misses are that dataset's. Best effort: the apply outcome is pushed even when the DSL does not
 * compile (a failed apply is exactly when it matters).
 */
function compileFigures(projectDir: string, stack: string, io: Io): Record<string, DatasetCompileFigures> {
  const out: Record<string, DatasetCompileFigures> = {};
  try {
    const dslDir = path.resolve(projectDir, loadStackSettings(projectDir, stack).dslDir);
    for (const file of listDslFiles(dslDir)) {
      const r = compileFiles([file], { dslDir });
      if (r.diagnostics.length || r.datasets.length !== 1) {
        io.err(`mapstack report: no compile metrics for ${path.relative(projectDir, file)} (it does not compile; run mapstack validate)`);
        continue;
      }
      out[r.datasets[0].name] = { jsonpathCacheHits: r.report.jsonpathCacheHits, jsonpathCacheMisses: r.report.jsonpathCacheMisses, compileMillis: r.report.compileMillis };
    }
  } catch (e) {
    io.err(`mapstack report: no compile metrics: ${(e as Error).message.split("\n")[0]}`);
  }
  return out;
}

export const reportCommand: Command = {
  name: "report",
  summary: "push a pulumi up outcome (result, duration, changed resources) and compile metrics to a Prometheus Pushgateway",
  help: `Usage: mapstack report --pushgateway <url> --stack <stack> --result success|failure --duration <seconds> [--changed N] [--no-compile-metrics]

Run by CI after every 'pulumi up'. Pushes to <url>/metrics/job/mapstack/stack/<stack> (PUT: the
group is replaced whole):
  mapstack_apply_total{result}                 counter of applies by result (success|failure)
  mapstack_apply_last_duration_seconds         duration of this apply
  mapstack_apply_last_success                  1 or 0
  mapstack_apply_last_timestamp_seconds        when this apply ended
  mapstack_apply_last_changed_resources        resources changed (only with --changed)
  mapstack_compile_last_duration_seconds{dataset}   compile time of each dataset's DSL file
  mapstack_compile_jsonpath_cache_hits{dataset}     JSONPath selector cache hits while compiling it
  mapstack_compile_jsonpath_cache_misses{dataset}   … and misses
The Pushgateway adds the labels job="mapstack" and stack="<stack>". It only stores the last value
pushed, so mapstack report first reads the group's current counts (GET <url>/metrics) and pushes
them plus one: increase(mapstack_apply_total[7d]) counts applies, and the alert
"apply success < 95 %" (shipped with the PrometheusRules) is computable. Run one apply per stack at
a time (CI resource groups), or two reports may read the same count.

Basic auth: http(s)://user:password@host:port, or ${PUSHGATEWAY_USER_ENV} and
${PUSHGATEWAY_PASSWORD_ENV} (these win over the URL's). Credentials are sent only in the
Authorization header and never printed.

Options:
  --pushgateway URL      Pushgateway base URL, e.g. http://pushgateway.monitoring:9091
  --stack NAME           stack that was applied
  --result R             success or failure
  --duration S           duration of the apply in seconds (decimal allowed)
  --changed N            resources created, updated, replaced or deleted (e.g. from
                         'pulumi up --json' or 'pulumi stack history --json' resourceChanges)
  --no-compile-metrics   do not compile the stack's DSL files for the compile metrics
  --project-dir DIR      project directory (default: nearest Pulumi.yaml above the working directory)
  --print                also print the pushed body
Exit codes: 0 pushed, 1 Pushgateway unreachable or refused the push, 2 bad command line.`,
  async run(argv, io) {
    const { values } = parse(
      argv,
      {
        pushgateway: { type: "string" }, stack: { type: "string" }, result: { type: "string" }, duration: { type: "string" }, changed: { type: "string" },
        print: { type: "boolean" }, "no-compile-metrics": { type: "boolean" }, "project-dir": { type: "string" },
      },
      false,
    );
    if (!values.pushgateway) throw new UsageError("report needs --pushgateway <http(s) URL>");
    let target: PushgatewayTarget;
    try {
      target = pushgatewayTarget(values.pushgateway);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (!values.stack) throw new UsageError("report needs --stack <name>");
    if (!RESULTS.includes(values.result as ApplyResult)) throw new UsageError(`--result must be success or failure, got ${JSON.stringify(values.result ?? null)}`);
    const duration = Number(values.duration);
    if (values.duration === undefined || !Number.isFinite(duration) || duration < 0) throw new UsageError(`--duration must be a number of seconds, got ${JSON.stringify(values.duration ?? null)}`);
    let changed: number | null = null;
    if (values.changed !== undefined) {
      if (!/^\d+$/.test(values.changed)) throw new UsageError(`--changed must be a whole number, got ${JSON.stringify(values.changed)}`);
      changed = Number(values.changed);
    }
    let compile: Record<string, DatasetCompileFigures> = {};
    if (!values["no-compile-metrics"]) {
      let projectDir: string | null = null;
      try {
        projectDir = findProjectDir(io.cwd, values["project-dir"]);
      } catch (e) {
        io.err(`mapstack report: no compile metrics: ${(e as Error).message}`);
      }
      if (projectDir) compile = compileFigures(projectDir, values.stack, io);
    }
    try {
      const body = await pushApplyReport(
        target,
        { stack: values.stack, result: values.result as ApplyResult, durationSeconds: duration, changedResources: changed, at: Math.floor(Date.now() / 1000) },
        { compile },
      );
      if (values.print) io.out(body.trimEnd());
    } catch (e) {
      throw new MapstackError(target.redact(`mapstack report: ${(e as Error).message}`));
    }
    io.out(`pushed ${values.result} apply of stack ${values.stack} to ${target.url}${Object.keys(compile).length ? ` with compile metrics of ${Object.keys(compile).length} dataset(s)` : ""}`);
    return EXIT.ok;
  },
};
