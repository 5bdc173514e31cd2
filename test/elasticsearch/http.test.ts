// The shared HTTP client (src/providers/http.ts): TLS with a private CA, 404 as its own kind, and the
// retry budget — behaviours the Druid provider relies on too.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import * as os from "node:os";
import * as path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpError, isNotFound, requestJson, serverReason } from "../../src/providers/http";

const opts = { service: "Elasticsearch", resource: "thing 'x'", retry: { baseDelayMs: 1, maxDelayMs: 2 } };

describe("TLS with a private CA", () => {
  let server: https.Server;
  let url = "";
  let ca = "";
  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-tls-"));
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path.join(dir, "k.pem"), "-out", path.join(dir, "c.pem"),
      "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1"], { stdio: "ignore" });
    ca = fs.readFileSync(path.join(dir, "c.pem"), "utf8");
    server = https.createServer({ key: fs.readFileSync(path.join(dir, "k.pem")), cert: ca }, (_req, res) => res.end('{"ok":true}'));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it("trusts the configured CA", async () => {
    expect((await requestJson({ url, caCert: ca }, "GET", "/", undefined, opts)).body).toEqual({ ok: true });
  });
  it("refuses an unknown CA with an error naming the resource, without retrying forever", async () => {
    await expect(requestJson({ url }, "GET", "/", undefined, opts)).rejects.toThrow(/thing 'x': .*(self[- ]signed|certificate)/i);
  });
});

describe("errors", () => {
  it("404 is distinct, and the server reason is extracted from ES and Druid shapes", async () => {
    const e = httpError("x", "not-found", 404, null);
    expect(isNotFound(e)).toBe(true);
    expect(serverReason({ error: { root_cause: [{ type: "t", reason: "r" }], type: "t", reason: "r" } })).toBe("t: r");
    expect(serverReason({ error: "Unknown exception", errorMessage: "bad spec" })).toBe("Unknown exception: bad spec");
  });
  it("a refused connection is retried up to the budget, then fails saying so", async () => {
    await expect(requestJson({ url: "http://127.0.0.1:1" }, "GET", "/", undefined, opts)).rejects.toThrow(/gave up after 5 attempts; last: ECONNREFUSED/);
  });
});
