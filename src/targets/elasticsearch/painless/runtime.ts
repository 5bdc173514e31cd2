// The Painless runtime of the ingest pipeline: one fixed library of functions that runs a dataset's
// compiled ops (handed over in `params`) on a document exactly as the local evaluator (src/dsl) does.
//
// It is written in the subset of Painless that is also Java: explicit types (no `def`), `.get/.put/
// .equals` (Painless `==` on objects is equals(), Java's is identity, so objects are never compared with
// `==`), no char literals (Painless reads '…' as a String), no backslash in any literal (Painless string
// escapes differ from Java's), no regex literals, no lambdas, no augmentation methods, raw generic types.
// Because of that the conformance test wraps this exact text in a Java class, compiles it with the JDK and
// runs the shared corpus through it and through the TypeScript evaluator. The only Painless-specific text
// of a script is the one-line prelude that declares the regex array (see prelude.ts).
//
// Representation of values: null, Boolean, String, Integer/Long/BigInteger (a Python int), Double (a
// Python float, integral or not), List, Map, OffsetDateTime (an aware Python datetime).

import { minifyJava } from "./minify";

export const RUNTIME = minifyJava(String.raw`
Object msThrow(String reason) { throw new IllegalArgumentException("mapstack:" + reason); }
boolean msIsInt(Object v) { return v instanceof Integer || v instanceof Long || v instanceof BigInteger || v instanceof Short || v instanceof Byte; }
boolean msIsFloat(Object v) { return v instanceof Double || v instanceof Float; }
boolean msIsNum(Object v) { return msIsInt(v) || msIsFloat(v); }
double msD(Object v) { if (v instanceof BigInteger) { return Double.parseDouble(((BigInteger) v).toString()); } return ((Number) v).doubleValue(); }
int msAbsI(int a) { return a < 0 ? -a : a; }
int msMaxI(int a, int b) { return a > b ? a : b; }
int msMinI(int a, int b) { return a < b ? a : b; }
long msFloorDiv(long a, long b) { long q = a / b; if ((a % b != 0) && ((a < 0) != (b < 0))) { q = q - 1; } return q; }
long msFloorMod(long a, long b) { return a - msFloorDiv(a, b) * b; }
String msBs() { StringBuilder b = new StringBuilder(); b.appendCodePoint(92); return b.toString(); }
String msCh(int c) { StringBuilder b = new StringBuilder(); b.appendCodePoint(c); return b.toString(); }

boolean msIsSpace(int c) {
  if (c >= 9 && c <= 13) { return true; }
  if (c >= 28 && c <= 32) { return true; }
  if (c == 133 || c == 160 || c == 5760 || c == 8232 || c == 8233 || c == 8239 || c == 8287 || c == 12288 || c == 65279) { return true; }
  return c >= 8192 && c <= 8202;
}
boolean msIsJsSpace(int c) {
  if (c >= 9 && c <= 13) { return true; }
  if (c == 32 || c == 160 || c == 5760 || c == 8232 || c == 8233 || c == 8239 || c == 8287 || c == 12288 || c == 65279) { return true; }
  return c >= 8192 && c <= 8202;
}
String msStrip(String s) {
  int a = 0;
  int b = s.length();
  while (a < b && msIsSpace(s.charAt(a))) { a++; }
  while (b > a && msIsSpace(s.charAt(b - 1))) { b--; }
  return s.substring(a, b);
}
boolean msIsNull(Object v, Map g) {
  if (v == null) { return true; }
  if (v instanceof String) {
    String s = (String) v;
    if (((Boolean) g.get("emptyAsNull")).booleanValue() && msStrip(s).length() == 0) { return true; }
    return ((List) g.get("nulls")).contains(s);
  }
  return false;
}
Object msFirstNonNull(List list, Map g) {
  for (int i = 0; i < list.size(); i++) { if (!msIsNull(list.get(i), g)) { return list.get(i); } }
  return null;
}

Object msIntOfDouble(double d) {
  if (d > -9.2E18 && d < 9.2E18) { return Long.valueOf((long) d); }
  long bits = Double.doubleToLongBits(d);
  int exp = (int) ((bits >> 52) & 2047L) - 1075;
  long mant = (bits & 4503599627370495L) | 4503599627370496L;
  BigInteger r = BigInteger.valueOf(mant).shiftLeft(exp);
  if (d < 0) { r = r.negate(); }
  return r;
}

String msFloatRepr(double n) {
  if (Double.isNaN(n)) { return "nan"; }
  if (Double.isInfinite(n)) { return n > 0 ? "inf" : "-inf"; }
  if (n == 0) { return Double.doubleToLongBits(n) == 0L ? "0.0" : "-0.0"; }
  double a = Math.abs(n);
  BigDecimal exact = new BigDecimal(Double.toString(a));
  BigDecimal best = exact;
  for (int p = 1; p <= 17; p++) {
    BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
    if (Double.parseDouble(r.toString()) == a) { best = r; break; }
  }
  best = best.stripTrailingZeros();
  String digits = best.movePointRight(best.scale()).toBigInteger().toString(10);
  int e = best.precision() - best.scale() - 1;
  String sign = n < 0 ? "-" : "";
  if (a >= 1.0E16 || a < 1.0E-4) {
    String m = digits.length() > 1 ? digits.substring(0, 1) + "." + digits.substring(1) : digits;
    int ae = msAbsI(e);
    return sign + m + "e" + (e < 0 ? "-" : "+") + (ae < 10 ? "0" : "") + ae;
  }
  if (e < 0) {
    StringBuilder z = new StringBuilder("0.");
    for (int i = 0; i < -e - 1; i++) { z.append("0"); }
    return sign + z.toString() + digits;
  }
  if (digits.length() <= e + 1) {
    StringBuilder w = new StringBuilder(digits);
    while (w.length() < e + 1) { w.append("0"); }
    return sign + w.toString() + ".0";
  }
  return sign + digits.substring(0, e + 1) + "." + digits.substring(e + 1);
}

String msPad(int n, int w) { String s = Integer.toString(n); while (s.length() < w) { s = "0" + s; } return s; }
String msFormatDate(OffsetDateTime d, String sep, boolean json) {
  int micro = d.getNano() / 1000;
  String out = msPad(d.getYear(), 4) + "-" + msPad(d.getMonthValue(), 2) + "-" + msPad(d.getDayOfMonth(), 2) + sep
    + msPad(d.getHour(), 2) + ":" + msPad(d.getMinute(), 2) + ":" + msPad(d.getSecond(), 2);
  if (micro != 0) { out = out + "." + msPad(micro, 6); }
  int off = d.getOffset().getTotalSeconds();
  if (off == 0 && json) { return out + "Z"; }
  int a = msAbsI(off);
  out = out + (off < 0 ? "-" : "+") + msPad(a / 3600, 2) + ":" + msPad((a % 3600) / 60, 2);
  if (a % 60 != 0) { out = out + ":" + msPad(a % 60, 2); }
  return out;
}

String msRepr(Object v) {
  if (v instanceof String) {
    String s = (String) v;
    String q = s.indexOf("'") >= 0 && s.indexOf(msCh(34)) < 0 ? msCh(34) : "'";
    String bs = msBs();
    String body = s.replace(bs, bs + bs).replace(msCh(10), bs + "n").replace(msCh(13), bs + "r").replace(msCh(9), bs + "t");
    if (q.equals("'")) { body = body.replace("'", bs + "'"); }
    return q + body + q;
  }
  return msStr(v);
}
String msStr(Object v) {
  if (v == null) { return "None"; }
  if (v instanceof String) { return (String) v; }
  if (v instanceof Boolean) { return ((Boolean) v).booleanValue() ? "True" : "False"; }
  if (msIsFloat(v)) { return msFloatRepr(((Number) v).doubleValue()); }
  if (v instanceof BigInteger) { return ((BigInteger) v).toString(); }
  if (msIsInt(v)) { return Long.toString(((Number) v).longValue()); }
  if (v instanceof OffsetDateTime) { return msFormatDate((OffsetDateTime) v, " ", false); }
  if (v instanceof List) {
    List l = (List) v;
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < l.size(); i++) { if (i > 0) { b.append(", "); } b.append(msRepr(l.get(i))); }
    return b.append("]").toString();
  }
  if (v instanceof Map) {
    Map m = (Map) v;
    StringBuilder b = new StringBuilder("{");
    int i = 0;
    for (Object k : m.keySet()) { if (i > 0) { b.append(", "); } b.append(msRepr(k)).append(": ").append(msRepr(m.get(k))); i++; }
    return b.append("}").toString();
  }
  return v.toString();
}

boolean msAsciiDigit(int c) { return c >= 48 && c <= 57; }
/** [-+]? then Unicode decimal digits only. */
String msIntDigits(String s) {
  int i = 0;
  if (s.length() > 0 && (s.charAt(0) == 43 || s.charAt(0) == 45)) { i = 1; }
  if (i >= s.length()) { return null; }
  StringBuilder b = new StringBuilder(s.substring(0, i));
  while (i < s.length()) {
    int cp = s.codePointAt(i);
    if (Character.getType(cp) != Character.DECIMAL_DIGIT_NUMBER) { return null; }
    b.append(Character.digit(cp, 10));
    i += Character.charCount(cp);
  }
  return b.toString();
}
/** digits with single underscores between digits, from i; returns the end index or -1. */
int msDigitRun(String s, int i) {
  if (i >= s.length() || !msAsciiDigit(s.charAt(i))) { return -1; }
  i++;
  while (i < s.length()) {
    if (msAsciiDigit(s.charAt(i))) { i++; }
    else if (s.charAt(i) == 95 && i + 1 < s.length() && msAsciiDigit(s.charAt(i + 1))) { i += 2; }
    else { break; }
  }
  return i;
}
int msExpRun(String s, int i) {
  if (i >= s.length() || (s.charAt(i) != 101 && s.charAt(i) != 69)) { return i; }
  int j = i + 1;
  if (j < s.length() && (s.charAt(j) == 43 || s.charAt(j) == 45)) { j++; }
  int e = msDigitRun(s, j);
  return e < 0 ? -1 : e;
}
boolean msFloatSyntax(String s) {
  int i = 0;
  if (s.length() > 0 && (s.charAt(0) == 43 || s.charAt(0) == 45)) { i = 1; }
  String rest = s.substring(i).toLowerCase(Locale.ROOT);
  if (rest.equals("inf") || rest.equals("infinity") || rest.equals("nan")) { return true; }
  int a = msDigitRun(s, i);
  if (a >= 0) {
    if (a == s.length()) { return true; }
    if (s.charAt(a) == 46) {
      int b = msDigitRun(s, a + 1);
      if (b >= 0) { return msExpRun(s, b) == s.length(); }
      return msExpRun(s, a + 1) == s.length();
    }
    return msExpRun(s, a) == s.length();
  }
  if (i < s.length() && s.charAt(i) == 46) {
    int b = msDigitRun(s, i + 1);
    return b >= 0 && msExpRun(s, b) == s.length();
  }
  return false;
}
Object msParseNumber(Object v, Map g) {
  if (v instanceof Boolean || msIsNum(v)) { return v; }
  if (v == null) { return null; }
  String s = msStrip(msStr(v));
  if (s.length() == 0) { return null; }
  String ts = (String) g.get("thousandsSep");
  String ds = (String) g.get("decimalSep");
  if (ts.length() > 0) { s = s.replace(ts, ""); }
  if (ds.length() > 0) { s = s.replace(ds, "."); }
  String digits = msIntDigits(s);
  if (digits != null) {
    double d = Double.parseDouble(digits);
    if (Double.isInfinite(d)) { return Double.valueOf(d); }
    return msIntOfDouble(d);
  }
  s = msStrip(s);
  if (!msFloatSyntax(s)) { return null; }
  String t = s.replace("_", "").toLowerCase(Locale.ROOT);
  if (t.indexOf("inf") >= 0) { return Double.valueOf(t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY); }
  if (t.indexOf("nan") >= 0) { return Double.valueOf(Double.NaN); }
  return Double.valueOf(Double.parseDouble(t));
}
/** Python float(str(v)) as the evaluator reads it; null where Python raises. */
Double msPyFloat(Object v) {
  if (v instanceof Boolean) { return Double.valueOf(((Boolean) v).booleanValue() ? 1.0 : 0.0); }
  if (msIsNum(v)) { return Double.valueOf(msD(v)); }
  if (v == null) { return null; }
  String s = msStrip(msStr(v)).replace("_", "").toLowerCase(Locale.ROOT);
  String u = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
  if (u.equals("inf") || u.equals("infinity")) { return Double.valueOf(s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY); }
  if (u.equals("nan")) { return Double.valueOf(Double.NaN); }
  int i = 0;
  int n = u.length();
  int intDigits = 0;
  while (i < n && msAsciiDigit(u.charAt(i))) { i++; intDigits++; }
  int fracDigits = 0;
  if (i < n && u.charAt(i) == 46) { i++; while (i < n && msAsciiDigit(u.charAt(i))) { i++; fracDigits++; } }
  if (intDigits == 0 && fracDigits == 0) { return null; }
  if (intDigits == 0 && u.charAt(0) != 46) { return null; }
  if (i < n && u.charAt(i) == 101) {
    i++;
    if (i < n && (u.charAt(i) == 43 || u.charAt(i) == 45)) { i++; }
    int ed = 0;
    while (i < n && msAsciiDigit(u.charAt(i))) { i++; ed++; }
    if (ed == 0) { return null; }
  }
  if (i != n) { return null; }
  return Double.valueOf(Double.parseDouble(s));
}
Object msCastBoolean(Object v, Map g) {
  if (v instanceof Boolean) { return v; }
  if (v == null) { return null; }
  String s = msStrip(msStr(v)).toLowerCase(Locale.ROOT);
  if (((List) g.get("boolTrue")).contains(s)) { return Boolean.TRUE; }
  if (((List) g.get("boolFalse")).contains(s)) { return Boolean.FALSE; }
  Double n = msPyFloat(s);
  if (n == null) { return null; }
  return Boolean.valueOf(n.doubleValue() != 0);
}
String msHashKey(Object v) {
  if (v == null) { return "N"; }
  if (v instanceof Boolean) { return ((Boolean) v).booleanValue() ? "n:1" : "n:0"; }
  if (msIsNum(v)) {
    double d = msD(v);
    if (d == Math.rint(d) && !Double.isInfinite(d)) { return "n:" + msStr(msIntOfDouble(d)); }
    return "n:" + msStr(Double.valueOf(d));
  }
  if (v instanceof String) { return "s:" + v; }
  return "o:" + msStr(v);
}

// ---- dates ---------------------------------------------------------------------------------------

long msDaysFromCivil(long y, long m, long d) {
  y -= m <= 2 ? 1 : 0;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}
int[] msCivil(long z) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long y = yoe + era * 400;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  long d = doy - (153 * mp + 2) / 5 + 1;
  long m = mp < 10 ? mp + 3 : mp - 9;
  int[] r = new int[3];
  r[0] = (int) (m <= 2 ? y + 1 : y);
  r[1] = (int) m;
  r[2] = (int) d;
  return r;
}
/** JavaScript Date.UTC reads the years 0-99 as 1900-1999; the evaluator computes with it. */
long msJsYear(long y) { return y >= 0 && y <= 99 ? y + 1900 : y; }
int msDaysInMonth(int y, int m) {
  long yy = msJsYear(y);
  return (int) (msDaysFromCivil(m == 12 ? yy + 1 : yy, m == 12 ? 1 : m + 1, 1) - msDaysFromCivil(yy, m, 1));
}
OffsetDateTime msMake(int y, int mo, int d, int h, int mi, int s, int us, int off, boolean naive) {
  if (y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > msDaysInMonth(y, mo)) { return null; }
  if (h > 23 || mi > 59 || s > 59 || us > 999999) { return null; }
  if (!naive && msAbsI(off) >= 86400) { return null; }
  return OffsetDateTime.of(y, mo, d, h, mi, s, us * 1000, ZoneOffset.ofTotalSeconds(off));
}
/** Python raises for an epoch no datetime can hold; the seed reports the op as failed. */
OffsetDateTime msFromEpochSeconds(double sec) {
  if (Double.isNaN(sec) || Double.isInfinite(sec) || Math.abs(sec) > 253402300800.0) { msThrow("epoch out of the range of dates (years 1-9999)"); }
  double us = Math.rint(sec * 1000000.0);
  long total = (long) us;
  long s = msFloorDiv(total, 1000000L);
  long micro = msFloorMod(total, 1000000L);
  OffsetDateTime d = OffsetDateTime.ofInstant(Instant.ofEpochSecond(s, micro * 1000L), ZoneOffset.UTC);
  if (d.getYear() < 1 || d.getYear() > 9999) { msThrow("epoch out of the range of dates (years 1-9999)"); }
  return d;
}
int msOffsetAt(ZoneRules rules, long ms) {
  return rules.getOffset(Instant.ofEpochMilli(msFloorDiv(ms, 1000L) * 1000L)).getTotalSeconds();
}
/** A naive wall time in zone tz (fold=0): a repeated time takes the earlier instant, a skipped one the offset before the gap. */
OffsetDateTime msAttachZone(OffsetDateTime d, String tz) {
  if (tz.equals("UTC")) { return d.withOffsetSameLocal(ZoneOffset.ofTotalSeconds(0)); }
  ZoneRules rules = ZoneId.of(tz).getRules();
  long wall = (msDaysFromCivil(msJsYear(d.getYear()), d.getMonthValue(), d.getDayOfMonth()) * 86400L + d.getHour() * 3600L + d.getMinute() * 60L + d.getSecond()) * 1000L;
  int before = msOffsetAt(rules, wall - 86400000L);
  int after = msOffsetAt(rules, wall + 86400000L);
  boolean bOk = msOffsetAt(rules, wall - before * 1000L) == before;
  boolean aOk = msOffsetAt(rules, wall - after * 1000L) == after;
  int chosen = before;
  if (bOk && aOk) { chosen = msMaxI(before, after); }
  else if (aOk) { chosen = after; }
  return d.withOffsetSameLocal(ZoneOffset.ofTotalSeconds(chosen));
}

String[] msMonths() { return new String[] {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}; }
String[] msDays() { return new String[] {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}; }
boolean msCiEq(int a, int b) { return a == b || Character.toUpperCase((char) a) == Character.toUpperCase((char) b); }
boolean msCiStarts(String s, int pos, String word) {
  if (pos + word.length() > s.length()) { return false; }
  for (int i = 0; i < word.length(); i++) { if (!msCiEq(s.charAt(pos + i), word.charAt(i))) { return false; } }
  return true;
}
/** Candidate end positions, in the regex's order of preference, for strptime directive k at pos. */
List msDirective(String k, String s, int pos) {
  List r = new ArrayList();
  int n = s.length();
  int c0 = pos < n ? s.charAt(pos) : -1;
  int c1 = pos + 1 < n ? s.charAt(pos + 1) : -1;
  boolean d0 = msAsciiDigit(c0);
  boolean d1 = msAsciiDigit(c1);
  if (k.equals("d")) {
    if (c0 == 51 && (c1 == 48 || c1 == 49)) { r.add(pos + 2); }
    if ((c0 == 49 || c0 == 50) && d1) { r.add(pos + 2); }
    if (c0 == 48 && d1 && c1 != 48) { r.add(pos + 2); }
    if (d0 && c0 != 48) { r.add(pos + 1); }
    if (c0 == 32 && d1 && c1 != 48) { r.add(pos + 2); }
  } else if (k.equals("f")) {
    int e = pos;
    while (e < n && e - pos < 6 && msAsciiDigit(s.charAt(e))) { e++; }
    for (int i = e; i > pos; i--) { r.add(i); }
  } else if (k.equals("H")) {
    if (c0 == 50 && c1 >= 48 && c1 <= 51) { r.add(pos + 2); }
    if ((c0 == 48 || c0 == 49) && d1) { r.add(pos + 2); }
    if (d0) { r.add(pos + 1); }
  } else if (k.equals("I") || k.equals("m")) {
    if (c0 == 49 && c1 >= 48 && c1 <= 50) { r.add(pos + 2); }
    if (c0 == 48 && d1 && c1 != 48) { r.add(pos + 2); }
    if (d0 && c0 != 48) { r.add(pos + 1); }
  } else if (k.equals("j")) {
    int c2 = pos + 2 < n ? s.charAt(pos + 2) : -1;
    boolean d2 = msAsciiDigit(c2);
    if (c0 == 51 && c1 == 54 && c2 >= 48 && c2 <= 54) { r.add(pos + 3); }
    if (c0 == 51 && c1 >= 48 && c1 <= 53 && d2) { r.add(pos + 3); }
    if ((c0 == 49 || c0 == 50) && d1 && d2) { r.add(pos + 3); }
    if (c0 == 48 && d1 && c1 != 48 && d2) { r.add(pos + 3); }
    if (c0 == 48 && c1 == 48 && d2 && c2 != 48) { r.add(pos + 3); }
    if (d0 && c0 != 48 && d1) { r.add(pos + 2); }
    if (c0 == 48 && d1 && c1 != 48) { r.add(pos + 2); }
    if (d0 && c0 != 48) { r.add(pos + 1); }
  } else if (k.equals("M")) {
    if (c0 >= 48 && c0 <= 53 && d1) { r.add(pos + 2); }
    if (d0) { r.add(pos + 1); }
  } else if (k.equals("S")) {
    if (c0 == 54 && (c1 == 48 || c1 == 49)) { r.add(pos + 2); }
    if (c0 >= 48 && c0 <= 53 && d1) { r.add(pos + 2); }
    if (d0) { r.add(pos + 1); }
  } else if (k.equals("y")) {
    if (d0 && d1) { r.add(pos + 2); }
  } else if (k.equals("Y")) {
    if (pos + 4 <= n && d0 && d1 && msAsciiDigit(s.charAt(pos + 2)) && msAsciiDigit(s.charAt(pos + 3))) { r.add(pos + 4); }
  } else if (k.equals("z")) {
    if ((c0 == 43 || c0 == 45) && d1 && pos + 2 < n && msAsciiDigit(s.charAt(pos + 2))) {
      int p = pos + 3;
      for (int colon1 = 1; colon1 >= 0; colon1--) {
        int q = p;
        if (colon1 == 1) { if (q < n && s.charAt(q) == 58) { q++; } else { continue; } }
        if (!(q + 1 < n && s.charAt(q) >= 48 && s.charAt(q) <= 53 && msAsciiDigit(s.charAt(q + 1)))) { continue; }
        q += 2;
        for (int colon2 = 1; colon2 >= 0; colon2--) {
          int t = q;
          if (colon2 == 1) { if (t < n && s.charAt(t) == 58) { t++; } else { continue; } }
          if (!(t + 1 < n && s.charAt(t) >= 48 && s.charAt(t) <= 53 && msAsciiDigit(s.charAt(t + 1)))) { continue; }
          t += 2;
          if (t < n && s.charAt(t) == 46) {
            int e = t + 1;
            while (e < n && e - t - 1 < 6 && msAsciiDigit(s.charAt(e))) { e++; }
            for (int i = e; i > t + 1; i--) { r.add(i); }
          }
          r.add(t);
        }
        r.add(q);
      }
    }
    if (c0 == 90) { r.add(pos + 1); }
  } else if (k.equals("b") || k.equals("B") || k.equals("a") || k.equals("A")) {
    String[] names = k.equals("b") || k.equals("B") ? msMonths() : msDays();
    for (int i = 0; i < names.length; i++) {
      String w = k.equals("b") || k.equals("a") ? names[i].substring(0, 3) : names[i];
      if (msCiStarts(s, pos, w)) { r.add(pos + w.length()); }
    }
  } else if (k.equals("p")) {
    if (msCiStarts(s, pos, "am") || msCiStarts(s, pos, "pm")) { r.add(pos + 2); }
  } else if (k.equals("Z")) {
    if (msCiStarts(s, pos, "utc") || msCiStarts(s, pos, "gmt")) { r.add(pos + 3); }
  }
  return r;
}
/** The format as tokens: "%X" directives, " " for a whitespace run, other single characters; null when invalid. */
List msFormatTokens(String fmt) {
  List t = new ArrayList();
  List used = new ArrayList();
  String known = "dfHIjmMSyYzbBaApZ%";
  for (int i = 0; i < fmt.length(); i++) {
    int c = fmt.charAt(i);
    if (c == 37) {
      if (i + 1 >= fmt.length()) { return null; }
      String k = fmt.substring(i + 1, i + 2);
      if (known.indexOf(k) < 0 || (!k.equals("%") && used.contains(k))) { return null; }
      used.add(k);
      t.add("%" + k);
      i++;
    } else if (msIsJsSpace(c)) {
      while (i + 1 < fmt.length() && msIsJsSpace(fmt.charAt(i + 1))) { i++; }
      t.add(" ");
    } else {
      t.add(fmt.substring(i, i + 1));
    }
  }
  return t;
}
boolean msMatchTokens(List tokens, int ti, String s, int pos, Map groups) {
  if (ti == tokens.size()) { return pos == s.length(); }
  String tok = (String) tokens.get(ti);
  if (tok.equals(" ")) {
    int e = pos;
    while (e < s.length() && msIsJsSpace(s.charAt(e))) { e++; }
    for (int i = e; i > pos; i--) { if (msMatchTokens(tokens, ti + 1, s, i, groups)) { return true; } }
    return false;
  }
  if (tok.length() == 2 && tok.startsWith("%")) {
    String k = tok.substring(1);
    if (k.equals("%")) { return pos < s.length() && s.charAt(pos) == 37 && msMatchTokens(tokens, ti + 1, s, pos + 1, groups); }
    List ends = msDirective(k, s, pos);
    for (int i = 0; i < ends.size(); i++) {
      int e = ((Integer) ends.get(i)).intValue();
      groups.put(k, s.substring(pos, e));
      if (msMatchTokens(tokens, ti + 1, s, e, groups)) { return true; }
      groups.remove(k);
    }
    return false;
  }
  return pos < s.length() && msCiEq(s.charAt(pos), tok.charAt(0)) && msMatchTokens(tokens, ti + 1, s, pos + 1, groups);
}
int msParseOffset(String z) {
  if (z.equals("Z") || z.equals("z")) { return 0; }
  int sec = Integer.parseInt(z.substring(1, 3)) * 3600;
  int i = 3;
  if (i < z.length() && z.charAt(i) == 58) { i++; }
  sec += Integer.parseInt(z.substring(i, i + 2)) * 60;
  i += 2;
  if (i < z.length() && z.charAt(i) == 58) { i++; }
  if (i + 1 < z.length() && msAsciiDigit(z.charAt(i)) && msAsciiDigit(z.charAt(i + 1))) { sec += Integer.parseInt(z.substring(i, i + 2)); }
  return z.charAt(0) == 45 ? -sec : sec;
}
int msIndexOfCi(String[] names, String v, boolean prefix) {
  String lv = v.toLowerCase(Locale.ROOT);
  for (int i = 0; i < names.length; i++) { if (prefix ? names[i].startsWith(lv) : names[i].equals(lv)) { return i; } }
  return -1;
}
/** datetime.strptime as the evaluator reads it; the result is naive unless %z matched (offset applied later). */
OffsetDateTime msStrptime(String s, String fmt, List naiveFlag) {
  List tokens = msFormatTokens(fmt);
  if (tokens == null) { return null; }
  Map g = new HashMap();
  if (!msMatchTokens(tokens, 0, s, 0, g)) { return null; }
  int year = 1900;
  if (g.containsKey("Y")) { year = Integer.parseInt((String) g.get("Y")); }
  else if (g.containsKey("y")) { int y = Integer.parseInt((String) g.get("y")); year = y <= 68 ? 2000 + y : 1900 + y; }
  int month = 1;
  if (g.containsKey("m")) { month = Integer.parseInt((String) g.get("m")); }
  else if (g.containsKey("B")) { month = msIndexOfCi(msMonths(), (String) g.get("B"), false) + 1; }
  else if (g.containsKey("b")) { month = msIndexOfCi(msMonths(), (String) g.get("b"), true) + 1; }
  int day = g.containsKey("d") ? Integer.parseInt(((String) g.get("d")).trim()) : 1;
  int hour = g.containsKey("H") ? Integer.parseInt((String) g.get("H")) : 0;
  if (g.containsKey("I")) {
    hour = Integer.parseInt((String) g.get("I")) % 12;
    if (g.containsKey("p") && ((String) g.get("p")).toLowerCase(Locale.ROOT).equals("pm")) { hour += 12; }
  }
  int minute = g.containsKey("M") ? Integer.parseInt((String) g.get("M")) : 0;
  int second = g.containsKey("S") ? Integer.parseInt((String) g.get("S")) : 0;
  if (second > 59) { return null; }
  int micro = 0;
  if (g.containsKey("f")) { String f = (String) g.get("f"); while (f.length() < 6) { f = f + "0"; } micro = Integer.parseInt(f); }
  if (g.containsKey("j") && !g.containsKey("m") && !g.containsKey("d")) {
    int doy = Integer.parseInt((String) g.get("j"));
    long jy = msJsYear(year);
    int[] c = msCivil(msDaysFromCivil(jy, 1, 1) + doy - 1);
    if (c[0] != year) { return null; }
    month = c[1];
    day = c[2];
  }
  if (g.containsKey("z")) { return msMake(year, month, day, hour, minute, second, micro, msParseOffset((String) g.get("z")), false); }
  naiveFlag.add(Boolean.TRUE);
  return msMake(year, month, day, hour, minute, second, micro, 0, true);
}

boolean msAllDigits(String s) { if (s.length() == 0) { return false; } for (int i = 0; i < s.length(); i++) { if (!msAsciiDigit(s.charAt(i))) { return false; } } return true; }
int[] msIsoWeekDate(int y, int w, int d) {
  if (w < 1 || w > 53 || d < 1 || d > 7) { return null; }
  long jy = msJsYear(y);
  long jan4 = msDaysFromCivil(jy, 1, 4);
  long mondayW1 = jan4 - msFloorMod(jan4 + 3, 7L);
  long t = mondayW1 + (w - 1) * 7L + (d - 1);
  if (w == 53) {
    long dec28 = msDaysFromCivil(jy, 12, 28);
    long lastMonday = dec28 - msFloorMod(dec28 + 3, 7L);
    long lastWeek = (lastMonday - mondayW1) / 7 + 1;
    if (lastWeek < 53) { return null; }
  }
  return msCivil(t);
}
int[] msIsoDate(String s) {
  if (s.length() == 10 && s.charAt(4) == 45 && s.charAt(7) == 45 && msAllDigits(s.substring(0, 4)) && msAllDigits(s.substring(5, 7)) && msAllDigits(s.substring(8, 10))) {
    int[] r = new int[3]; r[0] = Integer.parseInt(s.substring(0, 4)); r[1] = Integer.parseInt(s.substring(5, 7)); r[2] = Integer.parseInt(s.substring(8, 10)); return r;
  }
  if (s.length() == 8 && msAllDigits(s)) {
    int[] r = new int[3]; r[0] = Integer.parseInt(s.substring(0, 4)); r[1] = Integer.parseInt(s.substring(4, 6)); r[2] = Integer.parseInt(s.substring(6, 8)); return r;
  }
  if ((s.length() == 8 || s.length() == 10) && s.charAt(4) == 45 && s.charAt(5) == 87 && msAllDigits(s.substring(0, 4)) && msAllDigits(s.substring(6, 8))) {
    if (s.length() == 8) { return msIsoWeekDate(Integer.parseInt(s.substring(0, 4)), Integer.parseInt(s.substring(6, 8)), 1); }
    if (s.charAt(8) == 45 && msAllDigits(s.substring(9, 10))) { return msIsoWeekDate(Integer.parseInt(s.substring(0, 4)), Integer.parseInt(s.substring(6, 8)), Integer.parseInt(s.substring(9, 10))); }
  }
  if ((s.length() == 7 || s.length() == 8) && s.charAt(4) == 87 && msAllDigits(s.substring(0, 4)) && msAllDigits(s.substring(5))) {
    return msIsoWeekDate(Integer.parseInt(s.substring(0, 4)), Integer.parseInt(s.substring(5, 7)), s.length() == 8 ? Integer.parseInt(s.substring(7, 8)) : 1);
  }
  return null;
}
/** h, mi, sec, us, hasOffset, offset; null when not a time. */
int[] msIsoTime(String s) {
  int cut = s.length();
  for (int i = 0; i < s.length(); i++) { int c = s.charAt(i); if (c == 90 || c == 43 || c == 45) { cut = i; break; } }
  String body = s.substring(0, cut);
  String tz = s.substring(cut);
  int[] r = new int[6];
  if (body.length() < 2 || !msAllDigits(body.substring(0, 2))) { return null; }
  r[0] = Integer.parseInt(body.substring(0, 2));
  int i = 2;
  if (i < body.length()) {
    if (body.charAt(i) == 58) { i++; }
    if (i + 2 > body.length() || !msAllDigits(body.substring(i, i + 2))) { return null; }
    r[1] = Integer.parseInt(body.substring(i, i + 2));
    i += 2;
    if (i < body.length()) {
      if (body.charAt(i) == 58) { i++; }
      if (i + 2 > body.length() || !msAllDigits(body.substring(i, i + 2))) { return null; }
      r[2] = Integer.parseInt(body.substring(i, i + 2));
      i += 2;
      if (i < body.length()) {
        if (body.charAt(i) != 46 && body.charAt(i) != 44) { return null; }
        String frac = body.substring(i + 1);
        if (!msAllDigits(frac)) { return null; }
        if (frac.length() > 6) { frac = frac.substring(0, 6); }
        while (frac.length() < 6) { frac = frac + "0"; }
        r[3] = Integer.parseInt(frac);
      }
    }
  }
  if (tz.length() > 0) {
    if (tz.equals("Z")) { r[4] = 1; r[5] = 0; }
    else {
      if (tz.charAt(0) == 90 || tz.length() < 3 || !msAllDigits(tz.substring(1, 3))) { return null; }
      int j = 3;
      if (j < tz.length()) {
        if (tz.charAt(j) == 58) { j++; }
        if (j + 2 > tz.length() || !msAllDigits(tz.substring(j, j + 2))) { return null; }
        j += 2;
        if (j < tz.length()) {
          if (tz.charAt(j) == 58) { j++; }
          if (j + 2 > tz.length() || !msAllDigits(tz.substring(j, j + 2))) { return null; }
          j += 2;
          if (j < tz.length()) {
            if (tz.charAt(j) != 46) { return null; }
            String f = tz.substring(j + 1);
            if (f.length() < 1 || f.length() > 6 || !msAllDigits(f)) { return null; }
          }
        }
      }
      r[4] = 1;
      r[5] = msParseOffset(tz.length() == 3 ? tz + "00" : tz);
    }
  }
  if (s.indexOf(":") >= 0 && body.length() >= 3 && msAllDigits(body.substring(0, 3))) { return null; }
  return r;
}
OffsetDateTime msFromIso(String s, List naiveFlag) {
  int[] lens = new int[] {10, 8, 7, 9};
  for (int li = 0; li < 4; li++) {
    int len = lens[li];
    int[] d = msIsoDate(s.substring(0, msMinI(len, s.length())));
    if (d == null) { continue; }
    if (s.length() == len) { naiveFlag.add(Boolean.TRUE); return msMake(d[0], d[1], d[2], 0, 0, 0, 0, 0, true); }
    if (s.length() < len + 1) { continue; }
    int[] t = msIsoTime(s.substring(len + 1));
    if (t == null || (li < 2 && s.length() < len + 2)) { continue; }
    if (t[4] == 0) { naiveFlag.add(Boolean.TRUE); }
    return msMake(d[0], d[1], d[2], t[0], t[1], t[2], t[3], t[5], t[4] == 0);
  }
  return null;
}
/** A decimal number as Python float() and Java Double.parseDouble() both read it: sign, digits, fraction, exponent. */
boolean msDecimalSyntax(String s) {
  int i = 0;
  int n = s.length();
  if (i < n && (s.charAt(i) == 43 || s.charAt(i) == 45)) { i++; }
  int a = 0;
  while (i < n && msAsciiDigit(s.charAt(i))) { i++; a++; }
  int b = 0;
  if (i < n && s.charAt(i) == 46) { i++; while (i < n && msAsciiDigit(s.charAt(i))) { i++; b++; } }
  if (a == 0 && b == 0) { return false; }
  if (i < n && (s.charAt(i) == 101 || s.charAt(i) == 69)) {
    i++;
    if (i < n && (s.charAt(i) == 43 || s.charAt(i) == 45)) { i++; }
    int e = 0;
    while (i < n && msAsciiDigit(s.charAt(i))) { i++; e++; }
    if (e == 0) { return false; }
  }
  return i == n;
}
OffsetDateTime msParseDate(Object v, List formats, String tz) {
  if (v instanceof Boolean || msIsNum(v)) {
    double n = v instanceof Boolean ? (((Boolean) v).booleanValue() ? 1.0 : 0.0) : msD(v);
    return msFromEpochSeconds(Math.abs(n) > 1.0E12 ? n / 1000.0 : n);
  }
  if (v == null || !(v instanceof String)) { return null; }
  String s = msStrip((String) v);
  if (s.length() == 0) { return null; }
  for (int i = 0; i < formats.size(); i++) {
    String f = (String) formats.get(i);
    if (f.equals("epoch_millis") || f.equals("epoch_second") || f.equals("epoch_seconds")) {
      if (!msDecimalSyntax(s)) { continue; }
      double x = Double.parseDouble(s);
      return msFromEpochSeconds(f.equals("epoch_millis") ? x / 1000.0 : x);
    }
    List naive = new ArrayList();
    OffsetDateTime d = msStrptime(s, f, naive);
    if (d != null) { return naive.isEmpty() ? d : msAttachZone(d, tz); }
  }
  List naive = new ArrayList();
  OffsetDateTime iso = msFromIso(s, naive);
  if (iso != null) { return naive.isEmpty() ? iso : msAttachZone(iso, tz); }
  return null;
}

// ---- hashes (UTF-8, hex) -----------------------------------------------------------------------

int[] msUtf8(String s) {
  List out = new ArrayList();
  int i = 0;
  while (i < s.length()) {
    int cp = s.codePointAt(i);
    i += Character.charCount(cp);
    if (cp >= 55296 && cp <= 57343) { cp = 65533; }
    if (cp < 128) { out.add(cp); }
    else if (cp < 2048) { out.add(192 | (cp >> 6)); out.add(128 | (cp & 63)); }
    else if (cp < 65536) { out.add(224 | (cp >> 12)); out.add(128 | ((cp >> 6) & 63)); out.add(128 | (cp & 63)); }
    else { out.add(240 | (cp >> 18)); out.add(128 | ((cp >> 12) & 63)); out.add(128 | ((cp >> 6) & 63)); out.add(128 | (cp & 63)); }
  }
  int[] r = new int[out.size()];
  for (int j = 0; j < r.length; j++) { r[j] = ((Integer) out.get(j)).intValue(); }
  return r;
}
/** Message padded to 64-byte blocks; bigEndian selects the length encoding (SHA) or little-endian (MD5). */
int[] msPadMessage(int[] b, boolean bigEndian) {
  int n = b.length;
  int total = ((n + 8) / 64 + 1) * 64;
  int[] m = new int[total];
  for (int i = 0; i < n; i++) { m[i] = b[i]; }
  m[n] = 128;
  long bits = n * 8L;
  for (int i = 0; i < 8; i++) {
    int v = (int) ((bits >>> (8 * i)) & 255L);
    if (bigEndian) { m[total - 1 - i] = v; } else { m[total - 8 + i] = v; }
  }
  return m;
}
String msHex32(int v, boolean bigEndian) {
  StringBuilder b = new StringBuilder();
  for (int i = 0; i < 4; i++) {
    int x = bigEndian ? (v >>> (24 - 8 * i)) & 255 : (v >>> (8 * i)) & 255;
    if (x < 16) { b.append("0"); }
    b.append(Integer.toHexString(x));
  }
  return b.toString();
}
String msSha256(String s) {
  int[] k = new int[] {1116352408, 1899447441, -1245643825, -373957723, 961987163, 1508970993, -1841331548, -1424204075, -670586216, 310598401, 607225278, 1426881987, 1925078388, -2132889090, -1680079193, -1046744716, -459576895, -272742522, 264347078, 604807628, 770255983, 1249150122, 1555081692, 1996064986, -1740746414, -1473132947, -1341970488, -1084653625, -958395405, -710438585, 113926993, 338241895, 666307205, 773529912, 1294757372, 1396182291, 1695183700, 1986661051, -2117940946, -1838011259, -1564481375, -1474664885, -1035236496, -949202525, -778901479, -694614492, -200395387, 275423344, 430227734, 506948616, 659060556, 883997877, 958139571, 1322822218, 1537002063, 1747873779, 1955562222, 2024104815, -2067236844, -1933114872, -1866530822, -1538233109, -1090935817, -965641998};
  int[] h = new int[] {1779033703, -1150833019, 1013904242, -1521486534, 1359893119, -1694144372, 528734635, 1541459225};
  int[] m = msPadMessage(msUtf8(s), true);
  int[] w = new int[64];
  for (int blk = 0; blk < m.length; blk += 64) {
    for (int t = 0; t < 16; t++) { w[t] = (m[blk + 4 * t] << 24) | (m[blk + 4 * t + 1] << 16) | (m[blk + 4 * t + 2] << 8) | m[blk + 4 * t + 3]; }
    for (int t = 16; t < 64; t++) {
      int s0 = Integer.rotateRight(w[t - 15], 7) ^ Integer.rotateRight(w[t - 15], 18) ^ (w[t - 15] >>> 3);
      int s1 = Integer.rotateRight(w[t - 2], 17) ^ Integer.rotateRight(w[t - 2], 19) ^ (w[t - 2] >>> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    int a = h[0]; int b = h[1]; int c = h[2]; int d = h[3]; int e = h[4]; int f = h[5]; int g = h[6]; int hh = h[7];
    for (int t = 0; t < 64; t++) {
      int t1 = hh + (Integer.rotateRight(e, 6) ^ Integer.rotateRight(e, 11) ^ Integer.rotateRight(e, 25)) + ((e & f) ^ (~e & g)) + k[t] + w[t];
      int t2 = (Integer.rotateRight(a, 2) ^ Integer.rotateRight(a, 13) ^ Integer.rotateRight(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
  }
  StringBuilder out = new StringBuilder();
  for (int i = 0; i < 8; i++) { out.append(msHex32(h[i], true)); }
  return out.toString();
}
String msSha1(String s) {
  int[] h = new int[] {1732584193, -271733879, -1732584194, 271733878, -1009589776};
  int[] m = msPadMessage(msUtf8(s), true);
  int[] w = new int[80];
  for (int blk = 0; blk < m.length; blk += 64) {
    for (int t = 0; t < 16; t++) { w[t] = (m[blk + 4 * t] << 24) | (m[blk + 4 * t + 1] << 16) | (m[blk + 4 * t + 2] << 8) | m[blk + 4 * t + 3]; }
    for (int t = 16; t < 80; t++) { w[t] = Integer.rotateLeft(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1); }
    int a = h[0]; int b = h[1]; int c = h[2]; int d = h[3]; int e = h[4];
    for (int t = 0; t < 80; t++) {
      int f;
      int k;
      if (t < 20) { f = (b & c) | (~b & d); k = 1518500249; }
      else if (t < 40) { f = b ^ c ^ d; k = 1859775393; }
      else if (t < 60) { f = (b & c) | (b & d) | (c & d); k = -1894007588; }
      else { f = b ^ c ^ d; k = -899497514; }
      int tmp = Integer.rotateLeft(a, 5) + f + e + k + w[t];
      e = d; d = c; c = Integer.rotateLeft(b, 30); b = a; a = tmp;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
  }
  StringBuilder out = new StringBuilder();
  for (int i = 0; i < 5; i++) { out.append(msHex32(h[i], true)); }
  return out.toString();
}
String msMd5(String s) {
  int[] sh = new int[] {7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21};
  int[] k = new int[64];
  for (int i = 0; i < 64; i++) { k[i] = (int) ((long) Math.floor(Math.abs(Math.sin(i + 1)) * 4294967296.0)); }
  int[] h = new int[] {1732584193, -271733879, -1732584194, 271733878};
  int[] m = msPadMessage(msUtf8(s), false);
  int[] w = new int[16];
  for (int blk = 0; blk < m.length; blk += 64) {
    for (int t = 0; t < 16; t++) { w[t] = m[blk + 4 * t] | (m[blk + 4 * t + 1] << 8) | (m[blk + 4 * t + 2] << 16) | (m[blk + 4 * t + 3] << 24); }
    int a = h[0]; int b = h[1]; int c = h[2]; int d = h[3];
    for (int i = 0; i < 64; i++) {
      int f;
      int g;
      if (i < 16) { f = (b & c) | (~b & d); g = i; }
      else if (i < 32) { f = (d & b) | (~d & c); g = (5 * i + 1) % 16; }
      else if (i < 48) { f = b ^ c ^ d; g = (3 * i + 5) % 16; }
      else { f = c ^ (b | ~d); g = (7 * i) % 16; }
      int tmp = d;
      d = c;
      c = b;
      b = b + Integer.rotateLeft(a + f + k[i] + w[g], sh[(i / 16) * 4 + i % 4]);
      a = tmp;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d;
  }
  StringBuilder out = new StringBuilder();
  for (int i = 0; i < 4; i++) { out.append(msHex32(h[i], false)); }
  return out.toString();
}
String msHash(String algo, String s) {
  if (algo.equals("md5")) { return msMd5(s); }
  if (algo.equals("sha256")) { return msSha256(s); }
  return msSha1(s);
}

// ---- regexes (patterns are compiled once, at script compile time, into RX) --------------------

String msRegexReplace(Map op, String v, Pattern[] rx) {
  if (op.get("error") != null) { msThrow((String) op.get("error")); }
  Pattern p = rx[((Number) op.get("rx")).intValue()];
  List parts = (List) op.get("parts");
  Matcher m = p.matcher(v);
  StringBuilder out = new StringBuilder();
  int last = 0;
  while (m.find()) {
    out.append(v.substring(last, m.start()));
    for (int i = 0; i < parts.size(); i++) {
      Map part = (Map) parts.get(i);
      if (part.containsKey("lit")) { out.append((String) part.get("lit")); }
      else if (part.containsKey("fail")) { msThrow((String) part.get("fail")); }
      else {
        String gv = m.group(((Number) part.get("group")).intValue());
        if (gv != null) { out.append(gv); }
      }
    }
    last = m.end();
  }
  out.append(v.substring(last));
  return out.toString();
}
Object msRegexExtract(Map op, String v, Pattern[] rx) {
  if (op.get("error") != null) { msThrow((String) op.get("error")); }
  Matcher m = rx[((Number) op.get("rx")).intValue()].matcher(v);
  if (!m.find()) { return null; }
  int group = ((Number) op.get("group")).intValue();
  if (group > m.groupCount()) { msThrow("no such group"); }
  return m.group(group);
}

// ---- conditions ----------------------------------------------------------------------------------

boolean msCond(Map c, Object probe, Map g, Pattern[] rx) {
  String kind = (String) c.get("kind");
  if (kind.equals("gt") || kind.equals("gte") || kind.equals("lt") || kind.equals("lte")) {
    Double a = null;
    if (!(probe instanceof Boolean) && probe != null) { a = msIsNum(probe) ? Double.valueOf(msD(probe)) : msPyFloat(msStr(probe).replace(",", ".")); }
    Double b = msPyFloat(c.get("value"));
    if (a == null || b == null) { return false; }
    double x = a.doubleValue();
    double y = b.doubleValue();
    if (kind.equals("gt")) { return x > y; }
    if (kind.equals("gte")) { return x >= y; }
    if (kind.equals("lt")) { return x < y; }
    return x <= y;
  }
  if (kind.equals("contains")) { return probe instanceof String && c.get("value") instanceof String && ((String) probe).indexOf((String) c.get("value")) >= 0; }
  if (kind.equals("is_numeric")) { return msParseNumber(probe, g) != null; }
  if (kind.equals("is_empty")) { return msIsNull(probe, g) || (probe instanceof String && msJsBlank((String) probe)); }
  if (kind.equals("is_date")) {
    try { return msParseDate(probe, (List) g.get("dateFormats"), (String) g.get("defaultTz")) != null; }
    catch (IllegalArgumentException e) { return false; }
  }
  if (kind.equals("matches")) {
    if (c.get("rx") == null) { return false; }
    return rx[((Number) c.get("rx")).intValue()].matcher(probe == null ? "" : msStr(probe)).find();
  }
  if (kind.equals("in_set")) { return msInSet((List) c.get("values"), probe == null ? "" : msStr(probe)); }
  return false;
}
/** JavaScript's String.prototype.trim() === "" (the evaluator's is_empty test). */
boolean msJsBlank(String s) {
  for (int i = 0; i < s.length(); i++) { int c = s.charAt(i); if (!(msIsJsSpace(c) || c == 65279)) { return false; } }
  return true;
}
boolean msInSet(List values, String s) {
  for (int i = 0; i < values.size(); i++) { Object x = values.get(i); if (x instanceof String && ((String) x).equals(s)) { return true; } }
  return false;
}

// ---- ops -----------------------------------------------------------------------------------------

List msOne(Object v) { List l = new ArrayList(); l.add(v); return l; }
List msAsList(Object v) {
  if (v == null) { return new ArrayList(); }
  if (v instanceof List) { return (List) v; }
  List l = new ArrayList();
  l.add(v);
  return l;
}
boolean msGeoSep(int c) { return c == 59 || c == 44 || c == 32; }
Object msGeoParse(Object v, String format) {
  if (v == null) { return null; }
  if (!format.equals("latlon")) { return v; }
  List parts = null;
  if (v instanceof String) {
    String s = msStrip((String) v);
    List p = new ArrayList();
    int start = 0;
    int i = 0;
    while (i < s.length()) {
      if (msGeoSep(s.charAt(i))) {
        p.add(s.substring(start, i));
        while (i < s.length() && msGeoSep(s.charAt(i))) { i++; }
        start = i;
      } else {
        i++;
      }
    }
    p.add(s.substring(start));
    if (p.size() >= 2) { parts = p; }
  } else if (v instanceof List && ((List) v).size() >= 2) {
    parts = (List) v;
  }
  if (parts == null) { return null; }
  Double lat = msPyFloat(parts.get(0));
  Double lon = msPyFloat(parts.get(1));
  if (lat == null || lon == null) { return null; }
  if (!(lat.doubleValue() >= -90 && lat.doubleValue() <= 90)) { msThrow("E_GEO_LAT_RANGE"); }
  if (!(lon.doubleValue() >= -180 && lon.doubleValue() <= 180)) { msThrow("E_GEO_LON_RANGE"); }
  Map r = new LinkedHashMap();
  r.put("lat", lat);
  r.put("lon", lon);
  return r;
}
Object msDict(Object v, Map op, Map dicts) {
  if (v == null) { return null; }
  Map d = (Map) dicts.get((String) op.get("name"));
  if (d == null) { return v; }
  Map data = (Map) d.get("data");
  String onUnknown = (String) op.get("onUnknown");
  if (v instanceof String) {
    String key = (String) v;
    if (((Boolean) d.get("trimKeys")).booleanValue()) { key = msStrip(key); }
    if (((Boolean) d.get("caseInsensitive")).booleanValue()) { key = key.toLowerCase(Locale.ROOT); }
    if (data.containsKey(key)) { return data.get(key); }
    if (onUnknown.equals("default")) { return op.get("default"); }
    if (onUnknown.equals("error")) { msThrow("DICT_UNKNOWN_KEY: '" + v + "' not in dictionary '" + op.get("name") + "'"); }
    return v;
  }
  // Dictionary keys are JSON object keys, always strings: a number or boolean never matches one.
  return onUnknown.equals("default") ? op.get("default") : v;
}
String msPhonetic(String method, String s) {
  if (method.equals("soundex")) {
    StringBuilder letters = new StringBuilder();
    String up = s.toUpperCase(Locale.ROOT);
    for (int i = 0; i < up.length(); i++) { int c = up.charAt(i); if (c >= 65 && c <= 90) { letters.appendCodePoint(c); } }
    if (letters.length() == 0) { return ""; }
    String codes = "01230120022455012623010202";
    String out = letters.substring(0, 1);
    String prev = codes.substring(letters.charAt(0) - 65, letters.charAt(0) - 64);
    if (prev.equals("0")) { prev = ""; }
    for (int i = 1; i < letters.length(); i++) {
      int c = letters.charAt(i);
      String d = codes.substring(c - 65, c - 64);
      if (d.equals("0")) { d = ""; }
      if (d.length() > 0 && !d.equals(prev)) { out = out + d; }
      if (c != 72 && c != 87) { prev = d; }
      if (out.length() == 4) { break; }
    }
    while (out.length() < 4) { out = out + "0"; }
    return out;
  }
  String low = s.toLowerCase(Locale.ROOT);
  StringBuilder t = new StringBuilder();
  for (int i = 0; i < low.length(); i++) { int c = low.charAt(i); if (c >= 97 && c <= 122) { t.appendCodePoint(c); } }
  String u = t.toString().replace("ph", "f").replace("c", "k").replace("q", "k").replace("x", "ks").replace("y", "i").replace("z", "s");
  StringBuilder r = new StringBuilder();
  for (int i = 0; i < u.length(); i++) { if (i == 0 || u.charAt(i) != u.charAt(i - 1)) { r.appendCodePoint(u.charAt(i)); } }
  String out = r.toString();
  return out.length() > 8 ? out.substring(0, 8) : out;
}
/** Sort key: [rank, number or string or null]. */
List msSortKey(Object x, Map op) {
  Object v = x;
  String by = (String) op.get("by");
  if (by != null && x instanceof Map) { v = ((Map) x).get(by); }
  boolean missingLast = ((Boolean) op.get("missingLast")).booleanValue();
  List k = new ArrayList();
  if (((Boolean) op.get("numeric")).booleanValue()) {
    Double n = v == null ? null : msPyFloat(msStr(v).replace(",", "."));
    if (n == null && missingLast) { k.add(1); k.add(null); return k; }
    k.add(0);
    k.add(n == null ? Double.valueOf(Double.NEGATIVE_INFINITY) : n);
    return k;
  }
  if (v == null && missingLast) { k.add(1); k.add(null); return k; }
  k.add(0);
  k.add(msStr(v));
  return k;
}
/** -1/0/1, or 2 when Python cannot order the keys (the evaluator keeps the list unchanged). */
int msSortCmp(List a, List b) {
  int ra = ((Integer) a.get(0)).intValue();
  int rb = ((Integer) b.get(0)).intValue();
  if (ra != rb) { return ra < rb ? -1 : 1; }
  Object x = a.get(1);
  Object y = b.get(1);
  if (x == null || y == null) { return x == null && y == null ? 0 : 2; }
  if (x instanceof Double && y instanceof Double) { double p = ((Double) x).doubleValue(); double q = ((Double) y).doubleValue(); return p < q ? -1 : (p > q ? 1 : 0); }
  String sa = x instanceof Double ? msJsNumberString(((Double) x).doubleValue()) : (String) x;
  String sb = y instanceof Double ? msJsNumberString(((Double) y).doubleValue()) : (String) y;
  int c = sa.compareTo(sb);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}
String msJsNumberString(double d) { return msStr(Double.valueOf(d)); }
List msSort(List list, Map op) {
  int n = list.size();
  List keys = new ArrayList();
  for (int i = 0; i < n; i++) { keys.add(msSortKey(list.get(i), op)); }
  int[] idx = new int[n];
  for (int i = 0; i < n; i++) { idx[i] = i; }
  boolean desc = "desc".equals(op.get("order"));
  for (int i = 1; i < n; i++) {
    int cur = idx[i];
    int j = i - 1;
    while (j >= 0) {
      int c = desc ? msSortCmp((List) keys.get(cur), (List) keys.get(idx[j])) : msSortCmp((List) keys.get(idx[j]), (List) keys.get(cur));
      if (c <= 0) { break; }
      idx[j + 1] = idx[j];
      j--;
    }
    idx[j + 1] = cur;
  }
  List out = new ArrayList();
  for (int i = 0; i < n; i++) { out.add(list.get(idx[i])); }
  return out;
}

Object msRunOp(Map op, Object v, Map env) {
  String name = (String) op.get("op");
  Map g = (Map) env.get("globals");
  Pattern[] rx = (Pattern[]) env.get("rx");
  if (name.equals("trim")) { return v instanceof String ? msStrip((String) v) : v; }
  if (name.equals("lower")) { return v instanceof String ? ((String) v).toLowerCase(Locale.ROOT) : v; }
  if (name.equals("upper")) { return v instanceof String ? ((String) v).toUpperCase(Locale.ROOT) : v; }
  if (name.equals("split")) {
    if (!(v instanceof String)) { return v; }
    String sep = (String) op.get("sep");
    if (sep.length() == 0) { msThrow("empty separator"); }
    String s = (String) v;
    List parts = new ArrayList();
    int from = 0;
    int at = s.indexOf(sep, from);
    while (at >= 0) {
      parts.add(s.substring(from, at));
      from = at + sep.length();
      at = s.indexOf(sep, from);
    }
    parts.add(s.substring(from));
    Object take = op.get("take");
    if ("first".equals(take)) { return parts.get(0); }
    if ("last".equals(take)) { return parts.get(parts.size() - 1); }
    if (take instanceof Number) { int t = ((Number) take).intValue(); return t >= 0 && t < parts.size() ? parts.get(t) : ""; }
    return parts;
  }
  if (name.equals("regex_replace")) { return v instanceof String ? msRegexReplace(op, (String) v, rx) : v; }
  if (name.equals("regex_extract")) { return v instanceof String ? msRegexExtract(op, (String) v, rx) : null; }
  if (name.equals("date_parse")) {
    List formats = op.get("formats") != null ? (List) op.get("formats") : (List) g.get("dateFormats");
    OffsetDateTime d = msParseDate(v, formats, (String) op.get("tz"));
    if (d == null && v instanceof String && msStrip((String) v).length() > 0) { msThrow("E_DATE_PARSE_FAIL"); }
    return d;
  }
  if (name.equals("geo_parse")) { return msGeoParse(v, (String) op.get("format")); }
  if (name.equals("cast")) {
    String to = (String) op.get("to");
    if (to.equals("string")) { return v == null ? "" : msStr(v); }
    if (to.equals("number")) { return msParseNumber(v, g); }
    if (to.equals("boolean")) { return msCastBoolean(v, g); }
    if (to.equals("date")) { return msParseDate(v, (List) g.get("dateFormats"), (String) g.get("defaultTz")); }
    Object n = msParseNumber(v, g);
    if (n == null) { return null; }
    double x = n instanceof Boolean ? (((Boolean) n).booleanValue() ? 1.0 : 0.0) : msD(n);
    if (to.equals("long")) {
      if (Double.isNaN(x) || Double.isInfinite(x) || x != Math.rint(x)) { msThrow("cannot cast " + msStr(v) + " to long"); }
      if (msIsInt(n)) { return n; }
      return msIntOfDouble(x);
    }
    if (msIsInt(n) && !(n instanceof BigInteger)) { return Double.valueOf(x); }
    return Double.valueOf(x);
  }
  if (name.equals("dict")) { return msDict(v, op, (Map) env.get("dictionaries")); }
  if (name.equals("concat")) {
    List l = (List) v;
    StringBuilder b = new StringBuilder();
    int k = 0;
    for (int i = 0; i < l.size(); i++) {
      Object x = l.get(i);
      if (x == null) { continue; }
      String s = msStr(x);
      if (s.length() == 0) { continue; }
      if (k > 0) { b.append((String) op.get("sep")); }
      b.append(s);
      k++;
    }
    return b.toString();
  }
  if (name.equals("coalesce")) { return msFirstNonNull((List) v, g); }
  if (name.equals("phonetic")) { return v == null ? null : msPhonetic((String) op.get("method"), msStr(v)); }
  if (name.equals("hash")) { return msHash((String) op.get("algo"), (String) op.get("salt") + (v == null ? "" : msStr(v))); }
  if (name.equals("when")) {
    Object probe = v instanceof List ? msFirstNonNull((List) v, g) : (msIsNull(v, g) ? null : v);
    return msRunOps(msCond((Map) op.get("cond"), probe, g, rx) ? (List) op.get("then") : (List) op.get("else"), v, env);
  }
  if (name.equals("map")) {
    if (v instanceof List) {
      List l = (List) v;
      List out = new ArrayList();
      for (int i = 0; i < l.size(); i++) { out.add(msRunOps((List) op.get("then"), l.get(i), env)); }
      return out;
    }
    return msRunOps((List) op.get("then"), v, env);
  }
  if (name.equals("take")) {
    if (!(v instanceof List)) { return v; }
    List l = (List) v;
    Object which = op.get("which");
    if ("first".equals(which)) { return l.isEmpty() ? null : l.get(0); }
    if ("last".equals(which)) { return l.isEmpty() ? null : l.get(l.size() - 1); }
    int w = ((Number) which).intValue();
    return w >= 0 && w < l.size() ? l.get(w) : null;
  }
  if (name.equals("join")) {
    if (v instanceof List) {
      List l = (List) v;
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < l.size(); i++) { if (i > 0) { b.append((String) op.get("sep")); } b.append(l.get(i) == null ? "" : msStr(l.get(i))); }
      return b.toString();
    }
    return v == null ? "" : msStr(v);
  }
  if (name.equals("flatten")) {
    if (!(v instanceof List)) { return v; }
    List l = (List) v;
    List out = new ArrayList();
    for (int i = 0; i < l.size(); i++) { if (l.get(i) instanceof List) { out.addAll((List) l.get(i)); } else { out.add(l.get(i)); } }
    return out;
  }
  if (name.equals("zip")) {
    List arrays = new ArrayList();
    arrays.add(msAsList(v));
    List with = (List) op.get("with");
    for (int i = 0; i < with.size(); i++) { arrays.add(msAsList(msInput((Map) with.get(i), env.get("row")))); }
    int n = 0;
    for (int i = 0; i < arrays.size(); i++) { n = msMaxI(n, ((List) arrays.get(i)).size()); }
    List out = new ArrayList();
    for (int i = 0; i < n; i++) {
      List t = new ArrayList();
      for (int j = 0; j < arrays.size(); j++) { List a = (List) arrays.get(j); t.add(i < a.size() ? a.get(i) : op.get("fill")); }
      out.add(t);
    }
    return out;
  }
  if (name.equals("objectify")) {
    List fields = (List) op.get("fields");
    if (v instanceof List && !((List) v).isEmpty() && ((List) v).get(0) instanceof List) {
      List l = (List) v;
      List keys = new ArrayList();
      if (fields.isEmpty()) { for (int i = 0; i < ((List) l.get(0)).size(); i++) { keys.add("f" + i); } }
      else { for (int i = 0; i < fields.size(); i++) { keys.add(((Map) fields.get(i)).get("key")); } }
      List out = new ArrayList();
      for (int r = 0; r < l.size(); r++) {
        List tup = msAsList(l.get(r));
        Map o = new LinkedHashMap();
        for (int i = 0; i < keys.size(); i++) { o.put(keys.get(i), i < tup.size() ? tup.get(i) : op.get("fill")); }
        out.add(o);
      }
      return out;
    }
    List cols = new ArrayList();
    int n = 0;
    for (int i = 0; i < fields.size(); i++) {
      Map f = (Map) fields.get(i);
      List vals = msAsList(f.get("input") == null ? null : msInput((Map) f.get("input"), env.get("row")));
      cols.add(vals);
      n = msMaxI(n, vals.size());
    }
    if (fields.isEmpty()) { n = msAsList(v).size(); }
    List out = new ArrayList();
    for (int r = 0; r < n; r++) {
      Map o = new LinkedHashMap();
      for (int i = 0; i < fields.size(); i++) {
        List vals = (List) cols.get(i);
        if (r < vals.size()) { o.put(((Map) fields.get(i)).get("key"), vals.get(r)); }
        else {
          if (((Boolean) op.get("strict")).booleanValue()) { return null; }
          o.put(((Map) fields.get(i)).get("key"), op.get("fill"));
        }
      }
      out.add(o);
    }
    return out;
  }
  if (name.equals("length")) {
    if (v == null) { return 0L; }
    if (v instanceof List) { return (long) ((List) v).size(); }
    if (v instanceof Map) { return (long) ((Map) v).size(); }
    String s = msStr(v);
    return (long) s.codePointCount(0, s.length());
  }
  if (name.equals("literal")) { return op.get("value"); }
  if (name.equals("filter")) {
    if (!(v instanceof List)) { return v; }
    List l = (List) v;
    Map c = (Map) op.get("cond");
    String by = (String) c.get("by");
    List out = new ArrayList();
    for (int i = 0; i < l.size(); i++) {
      Object x = l.get(i);
      Object probe = by != null && x instanceof Map ? ((Map) x).get(by) : x;
      if (msCond(c, probe, g, rx)) { out.add(x); }
    }
    return out;
  }
  if (name.equals("slice")) {
    if (!(v instanceof List)) { return v; }
    List l = (List) v;
    int len = l.size();
    int start = ((Number) op.get("start")).intValue();
    start = start < 0 ? msMaxI(0, len + start) : msMinI(start, len);
    int end = len;
    if (op.get("end") != null) { int e = ((Number) op.get("end")).intValue(); end = e < 0 ? msMaxI(0, len + e) : msMinI(e, len); }
    List out = new ArrayList();
    for (int i = start; i < end; i++) { out.add(l.get(i)); }
    return out;
  }
  if (name.equals("unique")) {
    if (!(v instanceof List)) { return v; }
    List l = (List) v;
    String by = (String) op.get("by");
    Set seen = new HashSet();
    List out = new ArrayList();
    for (int i = 0; i < l.size(); i++) {
      Object x = l.get(i);
      Object key = by == null ? x : (x instanceof Map ? ((Map) x).get(by) : null);
      String h = msHashKey(key);
      if (seen.contains(h)) { continue; }
      seen.add(h);
      out.add(x);
    }
    return out;
  }
  if (name.equals("sort")) { return v instanceof List ? msSort((List) v, op) : v; }
  msThrow("unknown op " + name);
  return null;
}

Object msRunOps(List ops, Object value, Map env) {
  Object cur = value;
  Map g = (Map) env.get("globals");
  List issues = (List) env.get("issues");
  for (int i = 0; i < ops.size(); i++) {
    if (i + 1 > 200) {
      Map issue = new LinkedHashMap();
      issue.put("field", env.get("field"));
      issue.put("code", "E_OP_BUDGET_EXCEEDED");
      issue.put("msg", "op budget per row exceeded (" + (i + 1) + " > 200)");
      issues.add(issue);
      return null;
    }
    Map op = (Map) ops.get(i);
    String reading = (String) op.get("reading");
    try {
      if (reading.equals("list")) { cur = msRunOp(op, cur instanceof List ? cur : msOne(cur), env); }
      else if (reading.equals("scalar")) { cur = msRunOp(op, cur instanceof List ? msFirstNonNull((List) cur, g) : cur, env); }
      else { cur = msRunOp(op, cur, env); }
    } catch (IllegalArgumentException e) {
      String m = e.getMessage();
      if (m == null || !m.startsWith("mapstack:")) { throw e; }
      Map issue = new LinkedHashMap();
      issue.put("field", env.get("field"));
      issue.put("code", "E_OP_EXEC");
      issue.put("msg", op.get("op") + " failed: " + m.substring(9));
      issues.add(issue);
      cur = null;
    }
  }
  return cur;
}

// ---- inputs (JSONPath subset the pipeline supports), placement, _id --------------------------------

boolean msHasChild(Object v, String name) { return v instanceof Map && ((Map) v).containsKey(name); }
boolean msHasAt(Object v, int index) {
  if (!(v instanceof List)) { return false; }
  int n = ((List) v).size();
  int i = index < 0 ? n + index : index;
  return i >= 0 && i < n;
}
Object msGetAt(List l, int index) { return l.get(index < 0 ? l.size() + index : index); }
void msMembers(Object v, List out) {
  if (v instanceof List) { out.addAll((List) v); }
  else if (v instanceof Map) { Map m = (Map) v; for (Object k : m.keySet()) { out.add(m.get(k)); } }
}
void msDescend(Object v, List out) {
  out.add(v);
  List kids = new ArrayList();
  msMembers(v, kids);
  for (int i = 0; i < kids.size(); i++) { msDescend(kids.get(i), out); }
}
void msPushChild(Object n, String name, List out) { if (msHasChild(n, name)) { out.add(((Map) n).get(name)); } }
void msPushAt(Object n, int index, List out) { if (msHasAt(n, index)) { out.add(msGetAt((List) n, index)); } }
/** A value that is a one-element list of a list stands for the inner list ([[a, b]] -> [a, b]), as in the seed. */
Object msUnwrap(Object v) {
  if (v instanceof List && ((List) v).size() == 1 && ((List) v).get(0) instanceof List) { return ((List) v).get(0); }
  return v;
}
Object msInput(Map input, Object row) {
  String kind = (String) input.get("kind");
  if (kind.equals("literal")) { return msUnwrap(input.get("value")); }
  if (kind.equals("column")) { return msUnwrap(msHasChild(row, (String) input.get("name")) ? ((Map) row).get((String) input.get("name")) : null); }
  List segs = (List) input.get("segments");
  if (((Boolean) input.get("definite")).booleanValue()) {
    Object v = row;
    for (int i = 0; i < segs.size(); i++) {
      Map s = (Map) segs.get(i);
      if ("name".equals(s.get("kind"))) {
        String name = (String) s.get("name");
        if (!msHasChild(v, name)) { return null; }
        v = ((Map) v).get(name);
      } else {
        int index = ((Number) s.get("index")).intValue();
        if (!msHasAt(v, index)) { return null; }
        v = msGetAt((List) v, index);
      }
    }
    return msUnwrap(v);
  }
  List nodes = new ArrayList();
  nodes.add(row);
  for (int i = 0; i < segs.size(); i++) {
    Map s = (Map) segs.get(i);
    String k = (String) s.get("kind");
    List out = new ArrayList();
    for (int j = 0; j < nodes.size(); j++) {
      Object n = nodes.get(j);
      if (k.equals("name")) { msPushChild(n, (String) s.get("name"), out); }
      else if (k.equals("names")) { List ns = (List) s.get("names"); for (int q = 0; q < ns.size(); q++) { msPushChild(n, (String) ns.get(q), out); } }
      else if (k.equals("index")) { msPushAt(n, ((Number) s.get("index")).intValue(), out); }
      else if (k.equals("indexes")) { List ix = (List) s.get("indexes"); for (int q = 0; q < ix.size(); q++) { msPushAt(n, ((Number) ix.get(q)).intValue(), out); } }
      else if (k.equals("wildcard")) { msMembers(n, out); }
      else if (k.equals("slice")) {
        if (n instanceof List) {
          List arr = (List) n;
          int len = arr.size();
          int step = ((Number) s.get("step")).intValue();
          Object st = s.get("start");
          Object en = s.get("end");
          if (step > 0) {
            int a = st == null ? 0 : msNorm(((Number) st).intValue(), len);
            int b = en == null ? len : msNorm(((Number) en).intValue(), len);
            for (int q = a; q < b; q += step) { out.add(arr.get(q)); }
          } else {
            int lo = en == null ? -1 : msNorm(((Number) en).intValue(), len);
            int a = st == null ? len - 1 : msMinI(msNorm(((Number) st).intValue(), len), len - 1);
            for (int q = a; q > lo; q += step) { out.add(arr.get(q)); }
          }
        }
      }
      else if (k.equals("descendant")) {
        List all = new ArrayList();
        msDescend(n, all);
        for (int q = 0; q < all.size(); q++) {
          if (s.get("name") == null) { msMembers(all.get(q), out); }
          else { msPushChild(all.get(q), (String) s.get("name"), out); }
        }
      }
    }
    // A wildcard that matches nothing reads as missing (null).
    if (out.isEmpty()) { return null; }
    nodes = out;
  }
  if (nodes.size() == 1 && nodes.get(0) instanceof List) { return nodes.get(0); }
  return nodes;
}
int msNorm(int i, int len) { return i < 0 ? msMaxI(len + i, 0) : msMinI(i, len); }

void msPlace(Map node, List parts, int from, Object value, String prefix, List arrays) {
  for (int i = from; i < parts.size(); i++) {
    String key = (String) parts.get(i);
    String path = prefix + key;
    if (i == parts.size() - 1) { node.put(key, value); return; }
    if (arrays.contains(path)) {
      Object existing = node.get(key);
      List arr;
      if (existing instanceof List) { arr = (List) existing; } else { arr = new ArrayList(); node.put(key, arr); }
      List values = value instanceof List ? (List) value : msAsList(value);
      for (int j = 0; j < values.size(); j++) {
        while (arr.size() <= j) { arr.add(null); }
        if (!(arr.get(j) instanceof Map)) { arr.set(j, new LinkedHashMap()); }
        msPlace((Map) arr.get(j), parts, i + 1, values.get(j), path + ".", arrays);
      }
      return;
    }
    Object next = node.get(key);
    if (next instanceof Map) { node = (Map) next; }
    else { Map m = new LinkedHashMap(); node.put(key, m); node = m; }
    prefix = path + ".";
  }
}
/** The value as it appears in the document: dates as ISO-8601 (Z for UTC), NaN and infinities as null. */
Object msToJson(Object v) {
  if (v instanceof OffsetDateTime) { return msFormatDate((OffsetDateTime) v, "T", true); }
  if (v instanceof Double && (((Double) v).isNaN() || ((Double) v).isInfinite())) { return null; }
  if (v instanceof Double && ((Double) v).doubleValue() == 0) { return Double.valueOf(0.0); }
  if (v instanceof List) { List l = (List) v; List out = new ArrayList(); for (int i = 0; i < l.size(); i++) { out.add(msToJson(l.get(i))); } return out; }
  if (v instanceof Map) { Map m = (Map) v; Map out = new LinkedHashMap(); for (Object k : m.keySet()) { out.put(k, msToJson(m.get(k))); } return out; }
  return v;
}

void msLeaves(Object node, List parts, int i, List out) {
  if (node instanceof List) { List l = (List) node; for (int j = 0; j < l.size(); j++) { msLeaves(l.get(j), parts, i, out); } return; }
  if (i == parts.size()) { out.add(node); return; }
  if (node instanceof Map && ((Map) node).containsKey(parts.get(i))) { msLeaves(((Map) node).get(parts.get(i)), parts, i + 1, out); }
}
/** Why Elasticsearch would certainly reject this value for a field of this mapping type, or null (mapping-check.ts is the TypeScript twin). */
String msMappingProblem(String type, Object v) {
  if (v == null) { return null; }
  if (type.equals("long") || type.equals("integer") || type.equals("double")) {
    if (v instanceof Boolean || v instanceof Map) { return "not a number"; }
    double d = 0;
    if (v instanceof String) {
      String t = ((String) v).trim();
      if (type.equals("double")) {
        try { d = Double.parseDouble(t); } catch (NumberFormatException e) { return "not a number"; }
      } else {
        if (!msDecimalSyntax(t)) { return "not a number"; }
        d = Double.parseDouble(t);
      }
    } else if (msIsNum(v)) { d = msD(v); }
    else { return "not a number"; }
    if (Double.isNaN(d) || Double.isInfinite(d)) { return "not a finite number"; }
    if (type.equals("long") && (d >= 9.223372036854775807E18 || d < -9.223372036854775808E18)) { return "out of range"; }
    if (type.equals("integer") && (d >= 2147483648.0 || d < -2147483648.0)) { return "out of range"; }
    return null;
  }
  if (type.equals("boolean")) {
    if (v instanceof Boolean) { return null; }
    if (v instanceof String && (v.equals("true") || v.equals("false") || v.equals(""))) { return null; }
    return "not a boolean";
  }
  if (type.equals("object") || type.equals("nested")) { return v instanceof Map ? null : "not an object"; }
  if (type.equals("keyword") || type.equals("text") || type.equals("ip") || type.equals("date")) { return v instanceof Map ? "an object where a value is expected" : null; }
  return null;
}
void msCheckMapping(Map source, List checks) {
  for (int i = 0; i < checks.size(); i++) {
    Map c = (Map) checks.get(i);
    List leaves = new ArrayList();
    msLeaves(source, (List) c.get("parts"), 0, leaves);
    for (int j = 0; j < leaves.size(); j++) {
      String why = msMappingProblem((String) c.get("type"), leaves.get(j));
      if (why != null) { throw new IllegalStateException("field [" + c.get("target") + "] of type [" + c.get("type") + "]: " + why); }
    }
  }
}
/** Maps the document in ctx (ingest metadata keys stay) and returns the _id, or null. */
String msMapRow(Map cx, Map pr, Pattern[] rx, List issues) {
  List meta = (List) pr.get("metadata");
  Map row = new LinkedHashMap();
  for (Object k : cx.keySet()) { if (!meta.contains(k)) { row.put(k, cx.get(k)); } }
  Map env = new HashMap();
  env.put("globals", pr.get("globals"));
  env.put("dictionaries", pr.get("dictionaries"));
  env.put("rx", rx);
  env.put("issues", issues);
  env.put("row", row);
  List arrays = (List) pr.get("arrays");
  Map source = new LinkedHashMap();
  List fields = (List) pr.get("fields");
  for (int i = 0; i < fields.size(); i++) {
    Map f = (Map) fields.get(i);
    env.put("field", f.get("target"));
    List inputs = (List) f.get("inputs");
    Object value;
    if (inputs.size() == 1) { value = msInput((Map) inputs.get(0), row); }
    else { List l = new ArrayList(); for (int j = 0; j < inputs.size(); j++) { l.add(msInput((Map) inputs.get(j), row)); } value = l; }
    value = msRunOps((List) f.get("ops"), value, env);
    msPlace(source, (List) f.get("parts"), 0, value, "", arrays);
  }
  String id = null;
  Map idp = (Map) pr.get("idPolicy");
  if (idp != null) {
    List from = (List) idp.get("from");
    StringBuilder b = new StringBuilder();
    for (int j = 0; j < from.size(); j++) {
      if (j > 0) { b.append((String) idp.get("sep")); }
      Object v = row.get(from.get(j));
      b.append(v == null ? "" : msStr(v));
    }
    id = b.toString();
    if (idp.get("hash") != null) { id = msHash((String) idp.get("hash"), (String) idp.get("salt") + id); }
  } else if (source.containsKey("_id")) {
    Object v = source.get("_id");
    id = v == null ? null : msStr(v);
  }
  source.remove("_id");
  Map out = (Map) msToJson(source);
  msCheckMapping(out, (List) pr.get("checks"));
  List drop = new ArrayList();
  for (Object k : cx.keySet()) { if (!meta.contains(k)) { drop.add(k); } }
  for (int j = 0; j < drop.size(); j++) { cx.remove(drop.get(j)); }
  for (Object k : out.keySet()) { cx.put(k, out.get(k)); }
  if (id != null) { cx.put("_id", id); }
  return id;
}
`);

/** The statements after the prelude: map the document in place. */
export const RUNTIME_BODY = "msMapRow(ctx, params, RX, msIssues);\n";
