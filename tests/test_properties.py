"""Property tests for the cleaner, the sentence splitter and the chunker (no model needed)."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rag.chunk import Chunker, approx_tokens
from rag.clean import clean_text
from rag.sentences import split_sentences
from rag.types import Article

# Pieces of news text that exercise the rules, mixed with arbitrary characters.
FRAGMENTS = [
    "Kim", "Putin", "met", "in", "Beijing", "on", "Sept. 13", "U.S.", "No. 1", "Mr. Kim",
    "said", "the", "talks", ",", ".", ". ", "! ", "? ", "… ", "\"", "“", "”", "(", ")", "'",
    " ", "  ", "\n", "\n\n", "\t", "\r\n", "\u00a0", "\u3000", "Share", "Close", "Text Size",
    "- Advertisement -", "© 2024 News. All rights reserved.", "By Jane Doe", "본문 바로가기",
    "클릭시", "ⓒ", "Related Posts", "3.5", "2023-09-15", "e.g.", "etc.", "A.", "x" * 40,
    "\x00", "\x07", "\x1b", "\u200b", "\u2028", "é", "ü", "数",
]  # fmt: skip

text_strategy = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(FRAGMENTS), max_size=80).map("".join),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=60).map("".join),
)

WORDS = [
    "Kim", "Putin", "Xi", "met", "visited", "Beijing", "Moscow", "Sept.", "13", "U.S.",
    "No.", "1", "Mr.", "officials", "said", "the", "talks", "on", "Monday", "trade",
    "sanctions", "summit", "2023", "priority", "ministers", "agreed", "(KCNA)", "“quote”",
    "long-running", "co-operation", "e.g.", "3.5", "percent",
]  # fmt: skip

sentence_strategy = st.builds(
    lambda words, end: " ".join(words) + end,
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=60),
    st.sampled_from([".", "!", "?", "", "…", ".”"]),
)
prose_strategy = st.lists(
    st.tuples(sentence_strategy, st.sampled_from([" ", "  ", "\n", "\n\n", " \n "])),
    min_size=1,
    max_size=40,
).map(lambda parts: "".join(s + sep for s, sep in parts))

PROPS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(text_strategy)
def test_clean_text_never_raises_and_gives_stripped_non_empty_lines(raw: str) -> None:
    cleaned = clean_text(raw)
    assert isinstance(cleaned, str)
    if not cleaned:
        return
    for paragraph in cleaned.split("\n\n"):
        assert paragraph
        assert paragraph == paragraph.strip()
        assert "\n" not in paragraph
    assert clean_text(cleaned) == cleaned  # cleaning clean text changes nothing


@PROPS
@given(st.one_of(text_strategy, prose_strategy))
def test_sentence_spans_in_order_non_overlapping_non_empty(text: str) -> None:
    spans = split_sentences(text)
    previous_end = 0
    for start, end in spans:
        assert 0 <= previous_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece.strip() == piece != ""
        previous_end = end
    # Nothing but whitespace is left out.
    covered = set()
    for start, end in spans:
        covered.update(range(start, end))
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


@PROPS
@given(
    prose_strategy,
    st.integers(min_value=16, max_value=120),
    st.integers(min_value=0, max_value=2),
)
def test_chunks_are_slices_in_order_and_lose_nothing(
    text: str, max_tokens: int, overlap: int
) -> None:
    chunker = Chunker(max_tokens=max_tokens, overlap=overlap, count_tokens=approx_tokens)
    chunks = chunker.chunk(Article(doc_id="doc", text=text))
    sentences = chunker.sentence_spans(text)
    if not sentences:
        assert chunks == []
        return
    assert [c.position for c in chunks] == list(range(len(chunks)))
    for c in chunks:
        assert c.text == text[c.start : c.end]
        assert c.text.strip() == c.text != ""
        assert approx_tokens(c.text) <= max_tokens
    for a, b in itertools.pairwise(chunks):
        assert a.start < b.start and a.end < b.end  # in order, always moving forward
    for start, end in sentences:
        assert any(c.start <= start and end <= c.end for c in chunks), text[start:end]
    ids = [c.chunk_id for c in chunks]
    assert len(ids) == len(set(ids))
    assert ids == [c.chunk_id for c in chunker.chunk(Article(doc_id="doc", text=text))]
