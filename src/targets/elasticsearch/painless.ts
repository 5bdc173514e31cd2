// The only Painless the pipeline uses: one script per op that no native processor expresses. Each
// script is a fixed source driven by params (so the compiled pipeline stays diffable and the scripts are
// compiled once per cluster, not once per field). `params.fn` names the script; the fake ES in test/
// dispatches on it. Every script reads and writes ctx._mapstack[params.field] and removes the key when
// the result is null, because the DSL omits null fields.

const PUT_RESULT = `if (r == null) { ctx._mapstack.remove(params.field); } else { ctx._mapstack[params.field] = r; }`;

/** JSONPath selectors beyond plain member paths: [i], ['a','b'], [*], [a:b:c], [?(…)]. */
export const SELECT = `
List children(def v) { if (v instanceof List) { return v; } if (v instanceof Map) { return new ArrayList(v.values()); } return []; }
List rel(def v, List path) {
  def cur = v;
  for (def s : path) {
    if (s.kind == 'name') { if (!(cur instanceof Map) || !cur.containsKey(s.name)) { return []; } cur = cur[s.name]; }
    else { if (!(cur instanceof List)) { return []; } int i = s.index < 0 ? cur.size() + s.index : s.index; if (i < 0 || i >= cur.size()) { return []; } cur = cur[i]; }
  }
  return [cur];
}
boolean same(List a, List b) {
  if (a.isEmpty() || b.isEmpty()) { return a.isEmpty() && b.isEmpty(); }
  def x = a[0]; def y = b[0];
  if (x instanceof Number && y instanceof Number) { return x.doubleValue() == y.doubleValue(); }
  return x == y;
}
boolean test(def n, Map e) {
  if (e.kind == 'and') { return test(n, e.left) && test(n, e.right); }
  if (e.kind == 'or') { return test(n, e.left) || test(n, e.right); }
  if (e.kind == 'not') { return !test(n, e.expr); }
  if (e.kind == 'exists') { List r = operand(n, e.operand); return !r.isEmpty() && r[0] != null && r[0] != false; }
  List l = operand(n, e.left); List r = operand(n, e.right);
  if (e.op == '==') { return same(l, r); }
  if (e.op == '!=') { return !same(l, r); }
  if (l.isEmpty() || r.isEmpty()) { return false; }
  def x = l[0]; def y = r[0]; int c;
  if (x instanceof Number && y instanceof Number) { c = Double.compare(x.doubleValue(), y.doubleValue()); }
  else if (x instanceof String && y instanceof String) { c = x.compareTo(y); }
  else { return false; }
  return e.op == '<' ? c < 0 : e.op == '<=' ? c <= 0 : e.op == '>' ? c > 0 : c >= 0;
}
List operand(def n, Map o) { return o.kind == 'literal' ? [o.value] : rel(n, o.path); }
List step(List nodes, Map s) {
  List out = new ArrayList();
  for (def n : nodes) {
    if (s.kind == 'name') { out.addAll(rel(n, [s])); }
    else if (s.kind == 'index') { out.addAll(rel(n, [s])); }
    else if (s.kind == 'names') { for (def k : s.names) { out.addAll(rel(n, [['kind': 'name', 'name': k]])); } }
    else if (s.kind == 'indexes') { for (def i : s.indexes) { out.addAll(rel(n, [['kind': 'index', 'index': i]])); } }
    else if (s.kind == 'wildcard') { out.addAll(children(n)); }
    else if (s.kind == 'filter') { for (def c : children(n)) { if (test(c, s.expr)) { out.add(c); } } }
    else if (s.kind == 'slice' && n instanceof List) {
      int len = n.size(); int st = s.step;
      if (st > 0) {
        int a = s.start == null ? 0 : (s.start < 0 ? (int) Math.max(len + s.start, 0) : (int) Math.min(s.start, len));
        int b = s.end == null ? len : (s.end < 0 ? (int) Math.max(len + s.end, 0) : (int) Math.min(s.end, len));
        for (int i = a; i < b; i += st) { out.add(n[i]); }
      } else {
        int lo = s.end == null ? -1 : (s.end < 0 ? (int) Math.max(len + s.end, 0) : (int) Math.min(s.end, len));
        int hi = s.start == null ? len - 1 : (int) Math.min(s.start < 0 ? Math.max(len + s.start, 0) : Math.min(s.start, len), len - 1);
        for (int i = hi; i > lo; i += st) { out.add(n[i]); }
      }
    }
  }
  return out;
}
def pick(Map doc, Map sel) {
  List nodes = [doc];
  for (def s : sel.segments) { nodes = step(nodes, s); if (nodes.isEmpty()) { break; } }
  if (sel.definite) { return nodes.isEmpty() ? null : nodes[0]; }
  return nodes;
}
List picked = new ArrayList();
for (def sel : params.selectors) { picked.add(pick(ctx, sel)); }
def r = params.selectors.size() == 1 ? picked[0] : picked;
${PUT_RESULT}`.trim();

/** coalesce: first selector value that is neither null nor an empty list. */
export const COALESCE = `
def r = null;
for (def v : ctx._mapstack[params.field]) { if (v != null && !(v instanceof List && v.isEmpty())) { r = v; break; } }
${PUT_RESULT}`.trim();

/** concat: non-null selector values as text, joined; null when all are null. */
export const CONCAT = `
List parts = new ArrayList();
for (def v : ctx._mapstack[params.field]) { if (v != null) { parts.add(v.toString()); } }
def r = parts.isEmpty() ? null : String.join(params.separator, parts);
${PUT_RESULT}`.trim();

/** join: list → text, null elements skipped (ES's join processor fails on them); a non-list fails the document. */
export const JOIN = `
def v = ctx._mapstack[params.field];
def r = null;
if (v != null) {
  if (!(v instanceof List)) { throw new IllegalArgumentException('join expects an array, got ' + v); }
  List parts = new ArrayList();
  for (def x : v) { if (x != null) { parts.add(x.toString()); } }
  r = String.join(params.separator, parts);
}
${PUT_RESULT}`.trim();

/** map: lookup table with a default, element-wise on lists; nulls pass through. */
export const MAP = `
def v = ctx._mapstack[params.field];
def r;
if (v instanceof List) { r = new ArrayList(); for (def x : v) { r.add(x == null ? null : (params.table.containsKey(x.toString()) ? params.table[x.toString()] : params.default)); } }
else { r = v == null ? null : (params.table.containsKey(v.toString()) ? params.table[v.toString()] : params.default); }
${PUT_RESULT}`.trim();

/** zip: parallel lists → list of tuples; pad mode pads short lists with params.pad, truncate mode cuts to the shortest. */
export const ZIP = `
List ins = new ArrayList();
for (def v : ctx._mapstack[params.field]) {
  if (v == null) { ins.add([]); } else if (v instanceof List) { ins.add(v); } else { throw new IllegalArgumentException('zip input is not an array: ' + v); }
}
int len = params.mode == 'pad' ? 0 : Integer.MAX_VALUE;
for (def a : ins) { len = params.mode == 'pad' ? (int) Math.max(len, a.size()) : (int) Math.min(len, a.size()); }
List r = new ArrayList();
for (int i = 0; i < len; i++) { List t = new ArrayList(); for (def a : ins) { t.add(i < a.size() ? a[i] : params.pad); } r.add(t); }
${PUT_RESULT}`.trim();

/** objectify: tuples → objects with the declared keys; a tuple of the wrong length fails the document. */
export const OBJECTIFY = `
def v = ctx._mapstack[params.field];
def r = null;
if (v != null) {
  r = new ArrayList();
  for (def t : v) {
    if (!(t instanceof List) || t.size() != params.keys.size()) { throw new IllegalArgumentException('objectify record has ' + (t instanceof List ? t.size() : 0) + ' values but ' + params.keys.size() + ' keys are declared'); }
    Map o = new HashMap();
    for (int j = 0; j < params.keys.size(); j++) { o[params.keys[j]] = t[j]; }
    r.add(o);
  }
}
${PUT_RESULT}`.trim();

export const SCRIPTS = { select: SELECT, coalesce: COALESCE, concat: CONCAT, join: JOIN, map: MAP, zip: ZIP, objectify: OBJECTIFY } as const;
export type ScriptFn = keyof typeof SCRIPTS;
