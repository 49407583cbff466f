"""Checks on the shipped question sets and on the loader's error reporting."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from eval.dataset import KINDS, EvalItem, contains_alias, load_dataset, normalize

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / "eval" / "datasets"
ARTICLES = ROOT / "data" / "articles"
ARTICLE_IDS = sorted(p.stem for p in ARTICLES.glob("*.txt"))


def _article(doc_id: str) -> str:
    return (ARTICLES / f"{doc_id}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def newsqa() -> list[EvalItem]:
    return load_dataset(DATASETS / "newsqa.jsonl")


@pytest.fixture(scope="module")
def dev() -> list[EvalItem]:
    return load_dataset(DATASETS / "dev.jsonl")


@pytest.mark.parametrize(
    "name",
    [
        "newsqa.jsonl",
        "dev.jsonl",
        "probe.jsonl",
        "probe2.jsonl",
        "probe3.jsonl",
        "probe4.jsonl",
        "probe5.jsonl",
        "probe6.jsonl",
        "probe7.jsonl",
        "probe8.jsonl",
    ],
)
def test_sources_exist_and_evidence_is_verbatim(name: str) -> None:
    for item in load_dataset(DATASETS / name):
        for doc_id in item.sources:
            assert doc_id in ARTICLE_IDS, (item.id, doc_id)
        texts = [normalize(_article(d)) for d in item.sources]
        for phrase in item.evidence:
            assert any(contains_alias(t, phrase) for t in texts), (item.id, phrase)


def test_every_source_has_its_own_evidence(newsqa: list[EvalItem]) -> None:
    for item in newsqa:
        for doc_id in item.sources:
            text = normalize(_article(doc_id))
            assert any(contains_alias(text, e) for e in item.evidence), (item.id, doc_id)


def test_evidence_is_short(newsqa: list[EvalItem]) -> None:
    for item in newsqa:
        for phrase in item.evidence:
            assert 1 <= len(normalize(phrase).split()) <= 10, (item.id, phrase)


def test_answerable_flags_agree_with_fields(newsqa: list[EvalItem]) -> None:
    for item in newsqa:
        assert item.kind in KINDS
        assert item.answerable is (item.kind != "unanswerable"), item.id
        if item.answerable:
            assert item.answers and item.sources and item.evidence, item.id
            assert all(normalize(a) for a in item.answers), item.id
        else:
            assert item.answers == item.sources == item.evidence == (), item.id
        if item.kind == "multi":
            assert len(set(item.sources)) >= 2, item.id


def test_no_alias_is_given_away_by_its_question(newsqa: list[EvalItem]) -> None:
    for item in newsqa:
        assert not any(contains_alias(item.question, a) for a in item.answers), item.id


def test_dev_set_shape(dev: list[EvalItem]) -> None:
    assert len({i.id for i in dev}) == len(dev) == 16
    for item in dev:
        if not item.answerable:
            assert item.answers == item.sources == ()


def test_newsqa_counts(newsqa: list[EvalItem]) -> None:
    assert len({i.id for i in newsqa}) == len(newsqa) >= 64
    kinds = Counter(i.kind for i in newsqa)
    assert set(kinds) <= KINDS
    assert kinds["unanswerable"] >= 12
    assert kinds["temporal"] >= 16
    assert kinds["multi"] >= 1
    per_article = Counter(d for i in newsqa for d in set(i.sources))
    for doc_id in ARTICLE_IDS:
        assert per_article[doc_id] >= 8, doc_id


def test_at_most_15_questions_from_dev(newsqa: list[EvalItem], dev: list[EvalItem]) -> None:
    dev_by_id = {i.id: i for i in dev}
    dev_questions = {normalize(i.question) for i in dev}
    shared = [i for i in newsqa if i.id in dev_by_id]
    assert len(shared) <= 15
    for item in shared:
        assert item == dev_by_id[item.id]  # copied unchanged, with its id
    reworded = [
        i.id for i in newsqa if i.id not in dev_by_id and normalize(i.question) in dev_questions
    ]
    assert reworded == []


def test_temporal_date_answers_give_the_year(newsqa: list[EvalItem]) -> None:
    """A "when"/"what date" answer must be absolute: every alias states a year."""
    for item in newsqa:
        q = item.question.lower()
        if item.kind == "temporal" and (q.startswith("when") or "what date" in q):
            for alias in item.answers:
                assert any(tok.isdigit() and len(tok) == 4 for tok in normalize(alias).split()), (
                    item.id,
                    alias,
                )


# --- loader errors --------------------------------------------------------------------------

GOOD = {
    "id": "a",
    "question": "Who?",
    "answers": ["X"],
    "sources": ["doc"],
    "evidence": ["X did it"],
    "kind": "factoid",
    "answerable": True,
}


def _write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_load_roundtrip_and_blank_lines(tmp_path: Path) -> None:
    path = _write(tmp_path, json.dumps(GOOD), "", json.dumps(dict(GOOD, id="b")))
    items = load_dataset(path)
    assert [i.id for i in items] == ["a", "b"]
    assert items[0].to_dict() == GOOD
    assert items[0].answers == ("X",)


def test_malformed_json_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, json.dumps(GOOD), '{"id": "b", "question": ')
    with pytest.raises(ValueError, match=r"set\.jsonl:2: not valid JSON"):
        load_dataset(path)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({k: v for k, v in GOOD.items() if k != "evidence"}, r":2: missing field\(s\): evidence"),
        (dict(GOOD, answers="X"), r":2: field 'answers' must be list"),
        (dict(GOOD, sources=[1]), r":2: field 'sources' must be a list of strings"),
        (dict(GOOD, answerable="yes"), r":2: field 'answerable' must be bool"),
        (dict(GOOD, kind="trivia"), r":2: unknown kind 'trivia'"),
        (dict(GOOD, answers=[]), r":2: an answerable question needs at least one answer"),
        (dict(GOOD, id="a"), r":2: duplicate id 'a' \(first on line 1\)"),
    ],
)
def test_bad_fields_name_the_line(tmp_path: Path, bad: object, message: str) -> None:
    path = _write(tmp_path, json.dumps(GOOD), json.dumps(bad))
    with pytest.raises(ValueError, match=message):
        load_dataset(path)


def test_non_object_line(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r":1: expected a JSON object, got list"):
        load_dataset(_write(tmp_path, "[1, 2]"))
