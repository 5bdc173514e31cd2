#!/usr/bin/python3
"""Record what the seed mapping service does on every case of this corpus.

Usage: /usr/bin/python3 test/seed-conformance/record.py <seed-backend-dir> [case files or dirs...]

<seed-backend-dir> is the `backend` folder of an exported checkout of the seed service
(daconrilcy/elasticsearch-analyzer-app). Nothing of the seed is kept here: this harness only
imports its executor and validator modules from that folder, runs them on each case's
`mapping` and `rows`, and writes back the case's `seed`, `seed_works` and `seed_bug` keys.

Runs on Debian's Python 3 with python3-jsonschema, python3-prometheus-client and
python3-jsonpath-rw(-ext); jsonpath-ng (the seed's dependency) is not packaged, so a one-line
stand-in module exposing jsonpath_rw's `parse` (same basic grammar) is put on sys.path.
"""
from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import json
import math
import os
import re
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
MANUAL = HERE / "manual-bugs.json"


def install_jsonpath_standin() -> None:
    shim_dir = Path(tempfile.mkdtemp(prefix="seed-jsonpath-"))
    (shim_dir / "jsonpath_ng.py").write_text(
        "# stand-in for jsonpath-ng: jsonpath_rw is the project it forked, same basic grammar\n"
        "from jsonpath_rw import parse  # noqa: F401\n"
    )
    sys.path.insert(0, str(shim_dir))


def load_package(alias: str, folder: Path, submodule: str):
    """Import <folder>/<submodule>.py as <alias>.<submodule> without the seed app's package chain."""
    spec = importlib.util.spec_from_file_location(
        alias, folder / "__init__.py", submodule_search_locations=[str(folder)])
    pkg = importlib.util.module_from_spec(spec)
    sys.modules[alias] = pkg
    spec.loader.exec_module(pkg)
    return importlib.import_module(f"{alias}.{submodule}")


# ---------- serialisation as the service's response models do it ----------

class Unserialisable(Exception):
    pass


def iso(d: dt.datetime) -> str:
    s = f"{d.year:04d}-{d.month:02d}-{d.day:02d}T{d.hour:02d}:{d.minute:02d}:{d.second:02d}"
    if d.microsecond:
        s += f".{d.microsecond:06d}"
    off = d.utcoffset()
    if off is None:
        return s
    if off == dt.timedelta(0):
        return s + "Z"
    total = int(off.total_seconds())
    sign = "+" if total >= 0 else "-"
    total = abs(total)
    return s + f"{sign}{total // 3600:02d}:{(total % 3600) // 60:02d}"


def to_json(v):
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return None if (math.isnan(v) or math.isinf(v)) else v
    if isinstance(v, dt.datetime):
        return iso(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, (list, tuple, set, frozenset)):
        return [to_json(x) for x in v]
    if isinstance(v, dict):
        return {str(k): to_json(x) for k, x in v.items()}
    raise Unserialisable(f"PydanticSerializationError: Unable to serialize unknown type: {type(v)!r}")


# ---------- running the seed ----------

class Seed:
    def __init__(self, backend: Path):
        install_jsonpath_standin()
        mapping_dir = backend / "app" / "domain" / "mapping"
        self.executor = load_package("seed_executor", mapping_dir / "executor", "executor")
        self.validator = load_package("seed_validators", mapping_dir / "validators" / "common", "json_validator")

    def validate(self, mapping):
        ok, found = self.validator.validate_mapping(copy.deepcopy(mapping))
        issues = [{"code": e["code"], "path": e["path"]} for e in found]
        return {"valid": bool(ok), "errors": [] if ok else issues, "warnings": issues if ok else []}

    def dry_run(self, mapping, rows):
        body = copy.deepcopy(mapping)
        body["globals"] = body.get("globals") or {}  # as the HTTP endpoint does
        try:
            out = self.executor.run_dry_run(body, copy.deepcopy(rows))
            return {
                "docs_preview": to_json(out["docs_preview"]),
                "issues": [{"row": i["row"], "field": i["field"], "code": i["code"], "msg": i["msg"]}
                           for i in out["issues"]],
                "stats": to_json(out["stats"]),
            }
        except Unserialisable as e:
            return {"request_error": str(e)}
        except Exception as e:  # the service answers 500 for the whole request
            return {"request_error": f"{type(e).__name__}: {e}"}


# ---------- which seed bug (shared/seed-dsl.md §8/§9) a result shows ----------

def walk_ops(pipeline):
    for op in pipeline or []:
        if not isinstance(op, dict):
            continue
        yield op
        for key in ("then", "else"):
            yield from walk_ops(op.get(key) if isinstance(op.get(key), list) else [])


def fields_of(mapping):
    fields = mapping.get("fields") if isinstance(mapping, dict) else None
    return [f for f in fields if isinstance(f, dict)] if isinstance(fields, list) else []


def all_ops(mapping):
    for f in fields_of(mapping):
        if isinstance(f.get("pipeline"), list):
            yield from walk_ops(f["pipeline"])


JAVA_DATE = re.compile(r"yyyy|MM|dd|HH|mm|ss")
WILDCARD = re.compile(r"\[\*\]|\.\*|\.\.|\[-?\d*:-?\d*\]")


def classify(seed: Seed, mapping, rows, result) -> list[str]:
    bugs: list[str] = []
    add = lambda b: bugs.append(b) if b not in bugs else None  # noqa: E731
    run = result["dry_run"]
    if "request_error" in run:
        if "UnboundLocalError" in run["request_error"]:
            add("§9.1 when raises UnboundLocalError")
        else:
            add("request fails: " + run["request_error"].split(":")[0])
        issues = []
    else:
        issues = run["issues"]
    for it in issues:
        msg = it["msg"]
        if "eval_condition" in msg:
            add("§9.1 when raises UnboundLocalError (inside map)")
        elif msg.startswith(("zip failed", "objectify failed")):
            add("§9.2 zip/objectify never produce a value")
        elif msg.startswith("dict failed") and "'name'" in msg:
            add("§9.3 dict needs 'name', the schema only allows 'key'")
        elif msg.startswith("date_parse failed") and "required positional argument" in msg:
            add("§9.5 date_parse needs both formats and assume_tz keys")
        elif msg.startswith("regex_replace failed") and "'repl'" in msg:
            add("§8 regex_replace without 'repl' (docs' 'replacement') fails")
        elif it["code"] == "W_OP_UNKNOWN":
            add("§8 op the docs show does not exist in the executor")
        elif "unexpected keyword argument" in msg or "required positional argument" in msg:
            add("§8 op parameters as the docs/schema spell them are rejected")
    if not rows:  # nothing ran: only the validator's verdict is recorded
        return bugs
    for op in all_ops(mapping):
        name = op.get("op")
        if name == "cast" and op.get("to") in ("long", "double"):
            add("§9.4 cast to long/double is a no-op")
        if name == "hash" and op.get("algorithm") not in (None, "sha1"):
            add("§9.6 hash.algorithm ignored (always sha1)")
        if name == "phonetic":
            add("§9.6 phonetic.algorithm ignored (fallback tokeniser, not metaphone/soundex)")
        cond = op.get("cond") if isinstance(op.get("cond"), dict) else {}
        if "matches" in cond and "regex" not in cond and cond.get("type") != "matches":
            add("§9.13 {matches: re} short form always true")
        if name == "date_parse" and any(JAVA_DATE.search(f or "") for f in (op.get("formats") or [])):
            add("§9.15 Java-style date formats never match (strptime)")
    g = mapping.get("globals") if isinstance(mapping.get("globals"), dict) else {}
    if any(JAVA_DATE.search(f) for f in (g.get("date_formats") or []) if isinstance(f, str)):
        if any(op.get("op") in ("date_parse", "cast") for op in all_ops(mapping)):
            add("§9.15 Java-style date formats never match (strptime)")
    # §9.7 a wildcard path with exactly one match becomes a scalar
    from jsonpath_ng import parse
    for f in fields_of(mapping):
        for inp in f.get("input") if isinstance(f.get("input"), list) else []:
            expr = inp.get("expr") if isinstance(inp, dict) and inp.get("kind") == "jsonpath" else None
            if not isinstance(expr, str) or not WILDCARD.search(expr):
                continue
            try:
                p = parse(expr)
            except Exception:
                continue
            if any(len(p.find(r)) == 1 for r in rows):
                add("§9.7 wildcard with one match yields a scalar")
    # §9.9 containers never shape documents
    containers = mapping.get("containers") if isinstance(mapping.get("containers"), list) else []
    arrays = {c["path"].replace("[]", "") for c in containers
              if isinstance(c, dict) and isinstance(c.get("path"), str)
              and ("[]" in c["path"] or c.get("type") == "nested")}
    if any(isinstance(f.get("target"), str) and any(f["target"].startswith(a + ".") for a in arrays)
           for f in fields_of(mapping)):
        add("§9.9 containers never shape documents")
    # §9.11 on_conflict skip/overwrite
    pol = (mapping.get("id_policy") or {}).get("on_conflict", "error") if isinstance(mapping.get("id_policy"), dict) else None
    if any(it["code"] == "E_ID_CONFLICT" for it in issues) and pol in ("skip", "overwrite"):
        add(f"§9.11 on_conflict {pol} keeps/drops the wrong things")
    return bugs


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    seed = Seed(Path(argv[1]).resolve())
    manual = json.loads(MANUAL.read_text()) if MANUAL.exists() else {}
    targets = [Path(a) for a in argv[2:]] or [CASES]
    files = sorted(p for t in targets for p in ([t] if t.is_file() else t.rglob("*.json")))
    for path in files:
        case = json.loads(path.read_text())
        mapping, rows = case["mapping"], case.get("rows") or []
        result = {"validator": seed.validate(mapping), "dry_run": seed.dry_run(mapping, rows)}
        rel = str(path.resolve().relative_to(CASES.resolve()))
        bugs = classify(seed, mapping, rows, result)
        extra = manual.get(rel)
        if extra and extra not in bugs:
            bugs.insert(0, extra)
        out = {
            "name": case["name"], "source": case["source"], "mapping": mapping, "rows": rows,
            "seed": result, "seed_works": not bugs, "seed_bug": "; ".join(bugs) if bugs else None,
        }
        path.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    print(f"recorded {len(files)} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
