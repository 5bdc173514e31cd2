import { MapstackError } from "../../dsl/diagnostics";
import { pushApplyReport, RESULTS, type ApplyResult } from "../../lifecycle/pushgateway";
import { EXIT, parse, UsageError, type Command } from "../command";

export const reportCommand: Command = {
  name: "report",
  summary: "push a pulumi up outcome (result, duration, changed resources) to a Prometheus Pushgateway",
  help: `Usage: mapstack report --pushgateway <url> --stack <stack> --result success|failure --duration <seconds> [--changed N]

Run by CI after every 'pulumi up'. Pushes to <url>/metrics/job/mapstack/stack/<stack> (PUT: the
group is replaced whole):
  mapstack_apply_total{result}                 counter of applies by result (success|failure)
  mapstack_apply_last_duration_seconds         duration of this apply
  mapstack_apply_last_success                  1 or 0
  mapstack_apply_last_timestamp_seconds        when this apply ended
  mapstack_apply_last_changed_resources        resources changed (only with --changed)
The Pushgateway adds the labels job="mapstack" and stack="<stack>". It only stores the last value
pushed, so mapstack report first reads the group's current counts (GET <url>/metrics) and pushes
them plus one: increase(mapstack_apply_total[7d]) counts applies, and the alert
"apply success < 95 %" (shipped with the PrometheusRules) is computable. Run one apply per stack at
a time (CI resource groups), or two reports may read the same count.

Options:
  --pushgateway URL   Pushgateway base URL, e.g. http://pushgateway.monitoring:9091
  --stack NAME        stack that was applied
  --result R          success or failure
  --duration S        duration of the apply in seconds (decimal allowed)
  --changed N         resources created, updated, replaced or deleted (e.g. from
                      'pulumi up --json' or 'pulumi stack history --json' resourceChanges)
  --print             also print the pushed body
Exit codes: 0 pushed, 1 Pushgateway unreachable or refused the push, 2 bad command line.`,
  async run(argv, io) {
    const { values } = parse(
      argv,
      { pushgateway: { type: "string" }, stack: { type: "string" }, result: { type: "string" }, duration: { type: "string" }, changed: { type: "string" }, print: { type: "boolean" } },
      false,
    );
    if (!values.pushgateway || !/^https?:\/\/\S+$/.test(values.pushgateway)) throw new UsageError("report needs --pushgateway <http(s) URL>");
    if (!values.stack) throw new UsageError("report needs --stack <name>");
    if (!RESULTS.includes(values.result as ApplyResult)) throw new UsageError(`--result must be success or failure, got ${JSON.stringify(values.result ?? null)}`);
    const duration = Number(values.duration);
    if (values.duration === undefined || !Number.isFinite(duration) || duration < 0) throw new UsageError(`--duration must be a number of seconds, got ${JSON.stringify(values.duration ?? null)}`);
    let changed: number | null = null;
    if (values.changed !== undefined) {
      if (!/^\d+$/.test(values.changed)) throw new UsageError(`--changed must be a whole number, got ${JSON.stringify(values.changed)}`);
      changed = Number(values.changed);
    }
    try {
      const body = await pushApplyReport(values.pushgateway, {
        stack: values.stack,
        result: values.result as ApplyResult,
        durationSeconds: duration,
        changedResources: changed,
        at: Math.floor(Date.now() / 1000),
      });
      if (values.print) io.out(body.trimEnd());
    } catch (e) {
      throw new MapstackError(`mapstack report: ${(e as Error).message}`);
    }
    io.out(`pushed ${values.result} apply of stack ${values.stack} to ${values.pushgateway}`);
    return EXIT.ok;
  },
};
