"""Article metadata: manifest, sidecar ``.meta.json``, datelines read off the text."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from rag.ingest.loaders import load_paths
from rag.ingest.metadata import find_dateline, from_text, load_manifest, load_sidecar
from rag.ingest.pipeline import prepare_article
from rag.types import Article

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"

BODY = (
    "Officials from South Korea and Japan met in Seoul on Monday to discuss trade.\n\n"
    "Both sides agreed to hold another round of talks next month, a spokesperson said.\n"
)


def articles_in(*paths: Path) -> tuple[dict[str, Article], list[str]]:
    """Load and prepare every article under ``paths``: (doc_id -> Article, problems)."""
    found: dict[str, Article] = {}
    problems: list[str] = []
    for result in load_paths(paths):
        problems.extend(result.problems)
        for raw in result.documents:
            found[raw.doc_id] = prepare_article(raw)
    return found, problems


# --- manifest and sidecar ---------------------------------------------------------------

EXPECTED_SAMPLE_META = {
    "000_075620075a1fb010": (
        "Xi-Putin Summit Follows SCO; Attention on Possible North Korea-China-Russia Summit",
        "The Asia Business Daily",
        dt.date(2025, 9, 2),
    ),
    "001_8bacbee5ccb4060f": (
        "Signs of stronger trilateral ties as China sends its top diplomats to Russia after "
        "Kim-Putin summit",
        "The Hankyoreh",
        dt.date(2023, 9, 15),
    ),
    "002_aaca5e63689b7572": (
        "Xi Jinping-Putin 'first meeting' after Ukraine war... China-Russia strengthens anti-US "
        "unity",
        "Ajou Economic Daily (AJU Press)",
        dt.date(2022, 9, 16),
    ),
    "003_856a94d7b1fc46ae": (
        "Russia's 'North Korea-China-Russia solidarity' struggles... Should we maintain "
        "'distancing' between China and China?",
        "News1 / Donga",
        dt.date(2023, 10, 17),
    ),
    "004_6c2af2daa34679c7": (
        "How will Kim-Putin summit affect China?",
        "The Korea Herald",
        dt.date(2024, 6, 19),
    ),
}


def test_sample_manifest_gives_title_outlet_published() -> None:
    found, problems = articles_in(ARTICLES)
    assert problems == []
    got = {d: (a.title, a.outlet, a.published) for d, a in found.items()}
    assert got == EXPECTED_SAMPLE_META
    assert found["001_8bacbee5ccb4060f"].author == "Choi Hyun-june"
    assert found["004_6c2af2daa34679c7"].author == "Son Ji-hyoung"


def test_load_manifest_reads_every_entry() -> None:
    entries, problems = load_manifest(ARTICLES)
    assert problems == []
    assert sorted(entries) == sorted(f"{d}.txt" for d in EXPECTED_SAMPLE_META)


def test_sidecar_overrides_manifest(tmp_path: Path) -> None:
    name = "001_8bacbee5ccb4060f"
    shutil.copy(ARTICLES / "manifest.json", tmp_path / "manifest.json")
    shutil.copy(ARTICLES / f"{name}.txt", tmp_path / f"{name}.txt")
    sidecar = {"title": "Sidecar title", "published": "2023-09-16", "url": "https://x.test/a"}
    (tmp_path / f"{name}.meta.json").write_text(json.dumps(sidecar))
    found, problems = articles_in(tmp_path)
    # The manifest lists four files that are not in this folder; nothing else is wrong.
    assert len(problems) == 4
    assert all("which is not in the folder" in p for p in problems)
    article = found[name]
    assert article.title == "Sidecar title"
    assert article.published == dt.date(2023, 9, 16)
    assert article.url == "https://x.test/a"
    assert article.outlet == "The Hankyoreh"  # not in the sidecar: from the manifest
    assert article.author == "Choi Hyun-june"


def test_sidecar_is_not_ingested_as_an_article(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text("Talks in Seoul\n\n" + BODY)
    (tmp_path / "story.meta.json").write_text(json.dumps({"outlet": "Daily Test"}))
    found, problems = articles_in(tmp_path)
    assert problems == []
    assert list(found) == ["story"]
    assert found["story"].outlet == "Daily Test"


def test_bad_date_in_sidecar_is_reported_and_article_kept(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text("Talks in Seoul\n\n" + BODY)
    (tmp_path / "story.meta.json").write_text(
        json.dumps({"title": "Talks", "published": "next Tuesday"})
    )
    found, problems = articles_in(tmp_path)
    assert problems == [
        f"{tmp_path / 'story.meta.json'}: published 'next Tuesday' is not a YYYY-MM-DD date"
    ]
    assert found["story"].published is None
    assert found["story"].title == "Talks"


def test_unreadable_sidecar_is_reported(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text("Talks in Seoul\n\n" + BODY)
    (tmp_path / "story.meta.json").write_text("{not json")
    meta = load_sidecar(tmp_path / "story.txt")
    assert meta is not None
    assert meta.problems == [
        f"{tmp_path / 'story.meta.json'}: unreadable (JSONDecodeError); ignored"
    ]


# --- datelines --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "date", "author"),
    [
        ("Posted on : 2023-09-15 16:12 KST", dt.date(2023, 9, 15), None),
        (
            "Posted on : 2023-09-15 16:12 KST Modified on : 2023-09-15 16:12 KST",
            dt.date(2023, 9, 15),
            None,
        ),
        ("June 19, 2024 - 15:47 By Son Ji-hyoung", dt.date(2024, 6, 19), "Son Ji-hyoung"),
        ("Published: 13 September 2023", dt.date(2023, 9, 13), None),
        ("Published: Sept. 13, 2023", dt.date(2023, 9, 13), None),
        ("Updated: 2021/12/28", dt.date(2021, 12, 28), None),
        ("19 June 2024 10:00 GMT", dt.date(2024, 6, 19), None),
    ],
)
def test_dateline_forms(line: str, date: dt.date, author: str | None) -> None:
    text = f"Headline of the story\n{line}\n\n{BODY}"
    assert find_dateline(text) == (date, line, author)


@pytest.mark.parametrize(
    "sentence",
    [
        "September 13, 2023 was the day Kim met Putin at the Vostochny Cosmodrome.",
        "13 September 2023 saw the first summit between the two leaders in four years.",
        "Kim met Putin at the Vostochny Cosmodrome on September 13, 2023.",
    ],
)
def test_sentence_starting_with_a_date_is_not_a_dateline(sentence: str) -> None:
    text = f"Kim and Putin meet in Russia\n\n{sentence}\n\n{BODY}"
    assert find_dateline(text) == (None, None, None)
    meta = from_text(text)
    assert meta.published is None


def test_sentence_starting_with_an_iso_date_is_not_a_dateline() -> None:
    sentence = "2023-09-13 was the day Kim met Putin at the Vostochny Cosmodrome."
    text = f"Kim and Putin meet in Russia\n\n{sentence}\n\n{BODY}"
    assert find_dateline(text) == (None, None, None)


def test_no_dateline_means_published_none(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text("Talks in Seoul\n\n" + BODY)
    found, problems = articles_in(tmp_path)
    assert problems == []
    assert found["story"].published is None
    assert found["story"].title == "Talks in Seoul"


def test_dateline_from_text_is_used_and_removed_from_the_text(tmp_path: Path) -> None:
    raw = "Talks in Seoul\nJune 19, 2024 - 15:47 By Son Ji-hyoung\n\n" + BODY
    (tmp_path / "story.txt").write_text(raw)
    found, _ = articles_in(tmp_path)
    article = found["story"]
    assert article.published == dt.date(2024, 6, 19)
    assert article.author == "Son Ji-hyoung"
    assert article.title == "Talks in Seoul"
    assert article.text == BODY.strip()


def test_manifest_date_beats_dateline(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text("Talks in Seoul\nPublished: 13 September 2023\n\n" + BODY)
    (tmp_path / "manifest.json").write_text(
        json.dumps({"articles": [{"file": "story.txt", "published": "2023-09-14"}]})
    )
    found, problems = articles_in(tmp_path)
    assert problems == []
    assert found["story"].published == dt.date(2023, 9, 14)
