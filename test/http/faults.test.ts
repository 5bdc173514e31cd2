// Fault suite for the shared HTTP client (src/providers/http.ts) against a real local server: resets,
// slow-loris bodies, HTML and invalid-JSON answers, huge bodies, redirects, proxy 404s, TLS failures.
// Every error message produced here is collected and checked for credentials and placeholder text.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizationHeader, credentialsFromUrl, isHttpError, isNotFound, type HttpError, redact, requestJson, shapes, type HttpConnection, type RequestOptions } from "../../src/providers/http";

const PASSWORD = "hunter2-Pa55word";
const API_KEY = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
const AUTH = authorizationHeader({ username: "mapstack", password: PASSWORD })!;
const SECRETS = [PASSWORD, API_KEY, AUTH.slice("Basic ".length), `mapstack:${PASSWORD}`];

const messages: string[] = [];
const opts: RequestOptions = { service: "Druid", resource: "supervisor 'orders'", retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } };

/** Runs a request expected to fail; records the message for the secret check. */
async function failure(conn: HttpConnection, p: string, o: Partial<RequestOptions> = {}, method: "GET" | "POST" = "GET"): Promise<HttpError> {
  const e = await requestJson(conn, method, p, method === "POST" ? { a: 1 } : undefined, { ...opts, ...o }).then(
    () => { throw new Error(`expected ${p} to fail`); },
    (err: unknown) => err,
  );
  expect(isHttpError(e)).toBe(true);
  messages.push((e as Error).message);
  return e as HttpError;
}

let server: http.Server;
let base = "";
const hits: Record<string, number> = {};
const received: Array<string | undefined> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const p = new URL(req.url ?? "/", "http://x").pathname;
    hits[p] = (hits[p] ?? 0) + 1;
    received.push(req.headers.authorization);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "Content-Type": "application/json", ...headers });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    switch (p) {
      case "/ok": return json(200, { id: "orders" });
      case "/reset": return void req.socket.destroy();
      case "/reset-once": return hits[p] === 1 ? void req.socket.destroy() : json(200, { id: "orders" });
      case "/reset-mid-body":
        res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "100" });
        res.write('{"id":');
        return void setTimeout(() => req.socket.destroy(), 5);
      case "/slow-loris": {
        res.writeHead(200, { "Content-Type": "application/json" });
        const t = setInterval(() => res.write(" "), 20);
        res.on("close", () => clearInterval(t));
        return;
      }
      case "/html-200":
        res.writeHead(200, { "Content-Type": "text/html" });
        return res.end("<html><head><title>Sign in - Corporate SSO</title></head><body><form>…</form></body></html>");
      case "/html-404":
        res.writeHead(404, { "Content-Type": "text/html" });
        return res.end("<html><head><title>404 Not Found</title></head><body><center>nginx</center></body></html>");
      case "/generic-json-404": return json(404, { message: "Not Found" });
      case "/es-404": return json(404, { error: { root_cause: [{ type: "resource_not_found_exception", reason: "index template matching [x] not found" }], type: "resource_not_found_exception", reason: "index template matching [x] not found" }, status: 404 });
      case "/es-pipeline-404": return json(404, {});
      case "/druid-404": return json(404, { error: "[orders] does not exist" });
      case "/druid-filter-400": return json(400, "Cannot find any supervisor with id: [orders]");
      case "/druid-bad-spec": return json(400, { error: "Cannot construct instance of `InputFormat`" });
      case "/invalid-json": return json(200, '{"id": "orders",');
      case "/empty-200": res.writeHead(200); return res.end();
      case "/wrong-shape": return json(200, ["orders"]);
      case "/huge-declared":
        res.writeHead(200, { "Content-Type": "application/json", "Content-Length": String(600 * 1024 * 1024) });
        return res.write("[");
      case "/huge-streamed": {
        res.writeHead(200, { "Content-Type": "application/json" });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < 600 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
        };
        res.on("drain", pump);
        res.on("close", () => res.removeAllListeners("drain"));
        hits["/huge-streamed:bytes"] = 0;
        return pump();
      }
      case "/redirect": return json(302, "", { Location: `http://mapstack:${PASSWORD}@elsewhere.example/druid` });
      case "/echo-auth": return json(401, { error: `Unauthorized: header 'Authorization: ${req.headers.authorization}' rejected` });
      case "/echo-body": return json(500, { error: `could not parse ${JSON.stringify({ password: PASSWORD, apiKey: API_KEY })}` });
      case "/unavailable": return json(503, "<html><title>503 Service Unavailable</title></html>", { "Content-Type": "text/html" });
      default: return json(404, { error: "no route" });
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  // The check every fault above feeds: no message names a credential or prints a placeholder.
  expect(messages.length).toBeGreaterThan(15);
  for (const m of messages) {
    for (const s of SECRETS) expect(m).not.toContain(s);
    expect(m).not.toMatch(/undefined|\[object Object\]|NaN/);
  }
});

const conn = (over: Partial<HttpConnection> = {}): HttpConnection => ({ url: base, authorization: AUTH, ...over });

describe("connection faults", () => {
  it("a reset on every attempt is retried up to the budget, then reported with the last problem", async () => {
    const e = await failure(conn(), "/reset");
    expect(e.message).toMatch(/^Druid GET \/reset for supervisor 'orders': gave up after 3 attempts; last: ECONNRESET/);
    expect(hits["/reset"]).toBe(3);
  });

  it("a single reset is retried and the call succeeds", async () => {
    expect((await requestJson(conn(), "GET", "/reset-once", undefined, opts)).body).toEqual({ id: "orders" });
  });

  it("a connection dropped in the middle of the body is a retried failure, never half a document", async () => {
    const e = await failure(conn(), "/reset-mid-body");
    expect(e.message).toMatch(/gave up after 3 attempts; last: ECONNRESET/);
  });

  it("a server that trickles bytes forever hits the per-attempt deadline (an idle timeout would never fire)", async () => {
    const e = await failure(conn({ timeoutMs: 150 }), "/slow-loris");
    expect(e.message).toMatch(/gave up after 3 attempts; last: no complete response within 150 ms/);
    expect(hits["/slow-loris"]).toBe(3);
  });

  it("a 503 with an HTML page is retried and summarised by its title", async () => {
    const e = await failure(conn(), "/unavailable");
    expect(e.message).toMatch(/last: HTTP 503 \(503 Service Unavailable\)$/);
  });
});

describe("answers that are not what they claim", () => {
  it("an HTML 200 (an SSO login page) is an error, not data", async () => {
    const e = await failure(conn(), "/html-200");
    expect(e.kind).toBe("bad-response");
    expect(e.message).toMatch(/answered 200 with a body that is not JSON \(text\/html: Sign in - Corporate SSO\)/);
  });

  it("invalid JSON and an empty 200 are errors", async () => {
    expect((await failure(conn(), "/invalid-json")).message).toMatch(/answered 200 with a body that is not JSON/);
    expect((await failure(conn(), "/empty-200")).message).toMatch(/answered 200 with an empty body/);
  });

  it("JSON of the wrong shape fails the caller's shape check", async () => {
    const e = await failure(conn(), "/wrong-shape", { expect: shapes.field("id", "string") });
    expect(e.message).toMatch(/unexpected shape: expected a JSON object with 'id', got array/);
    await expect(requestJson(conn(), "GET", "/ok", undefined, { ...opts, expect: shapes.field("id", "string") })).resolves.toMatchObject({ body: { id: "orders" } });
  });

  it("a body larger than the cap is refused, declared or streamed, without reading it all", async () => {
    const declared = await failure(conn({ maxResponseBytes: 1024 * 1024 }), "/huge-declared");
    expect(declared.message).toMatch(/response body larger than 1048576 bytes/);
    const before = process.memoryUsage().rss;
    const streamed = await failure(conn({ maxResponseBytes: 4 * 1024 * 1024 }), "/huge-streamed");
    expect(streamed.message).toMatch(/response body larger than 4194304 bytes/);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
    expect(hits["/huge-streamed"]).toBe(1);
  });

  it("a redirect is not followed and its target is printed without the credentials in it", async () => {
    const e = await failure(conn(), "/redirect");
    expect(e.kind).toBe("bad-response");
    expect(e.message).toContain("redirected (302) to http://***@elsewhere.example/druid");
    expect(hits["/redirect"]).toBe(1);
  });
});

describe("404 is 'gone' only in the service's own format", () => {
  it("a proxy's HTML 404 or a foreign JSON 404 is not 'already gone'", async () => {
    for (const p of ["/html-404", "/generic-json-404"]) {
      const e = await failure(conn(), p);
      expect(isNotFound(e)).toBe(false);
      expect(e.message).toMatch(/answered 404 but not in Druid's own not-found format/);
    }
  });

  it("Elasticsearch's and Druid's own not-found answers are", async () => {
    for (const p of ["/es-404", "/es-pipeline-404", "/druid-404", "/druid-filter-400"]) expect(isNotFound(await failure(conn(), p))).toBe(true);
  });

  it("another Druid 400 stays a rejection with Druid's reason", async () => {
    const e = await failure(conn(), "/druid-bad-spec", {}, "POST");
    expect(e.kind).toBe("bad-request");
    expect(e.message).toMatch(/for supervisor .orders. was rejected \(400\): Cannot construct instance/);
  });
});

describe("credentials", () => {
  it("user:password in the URL becomes a Basic header and is never printed", async () => {
    const url = base.replace("http://", `http://mapstack:${encodeURIComponent(PASSWORD)}@`);
    received.length = 0;
    await requestJson({ url }, "GET", "/ok", undefined, opts);
    expect(received).toEqual([AUTH]);
    const e = await failure({ url: url.replace(/:\d+$/, ":1") }, "/ok", { retry: { maxAttempts: 1 } });
    expect(e.message).toMatch(/ECONNREFUSED/);
  });

  it("an Authorization header echoed by the server, or secrets in a server's reason, are redacted", async () => {
    const echoed = await failure(conn(), "/echo-auth");
    expect(echoed.message).toMatch(/authentication failed \(401\).*Authorization: Basic \*\*\*/);
    const apiKey = await failure({ url: base, authorization: `ApiKey ${API_KEY}` }, "/echo-auth");
    expect(apiKey.message).toContain("ApiKey ***");
    const body = await failure(conn({ authorization: `ApiKey ${API_KEY}` }), "/echo-body", { retry: { maxAttempts: 1 } });
    expect(body.message).toMatch(/failed \(500\)/);
  });

  it("credentialsFromUrl() gives the printable URL and the Basic header (for a basic-auth Pushgateway)", () => {
    const c = credentialsFromUrl(`http://ops:${encodeURIComponent(PASSWORD)}@push.example:9091/metrics`);
    expect(c.url).toBe("http://push.example:9091/metrics");
    expect(c.authorization).toBe(`Basic ${Buffer.from(`ops:${PASSWORD}`).toString("base64")}`);
    expect(redact(`push to ${c.url} failed: echoed ${c.authorization}`, c.secrets)).not.toContain(PASSWORD);
    expect(credentialsFromUrl("http://push.example:9091").authorization).toBeNull();
  });

  it("redact() handles URLs, headers and key=value forms", () => {
    expect(redact("GET https://u:p%40ss@host:9200/x")).toBe("GET https://***@host:9200/x");
    expect(redact('{"Authorization":"Bearer abc.def"}')).toBe('{"Authorization":"Bearer ***"}');
    expect(redact('password="s3cr\\"et" apiKey=zzz')).toBe('password="***" apiKey=***');
    expect(redact('{"password":"a\\"b","user":"u"}')).toBe('{"password":"***","user":"u"}');
  });
});

describe("TLS failures", () => {
  let tls: https.Server;
  let tlsUrl = "";
  let wrongNameCa = "";
  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-faults-tls-"));
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path.join(dir, "k.pem"), "-out", path.join(dir, "c.pem"),
      "-subj", "/CN=druid.example", "-addext", "subjectAltName=DNS:druid.example", "-days", "1"], { stdio: "ignore" });
    wrongNameCa = fs.readFileSync(path.join(dir, "c.pem"), "utf8");
    tls = https.createServer({ key: fs.readFileSync(path.join(dir, "k.pem")), cert: wrongNameCa }, (_q, r) => r.end("{}"));
    await new Promise<void>((r) => tls.listen(0, "127.0.0.1", r));
    tlsUrl = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  afterAll(() => new Promise((r) => tls.close(r)));

  it("an unknown CA fails at once, naming the problem", async () => {
    const e = await failure({ url: tlsUrl, authorization: AUTH }, "/x");
    expect(e.kind).toBe("network");
    expect(e.message).toMatch(/self[- ]signed certificate/i);
  });

  it("a certificate for another host name fails even with the right CA", async () => {
    const e = await failure({ url: tlsUrl, authorization: AUTH, caCert: wrongNameCa }, "/x");
    expect(e.message).toMatch(/altnames|does not match|Hostname\/IP/i);
  });

  it("https:// against a plain-HTTP server fails with a TLS error, not a hang", async () => {
    const e = await failure({ url: base.replace("http://", "https://"), authorization: AUTH }, "/ok");
    expect(e.message).toMatch(/EPROTO|wrong version number|packet length too long|ssl/i);
  });
});
