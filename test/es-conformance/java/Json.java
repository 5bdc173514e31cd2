// Test-only JSON for the JDK harness: parses numbers the way Elasticsearch's XContent parser hands them to
// an ingest script (Integer, Long, BigInteger for integers; Double for anything with '.', 'e' or 'E').
import java.math.BigInteger;
import java.util.*;

public final class Json {
  private final String s;
  private int i;

  private Json(String s) { this.s = s; }

  public static Object parse(String text) {
    Json p = new Json(text);
    p.ws();
    Object v = p.value();
    p.ws();
    if (p.i != text.length()) throw new IllegalArgumentException("trailing text at " + p.i);
    return v;
  }

  private void ws() { while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++; }

  private Object value() {
    char c = s.charAt(i);
    if (c == '{') {
      i++;
      Map<String, Object> m = new LinkedHashMap<>();
      ws();
      if (s.charAt(i) == '}') { i++; return m; }
      while (true) {
        ws();
        String k = string();
        ws();
        i++; // ':'
        ws();
        m.put(k, value());
        ws();
        if (s.charAt(i++) == '}') return m;
      }
    }
    if (c == '[') {
      i++;
      List<Object> l = new ArrayList<>();
      ws();
      if (s.charAt(i) == ']') { i++; return l; }
      while (true) {
        ws();
        l.add(value());
        ws();
        if (s.charAt(i++) == ']') return l;
      }
    }
    if (c == '"') return string();
    if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
    if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
    if (s.startsWith("null", i)) { i += 4; return null; }
    int start = i;
    boolean floating = false;
    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
      if (".eE".indexOf(s.charAt(i)) >= 0) floating = true;
      i++;
    }
    String num = s.substring(start, i);
    if (floating) return Double.parseDouble(num);
    BigInteger b = new BigInteger(num);
    if (b.bitLength() < 32) return b.intValue();
    if (b.bitLength() < 64) return b.longValue();
    return b;
  }

  private String string() {
    StringBuilder b = new StringBuilder();
    i++;
    while (true) {
      char c = s.charAt(i++);
      if (c == '"') return b.toString();
      if (c != '\\') { b.append(c); continue; }
      char e = s.charAt(i++);
      switch (e) {
        case 'n': b.append('\n'); break;
        case 't': b.append('\t'); break;
        case 'r': b.append('\r'); break;
        case 'b': b.append('\b'); break;
        case 'f': b.append('\f'); break;
        case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
        default: b.append(e);
      }
    }
  }

  public static String write(Object v) {
    StringBuilder b = new StringBuilder();
    write(b, v);
    return b.toString();
  }

  private static void write(StringBuilder b, Object v) {
    if (v == null) b.append("null");
    else if (v instanceof String) {
      String x = (String) v;
      b.append('"');
      for (int k = 0; k < x.length(); k++) {
        char c = x.charAt(k);
        if (c == '"' || c == '\\') b.append('\\').append(c);
        else if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
        else b.append(c);
      }
      b.append('"');
    } else if (v instanceof Double) {
      double d = (Double) v;
      // A Double is a float to Python; the marker keeps integral floats apart from ints for the comparison.
      b.append("{\"$float\":").append(Double.isNaN(d) || Double.isInfinite(d) ? "\"" + d + "\"" : Double.toString(d)).append('}');
    } else if (v instanceof Number || v instanceof Boolean) b.append(v.toString());
    else if (v instanceof List) {
      b.append('[');
      int k = 0;
      for (Object x : (List<?>) v) { if (k++ > 0) b.append(','); write(b, x); }
      b.append(']');
    } else if (v instanceof Map) {
      b.append('{');
      int k = 0;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) { if (k++ > 0) b.append(','); write(b, e.getKey().toString()); b.append(':'); write(b, e.getValue()); }
      b.append('}');
    } else b.append("\"<").append(v.getClass().getName()).append(">\"");
  }
}
