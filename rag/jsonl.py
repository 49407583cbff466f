"""JSON lines: one reader for every ``.jsonl`` NewsQA reads (articles, question sets,
RealTime QA weeks, date sets).

Why one: the readers had drifted apart (one stopped at a bad line with a raw
``JSONDecodeError``, one skipped lines that were not objects, one did not). Here a line is
parsed once, blank lines are skipped, and every other line comes back either as an object or
with the reason it is not one, named by ``file:line``; a bad line is skipped and reported
(ingest, ``json_lines``) or stops the run (question sets, benchmarks, ``json_objects``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.errors import InputError


@dataclass(frozen=True)
class JsonLine:
    """One non-blank line of a ``.jsonl`` file.

    Attributes:
        where: ``file:line`` (1-based), for messages.
        lineno: the line number.
        obj: the parsed object; None when the line is not a JSON object.
        problem: why ``obj`` is None ("not valid JSON (...)", "expected a JSON object, got
            list").
    """

    where: str
    lineno: int
    obj: dict[str, Any] | None
    problem: str | None = None


def json_lines(content: str, path: str | Path) -> Iterator[JsonLine]:
    """The non-blank lines of ``content`` (the text of ``path``), parsed, in file order."""
    for lineno, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield JsonLine(where, lineno, None, f"not valid JSON ({exc.msg})")
            continue
        if not isinstance(value, dict):
            yield JsonLine(
                where, lineno, None, f"expected a JSON object, got {type(value).__name__}"
            )
            continue
        yield JsonLine(where, lineno, value)


def json_objects(
    content: str, path: str | Path, error: type[Exception] = InputError
) -> Iterator[tuple[JsonLine, dict[str, Any]]]:
    """Like ``json_lines`` for files where a bad line stops the run (question sets,
    benchmarks, date sets: a silently dropped line would change every figure): each line
    with its object; raises ``error("file:line: problem")`` at the first bad line."""
    for line in json_lines(content, path):
        if line.obj is None:
            raise error(f"{line.where}: {line.problem}")
        yield line, line.obj
