// A Druid expression (transformSpec transform) → DSL inputs and ops, only where a DSL op computes exactly
// what Druid computes on the column; anything else is reported with the reason and left out.
//   column                 → the column
//   upper(x) / lower(x)    → upper / lower (Druid: String.toUpperCase/toLowerCase, null stays null)
//   trim/ltrim/rtrim(x[, chars]) → regex_replace removing those characters (Druid's default is the
//                            space only, unlike the DSL's trim, which strips all whitespace)
//   nvl(a, b)              → inputs [a, b] + coalesce (innermost only: the DSL reduces lists after it)

export type Expr =
  | { kind: "column"; name: string }
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "call"; fn: string; args: Expr[] }
  | { kind: "other"; text: string };

export class ExpressionSyntaxError extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

/** Parses the part of Druid's expression grammar the importer translates; operators become `other`. */
export function parseDruidExpression(text: string): Expr {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const primary = (): Expr => {
    ws();
    const c = text[i];
    if (c === "'") {
      let out = "";
      i++;
      while (i < text.length && text[i] !== "'") {
        if (text[i] === "\\" && i + 1 < text.length) {
          const e = text[i + 1];
          out += e === "n" ? "\n" : e === "t" ? "\t" : e;
          i += 2;
        } else out += text[i++];
      }
      if (text[i] !== "'") throw new ExpressionSyntaxError(i, "unterminated string literal");
      i++;
      return { kind: "string", value: out };
    }
    if (c === '"') {
      let out = "";
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\\" && i + 1 < text.length) i++;
        out += text[i++];
      }
      if (text[i] !== '"') throw new ExpressionSyntaxError(i, "unterminated quoted identifier");
      i++;
      return { kind: "column", name: out };
    }
    const num = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i));
    if (num) {
      i += num[0].length;
      return { kind: "number", value: Number(num[0]) };
    }
    const id = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(text.slice(i));
    if (!id) throw new ExpressionSyntaxError(i, c === undefined ? "unexpected end of expression" : `unexpected ${JSON.stringify(c)}`);
    i += id[0].length;
    ws();
    if (text[i] !== "(") return { kind: "column", name: id[0] };
    i++;
    const args: Expr[] = [];
    ws();
    if (text[i] === ")") {
      i++;
      return { kind: "call", fn: id[0], args };
    }
    while (true) {
      args.push(expression());
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === ")") {
        i++;
        return { kind: "call", fn: id[0], args };
      }
      throw new ExpressionSyntaxError(i, `expected ',' or ')' in the arguments of ${id[0]}`);
    }
  };
  const expression = (): Expr => {
    const start = i;
    const e = primary();
    ws();
    // Operators (+, ==, &&, …) have Druid's numeric/boolean coercions: no exact DSL op, kept as text.
    if (i < text.length && !",)".includes(text[i])) {
      let depth = 0;
      while (i < text.length && !(depth === 0 && ",)".includes(text[i]))) {
        if (text[i] === "(") depth++;
        if (text[i] === ")") depth--;
        i++;
      }
      return { kind: "other", text: text.slice(start, i).trim() };
    }
    return e;
  };
  const e = expression();
  ws();
  if (i < text.length) throw new ExpressionSyntaxError(i, `unexpected ${JSON.stringify(text[i])}`);
  return e;
}

export type DslInput = { kind: "column"; name: string } | { kind: "literal"; value: string | number };
export type DslOp = Record<string, unknown> & { op: string };

export type Translation =
  | { ok: true; inputs: DslInput[]; ops: DslOp[]; /** The columns read, for type checks. */ columns: string[] }
  | { ok: false; reason: string };

/** Python regex character class of the characters Druid's trim removes. */
function charClass(chars: string): string {
  return `[${[...chars].map((c) => (/[\\\]\[^-]/.test(c) ? `\\${c}` : c)).join("")}]`;
}

export function translateExpression(e: Expr): Translation {
  if (e.kind === "column") return { ok: true, inputs: [{ kind: "column", name: e.name }], ops: [], columns: [e.name] };
  if (e.kind === "other") return { ok: false, reason: `operator expression '${e.text}' has Druid's numeric and boolean coercions, which no DSL op reproduces` };
  if (e.kind !== "call") return { ok: false, reason: "a constant is not a column (use a literal input by hand if you need one)" };
  const fn = e.fn.toLowerCase();
  if (fn === "upper" || fn === "lower") {
    if (e.args.length !== 1) return { ok: false, reason: `${fn} takes one argument` };
    const inner = translateExpression(e.args[0]);
    if (!inner.ok) return inner;
    return { ...inner, ops: [...inner.ops, { op: fn }] };
  }
  if (fn === "trim" || fn === "ltrim" || fn === "rtrim") {
    if (e.args.length < 1 || e.args.length > 2) return { ok: false, reason: `${fn} takes one or two arguments` };
    const chars = e.args[1];
    if (chars && chars.kind !== "string") return { ok: false, reason: `${fn} with computed characters` };
    const set = chars ? chars.value : " ";
    if (!set) return translateExpression(e.args[0]);
    const inner = translateExpression(e.args[0]);
    if (!inner.ok) return inner;
    const cls = charClass(set);
    const pattern = fn === "trim" ? `^${cls}+|${cls}+$` : fn === "ltrim" ? `^${cls}+` : `${cls}+$`;
    return { ...inner, ops: [...inner.ops, { op: "regex_replace", pattern, repl: "" }] };
  }
  if (fn === "nvl") {
    if (e.args.length !== 2) return { ok: false, reason: "nvl takes two arguments" };
    const inputs: DslInput[] = [];
    const columns: string[] = [];
    for (const a of e.args) {
      if (a.kind === "column") {
        inputs.push({ kind: "column", name: a.name });
        columns.push(a.name);
      } else if (a.kind === "string" || a.kind === "number") inputs.push({ kind: "literal", value: a.value });
      else return { ok: false, reason: "nvl over computed values: the DSL's coalesce reads inputs, not results of other ops" };
    }
    return { ok: true, inputs, ops: [{ op: "coalesce" }], columns };
  }
  return { ok: false, reason: `Druid function ${e.fn}() has no DSL op with the same results` };
}
