"""One JSON-lines reader for articles, question sets, benchmarks and date sets."""

from __future__ import annotations

from rag.jsonl import JsonLine, json_lines


def test_lines_objects_and_problems_by_file_and_line() -> None:
    content = '{"a": 1}\n\n   \n{"a": 2\n[1, 2]\n"text"\n{"b": "x"}\n'
    assert list(json_lines(content, "f.jsonl")) == [
        JsonLine("f.jsonl:1", 1, {"a": 1}),
        JsonLine("f.jsonl:4", 4, None, "not valid JSON (Expecting ',' delimiter)"),
        JsonLine("f.jsonl:5", 5, None, "expected a JSON object, got list"),
        JsonLine("f.jsonl:6", 6, None, "expected a JSON object, got str"),
        JsonLine("f.jsonl:7", 7, {"b": "x"}),
    ]


def test_empty_content_has_no_lines() -> None:
    assert list(json_lines("", "f.jsonl")) == []
    assert list(json_lines("\n\n", "f.jsonl")) == []


def test_objects_stop_at_the_first_bad_line_with_the_callers_error() -> None:
    import pytest

    from rag.errors import InputError
    from rag.jsonl import json_objects

    good = '{"a": 1}\n\n{"b": 2}\n'
    assert [(line.lineno, obj) for line, obj in json_objects(good, "f.jsonl")] == [
        (1, {"a": 1}),
        (3, {"b": 2}),
    ]
    with pytest.raises(InputError, match=r"^f\.jsonl:2: expected a JSON object, got list$"):
        list(json_objects('{"a": 1}\n[1]\n', "f.jsonl"))
    with pytest.raises(ValueError, match=r"^f\.jsonl:1: not valid JSON"):
        list(json_objects("{", "f.jsonl", ValueError))
