// Runs the pipeline's Painless through the JDK: the exact function and body text of the scripts the
// pipeline emits, wrapped in a Java class, compiled with javac and run on the same rows the TypeScript
// evaluator sees. Compiled classes are cached by content hash under the OS temp directory.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ScriptText } from "../../src/targets/elasticsearch/painless/script";

export const hasJdk = (() => {
  try {
    execFileSync("javac", ["-version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

export interface JdkCase {
  script: ScriptText;
  params: unknown;
  /** Rows as JSON text; each runs as the ingest document (plus `_index`). */
  rows: string[];
}

export interface JdkResult {
  /** Document after the script (metadata keys included), or the exception text. */
  ctx?: Record<string, unknown>;
  issues?: unknown[];
  error?: string;
}

const IMPORTS = "import java.util.*;\nimport java.util.regex.*;\nimport java.math.*;\nimport java.time.*;\nimport java.time.zone.*;\n";

function sourceOf(cases: JdkCase[]): Record<string, string> {
  const files: Record<string, string> = {};
  // One class per distinct function text (the mapping runtime, the failure runtime).
  const runtimes = new Map<string, string>();
  cases.forEach((c) => {
    if (!runtimes.has(c.script.functions)) runtimes.set(c.script.functions, `Runtime${runtimes.size}`);
  });
  for (const [functions, cls] of runtimes) {
    const bodies = cases
      .map((c, i) => (c.script.functions === functions ? `  public void run${i}(Map ctx, Map params) {\n${c.script.javaPrelude}${c.script.body}  }\n` : ""))
      .join("");
    files[`${cls}.java`] = `${IMPORTS}@SuppressWarnings({"unchecked", "rawtypes"})\npublic class ${cls} {\n  public List issues = new ArrayList();\n${functions}\n${bodies}}\n`;
  }
  const dispatch = cases
    .map((c, i) => `      case ${i}: { ${runtimes.get(c.script.functions)} r = new ${runtimes.get(c.script.functions)}(); r.run${i}(ctx, params); return r.issues; }\n`)
    .join("");
  files["Main.java"] = `${IMPORTS}import java.nio.file.*;
@SuppressWarnings({"unchecked", "rawtypes"})
public class Main {
  static List run(int i, Map ctx, Map params) {
    switch (i) {
${dispatch}      default: throw new IllegalStateException();
    }
  }
  public static void main(String[] args) throws Exception {
    List cases = (List) Json.parse(new String(Files.readAllBytes(Paths.get(args[0])), "UTF-8"));
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < cases.size(); i++) {
      Map c = (Map) cases.get(i);
      List rows = (List) c.get("rows");
      if (i > 0) out.append(",");
      out.append("[");
      for (int j = 0; j < rows.size(); j++) {
        if (j > 0) out.append(",");
        Map ctx = (Map) Json.parse((String) rows.get(j));
        ctx.put("_index", "conformance");
        Map res = new LinkedHashMap();
        try {
          List issues = run(((Number) c.get("case")).intValue(), ctx, (Map) c.get("params"));
          res.put("ctx", ctx);
          res.put("issues", issues);
        } catch (Exception e) {
          res.put("error", e.toString());
        }
        out.append(Json.write(res));
      }
      out.append("]");
    }
    out.append("]");
    Files.write(Paths.get(args[1]), out.toString().getBytes("UTF-8"));
  }
}
`;
  files["Json.java"] = fs.readFileSync(path.join(__dirname, "java", "Json.java"), "utf8");
  return files;
}

/** Compiles (cached) and runs every case; results[i][j] is case i, row j. */
export function runOnJdk(cases: JdkCase[]): JdkResult[][] {
  const files = sourceOf(cases);
  const hash = createHash("sha256").update(JSON.stringify(files)).digest("hex").slice(0, 16);
  const dir = path.join(os.tmpdir(), `mapstack-jdk-${hash}`);
  if (!fs.existsSync(path.join(dir, "Main.class"))) {
    fs.mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    try {
      execFileSync("javac", ["-nowarn", "-encoding", "UTF-8", "-d", dir, ...Object.keys(files).map((f) => path.join(dir, f))], { stdio: "pipe" });
    } catch (e) {
      throw new Error(`javac failed:\n${(e as { stderr?: Buffer }).stderr?.toString() ?? e}`);
    }
  }
  const input = path.join(dir, `in-${process.pid}-${Date.now()}.json`);
  const output = `${input}.out`;
  fs.writeFileSync(input, JSON.stringify(cases.map((c, i) => ({ case: i, params: c.params, rows: c.rows }))));
  execFileSync("java", ["-cp", dir, "Main", input, output], { stdio: "pipe", maxBuffer: 1 << 28 });
  const text = fs.readFileSync(output, "utf8");
  fs.rmSync(input);
  fs.rmSync(output);
  return JSON.parse(text);
}
