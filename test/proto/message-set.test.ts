// Per-message descriptor sets, judged against the real protoc: for every message, the set cut out of the
// project's full set must be byte-identical to `protoc --include_imports` run on the file defining it.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildDescriptorSet } from "../../src/proto/descriptor-set";
import { messageDescriptorSet, messageDescriptorSetBase64 } from "../../src/proto/message-set";

const ROOT = path.resolve(__dirname, "../..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-msgset-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function protoc(protoDir: string, file: string): Buffer {
  const out = path.join(tmp, `protoc-${Math.random().toString(36).slice(2)}.binpb`);
  const r = spawnSync("protoc", ["--include_imports", `--descriptor_set_out=${out}`, "-I", protoDir, "-I", "/usr/include", file], { cwd: protoDir, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return fs.readFileSync(out);
}

/** A project proto tree with shared imports, a diamond, nested messages, well-known types and unrelated files. */
const TREE: Record<string, string> = {
  "common/money.proto": `syntax = "proto3";\npackage shop.common;\nmessage Money { string currency = 1; int64 units = 2; int32 nanos = 3; }\n`,
  "common/audit.proto": `syntax = "proto3";\npackage shop.common;\nimport "google/protobuf/timestamp.proto";\nmessage Audit { string by = 1; google.protobuf.Timestamp at = 2; }\n`,
  "orders/order.proto": `syntax = "proto3";\npackage shop.orders.v1;\nimport "common/money.proto";\nimport "common/audit.proto";\n` +
    `message Order {\n  message Line { string sku = 1; shop.common.Money price = 2; }\n  string id = 1;\n  repeated Line lines = 2;\n  shop.common.Audit audit = 3;\n}\n`,
  "payments/payment.proto": `syntax = "proto3";\npackage shop.payments.v1;\nimport "common/money.proto";\nmessage Payment { string id = 1; shop.common.Money amount = 2; }\n`,
  "refunds.proto": `syntax = "proto3";\npackage shop.refunds.v1;\nimport "orders/order.proto";\nimport "common/money.proto";\nimport "payments/payment.proto";\n` +
    `message Refund { shop.orders.v1.Order order = 1; shop.common.Money amount = 2; shop.payments.v1.Payment payment = 3; }\n`,
  "unrelated.proto": `syntax = "proto3";\npackage misc;\nimport "google/protobuf/struct.proto";\nmessage Blob { google.protobuf.Struct body = 1; }\n`,
};
const MESSAGES: Array<[string, string]> = [
  ["shop.common.Money", "common/money.proto"],
  ["shop.common.Audit", "common/audit.proto"],
  ["shop.orders.v1.Order", "orders/order.proto"],
  ["shop.orders.v1.Order.Line", "orders/order.proto"],
  ["shop.payments.v1.Payment", "payments/payment.proto"],
  ["shop.refunds.v1.Refund", "refunds.proto"],
  ["misc.Blob", "unrelated.proto"],
];

function writeTree(): string {
  const dir = path.join(tmp, "tree");
  for (const [f, text] of Object.entries(TREE)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

describe("per-message descriptor sets", () => {
  const dir = writeTree();
  const full = buildDescriptorSet(dir);

  it.each(MESSAGES)("%s: byte-identical to protoc --include_imports on %s", (message, file) => {
    const own = messageDescriptorSet(full, message);
    expect(Buffer.compare(own.bytes, protoc(dir, file))).toBe(0);
    expect(own.bytes.length).toBeLessThan(full.bytes.length);
  });

  it("hold only the message's transitive imports, dependencies first", () => {
    expect(messageDescriptorSet(full, "shop.payments.v1.Payment").files).toEqual(["common/money.proto", "payments/payment.proto"]);
    expect(messageDescriptorSet(full, ".shop.orders.v1.Order").files).toEqual([
      "common/money.proto", "google/protobuf/timestamp.proto", "common/audit.proto", "orders/order.proto",
    ]);
  });

  it("equal the whole set for the bundled schema (one file and its import)", () => {
    const bundled = buildDescriptorSet(path.join(ROOT, "dsl/proto"));
    const own = messageDescriptorSet(bundled, "mapstack.settlement.v1.SettlementTransaction");
    expect(Buffer.compare(own.bytes, protoc(path.join(ROOT, "dsl/proto"), "settlement_transaction.proto"))).toBe(0);
  });

  it("base64 form: same bytes as the Buffer form, for every message", () => {
    const b64 = full.bytes.toString("base64");
    for (const [m] of MESSAGES) expect(messageDescriptorSetBase64(b64, m)).toBe(messageDescriptorSet(full, m).bytes.toString("base64"));
  });

  it("reject bytes that are not a descriptor set with a clear error", () => {
    expect(() => messageDescriptorSetBase64("AAAA", "x.Y")).toThrow(/^not a FileDescriptorSet: /);
  });

  it("name the message and the files held when the message is not in the set", () => {
    expect(() => messageDescriptorSet(full, "shop.orders.v1.Nope")).toThrow(/message shop\.orders\.v1\.Nope is not defined in the descriptor set \(it holds .*orders\/order\.proto/);
  });
});
