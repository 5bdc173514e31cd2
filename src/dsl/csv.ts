// CSV rows for `column` inputs: the header line names the columns; quoted fields may hold the delimiter,
// doubled quotes and line breaks. Every value stays a string, as the seed's CSV rows are.

export interface CsvRow {
  /** 1-based line where the row starts. */
  line: number;
  row: Record<string, string>;
}

export interface CsvProblem {
  line: number;
  message: string;
}

/** Splits CSV text into records of raw fields, each with its starting line. */
function records(text: string, delimiter: string): Array<{ line: number; fields: string[]; error?: string }> {
  const out: Array<{ line: number; fields: string[]; error?: string }> = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    let field = "";
    let error: string | undefined;
    for (;;) {
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) {
            error = "unterminated quoted field";
            break;
          }
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (text[i] === "\n") line++;
          field += text[i++];
        }
      }
      while (i < text.length && text[i] !== delimiter && text[i] !== "\n" && text[i] !== "\r") field += text[i++];
      fields.push(field);
      field = "";
      if (text[i] === delimiter) {
        i++;
        continue;
      }
      if (text[i] === "\r") i++;
      if (text[i] === "\n") i++;
      line++;
      break;
    }
    if (!(fields.length === 1 && fields[0] === "")) out.push({ line: start, fields, error });
  }
  return out;
}

export function parseCsv(text: string, delimiter: string): { rows: CsvRow[]; problems: CsvProblem[] } {
  const recs = records(text, delimiter);
  const problems: CsvProblem[] = [];
  if (!recs.length) return { rows: [], problems };
  const header = recs[0].fields.map((h) => h.trim());
  const rows: CsvRow[] = [];
  for (const r of recs.slice(1)) {
    if (r.error) {
      problems.push({ line: r.line, message: r.error });
      continue;
    }
    if (r.fields.length !== header.length) {
      problems.push({ line: r.line, message: `${r.fields.length} fields, the header has ${header.length}` });
      continue;
    }
    const row: Record<string, string> = {};
    header.forEach((h, k) => (row[h] = r.fields[k]));
    rows.push({ line: r.line, row });
  }
  return { rows, problems };
}
