// The failure path's script (Java-compatible Painless, see runtime.ts): the document that failed is kept
// whole as one JSON string (`original`), so its fields can never collide with `error.*` nor be rejected
// by a mapping, and dotted or conflicting source keys cannot make the failure document fail in turn.

import { minifyJava } from "./minify";

export const FAILURE_RUNTIME = minifyJava(String.raw`
String msfHex4(int c) { String h = Integer.toHexString(c); while (h.length() < 4) { h = "0" + h; } return h; }
void msfString(StringBuilder b, String s) {
  b.appendCodePoint(34);
  for (int i = 0; i < s.length(); i++) {
    int c = s.charAt(i);
    if (c == 34 || c == 92) { b.appendCodePoint(92); b.appendCodePoint(c); }
    else if (c < 32 || (c >= 55296 && c <= 57343 && !msfPaired(s, i))) { b.appendCodePoint(92); b.append("u").append(msfHex4(c)); }
    else { b.appendCodePoint(c); }
  }
  b.appendCodePoint(34);
}
boolean msfPaired(String s, int i) {
  int c = s.charAt(i);
  if (c <= 56319) { return i + 1 < s.length() && s.charAt(i + 1) >= 56320 && s.charAt(i + 1) <= 57343; }
  return i > 0 && s.charAt(i - 1) >= 55296 && s.charAt(i - 1) <= 56319;
}
void msfJson(StringBuilder b, Object v) {
  if (v == null) { b.append("null"); }
  else if (v instanceof String) { msfString(b, (String) v); }
  else if (v instanceof Boolean) { b.append(((Boolean) v).booleanValue() ? "true" : "false"); }
  else if (v instanceof Double || v instanceof Float) {
    double d = ((Number) v).doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) { b.append("null"); } else { b.append(Double.toString(d)); }
  }
  else if (v instanceof Number) { b.append(v.toString()); }
  else if (v instanceof List) {
    List l = (List) v;
    b.append("[");
    for (int i = 0; i < l.size(); i++) { if (i > 0) { b.append(","); } msfJson(b, l.get(i)); }
    b.append("]");
  }
  else if (v instanceof Map) {
    Map m = (Map) v;
    b.append("{");
    int i = 0;
    for (Object k : m.keySet()) { if (i > 0) { b.append(","); } msfString(b, k.toString()); b.append(":"); msfJson(b, m.get(k)); i++; }
    b.append("}");
  }
  else { msfString(b, v.toString()); }
}
void msfFail(Map doc, Map pr) {
  List meta = (List) pr.get("metadata");
  String temp = (String) pr.get("temp");
  Object info = doc.remove(temp);
  Map original = new LinkedHashMap();
  for (Object k : doc.keySet()) { if (!meta.contains(k)) { original.put(k, doc.get(k)); } }
  for (Object k : original.keySet()) { doc.remove(k); }
  StringBuilder b = new StringBuilder();
  msfJson(b, original);
  Map error = new LinkedHashMap();
  if (info instanceof Map) { error.putAll((Map) info); }
  doc.put("error", error);
  doc.put("original", b.toString());
  doc.put("dataset", pr.get("dataset"));
  doc.put("content_hash", pr.get("contentHash"));
  if (doc.get("_id") != null) { doc.put("original_id", doc.get("_id")); }
}
`);

export const FAILURE_BODY = "msfFail(ctx, params);\n";
