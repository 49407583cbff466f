"""Question sets for the evaluation harness: loading, validation and answer matching.

The format and the matching rule follow the shared question-set README (copied into
``docs/evaluation.md``), so that scores computed here agree with the ones the project is judged
on. Matching is deliberately lexical and forgiving of punctuation: an answer is right when one of
the gold aliases occurs in it as a whole-word sequence after normalisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.jsonl import json_objects
from rag.lexical import normalize  # one rule for the metrics and the answer checks

KINDS: frozenset[str] = frozenset({"factoid", "temporal", "multi", "unanswerable"})
"""Question kinds the harness knows; the shared README has the first, second and fourth."""

_REQUIRED: dict[str, type] = {
    "id": str,
    "question": str,
    "answers": list,
    "sources": list,
    "evidence": list,
    "kind": str,
    "answerable": bool,
}


class DatasetError(ValueError):
    """A question-set line that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class EvalItem:
    """One question of a question set.

    Attributes:
        id: unique id within the set.
        question: what a user types.
        answers: acceptable short answers (aliases); empty when unanswerable.
        sources: ids of the articles that hold the answer (file names without ``.txt``).
        evidence: verbatim phrases from those articles; a cited passage that contains one of
            them supports the answer.
        kind: ``factoid``, ``temporal``, ``multi`` or ``unanswerable``.
        answerable: False when the articles do not hold the answer.
    """

    id: str
    question: str
    answers: tuple[str, ...]
    sources: tuple[str, ...]
    evidence: tuple[str, ...]
    kind: str
    answerable: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, with the field order of the dataset files."""
        return {
            "id": self.id,
            "question": self.question,
            "answers": list(self.answers),
            "sources": list(self.sources),
            "evidence": list(self.evidence),
            "kind": self.kind,
            "answerable": self.answerable,
        }


def contains_alias(answer: str, alias: str) -> bool:
    """Tell whether ``alias`` occurs in ``answer`` as a whole-word sequence after normalisation.

    Whole words matter: the alias "no" must match "No joint statement" but not "know" or
    "not", otherwise short aliases would reward almost any answer.

    Args:
        answer: the system's answer text.
        alias: one acceptable short answer.

    Returns:
        True when the normalised alias is a contiguous run of whole words of the normalised
        answer; False for an alias that normalises to nothing.
    """
    needle = normalize(alias)
    if not needle:
        return False
    return f" {needle} " in f" {normalize(answer)} "


def _parse_item(obj: Any, where: str) -> EvalItem:
    """Check one decoded JSON line and turn it into an ``EvalItem``.

    Raises:
        DatasetError: naming ``where`` (file and line) and the problem.
    """
    if not isinstance(obj, dict):
        raise DatasetError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    missing = [name for name in _REQUIRED if name not in obj]
    if missing:
        raise DatasetError(f"{where}: missing field(s): {', '.join(missing)}")
    for name, expected in _REQUIRED.items():
        value = obj[name]
        if not isinstance(value, expected):
            raise DatasetError(
                f"{where}: field {name!r} must be {expected.__name__}, got {type(value).__name__}"
            )
        if isinstance(value, list) and not all(isinstance(v, str) for v in value):
            raise DatasetError(f"{where}: field {name!r} must be a list of strings")
    if not obj["id"].strip():
        raise DatasetError(f"{where}: field 'id' is empty")
    if obj["kind"] not in KINDS:
        raise DatasetError(
            f"{where}: unknown kind {obj['kind']!r} (expected one of {', '.join(sorted(KINDS))})"
        )
    if obj["answerable"] and not obj["answers"]:
        raise DatasetError(f"{where}: an answerable question needs at least one answer")
    return EvalItem(
        id=obj["id"],
        question=obj["question"],
        answers=tuple(obj["answers"]),
        sources=tuple(obj["sources"]),
        evidence=tuple(obj["evidence"]),
        kind=obj["kind"],
        answerable=obj["answerable"],
    )


def load_dataset(path: str | Path) -> list[EvalItem]:
    """Read a question set in the JSON-lines format of the shared README.

    Blank lines are skipped so that a trailing newline or a separating gap is harmless; anything
    else that is wrong stops the load, because a silently dropped question would skew every
    metric computed from the set.

    Args:
        path: the ``.jsonl`` file.

    Returns:
        The items in file order.

    Raises:
        DatasetError: (a ``ValueError``) for a line that is not JSON, lacks a field, has a
            field of the wrong type or an unknown kind, or repeats an id; the message names the
            file and line number.
        OSError: when the file cannot be read.
    """
    path = Path(path)
    items: list[EvalItem] = []
    seen: dict[str, int] = {}
    for line, obj in json_objects(path.read_text(encoding="utf-8"), path, DatasetError):
        item = _parse_item(obj, line.where)
        if item.id in seen:
            raise DatasetError(
                f"{line.where}: duplicate id {item.id!r} (first on line {seen[item.id]})"
            )
        seen[item.id] = line.lineno
        items.append(item)
    return items
