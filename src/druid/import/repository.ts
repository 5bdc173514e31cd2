// The files of a Druid GitOps repository shaped like the one mapstack replaces, read once into memory:
// config/<env>.env, config/{dimensions,metrics,transforms,index-spec}.json, the supervisor template and
// the .proto files. `<dir>` may be the repository root or its druid-ingestion/ module.
import * as fs from "node:fs";
import * as path from "node:path";
import { MapstackError } from "../../dsl/diagnostics";

export interface TextFile {
  /** Path as shown in messages (relative to the working directory when possible). */
  file: string;
  text: string;
}

export interface DruidRepository {
  /** The module directory (holding config/). */
  moduleDir: string;
  envFiles: Array<TextFile & { stack: string }>;
  dimensions: TextFile;
  metrics: TextFile;
  transforms: TextFile | null;
  indexSpec: TextFile | null;
  template: TextFile | null;
  /** Directory of the .proto files and their paths relative to it. */
  protoDir: string;
  protoFiles: string[];
}

const CONFIG_JSON = ["dimensions", "metrics", "transforms", "index-spec"] as const;

function listProtos(dir: string, rel = ""): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listProtos(dir, r));
    else if (e.isFile() && e.name.endsWith(".proto")) out.push(r);
  }
  return out.sort();
}

export function readDruidRepository(dir: string, show: (abs: string) => string): DruidRepository {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new MapstackError(`${show(dir)}:1:1: no such directory`);
  const candidates = [dir, path.join(dir, "druid-ingestion")];
  const moduleDir = candidates.find((d) => fs.existsSync(path.join(d, "config")) && fs.statSync(path.join(d, "config")).isDirectory());
  if (!moduleDir) throw new MapstackError(`${show(dir)}:1:1: not a Druid GitOps repository: no config/ (nor druid-ingestion/config/) directory with <env>.env files`);
  const configDir = path.join(moduleDir, "config");
  const read = (abs: string): TextFile => {
    const bytes = fs.readFileSync(abs);
    if (bytes.length > 1024 * 1024) throw new MapstackError(`${show(abs)}:1:1: file is ${bytes.length} bytes; the limit is 1048576 bytes (1 MiB)`);
    if (bytes.includes(0)) throw new MapstackError(`${show(abs)}:1:1: binary content; expected a text file`);
    return { file: show(abs), text: bytes.toString("utf8") };
  };
  const envFiles = fs.readdirSync(configDir).filter((f) => f.endsWith(".env")).sort().map((f) => ({ ...read(path.join(configDir, f)), stack: f.slice(0, -4) }));
  if (!envFiles.length) throw new MapstackError(`${show(configDir)}:1:1: no <env>.env file (dev.env, staging.env, prod.env, …)`);
  const json: Partial<Record<(typeof CONFIG_JSON)[number], TextFile>> = {};
  for (const name of CONFIG_JSON) {
    const abs = path.join(configDir, `${name}.json`);
    if (fs.existsSync(abs)) json[name] = read(abs);
  }
  for (const name of ["dimensions", "metrics"] as const) {
    if (!json[name]) throw new MapstackError(`${show(path.join(configDir, `${name}.json`))}:1:1: missing: the datasource's ${name} are read from it`);
  }
  const templateAbs = path.join(moduleDir, "druid-specs", "templates", "kafka-supervisor.json");
  const protoDir = [path.join(moduleDir, "schemas", "proto"), path.join(moduleDir, "proto"), path.join(dir, "proto")].find((d) => fs.existsSync(d) && fs.statSync(d).isDirectory());
  if (!protoDir) throw new MapstackError(`${show(path.join(moduleDir, "schemas", "proto"))}:1:1: no .proto directory (schemas/proto/)`);
  const protoFiles = listProtos(protoDir);
  if (!protoFiles.length) throw new MapstackError(`${show(protoDir)}:1:1: no .proto file`);
  return {
    moduleDir,
    envFiles,
    dimensions: json.dimensions!,
    metrics: json.metrics!,
    transforms: json.transforms ?? null,
    indexSpec: json["index-spec"] ?? null,
    template: fs.existsSync(templateAbs) ? read(templateAbs) : null,
    protoDir,
    protoFiles,
  };
}
