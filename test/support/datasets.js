// Every DSL-format-dependent edit the tests and bench/ make to a project, in one place, so a change of
// the DSL format is one edit here. Works on a project copy (Pulumi files, certs, dsl/ with proto/).
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { parseDocument } = require("yaml");

const REPO = path.resolve(__dirname, "..", "..");
const BUNDLED = ["order_lines.yaml", "settlement_transactions.yaml"];

/** A temp copy of the project; with `datasets: n`, dsl/ holds n generated datasets instead of the bundled ones. */
function copyProject({ datasets } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-project-"));
  for (const f of fs.readdirSync(REPO).filter((f) => /^Pulumi(\..+)?\.yaml$/.test(f))) fs.copyFileSync(path.join(REPO, f), path.join(dir, f));
  fs.cpSync(path.join(REPO, "certs"), path.join(dir, "certs"), { recursive: true });
  if (datasets === undefined) {
    fs.cpSync(path.join(REPO, "dsl"), path.join(dir, "dsl"), { recursive: true });
    return dir;
  }
  fs.mkdirSync(path.join(dir, "dsl"));
  fs.cpSync(path.join(REPO, "dsl/proto"), path.join(dir, "dsl/proto"), { recursive: true });
  const templates = BUNDLED.map((f) => fs.readFileSync(path.join(REPO, "dsl", f), "utf8"));
  for (let i = 0; i < datasets; i++) {
    const doc = parseDocument(templates[i % 2]);
    const name = `${i % 2 ? "settlement" : "orders"}_${String(i).padStart(3, "0")}`;
    doc.set("index", name);
    if (!doc.has("source")) doc.set("source", doc.createNode({ format: "json" }));
  doc.setIn(["source", "kafka", "topic"], `bench.${name}.v1`);
    doc.setIn(["sinks", "elasticsearch", "index"], name.replace(/_/g, "-"));
    if (doc.hasIn(["sinks", "druid"])) doc.setIn(["sinks", "druid", "datasource"], name);
    fs.writeFileSync(path.join(dir, "dsl", `${name}.yaml`), String(doc));
  }
  return dir;
}

const fileOf = (dir, dataset) => {
  const f = fs.readdirSync(path.join(dir, "dsl")).find((x) => x.endsWith(".yaml") && parseDocument(fs.readFileSync(path.join(dir, "dsl", x), "utf8")).get("index") === dataset);
  if (!f) throw new Error(`no dataset ${dataset} in ${dir}/dsl`);
  return path.join(dir, "dsl", f);
};

function edit(dir, dataset, change) {
  const file = fileOf(dir, dataset);
  const doc = parseDocument(fs.readFileSync(file, "utf8"));
  change(doc);
  fs.writeFileSync(file, String(doc));
  return file;
}

/** Renames the dataset (its `index` key and file); the physical index, datasource and topic stay (pinned in sinks first). */
function renameDataset(dir, from, to) {
  const file = edit(dir, from, (doc) => {
    if (!doc.hasIn(["sinks", "elasticsearch", "index"])) doc.setIn(["sinks", "elasticsearch", "index"], from.replace(/_/g, "-"));
    doc.set("index", to);
  });
  fs.renameSync(file, path.join(path.dirname(file), `${to}.yaml`));
}

/** Bumps the Elasticsearch sink version (a breaking mapping change: new index, template, pipeline, policy). */
function bumpElasticsearchVersion(dir, dataset) {
  edit(dir, dataset, (doc) => doc.setIn(["sinks", "elasticsearch", "version"], (Number(doc.getIn(["sinks", "elasticsearch", "version"])) || 1) + 1));
}

function removeDataset(dir, dataset) {
  fs.rmSync(fileOf(dir, dataset));
}

module.exports = { copyProject, renameDataset, bumpElasticsearchVersion, removeDataset };
