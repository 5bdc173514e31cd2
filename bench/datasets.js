"use strict";
// Everything bench/ knows about the DSL's format lives in this file: which bundled datasets there are,
// their sample documents, the JSONPath selectors a naive script would run, and how a generated dataset
// looks. When the DSL changes, this is the one file to adapt.
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const dslDir = path.join(root, "dsl");

/** The bundled datasets that have sample documents: [{name, file, samples}] (samples = JSONL file). */
function bundledDatasets() {
  return fs
    .readdirSync(dslDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ name: f.replace(/\.ya?ml$/, ""), file: path.join(dslDir, f), samples: path.join(dslDir, "samples", f.replace(/\.ya?ml$/, ".jsonl")) }))
    .filter((d) => fs.existsSync(d.samples));
}

/** The sample documents of a dataset that are JSON objects, as compact JSON text (bad lines are the tests' business). */
function sampleDocuments(ds) {
  const out = [];
  for (const line of fs.readFileSync(ds.samples, "utf8").split("\n")) {
    try {
      const v = JSON.parse(line);
      if (v && typeof v === "object" && !Array.isArray(v)) out.push(v);
    } catch {
      // not JSON: skipped
    }
  }
  if (!out.length) throw new Error(`${ds.samples}: no JSON object to generate documents from`);
  return out;
}

/** ~`bytes` of payload no mapping reads: nested objects, arrays, strings and numbers, as real events carry. */
function unmappedPayload(bytes) {
  const items = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const item = { id: `evt-${i}`, kind: ["click", "view", "scroll"][i % 3], at: 1709283000000 + i * 37, tags: ["a", "bb", "ccc"].slice(0, 1 + (i % 3)), geo: { lat: 48.85 + i / 1000, lon: 2.35 - i / 1000 }, note: "lorem ipsum dolor sit amet ".repeat(1 + (i % 4)) };
    size += JSON.stringify(item).length + 1;
    items.push(item);
  }
  return { trace: items };
}

/** The parts of a dataset's document a generator has to respect: its id columns and its source format. */
function datasetShape(ds) {
  const { parse } = require("yaml");
  const doc = parse(fs.readFileSync(ds.file, "utf8"));
  return { idColumns: (doc.id_policy && doc.id_policy.from) || [], protobuf: !!(doc.source && doc.source.format === "protobuf") };
}

/** Where unmapped padding goes in a protobuf dataset's documents: a string field of the message no mapping reads. */
const PROTOBUF_PADDING = { settlement_transactions: ["payer", "iban"] };

const SEQ = "\u0000seq\u0000";

/**
 * Writes `count` documents for a bundled dataset to `file` as JSONL: its sample documents in turn, each
 * made distinct by a sequence number (appended to its id columns, so id_policy never sees a duplicate;
 * else as an extra `_seq` key, except for protobuf sources whose message has no such field), plus
 * `padBytes` of unmapped payload when asked (the "8 KB documents" case; for protobuf sources a long
 * string in a field of the message that no mapping reads). Returns the bytes written.
 */
function writeDocuments(ds, file, count, padBytes = 0) {
  const shape = datasetShape(ds);
  const templates = sampleDocuments(ds).map((d0) => {
    let d = { ...d0 };
    let seqPlaced = false;
    for (const col of shape.idColumns) {
      if (typeof d[col] === "string" || typeof d[col] === "number") {
        d[col] = `${d[col]}-${SEQ}`;
        seqPlaced = true;
      }
    }
    if (padBytes) {
      const at = shape.protobuf ? PROTOBUF_PADDING[ds.name] : null;
      if (shape.protobuf && !at) throw new Error(`${ds.name}: no unmapped protobuf field known to pad (bench/datasets.js PROTOBUF_PADDING)`);
      if (at) d[at[0]] = { ...(d[at[0]] || {}), [at[1]]: "x".repeat(padBytes) };
      else d.payload = unmappedPayload(padBytes);
    }
    if (!seqPlaced && !shape.protobuf) d._seq = SEQ;
    // Inside an id string the number is text; as `_seq` it is a JSON number (the quotes go too).
    const token = seqPlaced ? JSON.stringify(SEQ).slice(1, -1) : JSON.stringify(SEQ);
    return JSON.stringify(d).split(token);
  });
  const fd = fs.openSync(file, "w");
  let buf = "";
  let bytes = 0;
  try {
    for (let i = 0; i < count; i++) {
      buf += templates[i % templates.length].join(String(i)) + "\n";
      if (buf.length > 1 << 20) {
        bytes += fs.writeSync(fd, buf);
        buf = "";
      }
    }
    bytes += fs.writeSync(fd, buf);
  } finally {
    fs.closeSync(fd);
  }
  return bytes;
}

/**
 * The JSONPath selectors of a compiled dataset as a naive script would run them, one output key each:
 * [{target, selectors: [{expr, definite}]}].
 */
function selectorsOf(compiled) {
  return compiled.fields.map((f) => ({ target: f.target, selectors: f.inputs.filter((i) => i.kind === "jsonpath").map((i) => ({ expr: i.expr, definite: i.selector.definite })) }));
}

/**
 * Files of the i-th generated dataset, relative to a project directory: a renamed copy of a bundled
 * dataset; protobuf ones get their own proto file and package, as a real project with many topics has.
 */
function generateDataset(i) {
  const { parseDocument } = require("yaml");
  const templates = bundledDatasets().map((d) => ({ ...d, text: fs.readFileSync(d.file, "utf8") }));
  const t = templates[i % templates.length];
  const doc = parseDocument(t.text);
  const name = `${t.name}_g${String(i).padStart(4, "0")}`;
  const files = {};
  doc.set("index", name);
  if (!doc.has("source")) doc.set("source", doc.createNode({ format: "json" }));
  doc.setIn(["source", "kafka", "topic"], `bench.${name}.v1`);
  doc.setIn(["sinks", "elasticsearch", "index"], name.replace(/_/g, "-"));
  if (doc.hasIn(["sinks", "druid"])) doc.setIn(["sinks", "druid", "datasource"], name);
  if (doc.getIn(["source", "format"]) === "protobuf") {
    const protoFile = doc.getIn(["source", "proto", "file"]);
    const message = doc.getIn(["source", "proto", "message"]);
    const proto = fs.readFileSync(path.join(dslDir, "proto", protoFile), "utf8");
    const pkg = /^package\s+([\w.]+)\s*;/m.exec(proto)[1];
    const newPkg = `${pkg}.g${i}`;
    const genFile = `gen/${name}.proto`;
    files[`dsl/proto/${genFile}`] = proto.replace(/^package\s+[\w.]+\s*;/m, `package ${newPkg};`).replace(/^option java_package = .*$/m, "");
    doc.setIn(["source", "proto", "file"], genFile);
    doc.setIn(["source", "proto", "message"], message.replace(pkg, newPkg));
  }
  files[`dsl/${name}.yaml`] = String(doc);
  return files;
}

module.exports = { root, dslDir, bundledDatasets, sampleDocuments, writeDocuments, selectorsOf, generateDataset };
