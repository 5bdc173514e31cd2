import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { buildDescriptorSet } from "../../src/proto/descriptor-set";
import { cli, REPO } from "../cli/io";

const CORPUS = path.join(REPO, "test/proto/corpus");

describe("mapstack compat", () => {
  it("exits 1 and lists buf rule IDs, file:line:col, message and field for a breaking change", async () => {
    const r = await cli(["compat", "--proto-dir", path.join(CORPUS, "type_changed/new"), "--against", path.join(CORPUS, "base")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/order\.proto:10:3: FIELD_WIRE_JSON_COMPATIBLE_TYPE \(message Order, field quantity\)/);
    expect(r.stderr).toMatch(/needs a new druid datasource/);
  });

  it("accepts a descriptor set file as the baseline, and exits 0 on a safe change", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "compat-"));
    const old = path.join(dir, "old.binpb");
    fs.writeFileSync(old, buildDescriptorSet(path.join(CORPUS, "base")).bytes);
    const r = await cli(["compat", "--proto-dir", path.join(CORPUS, "safe_optional_field/new"), "--against", old]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/compatible with/);
    const broken = await cli(["compat", "--proto-dir", path.join(CORPUS, "field_deleted/new"), "--against", old, "--json"]);
    expect(broken.code).toBe(1);
    const json = JSON.parse(broken.stdout);
    expect(json.compatible).toBe(false);
    expect(json.protobuf.some((v: { rule: string; field: string }) => v.rule.startsWith("FIELD_NO_DELETE") && v.field === "customer_name")).toBe(true);
  });

  it("compares with a git ref by default (the working tree against HEAD)", async () => {
    const r = await cli(["compat", "--against", "HEAD"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/compatible with HEAD .*Elasticsearch field types/);
  });

  it("is a usage error (2) for a baseline that is neither a path nor a git ref", async () => {
    expect((await cli(["compat", "--against", "no-such-ref-or-dir-xyz"])).code).toBe(2);
  });
});

describe("mapstack schemas", () => {
  it("builds a version into schemas/, records what a stack runs, and lists it with the runbook alias", async () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "schemas-"));
    for (const f of ["Pulumi.yaml", "Pulumi.prod.yaml"]) fs.copyFileSync(path.join(REPO, f), path.join(project, f));
    fs.cpSync(path.join(REPO, "dsl"), path.join(project, "dsl"), { recursive: true });
    const version = buildDescriptorSet(path.join(project, "dsl/proto")).version;
    expect((await cli(["schemas", "list", "--stack", "prod"], project)).stdout).toMatch(new RegExp(`${version}  = dsl/proto, not yet in schemas/`));
    const built = await cli(["schemas", "build"], project);
    expect(built.code).toBe(0);
    expect(fs.existsSync(path.join(project, `schemas/${version}.binpb`))).toBe(true);
    expect((await cli(["schemas", "record", "--stack", "prod"], project)).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(project, "schemas/lock.json"), "utf8"))).toEqual({ stacks: { prod: { version, history: [version] } } });
    const list = await cli(["schemas", "list", "--stack", "prod"], project);
    expect(list.stdout).toContain(`${version}  runs on prod (stable), = dsl/proto`);
    expect((await cli(["schemas", "record", "--stack", "prod", "--version", "deadbeef0000"], project)).code).toBe(1);
  });
});
