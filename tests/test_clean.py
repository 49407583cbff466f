"""The cleaner removes page furniture and keeps the prose, on made-up pages and real samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.clean import clean_text, is_boilerplate, normalize_whitespace
from rag.ingest.loaders import load_paths
from rag.ingest.pipeline import prepare_article

PROSE = [
    "Seoul hosts trade talks with Tokyo",
    "Officials from South Korea and Japan met in Seoul on Monday to discuss trade.",
    "Both sides agreed to share data on fisheries, a ministry spokesperson said.",
    "The talks came close to collapse on Sunday night, according to two officials.",
    "An advertisement campaign for the summit cost the city 2 million dollars.",
    "Officials shake hands before the talks in Seoul. (Yonhap)",
    "Readers were asked to click the link to the full statement, which ran to 40 pages.",
]

FURNITURE = [
    "Text Size",
    "- Advertisement -",
    "Share This Post",
    "Related Posts",
    "Most viewed articles",
    "button that move to original korean article (클릭시 원문으로 이동하는 버튼)",
    "© Korea Daily News. All rights reserved.",
    "ⓒ News1 DB",
    "Join us on social!",
    "본문 바로가기",
    "By Jane Doe, Seoul correspondent",
    "Close",
    "Send to",
    "Newsletter",
    "Trending",
    "Please direct questions or comments to []",
    "[사진=연합뉴스]",
]

CAPTION = PROSE[5]
ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"


def made_up_page() -> str:
    """A scraped page: furniture around and between the paragraphs, the caption twice."""
    head, lead, share, close, ad, caption, click = PROSE
    return "\n".join(
        [
            "본문 바로가기",
            "Text Size",
            "Close",
            "",
            head,
            "By Jane Doe, Seoul correspondent",
            "- Advertisement -",
            "Share This Post",
            "",
            caption,
            "ⓒ News1 DB",
            "",
            lead,
            "  Send to  ",
            share,
            "[사진=연합뉴스]",
            close,
            "Newsletter",
            ad,
            caption,
            click,
            "",
            "button that move to original korean article (클릭시 원문으로 이동하는 버튼)",
            "Please direct questions or comments to []",
            "© Korea Daily News. All rights reserved.",
            "Join us on social!",
            "Related Posts",
            "Most viewed articles",
            "Trending",
        ]
    )


def test_made_up_page_keeps_exactly_the_prose_in_order() -> None:
    cleaned = clean_text(made_up_page())
    head, lead, share, close, ad, caption, click = PROSE
    assert cleaned.split("\n\n") == [head, caption, lead, share, close, ad, click]


@pytest.mark.parametrize("line", FURNITURE)
def test_each_furniture_kind_is_removed(line: str) -> None:
    assert line not in clean_text(made_up_page())
    assert is_boilerplate(normalize_whitespace(line))


@pytest.mark.parametrize("sentence", PROSE[1:])
def test_prose_with_furniture_words_is_kept(sentence: str) -> None:
    assert not is_boilerplate(sentence)
    assert clean_text(f"Share\n{sentence}\nClose") == sentence


def test_repeated_caption_kept_once() -> None:
    assert clean_text(made_up_page()).count(CAPTION) == 1


def test_drop_lines_and_whitespace_normalisation() -> None:
    raw = (
        "Posted on : 2023-09-15 16:12 KST\r\nKim\u00a0met   Putin\tin Russia on Wednesday.\x07\r\n"
    )
    cleaned = clean_text(raw, drop_lines=("Posted on : 2023-09-15 16:12 KST",))
    assert cleaned == "Kim met Putin in Russia on Wednesday."


def test_only_furniture_gives_empty_text() -> None:
    assert clean_text("\n".join(FURNITURE)) == ""


def _sample_articles() -> dict[str, tuple[str, str]]:
    """doc_id -> (raw text, cleaned text) for the five bundled articles."""
    out = {}
    for result in load_paths([ARTICLES]):
        for raw in result.documents:
            out[raw.doc_id] = (raw.text, prepare_article(raw).text)
    return out


SAMPLES = _sample_articles()

SAMPLE_FURNITURE = [
    "본문 바로가기",
    "bar_progress",
    "Text Size",
    "Close",
    "All rights reserved",
    "Special Coverage",
    "Join us on social!",
    "Posted on :",
    "Please direct questions",
    "button that move to original korean article",
    "Related stories",
    "Most viewed articles",
    "Newsletter",
    "Unauthorized reproduction",
    "Trending",
    "Share This Post",
    "Advertisement",
    "ⓒ News1 DB",
    "Related Posts",
    "Send to",
    "June 19, 2024 - 15:47 By Son Ji-hyoung",
    "By Choi Hyun-june, Beijing correspondent",
]

KNOWN_SENTENCES = {
    "000_075620075a1fb010": [
        "Russian media outlet RBC reported that Putin's motorcade entered the Diaoyutai State "
        "Guesthouse, the official guest residence in China.",
        "This marks Kim's first visit to China in six years and eight months since January 2019.",
    ],
    "001_8bacbee5ccb4060f": [
        "In fact, Mao Ning, the spokesperson of China’s Ministry of Foreign Affairs has been "
        "repeating for days",
        "Kim said he would make North Korea-Russia relations a “No. 1 priority” in foreign policy",
    ],
    "002_aaca5e63689b7572": [
        "including Vladimir Valerievich Komlev, the CEO of the National Payment System (NSPK)",
        "The two sides did not issue a separate joint statement after the meeting.",
    ],
    "003_856a94d7b1fc46ae": [
        "Russian President Vladimir Putin arrived in Beijing, China by flight on the morning of "
        "the 17th.",
        "Park Won-gon, a professor of North Korean studies at Ewha Womans University, said,",
    ],
    "004_6c2af2daa34679c7": [
        "Kang Jun-young, professor of China studies at Hankuk University of Foreign Studies,",
        "Meanwhile, South Korea has sought to pursue mutual diplomatic interests with China.",
    ],
}


def test_samples_are_all_loaded() -> None:
    assert sorted(SAMPLES) == sorted(KNOWN_SENTENCES)


@pytest.mark.parametrize("doc_id", sorted(KNOWN_SENTENCES))
def test_sample_cleaned_text_has_no_furniture(doc_id: str) -> None:
    raw, cleaned = SAMPLES[doc_id]
    present_in_raw = [f for f in SAMPLE_FURNITURE if f in raw]
    assert present_in_raw, "each sample carries some furniture"
    assert [f for f in SAMPLE_FURNITURE if f in cleaned] == []


@pytest.mark.parametrize("doc_id", sorted(KNOWN_SENTENCES))
def test_sample_cleaned_text_keeps_known_sentences(doc_id: str) -> None:
    raw, cleaned = SAMPLES[doc_id]
    for sentence in KNOWN_SENTENCES[doc_id]:
        assert sentence in raw
        assert sentence in cleaned


def test_sample_caption_repeated_in_source_is_kept_once() -> None:
    raw, cleaned = SAMPLES["001_8bacbee5ccb4060f"]
    caption = (
        "North Korean leader Kim Jong-un speaks with Russian President Vladimir Putin at the "
        "Vostochny Cosmodrome in Russia’s Far East on Sept. 13. (KCNA/Yonhap)"
    )
    assert raw.count(caption) == 2
    assert cleaned.count(caption) == 1
