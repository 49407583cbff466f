"""Questions naming two parties: the evidence must involve both of them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from rag.answer.parties import involvement, parties


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("Where did the Putin-Kim summit take place?", [{"putin"}, {"kim"}]),
        ("When did Xi and Putin meet in Samarkand?", [{"xi"}, {"putin"}]),
        # short tokens are dropped ("un" would match "UN") unless nothing else is left
        ("Where did Kim Jong-un and Putin meet?", [{"kim", "jong"}, {"putin"}]),
        ("Who is Mao Ning?", []),
        ("Where is the Vostochny Cosmodrome?", []),
        ("What did Kim say about Kim?", []),
    ],
)
def test_parties(question: str, named: list[set[str]]) -> None:
    assert [set(p) for p in parties(question)] == named


def test_involvement() -> None:
    named = parties("Where did the Putin-Kim summit take place?")
    both = "Putin and Kim met at the Vostochny Cosmodrome."
    assert involvement(named, both, both) == 1.0
    assert involvement(named, "The two leaders met there.", f"{both} The two leaders met.") == 0.9
    other = "Putin met Erdogan in Sochi."
    assert involvement(named, other, other) == 0.0
    assert involvement([], other, other) == 1.0


@pytest.mark.slow
def test_evidence_involves_both_parties(tmp_path: Any, make_assistant: Any) -> None:
    articles = [
        {
            "id": "erdogan",
            "title": "Putin hosts Erdogan",
            "outlet": "Wire",
            "published": "2024-03-02",
            "text": "The Putin summit took place in Sochi on Friday, where Russian President "
            "Vladimir Putin hosted Turkish President Recep Tayyip Erdogan. The summit "
            "focused on grain exports.",
        },
        {
            "id": "kim",
            "title": "Kim visits Russia",
            "outlet": "Wire",
            "published": "2024-03-01",
            "text": "North Korean leader Kim Jong-un travelled by armoured train to Russia this "
            "week. Kim and Putin met at the Vostochny Cosmodrome on Wednesday.",
        },
    ]
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in articles) + "\n", encoding="utf-8")
    assistant = make_assistant(tmp_path / "home")
    assistant.ingest([path])
    answer = assistant.ask("Where did the Putin-Kim summit take place?", as_of="2024-03-05")
    assert answer.abstained is False
    assert answer.citations[0].doc_id == "kim"
    assert "Vostochny Cosmodrome" in answer.text
    assert "Sochi" not in answer.text
