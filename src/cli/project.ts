// Locating the project (Pulumi.yaml) and its DSL directory from the CLI's working directory.
import * as fs from "node:fs";
import * as path from "node:path";
import { MapstackError } from "../dsl/diagnostics";

export function findProjectDir(start: string, explicit?: string): string {
  if (explicit) {
    const dir = path.resolve(start, explicit);
    if (!fs.existsSync(path.join(dir, "Pulumi.yaml"))) throw new MapstackError(`${dir}: no Pulumi.yaml here`);
    return dir;
  }
  let dir = path.resolve(start);
  while (true) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new MapstackError(`no Pulumi.yaml in ${start} or above; run mapstack inside the project or pass --project-dir`);
    dir = up;
  }
}
