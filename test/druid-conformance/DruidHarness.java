// What Druid does with a supervisor spec's inputFormat + transformSpec, with the libraries Druid itself uses:
// protobuf-java (DynamicMessage from the descriptor set, JsonFormat printer as Druid's protobuf reader),
// Jayway JsonPath (flattenSpec, SUPPRESS_EXCEPTIONS as Druid configures it) and Joda-Time (timestamp_parse).
// The expression evaluator below implements only the Druid functions mapstack emits, per Druid's documented
// semantics with SQL-compatible null handling (the default since Druid 28). Written for the test, shares
// nothing with the TypeScript compiler it judges.
//
// Usage: java DruidHarness <spec.json> <descriptor.binpb|-> <samples.jsonl>
// Prints one JSON line per sample: {"druidJson": …, "error": …, "time": millis|null, "columns": {…}}.

import com.google.gson.*;
import com.google.protobuf.*;
import com.google.protobuf.DescriptorProtos.*;
import com.google.protobuf.Descriptors.*;
import com.google.protobuf.util.JsonFormat;
import com.jayway.jsonpath.*;
import org.joda.time.*;
import org.joda.time.format.*;
import java.nio.file.*;
import java.util.*;
import java.util.regex.*;

public class DruidHarness {
  static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();

  public static void main(String[] args) throws Exception {
    JsonObject spec = JsonParser.parseString(Files.readString(Path.of(args[0]))).getAsJsonObject().getAsJsonObject("spec");
    JsonObject io = spec.getAsJsonObject("ioConfig");
    JsonObject inputFormat = io.getAsJsonObject("inputFormat");
    Descriptor message = null;
    if (inputFormat.get("type").getAsString().equals("protobuf")) {
      String type = inputFormat.getAsJsonObject("protoBytesDecoder").get("protoMessageType").getAsString();
      message = findMessage(FileDescriptorSet.parseFrom(Files.readAllBytes(Path.of(args[1]))), type);
    }
    JsonObject schema = spec.getAsJsonObject("dataSchema");
    List<String[]> flatten = new ArrayList<>();
    for (JsonElement f : inputFormat.getAsJsonObject("flattenSpec").getAsJsonArray("fields")) {
      JsonObject o = f.getAsJsonObject();
      flatten.add(new String[] {o.get("name").getAsString(), o.get("expr").getAsString()});
    }
    Map<String, Expr> transforms = new LinkedHashMap<>();
    for (JsonElement t : schema.getAsJsonObject("transformSpec").getAsJsonArray("transforms")) {
      JsonObject o = t.getAsJsonObject();
      transforms.put(o.get("name").getAsString(), new Parser(o.get("expression").getAsString()).parseAll());
    }
    Map<String, String> columnTypes = new LinkedHashMap<>();
    for (JsonElement d : schema.getAsJsonObject("dimensionsSpec").getAsJsonArray("dimensions")) {
      JsonObject o = d.getAsJsonObject();
      columnTypes.put(o.get("name").getAsString(), o.get("type").getAsString());
    }
    for (JsonElement m : schema.getAsJsonArray("metricsSpec")) {
      JsonObject o = m.getAsJsonObject();
      if (o.has("fieldName")) columnTypes.putIfAbsent(o.get("fieldName").getAsString(), o.get("type").getAsString().startsWith("long") ? "long" : "double");
    }
    Configuration conf = Configuration.defaultConfiguration().addOptions(com.jayway.jsonpath.Option.SUPPRESS_EXCEPTIONS);
    StringBuilder out = new StringBuilder();
    for (String line : Files.readAllLines(Path.of(args[2]))) {
      if (line.isBlank()) continue;
      JsonObject result = new JsonObject();
      try {
        String druidJson = line;
        if (message != null) {
          DynamicMessage.Builder b = DynamicMessage.newBuilder(message);
          JsonFormat.parser().merge(line, b);
          // Through the wire, as Kafka carries it, then printed as Druid's protobuf reader prints it.
          DynamicMessage decoded = DynamicMessage.parseFrom(message, b.build().toByteArray());
          druidJson = JsonFormat.printer().print(decoded);
        }
        result.add("druidJson", JsonParser.parseString(druidJson));
        Object doc = conf.jsonProvider().parse(druidJson);
        Map<String, Object> row = new HashMap<>();
        for (String[] f : flatten) row.put(f[0], normalise(JsonPath.using(conf).parse(doc).read(f[1])));
        Map<String, Object> transformed = new HashMap<>(row);
        for (Map.Entry<String, Expr> t : transforms.entrySet()) transformed.put(t.getKey(), t.getValue().eval(row));
        Object time = transformed.get("__time");
        result.add("time", GSON.toJsonTree(time == null ? null : asLong(time)));
        JsonObject cols = new JsonObject();
        for (Map.Entry<String, String> c : columnTypes.entrySet()) cols.add(c.getKey(), GSON.toJsonTree(column(transformed.get(c.getKey()), c.getValue())));
        result.add("columns", cols);
      } catch (Exception e) {
        result.addProperty("error", e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      out.append(GSON.toJson(result)).append('\n');
    }
    System.out.print(out);
  }

  static Descriptor findMessage(FileDescriptorSet set, String name) throws Exception {
    Map<String, FileDescriptorProto> protos = new HashMap<>();
    for (FileDescriptorProto p : set.getFileList()) protos.put(p.getName(), p);
    Map<String, FileDescriptor> built = new HashMap<>();
    for (FileDescriptorProto p : set.getFileList()) {
      FileDescriptor fd = build(p.getName(), protos, built);
      for (Descriptor d : fd.getMessageTypes()) if (d.getFullName().equals(name)) return d;
    }
    throw new IllegalArgumentException("message " + name + " not in the descriptor set");
  }

  static FileDescriptor build(String name, Map<String, FileDescriptorProto> protos, Map<String, FileDescriptor> built) throws Exception {
    if (built.containsKey(name)) return built.get(name);
    FileDescriptorProto p = protos.get(name);
    List<FileDescriptor> deps = new ArrayList<>();
    for (String d : p.getDependencyList()) deps.add(build(d, protos, built));
    FileDescriptor fd = FileDescriptor.buildFrom(p, deps.toArray(new FileDescriptor[0]));
    built.put(name, fd);
    return fd;
  }

  /** JSON values as Druid's flattener hands them to the row: integral → Long, other numbers → Double. */
  static Object normalise(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short) return ((Number) v).longValue();
    if (v instanceof java.math.BigInteger) return ((Number) v).doubleValue();
    if (v instanceof Number) return ((Number) v).doubleValue();
    if (v instanceof List) {
      List<Object> l = new ArrayList<>();
      for (Object x : (List<?>) v) l.add(normalise(x));
      return l;
    }
    return v;
  }

  /** A transform's value as the dimension/metric column of `type` stores it. */
  static Object column(Object v, String type) {
    if (v == null) return null;
    switch (type) {
      case "string":
        if (v instanceof List) {
          List<Object> l = new ArrayList<>();
          for (Object x : (List<?>) v) l.add(x == null ? null : String.valueOf(x));
          return l.isEmpty() ? null : l.size() == 1 ? l.get(0) : l;
        }
        return String.valueOf(v);
      case "long": return asLongOrNull(v);
      default: {
        Number n = number(v);
        if (n == null) return null;
        double d = n.doubleValue();
        // NaN and infinities have no JSON number: reported as text so a difference is visible.
        return Double.isFinite(d) ? (Object) d : String.valueOf(d);
      }
    }
  }

  static Long asLongOrNull(Object v) {
    Number n = number(v);
    return n == null ? null : n.longValue();
  }

  static long asLong(Object v) {
    Long l = asLongOrNull(v);
    if (l == null) throw new IllegalStateException("__time is not a number: " + v);
    return l;
  }

  /** Druid's string → number: Long first, then Double (Guava's tryParse rules). */
  static Number number(Object v) {
    if (v == null) return null;
    if (v instanceof Number) return (Number) v;
    if (v instanceof Boolean) return ((Boolean) v) ? 1L : 0L;
    String s = String.valueOf(v);
    Long l = com.google.common.primitives.Longs.tryParse(s);
    if (l != null) return l;
    return com.google.common.primitives.Doubles.tryParse(s);
  }

  // ---- expressions ------------------------------------------------------------------------------

  interface Expr { Object eval(Map<String, Object> row); }

  static boolean truthy(Object v) {
    if (v == null) return false;
    if (v instanceof Long) return (Long) v != 0;
    if (v instanceof Double) return (Double) v != 0;
    if (v instanceof Boolean) return (Boolean) v;
    return Boolean.parseBoolean(String.valueOf(v));
  }

  static String asString(Object v) {
    if (v == null) return null;
    if (v instanceof List) throw new IllegalArgumentException("array where a string is expected");
    return String.valueOf(v);
  }

  static Object bool(boolean b) { return b ? 1L : 0L; }

  static Object call(String fn, List<Expr> a, Map<String, Object> row) {
    switch (fn) {
      case "isnull": return bool(a.get(0).eval(row) == null);
      case "notnull": return bool(a.get(0).eval(row) != null);
      case "nvl": { Object x = a.get(0).eval(row); return x != null ? x : a.get(1).eval(row); }
      case "if": return truthy(a.get(0).eval(row)) ? a.get(1).eval(row) : a.get(2).eval(row);
      case "case_searched": {
        for (int i = 0; i + 1 < a.size(); i += 2) if (truthy(a.get(i).eval(row))) return a.get(i + 1).eval(row);
        return a.size() % 2 == 1 ? a.get(a.size() - 1).eval(row) : null;
      }
      case "upper": { String s = asString(a.get(0).eval(row)); return s == null ? null : s.toUpperCase(Locale.ENGLISH); }
      case "lower": { String s = asString(a.get(0).eval(row)); return s == null ? null : s.toLowerCase(Locale.ENGLISH); }
      case "strlen": { String s = asString(a.get(0).eval(row)); return s == null ? null : (Object) (long) s.length(); }
      case "strpos": {
        String s = asString(a.get(0).eval(row)), t = asString(a.get(1).eval(row));
        return s == null || t == null ? null : (Object) (long) s.indexOf(t);
      }
      case "concat": {
        StringBuilder b = new StringBuilder();
        for (Expr e : a) { String s = asString(e.eval(row)); if (s == null) return null; b.append(s); }
        return b.toString();
      }
      case "replace": {
        String s = asString(a.get(0).eval(row)), p = asString(a.get(1).eval(row)), r = asString(a.get(2).eval(row));
        return s == null ? null : s.replace(p, r);
      }
      case "regexp_like": {
        String s = asString(a.get(0).eval(row));
        if (s == null) return bool(false);
        return bool(Pattern.compile(literalArg(a.get(1))).matcher(s).find());
      }
      case "regexp_extract": {
        String s = asString(a.get(0).eval(row));
        if (s == null) return null;
        Matcher m = Pattern.compile(literalArg(a.get(1))).matcher(s);
        int idx = a.size() > 2 ? ((Number) a.get(2).eval(row)).intValue() : 0;
        return m.find() ? m.group(idx) : null;
      }
      case "regexp_replace": {
        String s = asString(a.get(0).eval(row));
        if (s == null) return null;
        return Pattern.compile(literalArg(a.get(1))).matcher(s).replaceAll(literalArg(a.get(2)));
      }
      case "floor": { Number n = number(a.get(0).eval(row)); return n == null ? null : (Object) Math.floor(n.doubleValue()); }
      case "cast": {
        Object v = a.get(0).eval(row);
        String to = literalArg(a.get(1));
        if (v == null) return null;
        switch (to) {
          case "STRING": return asString(v);
          case "LONG": { Number n = number(v); return n == null ? null : (Object) n.longValue(); }
          case "DOUBLE": { Number n = number(v); return n == null ? null : (Object) n.doubleValue(); }
          default: throw new IllegalArgumentException("cast to " + to);
        }
      }
      case "timestamp_parse": {
        String s = asString(a.get(0).eval(row));
        if (s == null) return null;
        String pattern = a.size() > 1 ? (String) a.get(1).eval(row) : null;
        DateTimeZone zone = a.size() > 2 ? DateTimeZone.forID((String) a.get(2).eval(row)) : DateTimeZone.UTC;
        DateTimeFormatter f = pattern == null ? defaultParser(zone) : DateTimeFormat.forPattern(pattern).withZone(zone);
        try { return f.parseMillis(s); } catch (IllegalArgumentException e) { return null; }
      }
      default: throw new IllegalArgumentException("function " + fn + " is not one mapstack emits");
    }
  }

  /** Druid's timestamp_parse without a pattern: ISO-8601 date, then 'T' or ' ' and an optional time and offset. */
  static DateTimeFormatter defaultParser(DateTimeZone zone) {
    DateTimeParser offset = new DateTimeFormatterBuilder().appendTimeZoneOffset("Z", true, 2, 4).toParser();
    DateTimeParser timeOrOffset = new DateTimeFormatterBuilder()
        .append(null, new DateTimeParser[] {new DateTimeFormatterBuilder().appendLiteral('T').toParser(), new DateTimeFormatterBuilder().appendLiteral(' ').toParser()})
        .appendOptional(ISODateTimeFormat.timeElementParser().getParser())
        .appendOptional(offset)
        .toParser();
    return new DateTimeFormatterBuilder().append(ISODateTimeFormat.dateElementParser()).appendOptional(timeOrOffset).toFormatter().withZone(zone);
  }

  static String literalArg(Expr e) {
    Object v = e.eval(Collections.emptyMap());
    if (!(v instanceof String)) throw new IllegalArgumentException("expected a string literal argument");
    return (String) v;
  }

  static int compare(Object l, Object r) {
    if (l instanceof String && r instanceof String) return ((String) l).compareTo((String) r);
    Number a = number(l), b = number(r);
    if (a == null || b == null) return Integer.MIN_VALUE;
    if (a instanceof Long && b instanceof Long) return Long.compare(a.longValue(), b.longValue());
    return Double.compare(a.doubleValue(), b.doubleValue());
  }

  static final class Parser {
    final String src;
    int pos;
    Parser(String s) { src = s; }

    Expr parseAll() {
      Expr e = or();
      skip();
      if (pos != src.length()) throw new IllegalArgumentException("unexpected '" + src.substring(pos) + "' in " + src);
      return e;
    }

    void skip() { while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) pos++; }
    boolean eat(String t) {
      skip();
      if (src.startsWith(t, pos)) { pos += t.length(); return true; }
      return false;
    }

    Expr or() {
      Expr l = and();
      while (eat("||")) {
        Expr a = l, b = and();
        l = row -> {
          Object x = a.eval(row), y = b.eval(row);
          if (truthy(x) || truthy(y)) return 1L;
          return x == null || y == null ? null : (Object) 0L;
        };
      }
      return l;
    }

    Expr and() {
      Expr l = cmp();
      while (eat("&&")) {
        Expr a = l, b = cmp();
        l = row -> {
          Object x = a.eval(row), y = b.eval(row);
          if ((x != null && !truthy(x)) || (y != null && !truthy(y))) return 0L;
          return x == null || y == null ? null : (Object) 1L;
        };
      }
      return l;
    }

    Expr cmp() {
      Expr l = add();
      for (String op : new String[] {"==", "!=", "<=", ">=", "<", ">"}) {
        if (eat(op)) {
          Expr a = l, b = add();
          return row -> {
            Object x = a.eval(row), y = b.eval(row);
            if (x == null || y == null) return null;
            int c = compare(x, y);
            if (c == Integer.MIN_VALUE) return null;
            switch (op) {
              case "==": return bool(c == 0);
              case "!=": return bool(c != 0);
              case "<=": return bool(c <= 0);
              case ">=": return bool(c >= 0);
              case "<": return bool(c < 0);
              default: return bool(c > 0);
            }
          };
        }
      }
      return l;
    }

    Expr add() {
      Expr l = mul();
      while (true) {
        skip();
        if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
          char op = src.charAt(pos++);
          Expr a = l, b = mul();
          l = row -> arith(op, a.eval(row), b.eval(row));
        } else return l;
      }
    }

    Expr mul() {
      Expr l = unary();
      while (true) {
        skip();
        if (pos < src.length() && (src.charAt(pos) == '*' || src.charAt(pos) == '/')) {
          char op = src.charAt(pos++);
          Expr a = l, b = unary();
          l = row -> arith(op, a.eval(row), b.eval(row));
        } else return l;
      }
    }

    static Object arith(char op, Object x, Object y) {
      Number a = number(x), b = number(y);
      if (a == null || b == null) return null;
      if (a instanceof Long && b instanceof Long) {
        long p = a.longValue(), q = b.longValue();
        return op == '+' ? p + q : op == '-' ? p - q : op == '*' ? p * q : p / q;
      }
      double p = a.doubleValue(), q = b.doubleValue();
      return op == '+' ? p + q : op == '-' ? p - q : op == '*' ? p * q : p / q;
    }

    Expr unary() {
      if (eat("!")) { Expr e = unary(); return row -> { Object v = e.eval(row); return v == null ? null : bool(!truthy(v)); }; }
      skip();
      if (pos < src.length() && src.charAt(pos) == '-' && !Character.isDigit(src.charAt(pos + 1))) {
        pos++;
        Expr e = unary();
        return row -> arith('-', 0L, e.eval(row));
      }
      return primary();
    }

    Expr primary() {
      skip();
      char c = src.charAt(pos);
      if (c == '(') { pos++; Expr e = or(); if (!eat(")")) throw new IllegalArgumentException("missing ) in " + src); return e; }
      if (c == '\'') { String s = quoted('\''); return row -> s; }
      if (c == '"') { String name = quoted('"'); return row -> row.get(name); }
      if (Character.isDigit(c) || c == '-') {
        Matcher m = Pattern.compile("-?\\d+(\\.\\d*)?([eE][-+]?\\d+)?").matcher(src).region(pos, src.length());
        if (!m.lookingAt()) throw new IllegalArgumentException("bad number at " + pos);
        pos = m.end();
        String t = m.group();
        Object v = (m.group(1) == null && m.group(2) == null) ? (Object) Long.parseLong(t) : (Object) Double.parseDouble(t);
        return row -> v;
      }
      Matcher m = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*").matcher(src).region(pos, src.length());
      if (!m.lookingAt()) throw new IllegalArgumentException("unexpected '" + c + "' at " + pos + " in " + src);
      pos = m.end();
      String name = m.group();
      if (name.equals("null")) return row -> null;
      if (eat("(")) {
        List<Expr> args = new ArrayList<>();
        if (!eat(")")) {
          do args.add(or()); while (eat(","));
          if (!eat(")")) throw new IllegalArgumentException("missing ) after arguments of " + name);
        }
        return row -> call(name, args, row);
      }
      return row -> row.get(name);
    }

    /** A quoted literal, unescaped as Java source (what Druid's grammar does with StringEscapeUtils). */
    String quoted(char q) {
      pos++;
      StringBuilder b = new StringBuilder();
      while (true) {
        char c = src.charAt(pos++);
        if (c == q) return b.toString();
        if (c != '\\') { b.append(c); continue; }
        char n = src.charAt(pos++);
        switch (n) {
          case 'n': b.append('\n'); break;
          case 't': b.append('\t'); break;
          case 'r': b.append('\r'); break;
          case 'b': b.append('\b'); break;
          case 'f': b.append('\f'); break;
          case 'u': b.append((char) Integer.parseInt(src.substring(pos, pos + 4), 16)); pos += 4; break;
          default: b.append(n);
        }
      }
    }
  }
}
