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
