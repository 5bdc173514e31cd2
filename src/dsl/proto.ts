// Protobuf schemas for the DSL's checks: the message must exist and every selector must resolve
// against its proto3 JSON form (lowerCamelCase names), which is what Druid's protobuf reader flattens.
import * as fs from "node:fs";
import * as path from "node:path";
import type * as Protobuf from "protobufjs";
import type { PathSegment } from "./types";

/** protobufjs, loaded on first use: only datasets with a protobuf source need it. Kept once loaded:
 * `require` resolves its path again on every call, which was a quarter of a protobuf dataset's compile. */
let protobufjs: typeof Protobuf | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pb = (): typeof Protobuf => (protobufjs ??= require("protobufjs") as typeof Protobuf);

export type ProtoLoad = { ok: true; root: Protobuf.Root } | { ok: false; message: string };

const cache = new Map<string, ProtoLoad>();

/**
 * `keepCase`: fields keep their .proto names (protobufjs otherwise renames them lowerCamelCase, and the
 * .proto name is lost); the proto3 JSON view needs both names, as JsonFormat accepts either.
 */
export function loadProtoFile(protoDir: string, file: string, { keepCase = false }: { keepCase?: boolean } = {}): ProtoLoad {
  const full = path.resolve(protoDir, file);
  const key = `${full}:${fs.existsSync(full) ? fs.statSync(full).mtimeMs : 0}:${keepCase}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let result: ProtoLoad;
  if (!fs.existsSync(full)) {
    result = { ok: false, message: `proto file '${file}' not found (looked in ${protoDir})` };
  } else {
    try {
      const root = new (pb().Root)();
      root.resolvePath = (origin, target) => {
        if (path.isAbsolute(target)) return target;
        const local = path.resolve(protoDir, target);
        return fs.existsSync(local) ? local : pb().util.path.resolve(origin, target);
      };
      root.loadSync(full, { keepCase });
      root.resolveAll();
      result = { ok: true, root };
    } catch (e) {
      result = { ok: false, message: `cannot load proto file '${file}': ${(e as Error).message}` };
    }
  }
  cache.set(key, result);
  return result;
}

export function lookupMessage(root: Protobuf.Root, name: string): Protobuf.Type | null {
  try {
    const t = root.lookup(name.replace(/^\./, ""));
    return t instanceof pb().Type ? t : null;
  } catch {
    return null;
  }
}

export function listMessages(root: Protobuf.Root): string[] {
  const out: string[] = [];
  const walk = (ns: Protobuf.NamespaceBase) => {
    for (const obj of ns.nestedArray) {
      if (obj instanceof pb().Type) out.push(obj.fullName.replace(/^\./, ""));
      if (obj instanceof pb().Namespace || obj instanceof pb().Type) walk(obj);
    }
  };
  walk(root);
  return out.sort();
}

/** Well-known types whose JSON form is a scalar (RFC 3339 string, duration string, wrapper value). */
const SCALAR_JSON_TYPES = new Set([
  "google.protobuf.Timestamp", "google.protobuf.Duration", "google.protobuf.StringValue", "google.protobuf.Int64Value",
  "google.protobuf.Int32Value", "google.protobuf.DoubleValue", "google.protobuf.BoolValue", "google.protobuf.FloatValue",
]);

/**
 * Checks that a selector can match something in the message's JSON form. Returns null when it
 * resolves, or a message naming the first segment that cannot.
 */
export function resolveAgainstMessage(type: Protobuf.Type, segments: PathSegment[]): string | null {
  // `cur` is what the JSON node at this point is: a message, a repeated container, a map, or a scalar.
  type Node = { kind: "message"; type: Protobuf.Type } | { kind: "list"; item: Node } | { kind: "map"; value: Node } | { kind: "scalar"; what: string } | { kind: "any" };
  const fieldNode = (f: Protobuf.Field): Node => {
    const item = ((): Node => {
      const rt = f.resolvedType;
      if (rt instanceof pb().Type) {
        const full = rt.fullName.replace(/^\./, "");
        return SCALAR_JSON_TYPES.has(full) ? { kind: "scalar", what: full } : full.startsWith("google.protobuf.") ? { kind: "any" } : { kind: "message", type: rt };
      }
      return { kind: "scalar", what: rt instanceof pb().Enum ? `enum ${rt.name}` : f.type };
    })();
    if (f instanceof pb().MapField) return { kind: "map", value: item };
    return f.repeated ? { kind: "list", item } : item;
  };
  let nodes: Node[] = [{ kind: "message", type }];
  for (const seg of segments) {
    const next: Node[] = [];
    for (const n of nodes) {
      if (n.kind === "any") {
        next.push(n);
        continue;
      }
      switch (seg.kind) {
        case "name":
        case "names": {
          const names = seg.kind === "name" ? [seg.name] : seg.names;
          if (n.kind === "map") {
            next.push(n.value);
            break;
          }
          if (n.kind !== "message") return `'${names[0]}' selects into ${n.kind === "scalar" ? n.what : "a repeated field"}, which has no members`;
          for (const name of names) {
            const f = n.type.fields[name] ?? Object.values(n.type.fields).find((x) => x.options?.json_name === name);
            if (!f) {
              const known = Object.keys(n.type.fields).join(", ");
              const camel = name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
              const hint = camel !== name && n.type.fields[camel] ? `; selectors use the proto3 JSON name '${camel}', as Druid's protobuf reader prints it` : "";
              return `message ${n.type.fullName.replace(/^\./, "")} has no field '${name}'${hint} (fields: ${known})`;
            }
            next.push(fieldNode(f));
          }
          break;
        }
        case "index":
        case "indexes":
        case "slice":
        case "filter":
          if (n.kind !== "list") return `'${seg.kind === "filter" ? seg.source : "[…]"}' indexes a field that is not repeated`;
          next.push(n.item);
          break;
        case "wildcard":
          if (n.kind === "list") next.push(n.item);
          else if (n.kind === "map") next.push(n.value);
          else if (n.kind === "message") next.push(...Object.values(n.type.fields).map(fieldNode));
          else return `'*' selects into ${n.what}, which has no members`;
          break;
        case "descendant":
          next.push({ kind: "any" });
          break;
      }
    }
    nodes = next;
  }
  return null;
}
