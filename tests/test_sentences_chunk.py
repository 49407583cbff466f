"""Sentence spans and sentence-aligned chunks, on made-up text and the five sample articles."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from rag.chunk import Chunker, chunk_id
from rag.ingest.loaders import load_paths
from rag.ingest.pipeline import prepare_article
from rag.sentences import split_sentences
from rag.types import Article

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


# --- sentences --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Kim met Putin on Sept. 13 at the cosmodrome. It was their second summit.",
            ["Kim met Putin on Sept. 13 at the cosmodrome.", "It was their second summit."],
        ),
        (
            "The U.S. imposed new sanctions on Friday. Moscow called them illegal.",
            ["The U.S. imposed new sanctions on Friday.", "Moscow called them illegal."],
        ),
        (
            "Kim called ties a No. 1 priority in foreign policy. China said nothing.",
            ["Kim called ties a No. 1 priority in foreign policy.", "China said nothing."],
        ),
        (
            "Mr. Kim arrived in Beijing by train. Mrs. Lee stayed in Seoul.",
            ["Mr. Kim arrived in Beijing by train.", "Mrs. Lee stayed in Seoul."],
        ),
        (
            "The E.U. followed on Jan. 5. Dr. Park agreed. Prices rose 3.5 percent.",
            ["The E.U. followed on Jan. 5.", "Dr. Park agreed.", "Prices rose 3.5 percent."],
        ),
        (
            'He said "we are ready." Then he left. Is it true? Yes!',
            ['He said "we are ready."', "Then he left.", "Is it true?", "Yes!"],
        ),
        (
            "Headline without a stop\nFirst line of the story.\n\n  Second paragraph here.  ",
            ["Headline without a stop", "First line of the story.", "Second paragraph here."],
        ),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_split_sentences_of_nothing() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n \t") == []


def test_split_sentences_does_linear_work_on_long_articles(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Deterministic guard against the quadratic scan (no wall-clock timing): the look-back
    for an abbreviation before each full stop reads a bounded window, not the whole text."""
    import rag.sentences as sentences

    scanned: list[int] = []
    real = sentences._WORD_BEFORE

    class Recording:
        def search(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
            end = len(text) if endpos is None else endpos
            scanned.append(end - pos)
            return real.search(text, pos, end)

    monkeypatch.setattr(sentences, "_WORD_BEFORE", Recording())
    para = (
        "Officials from Seoul and Tokyo met on Monday to discuss trade. "
        "The talks lasted three hours, a spokesperson said. "
    )
    text = para * (64 * 1024 // len(para))  # 64 KB, one paragraph
    spans = split_sentences(text)
    assert len(spans) == 2 * (64 * 1024 // len(para))
    assert scanned and max(scanned) <= 40


# --- chunks on the sample articles (real tokenizer) -------------------------------------


def sample_articles() -> list[Article]:
    return [prepare_article(raw) for r in load_paths([ARTICLES]) for raw in r.documents]


@pytest.fixture(scope="module")
def samples() -> list[Article]:
    return sample_articles()


@pytest.fixture(scope="module")
def chunker(embedder: Any) -> Chunker:
    """The production chunker: 200 real WordPiece tokens, one sentence of overlap."""
    return Chunker(200, 1, embedder.count_tokens, embedder.count_tokens_many)


def doc_ids(articles: list[Article]) -> list[str]:
    return [a.doc_id for a in articles]


def test_samples_loaded(samples: list[Article]) -> None:
    assert len(samples) == 5


@pytest.mark.slow
def test_chunk_text_is_the_article_slice(samples: list[Article], chunker: Chunker) -> None:
    for article in samples:
        chunks = chunker.chunk(article)
        assert len(chunks) >= 5
        for position, c in enumerate(chunks):
            assert c.text == article.text[c.start : c.end]
            assert c.position == position
            assert c.doc_id == article.doc_id
            assert (c.title, c.outlet, c.published) == (
                article.title,
                article.outlet,
                article.published,
            )


@pytest.mark.slow
def test_chunks_start_and_end_on_sentence_boundaries(
    samples: list[Article], chunker: Chunker
) -> None:
    for article in samples:
        spans = split_sentences(article.text)
        starts = {s for s, _ in spans}
        ends = {e for _, e in spans}
        for c in chunker.chunk(article):
            assert c.start in starts, (article.doc_id, c.text[:60])
            assert c.end in ends, (article.doc_id, c.text[-60:])


@pytest.mark.slow
def test_chunks_fit_the_window_with_the_real_tokenizer(
    samples: list[Article], chunker: Chunker, embedder: Any
) -> None:
    for article in samples:
        sizes = [embedder.count_tokens(c.text) for c in chunker.chunk(article)]
        assert max(sizes) <= 200
        assert min(sizes) > 0


@pytest.mark.slow
def test_consecutive_chunks_overlap_by_exactly_one_sentence(
    samples: list[Article], chunker: Chunker
) -> None:
    for article in samples:
        spans = split_sentences(article.text)
        chunks = chunker.chunk(article)
        for a, b in itertools.pairwise(chunks):
            inside_a = [s for s in spans if a.start <= s[0] and s[1] <= a.end]
            shared = [s for s in inside_a if s[0] >= b.start]
            assert shared == [inside_a[-1]], (article.doc_id, a.position)
            assert b.start == inside_a[-1][0]


@pytest.mark.slow
def test_chunks_cover_every_sentence(samples: list[Article], chunker: Chunker) -> None:
    for article in samples:
        chunks = chunker.chunk(article)
        for s, e in split_sentences(article.text):
            assert any(c.start <= s and e <= c.end for c in chunks), article.text[s:e]
        assert chunks[0].start == split_sentences(article.text)[0][0]
        assert chunks[-1].end == len(article.text.rstrip())


@pytest.mark.slow
def test_chunk_ids_are_stable_and_follow_the_text(chunker: Chunker) -> None:
    first = {a.doc_id: [c.chunk_id for c in chunker.chunk(a)] for a in sample_articles()}
    again = {a.doc_id: [c.chunk_id for c in chunker.chunk(a)] for a in sample_articles()}
    assert first == again
    all_ids = [i for ids in first.values() for i in ids]
    assert len(all_ids) == len(set(all_ids))
    assert all(i.startswith(d + ":") for d, ids in first.items() for i in ids)

    article = next(a for a in sample_articles() if a.doc_id == "004_6c2af2daa34679c7")
    old = chunker.chunk(article)
    edited_text = article.text.replace("Kang Jun-young", "Kang Jun-young (a pseudonym)", 1)
    new = chunker.chunk(replace(article, text=edited_text))
    changed_at = article.text.index("Kang Jun-young")
    for o, n in zip(old, new):
        if o.end <= changed_at:
            assert n.chunk_id == o.chunk_id  # chunks before the edit keep their ids
    edited = [n for n in new if "(a pseudonym)" in n.text]
    assert edited
    assert {n.chunk_id for n in edited}.isdisjoint({o.chunk_id for o in old})
    assert chunk_id("d", 0, "abc") == chunk_id("d", 0, "abc") != chunk_id("d", 0, "abd")


@pytest.mark.slow
def test_token_counts_add_up_over_sentences(
    samples: list[Article], chunker: Chunker, embedder: Any
) -> None:
    """The chunker sums per-sentence counts; WordPiece makes that exact for whole chunks."""
    for article in samples:
        spans = chunker.sentence_spans(article.text)
        for c in chunker.chunk(article):
            inside = [article.text[s:e] for s, e in spans if c.start <= s and e <= c.end]
            assert embedder.count_tokens(c.text) == sum(embedder.count_tokens_many(inside))


@pytest.mark.slow
def test_batch_counting_gives_the_same_chunks(samples: list[Article], embedder: Any) -> None:
    one_by_one = Chunker(200, 1, embedder.count_tokens)
    batched = Chunker(200, 1, embedder.count_tokens, embedder.count_tokens_many)
    for article in samples:
        assert [c.chunk_id for c in batched.chunk(article)] == [
            c.chunk_id for c in one_by_one.chunk(article)
        ]


@pytest.mark.slow
def test_over_long_sentence_is_split_at_words(embedder: Any) -> None:
    words = " ".join(f"delegate{i}" for i in range(300))
    text = f"Short opening sentence here. A list of {words} attended. Closing line follows."
    chunker = Chunker(max_tokens=64, overlap=1, count_tokens=embedder.count_tokens)
    chunks = chunker.chunk(Article("long", text))
    assert len(chunks) > 3
    assert all(embedder.count_tokens(c.text) <= 64 for c in chunks)
    assert all(c.text == text[c.start : c.end] for c in chunks)
    assert all(not c.text[0].isspace() and not c.text[-1].isspace() for c in chunks)
    uncovered = [
        i
        for i, ch in enumerate(text)
        if not ch.isspace() and not any(c.start <= i < c.end for c in chunks)
    ]
    assert uncovered == []
