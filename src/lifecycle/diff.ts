// A small unified diff (LCS over lines) for showing what promote/rollback change in a stack file.
// Stack files are a few dozen lines, so the quadratic table is fine.

type Edit = { op: " " | "-" | "+"; line: string };

function edits(a: string[], b: string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ op: " ", line: a[i] });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) out.push({ op: "-", line: a[i++] });
    else out.push({ op: "+", line: b[j++] });
  }
  return out;
}

/** Unified diff of two texts with `context` lines around each change; "" when they are equal. */
export function unifiedDiff(oldText: string, newText: string, label: string, context = 3): string {
  if (oldText === newText) return "";
  const a = oldText.replace(/\n$/, "").split("\n");
  const b = newText.replace(/\n$/, "").split("\n");
  const es = edits(a, b);
  const changed = es.map((e, k) => (e.op !== " " ? k : -1)).filter((k) => k >= 0);
  const hunks: Array<[number, number]> = [];
  for (const k of changed) {
    const start = Math.max(0, k - context);
    const end = Math.min(es.length - 1, k + context);
    const last = hunks[hunks.length - 1];
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else hunks.push([start, end]);
  }
  const lines = [`--- a/${label}`, `+++ b/${label}`];
  for (const [s, e] of hunks) {
    const part = es.slice(s, e + 1);
    // Positions before the hunk's first line, so the header's start lines are 1-based.
    let aStart = 0;
    let bStart = 0;
    for (const x of es.slice(0, s)) {
      if (x.op !== "+") aStart++;
      if (x.op !== "-") bStart++;
    }
    const aLen = part.filter((x) => x.op !== "+").length;
    const bLen = part.filter((x) => x.op !== "-").length;
    lines.push(`@@ -${aLen ? aStart + 1 : aStart},${aLen} +${bLen ? bStart + 1 : bStart},${bLen} @@`);
    for (const x of part) lines.push(`${x.op}${x.line}`);
  }
  return lines.join("\n") + "\n";
}
