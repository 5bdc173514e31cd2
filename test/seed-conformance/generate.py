#!/usr/bin/python3
"""Write the generated cases (our own mappings and rows) into cases/gen-*/ and manual-bugs.json.

Usage: /usr/bin/python3 test/seed-conformance/generate.py
Then: /usr/bin/python3 test/seed-conformance/record.py <seed-backend-dir>

Every op of the seed schema with its parameters, every globals option, every input kind and
JSONPath shape, containers, id_policy and invalid documents for the validator. `bug=` marks a
case whose seed result contradicts the seed's own schema/docs/tests in a way record.py cannot
see from the output alone (shared/seed-dsl.md §9 numbering).
"""
from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"

G = {
    "nulls": ["", "N/A", "null"], "bool_true": ["oui", "yes"], "bool_false": ["non", "no"],
    "decimal_sep": ",", "thousands_sep": " ", "date_formats": ["%d/%m/%Y", "%Y-%m-%d %H:%M:%S"],
    "default_tz": "Europe/Paris", "empty_as_null": True, "preview": {"sample_size": 10, "seed": 1},
}
ID = {"from": ["id"], "op": "concat", "sep": ":", "on_conflict": "error"}

written: dict[str, dict] = {}
manual: dict[str, str] = {}


def col(name):
    return {"kind": "column", "name": name}


def jp(expr):
    return {"kind": "jsonpath", "expr": expr}


def lit(value):
    return {"kind": "literal", "value": value}


def fld(target, pipeline=(), inp=None, type="keyword", **opts):
    return {"target": target, "type": type, "input": inp if inp is not None else [col("v")],
            "pipeline": list(pipeline), **opts}


def rows_v(*values, key="v"):
    """One row per value, each with an id; a value of MISSING leaves the key out."""
    out = []
    for i, v in enumerate(values):
        r = {"id": f"r{i}"}
        if v is not MISSING:
            r[key] = v
        out.append(r)
    return out


MISSING = object()


def case(group, name, fields, rows, globals=None, bug=None, drop=(), **top):
    mapping = {"dsl_version": "2.2", "index": "gen_" + group.replace("-", "_"),
               "globals": copy.deepcopy(G if globals is None else globals), "id_policy": copy.deepcopy(ID),
               **top, "fields": fields}
    for k in drop:
        mapping.pop(k, None)
    rel = f"gen-{group}/{name}.json"
    assert rel not in written, rel
    assert len(rows) <= 20, rel
    written[rel] = {"name": name, "source": "generated", "mapping": mapping, "rows": rows}
    if bug:
        manual[rel] = bug


def gl(**kw):
    g = copy.deepcopy(G)
    g.update(kw)
    return g


STRINGS = ["  Hello World  ", "ÉCOLE Straße", "", "   ", "N/A", None, 42, 3.5, True, ["  a ", "B"], MISSING]


def string_ops():
    for op in ["trim", "lower", "upper", "lowercase", "uppercase"]:
        case("ops-string", op, [fld("out", [{"op": op}])], rows_v(*STRINGS))
    case("ops-string", "trim_lower_upper_chain", [fld("out", [{"op": "trim"}, {"op": "lower"}]),
                                                  fld("up", [{"op": "trim"}, {"op": "upper"}])], rows_v(*STRINGS))
    rr = rows_v("a-b-c", "2024-01-15", "Hello hello HELLO", "line1\nline2", "", None, 12, ["x-y", "z"])
    case("ops-string", "regex_replace_basic", [fld("out", [{"op": "regex_replace", "pattern": "-", "repl": "_"}])], rr)
    case("ops-string", "regex_replace_backref", [fld("out", [{"op": "regex_replace", "pattern": r"(\d+)-(\d+)-(\d+)", "repl": r"\3/\2/\1"}])], rr)
    case("ops-string", "regex_replace_flag_i", [fld("out", [{"op": "regex_replace", "pattern": "hello", "repl": "bye", "flags": "i"}])], rr)
    case("ops-string", "regex_replace_flag_m", [fld("out", [{"op": "regex_replace", "pattern": "^line", "repl": "L", "flags": "m"}])], rr)
    case("ops-string", "regex_replace_flag_s", [fld("out", [{"op": "regex_replace", "pattern": "1.line", "repl": "+", "flags": "s"}])], rr)
    case("ops-string", "regex_replace_no_flags_multiline", [fld("out", [{"op": "regex_replace", "pattern": "^line", "repl": "L"}])], rr)
    case("ops-string", "replace_alias", [fld("out", [{"op": "replace", "pattern": "[aeiou]", "repl": ""}])], rr)
    case("ops-string", "regex_replace_empty_repl", [fld("out", [{"op": "regex_replace", "pattern": r"\s+", "repl": ""}])], rows_v(" a b  c ", "x", None))
    case("ops-string", "regex_replace_bad_regex", [fld("out", [{"op": "regex_replace", "pattern": "(unclosed", "repl": "x"}])], rows_v("abc", None, 5))
    case("ops-string", "regex_replace_lookbehind_guard", [fld("out", [{"op": "regex_replace", "pattern": "(?<=a)b", "repl": "x"}])], rows_v("abc", None))
    case("ops-string", "regex_replace_pattern_too_long", [fld("out", [{"op": "regex_replace", "pattern": "a" * 2001, "repl": "x"}])], rows_v("abc"))
    case("ops-string", "regex_replace_pattern_2000", [fld("out", [{"op": "regex_replace", "pattern": "b" + "a?" * 999 + "c", "repl": "x"}])], rows_v("abc", "bc"))
    case("ops-string", "regex_replace_docs_replacement_param", [fld("out", [{"op": "regex_replace", "pattern": "a", "replacement": "x"}])], rows_v("abc", None))
    rx = rows_v("order #123-ABC", "ORDER #9-z", "no digits", "", None, 77, ["#5-q", "x"])
    case("ops-string", "regex_extract_group_default", [fld("out", [{"op": "regex_extract", "pattern": r"#(\d+)-(\w+)"}])], rx)
    case("ops-string", "regex_extract_group_0", [fld("out", [{"op": "regex_extract", "pattern": r"#(\d+)-(\w+)", "group": 0}])], rx)
    case("ops-string", "regex_extract_group_2", [fld("out", [{"op": "regex_extract", "pattern": r"#(\d+)-(\w+)", "group": 2}])], rx)
    case("ops-string", "regex_extract_group_missing", [fld("out", [{"op": "regex_extract", "pattern": r"#(\d+)", "group": 3}])], rx)
    case("ops-string", "regex_extract_flags_i", [fld("out", [{"op": "regex_extract", "pattern": r"^order #(\d+)", "flags": "i"}])], rx)
    case("ops-string", "regex_extract_flags_ms", [fld("out", [{"op": "regex_extract", "pattern": r"^b(.)c$", "flags": "ms"}])], rows_v("a\nb\nc", "a\nbxc\nd", "b\nc"))
    case("ops-string", "regex_extract_named_group_guard", [fld("out", [{"op": "regex_extract", "pattern": r"(?<num>\d+)"}])], rows_v("a1"))
    sp = rows_v("a,b,,c", "single", "", ",lead", None, 9, ["x,y", "z"])
    case("ops-string", "split_no_take", [fld("out", [{"op": "split", "sep": ","}])], sp)
    case("ops-string", "split_take_first", [fld("out", [{"op": "split", "sep": ",", "take": "first"}])], sp)
    case("ops-string", "split_take_last", [fld("out", [{"op": "split", "sep": ",", "take": "last"}])], sp)
    case("ops-string", "split_take_int", [fld("out", [{"op": "split", "sep": ",", "take": 2}])], sp)
    case("ops-string", "split_take_out_of_range", [fld("out", [{"op": "split", "sep": ",", "take": 7}])], sp)
    case("ops-string", "split_multichar_sep", [fld("out", [{"op": "split", "sep": " | "}])], rows_v("a | b | c", "a|b"))
    case("ops-string", "split_then_join", [fld("out", [{"op": "split", "sep": ";"}, {"op": "join", "sep": "+"}])], rows_v("1;2;3", "x"))
    case("ops-string", "split_missing_sep", [fld("out", [{"op": "split"}])], rows_v("a b"))
    lr = rows_v("hello", "", "  ", None, 12345, 1.5, True, ["abc", "de"], [], {"a": 1}, MISSING)
    case("ops-string", "length", [fld("out", [{"op": "length"}], type="integer")], lr)
    case("ops-string", "literal_replaces_value", [fld("out", [{"op": "literal", "value": "fixed"}]),
                                                  fld("num", [{"op": "literal", "value": 3}], type="long"),
                                                  fld("obj", [{"op": "literal", "value": {"k": [1, None]}}]),
                                                  fld("nul", [{"op": "literal", "value": None}])], rows_v("x", None))


def concat_coalesce():
    multi = [col("a"), col("b"), col("c")]
    rows = [{"id": "1", "a": "x", "b": "y", "c": "z"}, {"id": "2", "a": "x", "b": None, "c": "z"},
            {"id": "3", "a": "", "b": "N/A", "c": "  "}, {"id": "4"}, {"id": "5", "a": 1, "b": 2.5, "c": True},
            {"id": "6", "a": ["p", "q"], "b": "r"}, {"id": "7", "a": None, "b": "", "c": "w"}]
    case("ops-concat", "concat_sep", [fld("out", [{"op": "concat", "sep": "-"}], multi)], rows)
    case("ops-concat", "concat_default_sep", [fld("out", [{"op": "concat"}], multi)], rows)
    case("ops-concat", "concat_single_input", [fld("out", [{"op": "concat", "sep": "|"}], [col("a")])], rows)
    case("ops-concat", "concat_with_literal", [fld("out", [{"op": "concat", "sep": " "}], [lit("Mr"), col("a"), lit(7)])], rows)
    case("ops-concat", "concat_docs_values_param", [fld("out", [{"op": "concat", "values": ["a", "b"], "sep": ","}], multi)], rows)
    case("ops-concat", "coalesce", [fld("out", [{"op": "coalesce"}], multi)], rows)
    case("ops-concat", "coalesce_empty_not_null", [fld("out", [{"op": "coalesce"}], multi)], rows,
         globals=gl(empty_as_null=False, nulls=["N/A"]))
    case("ops-concat", "coalesce_then_upper", [fld("out", [{"op": "coalesce"}, {"op": "upper"}], multi)], rows)
    case("ops-concat", "zero_inputs", [fld("out", [], []), fld("cat", [{"op": "concat"}], []), fld("co", [{"op": "coalesce"}], [])], rows[:2])
    case("ops-concat", "several_inputs_no_pipeline", [fld("out", [], multi)], rows)
    case("ops-concat", "several_inputs_scalar_op_takes_first", [fld("out", [{"op": "upper"}], multi)], rows)


def cast_ops():
    nums = rows_v("1 234,50", "-12", "+3", "1e3", "abc", "", "  ", "N/A", "1_000", "0012", "3,14", "1.5", 7, 2.25, True, None, ["9", "8"], "١٢٣", "inf", "nan")
    case("ops-cast", "number_fr_locale", [fld("out", [{"op": "cast", "to": "number"}], type="double")], nums)
    case("ops-cast", "number_en_locale", [fld("out", [{"op": "cast", "to": "number"}], type="double")],
         rows_v("1,234.50", "1.234,50", "12", "-0.5", "1 000", ""), globals=gl(decimal_sep=".", thousands_sep=","))
    case("ops-cast", "number_de_locale", [fld("out", [{"op": "cast", "to": "number"}], type="double")],
         rows_v("1.234,50", "1.234.567", "12,5", "1,234.50"), globals=gl(decimal_sep=",", thousands_sep="."))
    case("ops-cast", "number_no_thousands_sep", [fld("out", [{"op": "cast", "to": "number"}], type="double")],
         rows_v("1 234", "1234,5", "12"), globals=gl(thousands_sep=""))
    case("ops-cast", "number_big_int", [fld("out", [{"op": "cast", "to": "number"}], type="long")], rows_v("9007199254740993", "-42"))
    case("ops-cast", "string", [fld("out", [{"op": "cast", "to": "string"}])], rows_v("x", 1, 1.0, 2.5, True, False, None, {"a": 1}, ["p", None], MISSING))
    bools = rows_v("oui", "NON", " yes ", "No", "true", "false", "1", "0", "2", "0.0", "abc", "", True, False, 0, 1, None, "nan", "N/A")
    case("ops-cast", "boolean_tokens", [fld("out", [{"op": "cast", "to": "boolean"}], type="boolean")], bools)
    case("ops-cast", "boolean_no_tokens", [fld("out", [{"op": "cast", "to": "boolean"}], type="boolean")], bools,
         globals=gl(bool_true=[], bool_false=[]))
    dates = rows_v("15/01/2024", "2024-01-15 10:30:00", "2024-01-15", "2024-01-15T10:30:00Z", "bad", "", 1705312200, 1705312200123, None)
    case("ops-cast", "date", [fld("out", [{"op": "cast", "to": "date"}], type="date")], dates)
    case("ops-cast", "long_schema_form", [fld("out", [{"op": "cast", "to": "long"}], type="long")], rows_v("12", "1 234", "x", 5, None))
    case("ops-cast", "double_schema_form", [fld("out", [{"op": "cast", "to": "double"}], type="double")], rows_v("1,5", "2.5", 3, None))
    case("ops-cast", "long_on_numbers", [fld("out", [{"op": "cast", "to": "long"}], type="long")], rows_v(12, 7, None))
    case("ops-cast", "unknown_target_type", [fld("out", [{"op": "cast", "to": "integer"}], type="integer")], rows_v("12", None),
         bug="§9.4 cast to a type other than string/number/boolean/date is a no-op")
    case("ops-cast", "bare_cast", [fld("out", [{"op": "cast"}])], rows_v("12"))
    case("ops-cast", "docs_cast_date_format", [fld("out", [{"op": "cast", "to": "date", "format": "dd/MM/yyyy"}], type="date")], rows_v("15/01/2024"))


def date_ops():
    d = rows_v("15/01/2024", "2024-01-15 10:30:00", "2024-07-15 10:30:00", "2024-01-15T10:30:00", "2024-01-15T10:30:00Z",
               "2024-01-15T10:30:00+05:30", "2024-01-15T10:30:00.250Z", "20240115", "not a date", "", "  ", "N/A", None,
               1705312200, 1705312200123, 1.5, ["bad", "15/01/2024"], " 15/01/2024 ")
    case("ops-date", "globals_formats_tz", [fld("out", [{"op": "date_parse", "formats": None, "assume_tz": None}], type="date")], d)
    case("ops-date", "explicit_formats", [fld("out", [{"op": "date_parse", "formats": ["%Y/%m/%d", "%d.%m.%Y %H:%M"], "assume_tz": None}], type="date")],
         rows_v("2024/01/15", "15.01.2024 08:05", "15/01/2024", "2024-01-15", "x"))
    case("ops-date", "explicit_tz_utc", [fld("out", [{"op": "date_parse", "formats": None, "assume_tz": "UTC"}], type="date")], d[:9])
    case("ops-date", "explicit_tz_new_york", [fld("out", [{"op": "date_parse", "formats": ["%d/%m/%Y %H:%M"], "assume_tz": "America/New_York"}], type="date")],
         rows_v("15/01/2024 10:00", "15/07/2024 10:00", "10/03/2024 02:30"))
    case("ops-date", "bad_tz_falls_back", [fld("out", [{"op": "date_parse", "formats": ["%d/%m/%Y"], "assume_tz": "Mars/Olympus"}], type="date")],
         rows_v("15/01/2024"))
    case("ops-date", "strptime_with_offset", [fld("out", [{"op": "date_parse", "formats": ["%Y-%m-%dT%H:%M:%S%z", "%d %b %Y"], "assume_tz": None}], type="date")],
         rows_v("2024-01-15T10:30:00+0200", "2024-01-15T10:30:00Z", "15 Jan 2024", "15 Foo 2024"))
    case("ops-date", "fraction_seconds", [fld("out", [{"op": "date_parse", "formats": ["%Y-%m-%d %H:%M:%S.%f"], "assume_tz": "UTC"}], type="date")],
         rows_v("2024-01-15 10:30:00.5", "2024-01-15 10:30:00.000000", "2024-01-15 10:30:00.123456"))
    case("ops-date", "epoch_millis", [fld("out", [{"op": "date_parse", "formats": ["epoch_millis"], "assume_tz": None}], type="date")],
         rows_v("1705312200123", "1705312200", "12.5", "abc", 1705312200123, 1705312200, "-1000"))
    case("ops-date", "epoch_seconds", [fld("out", [{"op": "date_parse", "formats": ["epoch_seconds"], "assume_tz": None}], type="date")],
         rows_v("1705312200", "1705312200.75", "0", "abc", 1705312200))
    case("ops-date", "epoch_second_singular", [fld("out", [{"op": "date_parse", "formats": ["epoch_second", "%d/%m/%Y"], "assume_tz": None}], type="date")],
         rows_v("1705312200", "15/01/2024"))
    case("ops-date", "globals_epoch", [fld("out", [{"op": "date_parse", "formats": None, "assume_tz": None}], type="date")],
         rows_v("1705312200123", "15/01/2024"), globals=gl(date_formats=["epoch_millis", "%d/%m/%Y"]))
    case("ops-date", "globals_tz_utc", [fld("out", [{"op": "date_parse", "formats": None, "assume_tz": None}], type="date")],
         rows_v("15/01/2024", "2024-06-01 00:00:00"), globals=gl(default_tz="UTC"))
    case("ops-date", "no_formats_iso_only", [fld("out", [{"op": "date_parse", "formats": [], "assume_tz": None}], type="date")],
         rows_v("2024-01-15", "15/01/2024", "2024-W03-1"), globals=gl(date_formats=[]))
    case("ops-date", "missing_formats_and_tz_keys", [fld("out", [{"op": "date_parse"}], type="date")], rows_v("15/01/2024", None))
    case("ops-date", "missing_tz_key", [fld("out", [{"op": "date_parse", "formats": ["%d/%m/%Y"]}], type="date")], rows_v("15/01/2024"))
    case("ops-date", "java_style_format", [fld("out", [{"op": "date_parse", "formats": ["yyyy-MM-dd"], "assume_tz": None}], type="date")],
         rows_v("2024-01-15", "15/01/2024 x"))
    case("ops-date", "no_date_parse_raw_string", [fld("out", [], type="date")], rows_v("15/01/2024", 1705312200))


def geo_ops():
    g = rows_v("48.85,2.35", "48.85; 2.35", " 48.85 2.35 ", "-33.9,151.2,10", "91,0", "0,181",
               "-90,-180", "abc,def", "48.85", "", None, 5, {"lat": 1, "lon": 2})
    case("ops-geo", "latlon", [fld("loc", [{"op": "geo_parse", "format": "latlon"}], type="geo_point")], g)
    case("ops-geo", "latlon_from_list", [fld("loc", [{"op": "geo_parse", "format": "latlon"}], type="geo_point")],
         rows_v([48.85, 2.35], ["1", "2"], ["x", "y"], ["95", "0"]),
         bug="§9.8 a list reaches geo_parse as its first element: the [lat, lon] form never works")
    case("ops-geo", "other_format_unchanged", [fld("loc", [{"op": "geo_parse", "format": "geojson"}], type="geo_point")], g[:4])
    case("ops-geo", "from_two_inputs", [fld("loc", [{"op": "geo_parse", "format": "latlon"}], [col("lat"), col("lon")], type="geo_point")],
         [{"id": "1", "lat": "48.8", "lon": "2.3"}, {"id": "2", "lat": 48.8, "lon": None}])


def dict_ops():
    dicts = {"country": {"FR": "France", " de ": "Germany", "1": "one-str"},
             "strict": {"meta": {"case_insensitive": False, "trim_keys": False}, "data": {"FR": "France", " de ": "Germany"}},
             "ci_only": {"meta": {"case_insensitive": True, "trim_keys": False}, "data": {"FR": "France"}},
             "trim_only": {"meta": {"trim_keys": True, "case_insensitive": False}, "data": {" FR ": "France"}},
             "nums": {"1": "one"}}
    r = rows_v("FR", "fr", " fr ", "DE", "de", " de ", "XX", "", None, 1, True, ["fr", "x"], MISSING)
    for on in [None, "keep", "default", "error"]:
        for name in ["country", "strict", "ci_only", "trim_only"]:
            op = {"op": "dict", "name": name}
            if on:
                op["on_unknown"] = on
            if on == "default":
                op["default"] = "??"
            case("ops-dict", f"{name}_{on or 'implicit_keep'}", [fld("out", [op])], r, dictionaries=dicts)
    case("ops-dict", "default_without_value", [fld("out", [{"op": "dict", "name": "country", "on_unknown": "default"}])], r, dictionaries=dicts)
    case("ops-dict", "non_string_keys", [fld("out", [{"op": "dict", "name": "nums", "on_unknown": "default", "default": 0}])],
         rows_v(1, "1", 2, None), dictionaries=dicts)
    case("ops-dict", "unknown_dictionary", [fld("out", [{"op": "dict", "name": "nope", "on_unknown": "error"}])], rows_v("FR"), dictionaries=dicts)
    case("ops-dict", "no_dictionaries_block", [fld("out", [{"op": "dict", "name": "country"}])], rows_v("FR"))
    case("ops-dict", "schema_key_param", [fld("out", [{"op": "dict", "key": "country"}])], rows_v("FR", None), dictionaries=dicts)
    case("ops-dict", "then_upper", [fld("out", [{"op": "trim"}, {"op": "dict", "name": "country"}, {"op": "upper"}])], r, dictionaries=dicts)


def hash_phonetic():
    r = rows_v("hello", "", None, 123, "Émile", ["a", "b"])
    case("ops-hash", "default_sha1", [fld("out", [{"op": "hash"}])], r)
    for algo in ["md5", "sha1", "sha256"]:
        case("ops-hash", f"algo_{algo}", [fld("out", [{"op": "hash", "algo": algo}])], r)
        case("ops-hash", f"algo_{algo}_salt", [fld("out", [{"op": "hash", "algo": algo, "salt": "pepper:"}])], r)
        case("ops-hash", f"schema_algorithm_{algo}", [fld("out", [{"op": "hash", "algorithm": algo}])], r)
    case("ops-hash", "salt_only", [fld("out", [{"op": "hash", "salt": "s"}])], r)
    ph = rows_v("Philippe", "Katherine", "Smith", "Schmidt", "Zoë Xavier", "Quincy", "", None, 42, "aaabbbccc dddeee")
    case("ops-hash", "phonetic_metaphone", [fld("out", [{"op": "phonetic", "algorithm": "metaphone"}])], ph)
    case("ops-hash", "phonetic_soundex", [fld("out", [{"op": "phonetic", "algorithm": "soundex"}])], ph)
    case("ops-hash", "phonetic_no_param", [fld("out", [{"op": "phonetic"}])], ph)


LISTS = [["b", "a", "c"], ["x"], [], ["  p ", None, "q"], "scalar", None, [["n1", "n2"], "n3"], [3, "10", 2.5, None]]


def array_ops():
    r = rows_v(*LISTS, key="arr")
    inp = [jp("$.arr")]
    case("ops-array", "map_trim_upper", [fld("out", [{"op": "map", "then": [{"op": "trim"}, {"op": "upper"}]}], inp)], r)
    case("ops-array", "map_empty_then", [fld("out", [{"op": "map", "then": []}], inp)], r)
    case("ops-array", "map_nested_map", [fld("out", [{"op": "map", "then": [{"op": "map", "then": [{"op": "upper"}]}]}], inp)], r)
    case("ops-array", "map_length", [fld("out", [{"op": "map", "then": [{"op": "length"}]}], inp, type="integer")], r)
    case("ops-array", "map_failing_op", [fld("out", [{"op": "map", "then": [{"op": "regex_replace", "pattern": "(", "repl": ""}]}], inp)], r)
    for which in ["first", "last", 0, 1, 5, "middle"]:
        case("ops-array", f"take_{which}", [fld("out", [{"op": "take", "which": which}], inp)], r)
    case("ops-array", "take_default", [fld("out", [{"op": "take"}], inp)], r)
    case("ops-array", "take_negative", [fld("out", [{"op": "take", "which": -1}], inp)], r)
    case("ops-array", "join_sep", [fld("out", [{"op": "join", "sep": "|"}], inp)], r)
    case("ops-array", "join_default_sep", [fld("out", [{"op": "join"}], inp)], r)
    case("ops-array", "join_mixed_types", [fld("out", [{"op": "join", "sep": ","}], inp)],
         rows_v([1, 1.0, True, None, {"a": 1}, "s"], [2.50, -0.0], key="arr"))
    case("ops-array", "flatten", [fld("out", [{"op": "flatten"}], inp)], r + rows_v([[1, [2, 3]], [], [[]]], key="arr"))
    case("ops-array", "flatten_then_join", [fld("out", [{"op": "flatten"}, {"op": "join", "sep": "-"}], inp)], r)
    for start, end in [(0, None), (1, None), (0, 2), (-2, None), (1, -1), (5, None)]:
        op = {"op": "slice", "start": start}
        if end is not None:
            op["end"] = end
        case("ops-array", f"slice_{start}_{end}", [fld("out", [op], inp)], r)
    case("ops-array", "slice_defaults", [fld("out", [{"op": "slice"}], inp)], r)
    case("ops-array", "slice_null_end", [fld("out", [{"op": "slice", "start": 1, "end": None}], inp)], r)
    case("ops-array", "slice_docs_step", [fld("out", [{"op": "slice", "start": 0, "end": 4, "step": 2}], inp)], r)
    case("ops-array", "unique", [fld("out", [{"op": "unique"}], inp)],
         rows_v(["a", "b", "a", "A"], ["x", None, None], [], "s", None, key="arr"))
    case("ops-array", "unique_mixed_numbers_bools", [fld("out", [{"op": "unique"}], inp)],
         rows_v([1, 1.0, True, "1"], [0, False, 0.0], key="arr"), bug="§9.12 unique merges 1, 1.0 and true")
    case("ops-array", "unique_unhashable", [fld("out", [{"op": "unique"}], inp)],
         rows_v([[1, 2], [1, 2], {"a": 1}, {"a": 1}, [2, 1]], key="arr"))
    objs = [{"k": "b", "n": "10"}, {"k": "a", "n": "9"}, {"k": "b", "n": "1,5"}, {"n": "x"}, {"k": None, "n": None}, "plain"]
    case("ops-array", "unique_by", [fld("out", [{"op": "unique", "by": "k"}], [jp("$.objs")])], [{"id": "1", "objs": objs}])
    sr = rows_v(["b", "a", "C", "10", "9"], [3, "10", 2.5, None, "x", "1,5"], ["z", None, "a"], [], "s", None, key="arr")
    for order in ["asc", "desc"]:
        for numeric in [False, True]:
            for ml in [True, False]:
                op = {"op": "sort", "order": order, "numeric": numeric, "missing_last": ml}
                bug = "§9.12 sort desc puts missing values first" if order == "desc" and ml else None
                case("ops-array", f"sort_{order}_{'num' if numeric else 'str'}_{'ml' if ml else 'mf'}", [fld("out", [op], inp)], sr, bug=bug)
    case("ops-array", "sort_default", [fld("out", [{"op": "sort"}], inp)], sr)
    case("ops-array", "sort_asc_no_missing", [fld("out", [{"op": "sort", "order": "desc", "numeric": True}], inp)],
         rows_v([3, "10", 2.5, "1,5"], ["2", "11"], key="arr"))
    case("ops-array", "sort_by_numeric", [fld("out", [{"op": "sort", "by": "n", "numeric": True}], [jp("$.objs")])], [{"id": "1", "objs": objs[:5]}])
    case("ops-array", "sort_by_string", [fld("out", [{"op": "sort", "by": "k"}], [jp("$.objs")])], [{"id": "1", "objs": objs[:5]}])
    case("ops-array", "sort_mixed_unorderable", [fld("out", [{"op": "sort", "numeric": False}], inp)], rows_v([{"a": 1}, "b", 2], key="arr"))
    case("ops-array", "sort_docs_key_param", [fld("out", [{"op": "sort", "key": "n"}], [jp("$.objs")])], [{"id": "1", "objs": objs[:3]}])
    case("ops-array", "unique_docs_key_param", [fld("out", [{"op": "unique", "key": "k"}], [jp("$.objs")])], [{"id": "1", "objs": objs[:3]}])
    case("ops-array", "scalar_op_on_list_uses_first_non_null", [fld("out", [{"op": "upper"}], inp), fld("n", [{"op": "length"}], inp, type="integer")], r)
    case("ops-array", "pipeline_filter_sort_unique_slice_join",
         [fld("out", [{"op": "filter", "cond": {"type": "is_numeric"}}, {"op": "sort", "numeric": True}, {"op": "unique"},
                      {"op": "slice", "start": 0, "end": 3}, {"op": "join", "sep": ";"}], inp)],
         rows_v(["5", "1", "x", "5", "3", "2,5", "10"], [], key="arr"))


CONDS = {
    "gt": {"gt": 10}, "gte": {"gte": 10}, "lt": {"lt": 10}, "lte": {"lte": 10},
    "type_gt": {"type": "gt", "gt": "10"}, "contains": {"contains": "ab"}, "is_numeric": {"is_numeric": True},
    "is_empty": {"type": "is_empty"}, "is_number": {"type": "is_number"}, "is_date": {"type": "is_date"},
    "matches": {"type": "matches", "regex": "^a.c$"}, "matches_flags_i": {"type": "matches", "regex": "^ABC", "flags": "i"},
    "matches_short": {"matches": "^zzz$"}, "in_set": {"type": "in_set", "values": ["abc", "10", "None", ""]},
    "eq_not_supported": {"type": "eq", "value": "abc"}, "is_not_null_not_supported": {"type": "is_not_null"},
    "empty_cond": {},
}
COND_VALUES = ["abc", "ABCd", "10", "9,5", "10.0", "1 000", "", "  ", "N/A", None, 15, 10, "15/01/2024", "2024-01-15", "xaby", True]


def condition_ops():
    keep_all = {"op": "filter", "cond": {"type": "matches", "regex": ""}}
    for name, cond in CONDS.items():
        bug = "§9.13 {matches: re} short form always true" if name == "matches_short" else None
        # `filter` over an array: the executor's way to evaluate a condition on each element
        case("ops-filter", name, [fld("out", [{"op": "filter", "cond": cond}], [jp("$.arr")])],
             [{"id": "1", "arr": COND_VALUES}, {"id": "2", "arr": []}, {"id": "3", "arr": "scalar"}], bug=bug)
        # `when` works only once a list `filter` ran earlier in the same pipeline (shared/seed-dsl.md §9.1)
        case("ops-when", f"{name}_after_filter",
             [fld("out", [keep_all, {"op": "take", "which": "first"},
                          {"op": "when", "cond": cond, "then": [{"op": "literal", "value": "T"}], "else": [{"op": "literal", "value": "F"}]}],
                  [col("v"), lit("")])],
             rows_v(*[v if v is not None else MISSING for v in COND_VALUES]), bug=bug)
    objs = [{"name": "a", "age": "30"}, {"name": "b", "age": "12"}, {"name": "c"}, "raw"]
    case("ops-filter", "cond_by_field", [fld("out", [{"op": "filter", "cond": {"type": "gt", "gt": 18, "by": "age"}}], [jp("$.people")])],
         [{"id": "1", "people": objs}])
    case("ops-filter", "op_level_by_ignored", [fld("out", [{"op": "filter", "cond": {"type": "gt", "gt": 18}, "by": "age"}], [jp("$.people")])],
         [{"id": "1", "people": objs}])
    case("ops-filter", "docs_condition_param", [fld("out", [{"op": "filter", "condition": {"field": "age", "operator": ">", "value": 18}}], [jp("$.people")])],
         [{"id": "1", "people": objs}])
    case("ops-filter", "globals_nulls_in_is_empty", [fld("out", [{"op": "filter", "cond": {"type": "is_empty"}}], [jp("$.arr")])],
         [{"id": "1", "arr": ["", "-", "  ", "x", None]}], globals=gl(nulls=["-"], empty_as_null=False))
    when = lambda c, t="T", e="F": {"op": "when", "cond": c, "then": [{"op": "literal", "value": t}], "else": [{"op": "literal", "value": e}]}  # noqa: E731
    case("ops-when", "alone_on_scalar", [fld("out", [when({"type": "is_empty"})])], rows_v("x", ""))
    case("ops-when", "alone_no_rows_hit", [fld("out", [when({"gt": 1})])], [])
    case("ops-when", "inside_map", [fld("out", [{"op": "map", "then": [when({"gt": 10})]}], [jp("$.arr")])],
         [{"id": "1", "arr": ["5", "50"]}, {"id": "2", "arr": []}])
    case("ops-when", "then_only", [fld("out", [{"op": "split", "sep": ","}, {"op": "filter", "cond": {}},
                                               {"op": "when", "cond": {"type": "is_empty"}, "then": [{"op": "literal", "value": "E"}]}])],
         rows_v("a,b", ""))
    case("ops-when", "probe_first_non_null_of_list",
         [fld("out", [{"op": "filter", "cond": {"type": "matches", "regex": ""}}, when({"gt": 10}, "big", "small")], [jp("$.arr")])],
         [{"id": "1", "arr": [None, "", "50", "1"]}, {"id": "2", "arr": ["1", "50"]}, {"id": "3", "arr": []}])
    case("ops-when", "branch_sees_whole_list",
         [fld("out", [{"op": "filter", "cond": {"type": "matches", "regex": ""}},
                      {"op": "when", "cond": {"type": "is_numeric"}, "then": [{"op": "join", "sep": "+"}], "else": [{"op": "length"}]}], [jp("$.arr")])],
         [{"id": "1", "arr": ["1", "2"]}, {"id": "2", "arr": ["x", "2"]}])


def zip_objectify():
    rows = [{"id": "1", "a": ["x", "y", "z"], "b": [1, 2], "c": ["p"]}, {"id": "2", "a": [], "b": [1]},
            {"id": "3", "a": "solo", "b": ["u", "v"]}, {"id": "4"}]
    bug2 = "§9.2 zip/objectify never produce a value"
    case("ops-zip", "zip_fill", [fld("out", [{"op": "zip", "with": [jp("$.b"), jp("$.c")], "fill": None}], [jp("$.a")])], rows)
    case("ops-zip", "zip_fill_value", [fld("out", [{"op": "zip", "with": [jp("$.b")], "fill": "-"}], [jp("$.a")])], rows)
    case("ops-zip", "zip_no_fill", [fld("out", [{"op": "zip", "with": [jp("$.b")]}], [jp("$.a")])], rows)
    case("ops-zip", "zip_with_underscore", [fld("out", [{"op": "zip", "with_": [jp("$.b")], "fill": 0}], [jp("$.a")])], rows)
    case("ops-zip", "zip_with_column", [fld("out", [{"op": "zip", "with": [col("b")]}], [col("a")])], rows)
    case("ops-zip", "docs_zip_arrays_pad", [fld("out", [{"op": "zip", "arrays": ["$.a", "$.b"], "pad": True}], [jp("$.a")])], rows)
    case("ops-zip", "objectify_fields", [fld("out", [{"op": "objectify", "fields": {"name": jp("$.a"), "qty": jp("$.b")}, "fill": None}], [jp("$.a")])], rows)
    case("ops-zip", "objectify_strict", [fld("out", [{"op": "objectify", "fields": {"name": jp("$.a"), "qty": jp("$.b")}, "strict": True}], [jp("$.a")])], rows)
    case("ops-zip", "objectify_fill", [fld("out", [{"op": "objectify", "fields": {"name": jp("$.a"), "qty": jp("$.b")}, "fill": "?"}], [jp("$.a")])], rows)
    case("ops-zip", "objectify_empty_fields", [fld("out", [{"op": "objectify", "fields": {}}], [jp("$.a")])], rows,
         bug="§9.2 objectify with no fields yields empty objects")
    case("ops-zip", "zip_then_objectify", [fld("lines", [{"op": "zip", "with": [jp("$.b")], "fill": None},
                                                        {"op": "objectify", "fields": {"sku": jp("$.a"), "qty": jp("$.b")}}], [jp("$.a")])], rows)
    case("ops-zip", "docs_objectify_keys_values", [fld("out", [{"op": "objectify", "keys": ["k1", "k2"], "values": ["$.a", "$.b"]}], [jp("$.a")])], rows,
         bug=bug2)


def globals_cases():
    multi = [col("a"), col("b")]
    rows = [{"id": "1", "a": "NULL", "b": "x"}, {"id": "2", "a": "-", "b": "y"}, {"id": "3", "a": "", "b": "z"},
            {"id": "4", "a": "  ", "b": "w"}, {"id": "5", "a": "null", "b": "v"}, {"id": "6", "a": 0, "b": "u"}]
    case("globals", "nulls_custom_tokens", [fld("out", [{"op": "coalesce"}], multi)], rows, globals=gl(nulls=["NULL", "-"]))
    case("globals", "nulls_empty_list", [fld("out", [{"op": "coalesce"}], multi)], rows, globals=gl(nulls=[]))
    case("globals", "empty_as_null_false", [fld("out", [{"op": "coalesce"}], multi)], rows, globals=gl(empty_as_null=False, nulls=[]))
    case("globals", "empty_as_null_false_with_empty_token", [fld("out", [{"op": "coalesce"}], multi)], rows, globals=gl(empty_as_null=False, nulls=[""]))
    case("globals", "null_tokens_not_applied_without_op", [fld("out", [], [col("a")])], rows, globals=gl(nulls=["NULL", "-"]))
    case("globals", "bool_tokens_custom", [fld("out", [{"op": "cast", "to": "boolean"}], [col("a")], type="boolean")],
         rows_v("Y", "n", "VRAI", "faux", "x", key="a"), globals=gl(bool_true=["y", "VRAI"], bool_false=["N", "Faux"]))
    case("globals", "globals_empty_object", [fld("n", [{"op": "cast", "to": "number"}], [col("a")], type="double"),
                                             fld("c", [{"op": "coalesce"}], multi), fld("d", [{"op": "cast", "to": "date"}], [col("a")], type="date")],
         rows_v("1 234,5", "", "2024-01-15", key="a"), globals={})
    case("globals", "globals_absent", [fld("n", [{"op": "cast", "to": "number"}], [col("a")], type="double"),
                                       fld("d", [{"op": "date_parse", "formats": None, "assume_tz": None}], [col("a")], type="date")],
         rows_v("1 234,5", "2024-01-15", key="a"), drop=("globals",))
    case("globals", "locale_numbers_fr", [fld("n", [{"op": "cast", "to": "number"}], [col("a")], type="double")],
         rows_v("1 234,50", "1 234 567", "-0,5", "12", "1.5", "1\u00a0234,5", key="a"))
    case("globals", "locale_numbers_swiss", [fld("n", [{"op": "cast", "to": "number"}], [col("a")], type="double")],
         rows_v("1'234.50", "12", "1,5", key="a"), globals=gl(decimal_sep=".", thousands_sep="'"))
    case("globals", "locale_numbers_is_numeric", [fld("n", [{"op": "filter", "cond": {"type": "is_numeric"}}], [jp("$.a")])],
         [{"id": "1", "a": ["1 234,50", "1,234.50", "x", "12"]}])
    case("globals", "extra_globals_keys_allowed", [fld("out", [{"op": "trim"}], [col("a")])], rows_v(" x ", key="a"),
         globals=gl(custom="kept"))


def input_cases():
    row = {"id": "1", "a": {"b": "deep", "list": [{"x": 1}, {"x": 2}, {"y": 3}], "one": [{"x": "only"}]},
           "tags": ["t1", "t2", "t3"], "empty": [], "nested": [["n1", "n2"]], "nn": [[1, 2], [3]], "s": "str",
           "n": None, "dot.key": "dotted", "obj": {"p": 1, "q": {"x": "inner"}}, "zero": 0, "f": False}
    exprs = {"field": "$.s", "nested_field": "$.a.b", "bracket": "$['s']", "index": "$.tags[0]", "neg_index": "$.tags[-1]",
             "index_oob": "$.tags[9]", "wildcard_many": "$.tags[*]", "wildcard_objs_many": "$.a.list[*].x",
             "wildcard_one": "$.a.one[*].x", "wildcard_zero": "$.empty[*]", "wildcard_zero_field": "$.a.list[*].zz",
             "slice": "$.tags[0:2]", "slice_open": "$.tags[1:]", "star_field": "$.obj.*", "recursive": "$..x",
             "recursive_one": "$..y", "whole_array": "$.tags", "empty_array": "$.empty", "list_of_one_list": "$.nested",
             "list_of_lists": "$.nn", "null_value": "$.n", "missing": "$.nope", "root": "$", "wildcard_on_scalar": "$.s[*]",
             "bad_syntax": "$.[", "filter_unsupported": "$.a.list[?(@.x>1)]", "zero": "$.zero", "false": "$.f",
             "no_dollar": "s", "quoted_dot_key": "$['dot.key']"}
    for name, e in exprs.items():
        case("inputs", f"jsonpath_{name}", [fld("out", [], [jp(e)])], [row])
    case("inputs", "jsonpath_many_rows_0_1_many", [fld("out", [], [jp("$.items[*].sku")]), fld("n", [{"op": "length"}], [jp("$.items[*].sku")], type="integer")],
         [{"id": "0", "items": []}, {"id": "1", "items": [{"sku": "A"}]}, {"id": "2", "items": [{"sku": "A"}, {"sku": "B"}]},
          {"id": "3"}, {"id": "4", "items": [{"sku": "A"}, {"qty": 1}]}])
    case("inputs", "jsonpath_0_and_many_rows", [fld("out", [{"op": "join", "sep": ","}], [jp("$.items[*].sku")])],
         [{"id": "0", "items": []}, {"id": "2", "items": [{"sku": "A"}, {"sku": "B"}, {"sku": "C"}]}, {"id": "3"}])
    case("inputs", "column", [fld("out", [], [col("s")]), fld("dot", [], [col("dot.key")]), fld("nested", [], [col("a.b")]),
                              fld("miss", [], [col("nope")]), fld("arr", [], [col("tags")]), fld("n", [], [col("n")])], [row])
    case("inputs", "literal", [fld("s", [], [lit("L")]), fld("n", [], [lit(12.5)]), fld("b", [], [lit(True)]), fld("z", [], [lit(None)]),
                               fld("arr", [], [lit([1, 2])]), fld("obj", [], [lit({"k": "v"})]), fld("nested", [], [lit([["a", "b"]])])], [row])
    case("inputs", "several_mixed", [fld("out", [], [col("s"), jp("$.a.b"), lit("L"), jp("$.tags[*]"), jp("$.nope")])], [row])
    case("inputs", "several_then_join", [fld("out", [{"op": "flatten"}, {"op": "join", "sep": "/"}], [col("s"), jp("$.tags[*]"), lit("L")])], [row])
    case("inputs", "unknown_kind", [fld("out", [], [{"kind": "sql", "query": "x"}])], [row])
    case("inputs", "column_on_csv_like_rows", [fld("name", [{"op": "trim"}], [col("Name")]), fld("amount", [{"op": "cast", "to": "number"}], [col("Montant")], type="double")],
         [{"id": "1", "Name": " Ann ", "Montant": "1 234,50"}, {"id": "2", "Name": "", "Montant": ""}, {"id": "3", "Name": "N/A", "Montant": "N/A"}])


def placement_cases():
    r = [{"id": "1", "city": "Paris", "zip": "75001", "phones": ["01", "02"], "contacts": [{"phone": "01", "mail": "a@x"}, {"phone": "02", "mail": "b@x"}]},
         {"id": "2", "city": None, "contacts": [{"phone": "09"}]}]
    case("placement", "dotted_targets", [fld("address.city", [], [col("city")]), fld("address.zip", [], [col("zip")]),
                                         fld("a.b.c.d", [], [lit("deep")])], r)
    case("placement", "object_container", [fld("address.city", [], [col("city")]), fld("address.zip", [], [col("zip")])], r,
         containers=[{"path": "address", "type": "object"}])
    case("placement", "nested_object_container_dotted", [fld("customer.address.city", [], [col("city")])], r,
         containers=[{"path": "customer", "type": "object"}, {"path": "customer.address", "type": "object"}])
    case("placement", "array_container_nested", [fld("contacts.phone", [], [jp("$.contacts[*].phone")]),
                                                 fld("contacts.mail", [], [jp("$.contacts[*].mail")])], r,
         containers=[{"path": "contacts[]", "type": "nested"}])
    case("placement", "array_container_object_brackets", [fld("contacts.phone", [{"op": "map", "then": [{"op": "trim"}]}], [jp("$.contacts[*].phone")])], r,
         containers=[{"path": "contacts[]", "type": "object"}])
    case("placement", "nested_without_brackets", [fld("contacts.phone", [], [jp("$.contacts[*].phone")])], r,
         containers=[{"path": "contacts", "type": "nested"}])
    case("placement", "target_with_brackets", [fld("phones[]", [], [col("phones")]), fld("contacts[].phone", [], [jp("$.contacts[*].phone")])], r)
    case("placement", "prefix_collision_scalar_then_child", [fld("a", [], [lit("x")]), fld("a.b", [], [lit("y")])], r[:1])
    case("placement", "child_then_parent_overwrites", [fld("a.b", [], [lit("y")]), fld("a", [], [lit("x")])], r[:1])
    case("placement", "same_target_twice", [fld("a", [], [lit("first")]), fld("a", [], [lit("second")])], r[:1])
    case("placement", "null_values_written", [fld("city", [], [col("city")]), fld("nope", [], [col("nope")])], r)
    case("placement", "target_id_without_policy", [fld("_id", [], [col("zip")]), fld("city", [], [col("city")])], r, drop=("id_policy",))
    case("placement", "field_order_kept", [fld("z", [], [lit(1)]), fld("a", [], [lit(2)]), fld("m.y", [], [lit(3)]), fld("m.b", [], [lit(4)])], r[:1])


def id_cases():
    rows = [{"id": "1", "k": "a", "name": "x"}, {"id": "2", "k": "b", "name": "y"}, {"id": "1", "k": "a", "name": "z"},
            {"id": None, "k": "c"}, {"k": "c"}, {"id": 1, "k": "a"}, {"id": "1", "k": None}]
    f = [fld("name", [{"op": "upper"}], [col("name")]), fld("bad", [{"op": "regex_replace", "pattern": "(", "repl": ""}], [col("name")])]
    for pol in ["error", "overwrite", "skip"]:
        case("id-policy", f"on_conflict_{pol}", f, rows, id_policy={"from": ["id"], "op": "concat", "sep": ":", "on_conflict": pol})
    case("id-policy", "on_conflict_absent", f, rows, id_policy={"from": ["id"], "op": "concat", "sep": ":"})
    case("id-policy", "concat_two_columns", f, rows, id_policy={"from": ["id", "k"], "op": "concat", "sep": "|", "on_conflict": "error"})
    case("id-policy", "default_sep", f, rows, id_policy={"from": ["id", "k"], "op": "concat", "on_conflict": "error"})
    for h in ["sha1", "sha256", "md5"]:
        case("id-policy", f"hash_{h}", f, rows, id_policy={"from": ["id", "k"], "op": "concat", "sep": ":", "hash": h, "on_conflict": "error"})
    case("id-policy", "hash_salt", f, rows, id_policy={"from": ["id"], "op": "concat", "sep": ":", "hash": "sha256", "salt": "s3cr", "on_conflict": "skip"})
    case("id-policy", "from_reads_raw_row_not_mapped_field", [fld("id", [{"op": "literal", "value": "mapped"}], [col("id")])], rows,
         id_policy={"from": ["id"], "op": "concat", "sep": ":", "on_conflict": "error"})
    case("id-policy", "from_nested_path_is_literal_key", [fld("k", [], [col("k")])], [{"a": {"b": "1"}, "a.b": "flat", "k": 1}],
         id_policy={"from": ["a.b"], "op": "concat", "sep": ":", "on_conflict": "error"})
    case("id-policy", "no_id_policy", f, rows, drop=("id_policy",))
    case("id-policy", "empty_from", f, rows, id_policy={"from": [], "op": "concat", "sep": ":", "on_conflict": "error"})
    case("id-policy", "skip_drops_other_issues_too", f, rows, id_policy={"from": ["k"], "op": "concat", "sep": ":", "on_conflict": "skip"})


def budget_cases():
    r = rows_v(" x ", None)
    case("limits", "ops_200_ok", [fld("out", [{"op": "trim"}] * 200)], r)
    case("limits", "ops_201_budget_exceeded", [fld("out", [{"op": "trim"}] * 201)], r)
    case("limits", "ops_51_warning", [fld("out", [{"op": "trim"}] * 51)], r)
    case("limits", "ops_50_no_warning", [fld("out", [{"op": "trim"}] * 50)], r)
    case("limits", "map_branch_budget", [fld("out", [{"op": "map", "then": [{"op": "trim"}] * 201}], [jp("$.arr")])], [{"id": "1", "arr": ["a", "b"]}])
    case("limits", "unknown_op", [fld("out", [{"op": "titlecase"}, {"op": "upper"}])], r)
    for op in ["sum", "average", "multiply", "format_number", "date_diff", "validate_email", "debug", "parse_number", "parse_date", "parse_geo", "set_field_options"]:
        case("limits", f"docs_op_{op}", [fld("out", [{"op": op}])], rows_v("12", ["1", "2"], None))
    case("limits", "jsonpath_expr_1001", [fld("out", [], [jp("$." + "a" * 1000)])], r)
    case("limits", "regex_extract_pattern_2001", [fld("out", [{"op": "regex_extract", "pattern": "a" * 2001}])], r)


def validator_cases():
    r = rows_v(" x ")
    base = [fld("out", [{"op": "trim"}])]
    case("validator", "valid_minimal", base, r)
    case("validator", "valid_all_schema_ops", [
        fld("a", [{"op": "trim"}, {"op": "lower"}, {"op": "upper"}, {"op": "split", "sep": ","}, {"op": "regex_replace", "pattern": "a", "repl": "b"}]),
        fld("b", [{"op": "date_parse", "formats": ["%Y"], "assume_tz": "UTC"}, {"op": "geo_parse", "format": "latlon"}, {"op": "cast", "to": "long"},
                  {"op": "cast", "to": "boolean"}, {"op": "dict", "key": "d"}, {"op": "concat", "sep": " "}, {"op": "coalesce"}]),
        fld("c", [{"op": "phonetic", "algorithm": "soundex"}, {"op": "hash", "algorithm": "sha256"}, {"op": "when", "cond": {"gt": 1}, "then": [], "else": []},
                  {"op": "map", "then": [{"op": "trim"}]}, {"op": "take", "which": 0}, {"op": "join", "sep": ","}, {"op": "flatten"}]),
        fld("d", [{"op": "zip", "with": [jp("$.a")], "fill": None}, {"op": "objectify", "fields": {"k": col("a")}, "fill": None, "strict": False},
                  {"op": "length"}, {"op": "literal", "value": 1}, {"op": "regex_extract", "pattern": "(a)", "group": 1, "flags": "ims"}]),
        fld("e", [{"op": "filter", "cond": {"gt": 1}, "by": "x"}, {"op": "slice", "start": 0, "end": None}, {"op": "unique", "by": None},
                  {"op": "sort", "by": None, "order": "desc", "numeric": True, "missing_last": False}]),
    ], rows_v("a,b"), dictionaries={"d": {"x": "y"}})
    inv = {
        "unknown_op": [fld("out", [{"op": "titlecase"}])],
        "op_extra_param": [fld("out", [{"op": "trim", "chars": " "}])],
        "op_missing_param_split": [fld("out", [{"op": "split"}])],
        "op_missing_param_regex_repl": [fld("out", [{"op": "regex_replace", "pattern": "a"}])],
        "op_flags_on_regex_replace": [fld("out", [{"op": "regex_replace", "pattern": "a", "repl": "b", "flags": "i"}])],
        "alias_lowercase": [fld("out", [{"op": "lowercase"}])],
        "alias_replace": [fld("out", [{"op": "replace", "pattern": "a", "repl": "b"}])],
        "cast_bare": [fld("out", [{"op": "cast"}])],
        "cast_number": [fld("out", [{"op": "cast", "to": "number"}])],
        "dict_name": [fld("out", [{"op": "dict", "name": "d"}])],
        "hash_algo_param": [fld("out", [{"op": "hash", "algo": "md5"}])],
        "take_negative": [fld("out", [{"op": "take", "which": -1}])],
        "take_missing_which": [fld("out", [{"op": "take"}])],
        "regex_extract_bad_flags": [fld("out", [{"op": "regex_extract", "pattern": "a", "flags": "x"}])],
        "regex_pattern_too_long": [fld("out", [{"op": "regex_replace", "pattern": "a" * 2001, "repl": ""}])],
        "geo_format_bad": [fld("out", [{"op": "geo_parse", "format": "wkt"}])],
        "sort_order_bad": [fld("out", [{"op": "sort", "order": "up"}])],
        "map_branch_invalid": [fld("out", [{"op": "map", "then": [{"op": "nope"}]}])],
        "when_branch_not_validated": [fld("out", [{"op": "when", "cond": {"gt": 1}, "then": [{"op": "nope", "x": 1}]}])],
        "input_wrong_kind": [fld("out", [], [{"kind": "sql", "query": "x"}])],
        "input_jsonpath_missing_expr": [fld("out", [], [{"kind": "jsonpath", "name": "x"}])],
        "input_column_with_expr": [fld("out", [], [{"kind": "column", "expr": "$.x"}])],
        "input_literal_missing_value": [fld("out", [], [{"kind": "literal"}])],
        "input_expr_too_long": [fld("out", [], [jp("$." + "a" * 1000)])],
        "input_not_array": [{"target": "out", "type": "keyword", "input": col("v"), "pipeline": []}],
        "field_missing_pipeline": [{"target": "out", "type": "keyword", "input": [col("v")]}],
        "field_missing_input": [{"target": "out", "type": "keyword", "pipeline": []}],
        "field_missing_type": [{"target": "out", "input": [col("v")], "pipeline": []}],
        "field_missing_target": [{"type": "keyword", "input": [col("v")], "pipeline": []}],
        "field_type_unknown": [fld("out", type="float")],
        "field_extra_key_normalizer": [fld("out", normalizer="lc")],
        "field_extra_key_multi_fields": [fld("out", multi_fields=[{"name": "raw", "type": "keyword"}])],
        "target_with_brackets": [fld("contacts[].phone")],
        "target_bad_chars": [fld("1bad-target")],
        "duplicate_target": [fld("out"), fld("out")],
        "copy_to_self": [fld("out", copy_to=["out", "all"]), fld("all", type="text")],
        "copy_to_other": [fld("out", copy_to=["all"]), fld("all", type="text")],
        "ignore_above_on_text": [fld("out", type="text", ignore_above=256)],
        "ignore_above_on_keyword": [fld("out", ignore_above=256)],
        "ignore_above_zero_on_text": [fld("out", type="text", ignore_above=0)],
        "null_value_on_text": [fld("out", type="text", null_value="NULL")],
        "null_value_falsy_on_text": [fld("out", type="text", null_value="")],
        "null_value_on_keyword": [fld("out", null_value="NULL")],
        "analyzer_builtin_reported_missing": [fld("out", type="text", analyzer="standard")],
        "format_on_date": [fld("out", type="date", format="yyyy-MM-dd||epoch_millis")],
        "empty_fields": [],
    }
    for name, fields in inv.items():
        case("validator", name, fields, r)
    case("validator", "analyzer_declared", [fld("out", type="text", analyzer="fr")], r,
         settings={"analysis": {"analyzer": {"fr": {"type": "standard"}}}})
    case("validator", "missing_index", base, r, drop=("index",))
    case("validator", "missing_globals", base, r, drop=("globals",))
    case("validator", "missing_id_policy", base, r, drop=("id_policy",))
    case("validator", "missing_dsl_version", base, r, drop=("dsl_version",))
    case("validator", "missing_fields", base, r, drop=("fields",))
    case("validator", "globals_missing_preview", base, r, globals={k: v for k, v in G.items() if k != "preview"})
    case("validator", "globals_preview_sample_size_zero", base, r, globals=gl(preview={"sample_size": 0}))
    case("validator", "index_uppercase", base, r, index="Bad_Index")
    case("validator", "dsl_version_no_minor", base, r, dsl_version="2")
    case("validator", "dsl_version_2_0", base, r, dsl_version="2.0")
    case("validator", "dsl_version_2_1", base, r, dsl_version="2.1")
    case("validator", "dsl_version_number", base, r, dsl_version=2.2)
    case("validator", "id_policy_missing_on_conflict", base, r, id_policy={"from": ["id"], "op": "concat", "sep": ":"})
    case("validator", "id_policy_bad_on_conflict", base, r, id_policy={"from": ["id"], "op": "concat", "sep": ":", "on_conflict": "ignore"})
    case("validator", "id_policy_hash_md5", base, r, id_policy={"from": ["id"], "op": "concat", "sep": ":", "hash": "md5", "on_conflict": "error"})
    case("validator", "id_policy_hash_salt", base, r, id_policy={"from": ["id"], "op": "concat", "sep": ":", "hash": "sha256", "salt": "x", "on_conflict": "error"})
    case("validator", "id_policy_empty_from", base, r, id_policy={"from": [], "op": "concat", "sep": ":", "on_conflict": "error"})
    case("validator", "container_bad_type", base, r, containers=[{"path": "a", "type": "array"}])
    case("validator", "container_bad_path", base, r, containers=[{"path": "a[0]", "type": "nested"}])
    case("validator", "container_extra_key", base, r, containers=[{"path": "a", "type": "object", "dynamic": True}])
    case("validator", "containers_ok", [fld("a.b"), fld("c.d")], r, containers=[{"path": "a", "type": "object"}, {"path": "c[]", "type": "nested"}])
    case("validator", "dynamic_templates_and_runtime", base, r, dynamic_templates=[{"strings": {"match_mapping_type": "string", "mapping": {"type": "keyword"}}}],
         runtime_fields={"day": {"type": "keyword", "script": {"source": "emit('x')"}}})
    case("validator", "dynamic_templates_not_array", base, r, dynamic_templates={"x": 1})
    case("validator", "top_level_extra_keys", base, r, sample={"rows": []}, owner="team")
    case("validator", "many_errors_at_once", [fld("out", [{"op": "nope"}], type="float"), {"target": "x"}], r, index="BAD", dsl_version="x")
    case("validator", "many_post_rule_errors", [fld("out", type="text", ignore_above=10, null_value="n", analyzer="missing", copy_to=["out"]), fld("out")], r)


def main():
    for d in CASES.glob("gen-*"):
        shutil.rmtree(d)
    for fn in [string_ops, concat_coalesce, cast_ops, date_ops, geo_ops, dict_ops, hash_phonetic, array_ops, condition_ops,
               zip_objectify, globals_cases, input_cases, placement_cases, id_cases, budget_cases, validator_cases]:
        fn()
    for rel, c in written.items():
        p = CASES / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps(c, indent=1, ensure_ascii=False) + "\n")
    (HERE / "manual-bugs.json").write_text(json.dumps(dict(sorted(manual.items())), indent=1, ensure_ascii=False) + "\n")
    print(f"generated {len(written)} cases")


if __name__ == "__main__":
    main()
