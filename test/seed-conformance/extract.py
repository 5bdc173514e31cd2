#!/usr/bin/python3
"""Collect the mapping documents and example rows that the seed repository ships as data.

Usage: /usr/bin/python3 test/seed-conformance/extract.py <seed-checkout-dir>

<seed-checkout-dir> holds the seed's `backend/` and `docs/` folders. Reads (never imports) the
seed's mapping tests, `backend/test_*.json` and the JSON examples of `docs/mapping/*.md`, and
writes one case file per mapping into cases/seed-tests, cases/seed-json and cases/seed-docs
(name, source, mapping, rows). record.py then adds what the seed does with them.
"""
from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"


class Unknown(Exception):
    pass


def evaluate(node, env):
    """Evaluate a literal-ish Python expression (dicts, lists, constants, names, f-strings, ** splats)."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Dict):
        out = {}
        for k, v in zip(node.keys, node.values):
            if k is None:
                out.update(evaluate(v, env))
            else:
                out[evaluate(k, env)] = evaluate(v, env)
        return out
    if isinstance(node, (ast.List, ast.Tuple)):
        return [evaluate(e, env) for e in node.elts]
    if isinstance(node, ast.Name):
        if node.id in env:
            return json.loads(json.dumps(env[node.id]))
        raise Unknown(node.id)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -evaluate(node.operand, env)
    if isinstance(node, ast.JoinedStr):
        return "".join(str(evaluate(v.value, env)) if isinstance(v, ast.FormattedValue) else v.value
                       for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        left, right = evaluate(node.left, env), evaluate(node.right, env)
        return left * right
    if isinstance(node, ast.ListComp):
        raise Unknown("comprehension")
    raise Unknown(type(node).__name__)


def split_body(value):
    """A dry-run body is the mapping with `rows` or `sample.rows` beside it."""
    mapping = {k: v for k, v in value.items() if k not in ("rows", "sample")}
    rows = (value.get("sample") or {}).get("rows") or value.get("rows") or []
    return mapping, rows


def from_function(fn):
    found = []  # (mapping, rows)

    def visit(stmts, env):
        for st in stmts:
            if isinstance(st, ast.For) and isinstance(st.target, ast.Name):
                try:
                    items = evaluate(st.iter, env)
                except Unknown:
                    items = []
                for it in items:
                    visit(st.body, {**env, st.target.id: it})
                continue
            if isinstance(st, (ast.With, ast.AsyncWith, ast.If, ast.Try)):
                visit(st.body, env)
            if isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Name):
                try:
                    env[st.targets[0].id] = evaluate(st.value, env)
                except Unknown:
                    pass
            for sub in ast.walk(st):
                if isinstance(sub, ast.Call):
                    for kw in sub.keywords:
                        if kw.arg == "json":
                            try:
                                v = evaluate(kw.value, env)
                            except Unknown:
                                continue
                            if isinstance(v, dict) and "fields" in v:
                                found.append(split_body(v))
            for v in list(env.values()):
                if isinstance(v, dict) and "fields" in v:
                    found.append(split_body(v))

    visit(fn.body, {})
    # one case per distinct mapping; keep the rows it was run with, if any
    best = {}
    for mapping, rows in found:
        key = json.dumps(mapping, sort_keys=True)
        if key not in best or (rows and not best[key]):
            best[key] = rows
    return [(json.loads(k), r) for k, r in best.items()]


SEGMENT = re.compile(r"\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\*|-?\d+|'[^']*')\]")


def put(node, segs, leaf):
    """Grow `node` so that the simple JSONPath segments `segs` reach `leaf` (arrays get two items)."""
    if not segs:
        return
    kind, key = segs[0]
    if kind == "field":
        if len(segs) == 1:
            node.setdefault(key, leaf)
            return
        nxt = segs[1]
        child = node.setdefault(key, [] if nxt[0] == "index" else {})
        if isinstance(child, list):
            while len(child) < 2:
                child.append({} if len(segs) > 2 else f"{leaf} {len(child) + 1}")
            for item in child:
                if isinstance(item, dict):
                    put(item, segs[2:], leaf)
        elif isinstance(child, dict):
            put(child, segs[1:], leaf)


def synth_row(mapping):
    """A row that gives every input of a rowless mapping something to read (values are ours)."""
    row = {}
    for i, f in enumerate(mapping.get("fields") or []):
        if not isinstance(f, dict):
            continue
        leaf = f"  Value{i} "
        for inp in f.get("input") or []:
            if not isinstance(inp, dict):
                continue
            if inp.get("kind") == "column" and isinstance(inp.get("name"), str):
                row.setdefault(inp["name"], leaf)
            elif inp.get("kind") == "jsonpath" and isinstance(inp.get("expr"), str) and inp["expr"].startswith("$"):
                segs = []
                for m in SEGMENT.finditer(inp["expr"][1:]):
                    if m.group(1):
                        segs.append(("field", m.group(1)))
                    elif m.group(2).startswith("'"):
                        segs.append(("field", m.group(2)[1:-1]))
                    else:
                        segs.append(("index", m.group(2)))
                put(row, segs, leaf)
    return row


def write(group, name, source, mapping, rows):
    if not rows and isinstance(mapping, dict):
        rows = [synth_row(mapping), {}]
    path = CASES / group / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    case = {"name": name, "source": source, "mapping": mapping, "rows": rows}
    if path.exists():  # keep the recorded result until record.py runs again
        old = json.loads(path.read_text())
        case = {**old, **case}
    path.write_text(json.dumps(case, indent=1, ensure_ascii=False) + "\n")


def seed_tests(root: Path):
    n = 0
    tests = sorted(root.glob("backend/tests/**/test_*mapping*.py")) + [root / "backend/tests/domain/mapping/test_dsl_v21.py"]
    for f in tests:
        rel = f.relative_to(root)
        tree = ast.parse(f.read_text())
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) or not fn.name.startswith("test_"):
                continue
            cases = from_function(fn)
            for i, (mapping, rows) in enumerate(cases):
                suffix = f"_{i + 1}" if len(cases) > 1 else ""
                write("seed-tests", f"{f.stem}__{fn.name}{suffix}", f"seed tests: {rel}::{fn.name}", mapping, rows)
                n += 1
    return n


def seed_json(root: Path):
    n = 0
    for f in sorted((root / "backend").glob("test_*.json")):
        doc = json.loads(f.read_text())
        if isinstance(doc, dict) and "fields" in doc:
            mapping, rows = split_body(doc)
            write("seed-json", f.stem, f"seed tests: {f.relative_to(root)}", mapping, rows)
            n += 1
    return n


def json_blocks(text):
    for m in re.finditer(r"```json\s*\n(.*?)```", text, re.S):
        try:
            yield json.loads(m.group(1))
        except ValueError:
            continue


def seed_docs(root: Path):
    """Mappings of docs/mapping/*.md; an input document shown just before a mapping is its row."""
    n = 0
    for f in sorted((root / "docs/mapping").glob("*.md")):
        blocks = list(json_blocks(f.read_text()))
        k = 0
        for i, b in enumerate(blocks):
            if not (isinstance(b, dict) and "fields" in b and isinstance(b["fields"], list)):
                continue
            prev = blocks[i - 1] if i else None
            rows = [prev] if isinstance(prev, dict) and not ({"fields", "op", "_source", "containers", "input"} & prev.keys()) else []
            k += 1
            write("seed-docs", f"{f.stem}_{k}", f"seed docs: {f.relative_to(root)}", b, rows)
            n += 1
    return n


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    root = Path(argv[1]).resolve()
    print("seed tests:", seed_tests(root), "| backend json:", seed_json(root), "| docs:", seed_docs(root))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
