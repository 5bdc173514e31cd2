// JSONPath selection: our parser + closure compiler, its edge cases, and a cross-check against jsonpath-plus.
import { JSONPath } from "jsonpath-plus";
import { describe, expect, it } from "vitest";
import { compileSelector } from "../../src/dsl/jsonpath";
import { JsonPathSyntaxError, parseJsonPath } from "../../src/dsl/jsonpath-parse";
import { runField, valueOf } from "./helpers";

const select = (path: string, doc: unknown): unknown => compileSelector(parseJsonPath(path))(doc);

const books = {
  store: {
    book: [
      { category: "reference", author: "Nigel Rees", title: "Sayings", price: 8.95, tags: ["a", "b"] },
      { category: "fiction", author: "Evelyn Waugh", title: "Sword", price: 12.99, isbn: "0-553" },
      { category: "fiction", author: "Herman Melville", title: "Moby Dick", price: 8.99, isbn: "0-395", meta: { price: 1 } },
      { category: "fiction", author: "J. R. R. Tolkien", title: "The Lord of the Rings", price: 22.99 },
    ],
    bicycle: { color: "red", price: 19.95 },
  },
  empty: [],
  n: 0,
  flag: false,
  s: "str",
};

describe("missing paths", () => {
  it("a definite path that is missing selects null; an indefinite one selects []", () => {
    expect(select("$.missing", books)).toBeNull();
    expect(select("$.store.missing.deeper", books)).toBeNull();
    expect(select("$.store.book[10]", books)).toBeNull();
    expect(select("$.missing[*]", books)).toEqual([]);
    expect(select("$..nothing", books)).toEqual([]);
  });
  it("falsy values are values, not missing", () => {
    expect(select("$.n", books)).toBe(0);
    expect(select("$.flag", books)).toBe(false);
    expect(valueOf({ input: [{ kind: "jsonpath", expr: "$.n" }], pipeline: [{ op: "cast", to: "string" }] }, books)).toBe("0");
  });
  it("a missing value is written as null, as the seed writes it", () => {
    const r = runField({ input: [{ kind: "jsonpath", expr: "$.store.missing" }] }, [books]).results[0];
    expect(r.ok && r.doc._source).toEqual({ v: null });
  });
  it("selecting through a scalar or into an array by name finds nothing", () => {
    expect(select("$.s.length", books)).toBeNull();
    expect(select("$.store.book.length", books)).toBeNull();
    expect(select("$.s[0]", books)).toBeNull();
    expect(select("$.s[*]", books)).toEqual([]);
  });
});

describe("wildcards, indexes and slices", () => {
  it("[*] and .* select array elements and object members in order", () => {
    expect(select("$.store.book[*].price", books)).toEqual([8.95, 12.99, 8.99, 22.99]);
    expect(select("$.store.bicycle.*", books)).toEqual(["red", 19.95]);
    expect(select("$.store.book[*].tags[*]", books)).toEqual(["a", "b"]);
  });
  it("empty arrays select nothing", () => {
    expect(select("$.empty[*]", books)).toEqual([]);
    expect(select("$.empty[0]", books)).toBeNull();
    expect(select("$.empty", books)).toEqual([]);
  });
  it("negative indexes count from the end; unions keep their order", () => {
    expect(select("$.store.book[-1].title", books)).toBe("The Lord of the Rings");
    expect(select("$.store.book[-5]", books)).toBeNull();
    expect(select("$.store.book[3,0].price", books)).toEqual([22.99, 8.95]);
    expect(select("$.store.bicycle['price','color']", books)).toEqual([19.95, "red"]);
  });
  it("slices: start/end/step, negative bounds, out-of-range bounds, negative step", () => {
    const a = { a: [0, 1, 2, 3, 4, 5] };
    expect(select("$.a[1:3]", a)).toEqual([1, 2]);
    expect(select("$.a[:2]", a)).toEqual([0, 1]);
    expect(select("$.a[-2:]", a)).toEqual([4, 5]);
    expect(select("$.a[::2]", a)).toEqual([0, 2, 4]);
    expect(select("$.a[1:100]", a)).toEqual([1, 2, 3, 4, 5]);
    expect(select("$.a[-100:1]", a)).toEqual([0]);
    expect(select("$.a[::-1]", a)).toEqual([5, 4, 3, 2, 1, 0]);
    expect(select("$.a[4:1:-2]", a)).toEqual([4, 2]);
    expect(select("$.a[3:3]", a)).toEqual([]);
  });
});

describe("filters", () => {
  it("compare members with literals, combine with && || ! and parentheses", () => {
    expect(select("$.store.book[?(@.price < 10)].title", books)).toEqual(["Sayings", "Moby Dick"]);
    expect(select("$.store.book[?(@.price < 10 && @.category == 'fiction')].title", books)).toEqual(["Moby Dick"]);
    expect(select("$.store.book[?(@.price > 20 || @.category == \"reference\")].title", books)).toEqual(["Sayings", "The Lord of the Rings"]);
    expect(select("$.store.book[?(!(@.price >= 9))].title", books)).toEqual(["Sayings", "Moby Dick"]);
    expect(select("$.store.book[?(@.meta.price == 1)].title", books)).toEqual(["Moby Dick"]);
  });
  it("existence tests: present and truthy", () => {
    expect(select("$.store.book[?(@.isbn)].title", books)).toEqual(["Sword", "Moby Dick"]);
    expect(select("$.store.book[?(!@.isbn)].title", books)).toEqual(["Sayings", "The Lord of the Rings"]);
  });
  it("does not coerce types: '8.95' is not 8.95, and strings do not order against numbers", () => {
    expect(select("$.store.book[?(@.price == '8.95')]", books)).toEqual([]);
    expect(select("$.store.book[?(@.title < 5)]", books)).toEqual([]);
    expect(select("$.x[?(@ == 'b')]", { x: ["a", "b", 2] })).toEqual(["b"]);
    expect(select("$.x[?(@ > 1)]", { x: ["a", "b", 2] })).toEqual([2]);
  });
  it("selects fee legs of a settlement", () => {
    const doc = { legs: [{ type: "LEG_TYPE_FEE", amount: { value: "1.00" } }, { type: "LEG_TYPE_PRINCIPAL", amount: { value: "9" } }, { type: "LEG_TYPE_FEE" }] };
    expect(select("$.legs[?(@.type == 'LEG_TYPE_FEE')].amount.value", doc)).toEqual(["1.00"]);
  });
});

describe("recursive descent", () => {
  it("..name finds every member of that name, document order", () => {
    expect(select("$..price", books)).toEqual([8.95, 12.99, 8.99, 1, 22.99, 19.95]);
    expect(select("$.store..author", books)).toHaveLength(4);
  });
  it("..* selects every value below the node", () => {
    expect(select("$.store.bicycle..*", books)).toEqual(["red", 19.95]);
  });
  it("does not overflow the stack on a 20 000-level deep document", () => {
    let doc: Record<string, unknown> = { x: "bottom" };
    for (let i = 0; i < 20_000; i++) doc = { n: doc };
    expect(select("$..x", doc)).toEqual(["bottom"]);
  });
});

describe("prototype keys", () => {
  it("__proto__ and constructor are data keys, never JavaScript internals", () => {
    const doc = JSON.parse('{"__proto__": {"polluted": "yes"}, "a": {}, "arr": [1]}');
    expect(select("$.__proto__.polluted", doc)).toBe("yes");
    expect(select("$['__proto__'].polluted", doc)).toBe("yes");
    expect(select("$.a.__proto__", doc)).toBeNull();
    expect(select("$.a.constructor", doc)).toBeNull();
    expect(select("$.a.toString", doc)).toBeNull();
    expect(select("$.arr.constructor", doc)).toBeNull();
    expect(select("$..constructor", doc)).toEqual([]);
    expect(select("$.a[?(@.constructor)]", doc)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it("an objectify key named __proto__ is an ordinary output key", () => {
    const lit = { kind: "literal", value: null };
    const f = { input: [{ kind: "jsonpath", expr: "$.rows" }], pipeline: [{ op: "objectify", fields: { ["__proto__"]: lit, x: lit } }], type: "nested" };
    const r = runField(JSON.parse(JSON.stringify(f).replace('"x"', '"x"')), [{ rows: [[{ polluted: 1 }, 2], [3, 4]] }]).results[0];
    expect(r.ok).toBe(true);
    const obj = (r as { doc: { _source: { v: Array<Record<string, unknown>> } } }).doc._source.v[0];
    expect(JSON.stringify(obj)).toBe('{"__proto__":{"polluted":1},"x":2}');
    expect(Object.getPrototypeOf(obj)).toBe(Object.prototype);
  });
});

describe("syntax errors", () => {
  const offsetOf = (p: string): [string, number] => {
    try {
      parseJsonPath(p);
    } catch (e) {
      if (e instanceof JsonPathSyntaxError) return [e.message, e.offset];
      throw e;
    }
    throw new Error(`${p} parsed`);
  };
  it("reports the offset of the problem", () => {
    expect(offsetOf("order.id")).toEqual(["a JSONPath starts with '$'", 0]);
    expect(offsetOf("$.a[")).toEqual(["expected *, an index, a slice, a quoted name or a ?(filter) inside [ ]", 4]);
    expect(offsetOf("$.a[?(@.b ==)]")[1]).toBe(12);
    expect(offsetOf("$.a['b")).toEqual(["unterminated string", 6]);
    expect(offsetOf("$.a[::0]")).toEqual(["slice step cannot be 0", 7]);
    expect(offsetOf("$.a b")).toEqual(["unexpected ' '", 3]);
    expect(offsetOf("$.")).toEqual(["expected a member name", 2]);
  });
});

describe("cross-check against jsonpath-plus", () => {
  // jsonpath-plus is the de-facto JavaScript JSONPath. Left out, on purpose: [-1] (it only supports [-1:]),
  // .length on arrays/strings (it exposes JavaScript properties) and filters on missing nested members (it throws).
  const docs: unknown[] = [
    books,
    {
      legs: [{ legId: "L1", type: "FEE", amount: { value: "1.00" } }, { legId: "L2", type: "PRINCIPAL", amount: { value: "9" } }, { legId: "L3", type: "FEE" }],
      a: { b: { c: [1, 2, [3, 4]] } },
      "key with space": 1,
      "dash-key": 2,
    },
    { order: { id: "o1", skus: ["a", "b"], coupons: [{ code: "x" }, { code: "y", meta: { code: "z" } }] }, customer: { email: "e" } },
    [{ a: 1 }, { a: 2, b: [{ a: 3 }] }],
  ];
  const paths = [
    "$.store.book[*].author", "$..author", "$.store.*", "$.store..price", "$..book[2]", "$..book[-1:]", "$..book[0,1]",
    "$..book[:2]", "$..book[1:3]", "$..book[::2]", "$..book[?(@.isbn)]", "$..book[?(@.price < 10)]",
    "$..book[?(@.price < 10 && @.category == 'fiction')].title", "$..book[?(@.price > 20 || @.category == 'reference')].title",
    "$..book[?(!@.isbn)].title", "$.store.book[*].tags[*]", "$..*", "$.empty[*]", "$.empty", "$.missing", "$.missing[*]",
    "$.missing.deep", "$.n", "$.flag", "$.s", "$.s[*]", "$.legs[?(@.type == 'FEE')].amount.value", "$.legs[*].legId",
    "$.a.b.c[2][0]", "$.a..c", "$['key with space']", "$['dash-key']", "$.dash-key", "$.a.b.c[*]", "$.a.*.c",
    "$.store.book[?(@.price != 8.95)].title", "$.store.book[?(@.price >= 12.99)].price", "$.store.book[?(@.price <= 8.99)].price",
    "$.a.b.c[5]", "$.store.book[1:100].title", "$.store.book[-100:1].title", "$.order.coupons[*].code", "$..code",
    "$.order.skus[*]", "$.customer.email", "$[*].a", "$..a", "$[1].b[0].a", "$[0:1]", "$..b[*].a",
  ];
  const cases = paths.flatMap((p) => docs.map((json, i) => [p, i, json] as const));
  it.each(cases.map(([p, i]) => [p, i]))("%s on document %i selects what jsonpath-plus selects", (p, i) => {
    const json = docs[i as number] as object;
    const sel = parseJsonPath(p as string);
    const v = compileSelector(sel)(json);
    const ours = sel.definite ? (v === null ? [] : [v]) : v;
    expect(ours).toEqual(JSONPath({ path: p as string, json, wrap: true }));
  });
});
