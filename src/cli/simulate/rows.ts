// What simulate does to one input line up to the duplicate check: parse, the sink's view of the row, the
// mapping, the Elasticsearch mapping check and the output line. The same code runs on the main thread and
// in worker threads; what follows (duplicate check, counting, printing) happens in input order on the
// main thread only (report.ts).
import * as path from "node:path";
import { isMapstackError } from "../../dsl/diagnostics";
import type { MappedRow, RowMapper } from "../../dsl/evaluate";
import { parseJson } from "../../dsl/json-lossless";
import { memberParser } from "../../dsl/json-members";
import { loadProtoFile, lookupMessage } from "../../dsl/proto";
import { topLevelKeysRead } from "../../dsl/row-keys";
import type { CompiledDataset } from "../../dsl/types";
import { compileMappingCheck } from "../../targets/elasticsearch/mapping-check";

/** Where each row's outcome goes, in input order. */
export interface RowSink {
  /** A line that is no document: not JSON, not an object, not a valid message. */
  unreadable(line: number, message: string): void;
  /** The evaluator failed on this row (a bug of ours): the row is reported and the batch goes on. */
  failed(line: number, message: string): void;
  /**
   * A mapped row before the duplicate check. `output` is its output line, null when the Elasticsearch
   * mapping would refuse the row (`refused` says why).
   */
  mapped(line: number, row: Pick<MappedRow, "id" | "issues">, output: string | null, refused: string | null): void;
}

/** The one place a document's text becomes a value: JSON read as the seed reads it (1.0 stays a float). */
export function parseDocument(text: string): unknown {
  return parseJson(text);
}

type View = (doc: Record<string, unknown>) => Record<string, unknown>;

/** How a run reads its rows: fixed by the dataset and the command line, the same on every thread. */
export interface RowReading {
  parseLine: (text: string) => unknown;
  /** What the sink sees of a row before the mapping runs (protobuf: the message's JSON form). */
  prepare: View;
  /** Why the Elasticsearch mapping would refuse a mapped row (null when it fits or there is no ES sink). */
  refusedBySink: (source: Record<string, unknown>) => string | null;
}

/**
 * `wholeDocuments`: every member of a row is needed (--es sends whole documents), so no line is read
 * partially. Otherwise only the top-level members the mapping reads are built when it can name them and
 * no message view needs the rest (a protobuf source is checked whole against its message).
 */
export async function rowReading(ds: CompiledDataset, dslDir: string, wholeDocuments: boolean): Promise<RowReading> {
  const keys = wholeDocuments || ds.source.format === "protobuf" ? null : topLevelKeysRead(ds);
  return {
    parseLine: keys ? memberParser(keys) : parseDocument,
    prepare: (await protobufView(ds, dslDir)) ?? ((d) => d),
    refusedBySink: ds.sinks.elasticsearch ? compileMappingCheck(ds.fields) : () => null,
  };
}

/**
 * A protobuf source reaches the sinks as the message's proto3 JSON form (json names, enum names, int64 as
 * strings, defaults absent), as Druid's protobuf reader prints it: simulate maps that, not the raw sample.
 */
async function protobufView(ds: CompiledDataset, dslDir: string): Promise<View | undefined> {
  if (ds.source.format !== "protobuf") return undefined;
  const message = ds.source.message;
  const loaded = loadProtoFile(path.join(dslDir, "proto"), ds.source.protoFile.replace(/^proto\//, ""), { keepCase: true });
  const type = loaded.ok ? lookupMessage(loaded.root, message) : null;
  if (!type) return undefined;
  // Loaded here, not at the top: only protobuf sources need protobufjs.
  const { ProtoJsonError, protoJsonAsDruidSees } = await import("../../druid/proto-json");
  return (doc) => {
    try {
      return protoJsonAsDruidSees(doc, type);
    } catch (e) {
      if (e instanceof ProtoJsonError) throw new Error(`not a valid ${message} message: ${e.message}`);
      throw e;
    }
  };
}

/** What is said of a line longer than the longest one read. */
export function tooLongMessage(bytesAtLeast: number, maxLine: number): string {
  return `line longer than ${maxLine / (1024 * 1024)} MiB (at least ${bytesAtLeast} bytes), skipped`;
}

function notAnObject(v: unknown): string | null {
  if (v && typeof v === "object" && !Array.isArray(v)) return null;
  return `expected a JSON object, got ${Array.isArray(v) ? "an array" : v === null ? "null" : typeof v}`;
}

const BLANK = /^\s*$/;

/** Turns lines (or values already parsed) into row outcomes for a sink. */
export class RowReader {
  constructor(
    private readonly mapper: RowMapper,
    private readonly reading: RowReading,
    public sink: RowSink,
    /** Sees every document the mapping is about to map (--es keeps them). */
    private readonly keep?: (line: number, doc: Record<string, unknown>) => void,
  ) {}

  text(line: number, text: string): void {
    let v: unknown;
    try {
      v = this.reading.parseLine(text);
    } catch (e) {
      if (BLANK.test(text)) return; // blank lines (and a lone "\r") separate nothing
      this.sink.unreadable(line, `not JSON: ${(e as Error).message}`);
      return;
    }
    this.value(line, v);
  }

  value(line: number, v: unknown): void {
    const wrong = notAnObject(v);
    if (wrong) return this.sink.unreadable(line, wrong);
    let doc: Record<string, unknown>;
    try {
      doc = this.reading.prepare(v as Record<string, unknown>);
    } catch (e) {
      return this.sink.unreadable(line, (e as Error).message);
    }
    this.keep?.(line, doc);
    let row: MappedRow;
    try {
      row = this.mapper.mapRow(doc);
    } catch (e) {
      if (isMapstackError(e)) throw e;
      // An evaluator bug on one document must not cost the rest of the batch.
      return this.sink.failed(line, `evaluation failed: ${(e as Error).message}`);
    }
    const refused = this.reading.refusedBySink(row.source);
    // As the seed's dry-run previews a mapped row.
    const output = refused === null ? JSON.stringify({ _id: row.id, _source: row.source }) + "\n" : null;
    this.sink.mapped(line, row, output, refused);
  }
}
