// The descriptor set one message needs: the file that defines it and that file's transitive imports, cut
// out of the project's full set. Each Druid supervisor inlines this instead of every proto file of the
// project, so synth output and supervisor specs grow with the dataset count, not with its square.
// The bytes equal `protoc --include_imports --descriptor_set_out` run on the defining file alone: protoc
// writes each file's FileDescriptorProto unchanged whatever else is in the set, in dependency-first order.
import { MapstackError } from "../dsl/diagnostics";
import type * as Protobuf from "protobufjs";
import { describe, type DescriptorSet } from "./descriptor-set";

/** protobufjs, loaded on first use (commands that only check a dataset never need it). */
const protobuf = (): typeof Protobuf => require("protobufjs");

interface FileEntry {
  name: string;
  /** The FileDescriptorProto as encoded in the set (field 1 of FileDescriptorSet, without tag and length). */
  bytes: Uint8Array;
  dependencies: string[];
  messages: string[];
}

/** The files of a FileDescriptorSet with their imports and the messages they define (nested ones included). */
function indexFiles(setBytes: Uint8Array): Map<string, FileEntry> {
  const files = new Map<string, FileEntry>();
  const r = protobuf().Reader.create(setBytes);
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag >>> 3 !== 1 || (tag & 7) !== 2) {
      r.skipType(tag & 7);
      continue;
    }
    const bytes = r.bytes();
    const entry: FileEntry = { name: "", bytes, dependencies: [], messages: [] };
    let pkg = "";
    const types: Uint8Array[] = [];
    const fr = protobuf().Reader.create(bytes);
    while (fr.pos < fr.len) {
      const t = fr.uint32();
      const no = t >>> 3;
      if ((t & 7) !== 2 || (no !== 1 && no !== 2 && no !== 3 && no !== 4)) fr.skipType(t & 7);
      else if (no === 1) entry.name = fr.string();
      else if (no === 2) pkg = fr.string();
      else if (no === 3) entry.dependencies.push(fr.string());
      else types.push(fr.bytes());
    }
    for (const t of types) collectMessages(t, pkg, entry.messages);
    files.set(entry.name, entry);
  }
  return files;
}

function collectMessages(bytes: Uint8Array, scope: string, out: string[]): void {
  let name = "";
  const nested: Uint8Array[] = [];
  const r = protobuf().Reader.create(bytes);
  while (r.pos < r.len) {
    const t = r.uint32();
    if ((t & 7) === 2 && t >>> 3 === 1) name = r.string();
    else if ((t & 7) === 2 && t >>> 3 === 3) nested.push(r.bytes());
    else r.skipType(t & 7);
  }
  const full = scope ? `${scope}.${name}` : name;
  out.push(full);
  for (const n of nested) collectMessages(n, full, out);
}

function encodeSet(files: FileEntry[]): Buffer {
  const w = protobuf().Writer.create();
  for (const f of files) w.uint32((1 << 3) | 2).bytes(f.bytes);
  return Buffer.from(w.finish());
}

/** protoc's order: for each file, its imports first (in declaration order, each once), then the file. */
function transitive(files: Map<string, FileEntry>, root: FileEntry): FileEntry[] {
  const seen = new Set<string>();
  const out: FileEntry[] = [];
  const visit = (f: FileEntry, via: string) => {
    if (seen.has(f.name)) return;
    seen.add(f.name);
    for (const d of f.dependencies) {
      const dep = files.get(d);
      if (!dep) throw new MapstackError(`descriptor set is incomplete: ${f.name} imports ${d}, which it does not hold (needed by ${via})`);
      visit(dep, via);
    }
    out.push(f);
  };
  visit(root, root.name);
  return out;
}

/** The full set indexed once, for cutting out many messages' sets. */
export class MessageSets {
  private readonly files: Map<string, FileEntry>;
  private readonly definedIn = new Map<string, FileEntry>();

  constructor(setBytes: Uint8Array) {
    try {
      this.files = indexFiles(setBytes);
    } catch (e) {
      throw new MapstackError(`not a FileDescriptorSet: ${(e as Error).message}`);
    }
    for (const f of this.files.values()) for (const m of f.messages) this.definedIn.set(m, f);
  }

  /**
   * The descriptor set of one message: its defining file and that file's transitive imports, byte-identical
   * to `protoc --include_imports --descriptor_set_out` on the defining file. `message` is fully qualified
   * (package.Message, nested as package.Outer.Inner), with or without a leading dot.
   */
  forMessage(message: string): DescriptorSet {
    const wanted = message.replace(/^\./, "");
    const root = this.definedIn.get(wanted);
    if (!root) throw new MapstackError(`message ${wanted} is not defined in the descriptor set (it holds ${[...this.files.keys()].join(", ")})`);
    return describe(encodeSet(transitive(this.files, root)));
  }
}

/** One message's descriptor set (see MessageSets.forMessage) out of a full set. */
export function messageDescriptorSet(set: DescriptorSet | Uint8Array, message: string): DescriptorSet {
  return new MessageSets(set instanceof Uint8Array ? set : set.bytes).forMessage(message);
}

// Synth and the program build every supervisor of a stack from the same base64 set: decode and index it once.
let cached: { base64: string; sets: MessageSets; byMessage: Map<string, string> } | null = null;

/** messageDescriptorSet for the base64 form a supervisor spec holds (Druid's inline protoBytesDecoder). */
export function messageDescriptorSetBase64(setBase64: string, message: string): string {
  if (!cached || cached.base64 !== setBase64) cached = { base64: setBase64, sets: new MessageSets(Buffer.from(setBase64, "base64")), byMessage: new Map() };
  let out = cached.byMessage.get(message);
  if (out === undefined) {
    out = cached.sets.forMessage(message).bytes.toString("base64");
    cached.byMessage.set(message, out);
  }
  return out;
}
