// The fake cluster's POST _ingest/pipeline/_simulate: an independent model of Elasticsearch's ingest
// service for the processors mapstack emits (`set` with Mustache `{{{…}}}` templates, `script`, pipeline
// and processor `on_failure` with the `_ingest.on_failure_*` metadata), following the ingest docs and the
// ingest-common REST tests (test/fakes/es-vectors/set-and-on-failure.json).
//
// Scripts are not interpreted in JavaScript: the Painless source is turned into a Java class (its
// functions become methods, its statements the body, regex literals `/p/` become Pattern.compile("p")) and
// run by the JDK, which is what Painless compiles to. Nothing here imports src/: the only shared
// assumption with the pipeline generator is the Painless language itself.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

type Obj = Record<string, any>;
const isMap = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

/** Splits Painless source into top-level function declarations and statements. */
export function splitPainless(source: string): { functions: string[]; statements: string } {
  const functions: string[] = [];
  let statements = "";
  let i = 0;
  while (i < source.length) {
    while (i < source.length && /\s/.test(source[i])) i++;
    if (i >= source.length) break;
    const rest = source.slice(i);
    const isFunction = /^[A-Za-z_]\w*(?:(?:\[\])+\s*|\s+)[A-Za-z_]\w*\s*\([^;{]*\)\s*\{/.test(rest);
    let depth = 0;
    let j = i;
    let inString: string | null = null;
    for (; j < source.length; j++) {
      const c = source[j];
      if (inString) {
        if (c === "\\") j++;
        else if (c === inString) inString = null;
        continue;
      }
      if (c === '"' || c === "'") inString = c;
      else if (c === "{") depth++;
      else if (c === "}") {
        depth--;
        if (depth === 0 && isFunction) break;
      } else if (c === ";" && depth === 0 && !isFunction) break;
    }
    const chunk = source.slice(i, j + 1);
    if (isFunction) functions.push(chunk);
    else statements += `${chunk}\n`;
    i = j + 1;
  }
  return { functions, statements };
}

/** Painless regex literals (after `{`, `,`, `(` or `=`) → Pattern.compile calls. */
export function regexLiteralsToJava(statements: string): string {
  return statements.replace(/([{,(=]\s*)\/((?:\\.|[^/\n\\])+)\/([cilmsUux]*)/g, (_m, lead: string, body: string, flags: string) => {
    const inline = flags ? `(?${flags.replace(/[^imsux]/g, "")})` : "";
    return `${lead}Pattern.compile(${JSON.stringify(inline + body)})`;
  });
}

const IMPORTS = "import java.util.*;\nimport java.util.regex.*;\nimport java.math.*;\nimport java.time.*;\nimport java.time.zone.*;\n";
const JSON_JAVA = path.join(__dirname, "..", "es-conformance", "java", "Json.java");

function compileScript(source: string): string {
  const hash = createHash("sha256").update(source).digest("hex").slice(0, 16);
  const dir = path.join(os.tmpdir(), `mapstack-fake-es-${hash}`);
  if (fs.existsSync(path.join(dir, "Runner.class"))) return dir;
  fs.mkdirSync(dir, { recursive: true });
  const { functions, statements } = splitPainless(source);
  fs.writeFileSync(path.join(dir, "Script.java"), `${IMPORTS}@SuppressWarnings({"unchecked","rawtypes"})\npublic class Script {\n${functions.join("\n")}\n  public void execute(Map ctx, Map params) {\n${regexLiteralsToJava(statements)}  }\n}\n`);
  fs.writeFileSync(path.join(dir, "Runner.java"), `${IMPORTS}import java.nio.file.*;
@SuppressWarnings({"unchecked","rawtypes"})
public class Runner {
  public static void main(String[] a) throws Exception {
    Map in = (Map) Json.parse(new String(Files.readAllBytes(Paths.get(a[0])), "UTF-8"));
    List docs = (List) in.get("docs");
    List out = new ArrayList();
    for (Object d : docs) {
      Map r = new LinkedHashMap();
      try { new Script().execute((Map) d, (Map) in.get("params")); r.put("ctx", d); }
      catch (Exception e) { r.put("error", e.getClass().getSimpleName() + ": " + e.getMessage()); }
      out.add(r);
    }
    Files.write(Paths.get(a[1]), Json.write(out).getBytes("UTF-8"));
  }
}
`);
  fs.copyFileSync(JSON_JAVA, path.join(dir, "Json.java"));
  try {
    execFileSync("javac", ["-nowarn", "-encoding", "UTF-8", "-d", dir, ...["Script", "Runner", "Json"].map((f) => path.join(dir, `${f}.java`))], { stdio: "pipe", maxBuffer: 1 << 26 });
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`fake ES: script does not compile:\n${String((e as { stderr?: Buffer }).stderr ?? e).slice(0, 2000)}`);
  }
  return dir;
}

/** Json.java marks Doubles {"$float": x}; Elasticsearch's JSON just prints the number. */
function unmark(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unmark);
  if (isMap(v)) {
    if (Object.keys(v).length === 1 && "$float" in v) return typeof v.$float === "string" ? null : v.$float;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unmark(x)]));
  }
  return v;
}

/** Runs one script on a batch of ingest documents (one JVM for the batch). */
function runScript(source: string, params: Obj, docs: Obj[]): Array<{ ctx?: Obj; error?: string }> {
  const dir = compileScript(source);
  const input = path.join(dir, `in-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(input, JSON.stringify({ params, docs }));
  execFileSync("java", ["-cp", dir, "Runner", input, `${input}.out`], { stdio: "pipe", maxBuffer: 1 << 28 });
  const out = unmark(JSON.parse(fs.readFileSync(`${input}.out`, "utf8"))) as Array<{ ctx?: Obj; error?: string }>;
  fs.rmSync(input);
  fs.rmSync(`${input}.out`);
  return out;
}

function getPath(doc: Obj, p: string): unknown {
  let cur: unknown = doc;
  for (const k of p.split(".")) {
    if (!isMap(cur) || !(k in cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

function setPath(doc: Obj, p: string, value: unknown): void {
  const parts = p.split(".");
  let cur = doc;
  for (const k of parts.slice(0, -1)) {
    if (!isMap(cur[k])) cur[k] = {};
    cur = cur[k];
  }
  cur[parts[parts.length - 1]] = value;
}

/** Mustache as the set processor renders it: {{{x}}} raw, {{x}} HTML-escaped; a missing value renders "". */
function render(template: string, doc: Obj, ingest: Obj): string {
  const lookup = (name: string) => {
    const v = name.startsWith("_ingest.") ? getPath(ingest, name.slice(8)) : getPath(doc, name);
    return v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v);
  };
  return template
    .replace(/\{\{\{\s*([^}]+?)\s*\}\}\}/g, (_m, n: string) => lookup(n))
    .replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_m, n: string) => lookup(n).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"));
}

interface Item {
  doc: Obj;
  ingest: Obj;
  failed?: { message: string; type: string; tag?: string };
}

const META = ["_index", "_id", "_routing", "_version", "_version_type", "_if_seq_no", "_if_primary_term"];

function runProcessors(processors: Obj[], items: Item[], pipelineId: string, onFailure: Obj[] | undefined): void {
  let live = items.filter((it) => !it.failed);
  for (const proc of processors) {
    const [type, cfg] = Object.entries(proc)[0] as [string, Obj];
    if (type === "set") {
      for (const it of live) {
        if (cfg.if !== undefined) throw new Error("fake: `if` conditions are not modelled");
        const value = cfg.copy_from !== undefined ? structuredClone(getPath(it.doc, cfg.copy_from)) : typeof cfg.value === "string" ? render(cfg.value, it.doc, it.ingest) : cfg.value;
        if (cfg.ignore_empty_value && (value === undefined || value === null || value === "")) continue;
        if (cfg.override === false && getPath(it.doc, cfg.field) !== undefined) continue;
        setPath(it.doc, cfg.field, value);
      }
    } else if (type === "script") {
      const out = runScript(cfg.source, cfg.params ?? {}, live.map((it) => it.doc));
      live.forEach((it, i) => {
        if (out[i].error) it.failed = { message: out[i].error!, type: "script", tag: cfg.tag };
        else it.doc = out[i].ctx!;
      });
    } else {
      for (const it of live) it.failed = { message: `No processor type exists with name [${type}]`, type, tag: cfg.tag };
    }
    live = live.filter((it) => !it.failed);
  }
  const failed = items.filter((it) => it.failed && !it.ingest.on_failure_message);
  if (failed.length && onFailure?.length) {
    for (const it of failed) {
      it.ingest.on_failure_message = it.failed!.message;
      it.ingest.on_failure_processor_type = it.failed!.type;
      it.ingest.on_failure_processor_tag = it.failed!.tag ?? "";
      it.ingest.on_failure_pipeline = pipelineId;
      it.failed = undefined;
    }
    runProcessors(onFailure, failed, pipelineId, undefined);
  }
}

/** POST _ingest/pipeline/_simulate with an inline pipeline; the response has ES's shape. */
export function simulatePipeline(pipeline: Obj, docs: Obj[], pipelineId = "_simulate_pipeline"): Obj {
  const items: Item[] = docs.map((d) => {
    const doc: Obj = { ...structuredClone(d._source ?? {}) };
    for (const k of META) if (d[k] !== undefined) doc[k] = d[k];
    return { doc, ingest: { timestamp: "2024-01-01T00:00:00.000000000Z" } };
  });
  runProcessors(pipeline.processors ?? [], items, pipelineId, pipeline.on_failure);
  return {
    docs: items.map((it) => {
      if (it.failed) return { error: { root_cause: [{ type: "script_exception", reason: it.failed.message }], type: "script_exception", reason: it.failed.message } };
      const source = Object.fromEntries(Object.entries(it.doc).filter(([k]) => !META.includes(k)));
      const meta = Object.fromEntries(Object.entries(it.doc).filter(([k]) => META.includes(k)));
      return { doc: { ...meta, _source: source, _ingest: { timestamp: it.ingest.timestamp } } };
    }),
  };
}
