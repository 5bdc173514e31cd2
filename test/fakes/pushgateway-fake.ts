// In-process Prometheus Pushgateway (v1.x API): PUT replaces a group, POST replaces same-named metrics in
// a group, DELETE drops it; GET /metrics exposes every group with its grouping labels, instance="",
// push_time_seconds and the gateway's own metrics, as the real one does. A pushed label that conflicts
// with the grouping key is refused with 400, like the real gateway.
// With `basicAuth`, every request needs that user and password, as with the Pushgateway's
// --web.config.file basic_auth_users (prometheus/exporter-toolkit): otherwise 401, header
// `WWW-Authenticate: Basic`, body "Unauthorized". `echoRequestOn401` makes the 401 body repeat the
// request's headers, as some proxies in front of it do, to prove the client never prints them.
import * as http from "node:http";
import type { AddressInfo } from "node:net";

interface Metric { name: string; type: string; help: string; samples: Array<{ labels: Record<string, string>; value: string }> }
interface Group { labels: Record<string, string>; metrics: Map<string, Metric>; pushTime: number }

function parseBody(text: string): Map<string, Metric> | string {
  const metrics = new Map<string, Metric>();
  const get = (name: string) => metrics.get(name) ?? (metrics.set(name, { name, type: "untyped", help: "", samples: [] }), metrics.get(name)!);
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const meta = /^# (TYPE|HELP) (\S+) (.*)$/.exec(line);
    if (meta) {
      if (meta[1] === "TYPE") get(meta[2]).type = meta[3];
      else get(meta[2]).help = meta[3];
      continue;
    }
    if (line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m || Number.isNaN(Number(m[3]))) return `text format parsing error in line: ${line}`;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    get(m[1]).samples.push({ labels, value: m[3] });
  }
  return metrics;
}

const fmt = (labels: Record<string, string>) => `{${Object.keys(labels).sort().map((k) => `${k}="${labels[k]}"`).join(",")}}`;

export interface PushgatewayFake {
  url: string;
  groups: Map<string, Group>;
  requests: Array<{ method: string; path: string; body: string }>;
  close(): Promise<void>;
}

export interface PushgatewayFakeOptions {
  basicAuth?: { user: string; password: string };
  echoRequestOn401?: boolean;
}

export async function startPushgatewayFake(opts: PushgatewayFakeOptions = {}): Promise<PushgatewayFake> {
  const groups = new Map<string, Group>();
  const requests: PushgatewayFake["requests"] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const path = (req.url ?? "/").split("?")[0];
      requests.push({ method: req.method ?? "", path, body });
      if (opts.basicAuth) {
        const m = /^Basic (\S+)$/.exec(req.headers.authorization ?? "");
        const given = m ? Buffer.from(m[1], "base64").toString("utf8") : null;
        if (given !== `${opts.basicAuth.user}:${opts.basicAuth.password}`) {
          const echo = opts.echoRequestOn401 ? `\n${JSON.stringify(req.headers)}` : "";
          res.writeHead(401, { "www-authenticate": "Basic", "content-type": "text/plain; charset=utf-8" }).end(`Unauthorized${echo}\n`);
          return;
        }
      }
      if (req.method === "GET" && path === "/metrics") {
        const lines = ["# HELP pushgateway_build_info A metric with a constant '1' value.", "# TYPE pushgateway_build_info gauge", 'pushgateway_build_info{version="1.11.0"} 1'];
        const byName = new Map<string, string[]>();
        const types = new Map<string, Metric>();
        for (const g of groups.values()) {
          for (const m of g.metrics.values()) {
            types.set(m.name, m);
            for (const s of m.samples) (byName.get(m.name) ?? (byName.set(m.name, []), byName.get(m.name)!)).push(`${m.name}${fmt({ instance: "", ...s.labels, ...g.labels })} ${s.value}`);
          }
          (byName.get("push_time_seconds") ?? (byName.set("push_time_seconds", []), byName.get("push_time_seconds")!)).push(`push_time_seconds${fmt({ instance: "", ...g.labels })} ${g.pushTime}`);
        }
        for (const [name, samples] of [...byName].sort()) {
          const t = types.get(name);
          lines.push(`# HELP ${name} ${t?.help ?? "Last Unix time when changing this group in the Pushgateway succeeded."}`, `# TYPE ${name} ${t?.type ?? "gauge"}`, ...samples);
        }
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }).end(lines.join("\n") + "\n");
        return;
      }
      const m = /^\/metrics\/job\/([^/]+)((?:\/[^/]+\/[^/]+)*)$/.exec(path);
      if (!m || !["PUT", "POST", "DELETE"].includes(req.method ?? "")) {
        res.writeHead(404).end("404 page not found\n");
        return;
      }
      const labels: Record<string, string> = { job: decodeURIComponent(m[1]) };
      const rest = m[2].split("/").filter(Boolean);
      for (let i = 0; i < rest.length; i += 2) labels[rest[i]] = decodeURIComponent(rest[i + 1]);
      const key = fmt(labels);
      if (req.method === "DELETE") {
        groups.delete(key);
        res.writeHead(202).end();
        return;
      }
      const parsed = parseBody(body);
      if (typeof parsed === "string") {
        res.writeHead(400).end(parsed + "\n");
        return;
      }
      for (const metric of parsed.values()) {
        for (const s of metric.samples) {
          for (const k of Object.keys(labels)) {
            if (k in s.labels && s.labels[k] !== labels[k]) {
              res.writeHead(400).end(`pushed metrics are invalid or inconsistent with existing metrics: label ${k} conflicts with the grouping key\n`);
              return;
            }
          }
        }
      }
      const prev = groups.get(key);
      const metrics = req.method === "POST" && prev ? new Map([...prev.metrics, ...parsed]) : parsed;
      groups.set(key, { labels, metrics, pushTime: Date.now() / 1000 });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, groups, requests, close: () => new Promise((r) => server.close(() => r())) };
}
