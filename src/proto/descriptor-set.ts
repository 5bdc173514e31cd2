// Descriptor sets for Druid's protobuf decoder, built with buf (never protobufjs's toDescriptor, whose
// output protobuf-java rejects). The bytes equal `protoc --include_imports --descriptor_set_out`, so the
// content hash is a stable version id whichever tool a reviewer uses to check it.
import { spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as Protobuf from "protobufjs";
import { MapstackError } from "../dsl/diagnostics";

/** protobufjs, loaded on first use (commands that only check a dataset never need it). */
const protobuf = (): typeof Protobuf => require("protobufjs");

/** File name of the descriptor set inside a version directory (S3 key <prefix>/<version>/<name>, synth schemas/<version>/<name>). */
export const DESCRIPTOR_SET_FILE = "descriptors.binpb";

export interface DescriptorSet {
  /** sha256 hex of the bytes, first 12 characters. */
  version: string;
  bytes: Buffer;
  /** Proto files in the set, in set order (imports first, as protoc writes them). */
  files: string[];
  /** Fully-qualified message names defined by non-google files. */
  messages: string[];
}

export function bufBinary(): string {
  const pkg = require.resolve("@bufbuild/buf/package.json");
  const bin = path.join(path.dirname(pkg), "bin", "buf");
  if (!fs.existsSync(bin)) throw new MapstackError(`buf binary not found at ${bin}: run npm install (@bufbuild/buf ships it)`);
  return bin;
}

export function versionOf(bytes: Buffer): string {
  return crypto.createHash("sha256").update(bytes).digest("hex").slice(0, 12);
}

export function runBuf(args: string[], cwd: string): { status: number; stdout: string; stderr: string } {
  // BUF_CACHE_DIR in the temp dir: buf must never need a writable home, nor the network (no deps are declared).
  const r = spawnSync(bufBinary(), args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, BUF_CACHE_DIR: path.join(os.tmpdir(), "mapstack-buf-cache") },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new MapstackError(`cannot run buf: ${r.error.message}`);
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** Builds the descriptor set of every .proto under protoDir (imports such as google/protobuf/*.proto included). */
export function buildDescriptorSet(protoDir: string): DescriptorSet {
  const dir = path.resolve(protoDir);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new MapstackError(`${dir}: proto directory not found`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-buf-"));
  try {
    const out = path.join(tmp, DESCRIPTOR_SET_FILE);
    const r = runBuf(["build", ".", "--as-file-descriptor-set", "--exclude-source-info", "-o", out, "--config", '{"version":"v2"}'], dir);
    if (r.status !== 0) {
      // buf prints file:line:col: message relative to the input; make it relative to the caller's view.
      const msg = r.stderr.trim().split("\n").map((l) => (/^[^\s:]+\.proto:\d+:\d+:/.test(l) ? path.join(dir, l) : l)).join("\n");
      throw new MapstackError(msg || `buf build failed in ${dir} (exit ${r.status})`);
    }
    return describe(fs.readFileSync(out));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Reads a descriptor set built earlier (a committed schemas/<version>.binpb, or a downloaded one). */
export function readDescriptorSetFile(file: string): DescriptorSet {
  if (!fs.existsSync(file)) throw new MapstackError(`${file}: descriptor set not found`);
  return describe(fs.readFileSync(file));
}

/**
 * Lists files and message names with a minimal wire decode of FileDescriptorSet (field 1 = file;
 * FileDescriptorProto 1 = name, 2 = package, 4 = message_type; DescriptorProto 1 = name, 3 = nested_type).
 */
export function describe(bytes: Buffer): DescriptorSet {
  const files: string[] = [];
  const messages: string[] = [];
  try {
    forEachField(bytes, (no, r) => {
      if (no !== 1) return false;
      const file = r.bytes();
      let name = "";
      let pkg = "";
      const types: Uint8Array[] = [];
      forEachField(file, (fno, fr) => {
        if (fno === 1) name = fr.string();
        else if (fno === 2) pkg = fr.string();
        else if (fno === 4) types.push(fr.bytes());
        else return false;
        return true;
      });
      files.push(name);
      if (!name.startsWith("google/protobuf/")) for (const t of types) collectMessages(t, pkg, messages);
      return true;
    });
  } catch (e) {
    throw new MapstackError(`not a FileDescriptorSet: ${(e as Error).message}`);
  }
  if (!files.length) throw new MapstackError("not a FileDescriptorSet: it holds no file");
  return { version: versionOf(bytes), bytes, files, messages: messages.sort() };
}

function collectMessages(bytes: Uint8Array, scope: string, out: string[]): void {
  let name = "";
  const nested: Uint8Array[] = [];
  forEachField(bytes, (no, r) => {
    if (no === 1) name = r.string();
    else if (no === 3) nested.push(r.bytes());
    else return false;
    return true;
  });
  const full = scope ? `${scope}.${name}` : name;
  out.push(full);
  for (const n of nested) collectMessages(n, full, out);
}

/** Calls fn per field; fn returns false when it did not consume the value, which is then skipped. */
function forEachField(bytes: Uint8Array, fn: (no: number, r: Protobuf.Reader) => boolean): void {
  const r = protobuf().Reader.create(bytes);
  while (r.pos < r.len) {
    const tag = r.uint32();
    const no = tag >>> 3;
    const wire = tag & 7;
    if (wire === 2 && fn(no, r)) continue;
    r.skipType(wire);
  }
}
