import { spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as protobuf from "protobufjs";
import descriptorExt from "protobufjs/ext/descriptor";
import { describe, expect, it } from "vitest";
import { buildDescriptorSet, describe as describeSet } from "../../src/proto/descriptor-set";

const ROOT = path.resolve(__dirname, "../..");
const PROTO_DIR = path.join(ROOT, "dsl/proto");

function protoc(protoDir: string, files: string[]): Buffer {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "protoc-")), "set.binpb");
  const r = spawnSync("protoc", ["--include_imports", `--descriptor_set_out=${out}`, "-I", protoDir, "-I", "/usr/include", ...files], { cwd: protoDir, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return fs.readFileSync(out);
}

describe("descriptor sets built with buf", () => {
  it("are byte-identical to protoc --include_imports for the bundled schema", () => {
    const set = buildDescriptorSet(PROTO_DIR);
    expect(Buffer.compare(set.bytes, protoc(PROTO_DIR, ["settlement_transaction.proto"]))).toBe(0);
  });

  it("are byte-identical to protoc for every corpus schema (with imports of well-known types)", () => {
    const dir = path.join(__dirname, "corpus/type_changed/new");
    expect(Buffer.compare(buildDescriptorSet(dir).bytes, protoc(dir, ["order.proto"]))).toBe(0);
  });

  it("include the imported google/protobuf/timestamp.proto with full type names protobuf-java resolves", () => {
    const set = buildDescriptorSet(PROTO_DIR);
    expect(set.files).toEqual(["google/protobuf/timestamp.proto", "settlement_transaction.proto"]);
    const decoded = (descriptorExt.FileDescriptorSet as unknown as protobuf.Type).decode(set.bytes) as unknown as {
      file: Array<{ name: string; dependency: string[]; messageType: Array<{ name: string; field: Array<{ name: string; typeName?: string }> }> }>;
    };
    const main = decoded.file.find((f) => f.name === "settlement_transaction.proto")!;
    expect(main.dependency).toEqual(["google/protobuf/timestamp.proto"]);
    const created = main.messageType.find((m) => m.name === "SettlementTransaction")!.field.find((f) => f.name === "created_at")!;
    expect(created.typeName).toBe(".google.protobuf.Timestamp");
  });

  it("are versioned by the first 12 hex of their sha256, stable across builds", () => {
    const a = buildDescriptorSet(PROTO_DIR);
    const b = buildDescriptorSet(PROTO_DIR);
    expect(a.version).toBe(crypto.createHash("sha256").update(a.bytes).digest("hex").slice(0, 12));
    expect(b.version).toBe(a.version);
    expect(buildDescriptorSet(path.join(__dirname, "corpus/type_changed/new")).version).not.toBe(buildDescriptorSet(path.join(__dirname, "corpus/base")).version);
  });

  it("list the messages a DSL can name", () => {
    expect(buildDescriptorSet(PROTO_DIR).messages).toEqual([
      "mapstack.settlement.v1.Money", "mapstack.settlement.v1.Party", "mapstack.settlement.v1.SettlementLeg", "mapstack.settlement.v1.SettlementTransaction",
    ]);
  });

  it("report a proto syntax error with its file and line", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bad-proto-"));
    fs.writeFileSync(path.join(dir, "bad.proto"), 'syntax = "proto3";\nmessage X {\n  string a = ;\n}\n');
    expect(() => buildDescriptorSet(dir)).toThrow(/bad\.proto:3:\d+/);
  });

  it("reject bytes that are not a descriptor set", () => {
    expect(() => describeSet(Buffer.from("not a descriptor set at all"))).toThrow(/not a FileDescriptorSet/);
  });
});
