"""Sentence boundaries with character offsets.

Chunking, date tagging and answer extraction all work on the same sentence spans, so
that a citation's highlighted sentence is exactly a slice of the stored passage. The
splitter is rule-based (fast, no model): it knows news abbreviations ("Sept.", "U.S.",
"No. 1", "Mr.") and never splits inside them.
"""

from __future__ import annotations

import re

_ABBREVIATIONS = {
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "sgt", "capt", "gov", "sen", "rep",
    "st", "mt", "ft", "no", "nos", "vol", "vs", "v", "etc", "inc", "ltd", "co", "corp",
    "jr", "sr", "u.s", "u.k", "u.n", "e.u", "a.m", "p.m", "i.e", "e.g", "approx", "est",
    "dept", "univ", "ave", "blvd", "rd", "fig", "al",
}  # fmt: skip

# A candidate end: . ! ? or … then optional closing quotes/brackets, then space(s).
_END = re.compile(r"([.!?…]+)([\"'”’»)\]]*)(\s+)")
_PARAGRAPH = re.compile(r"\n\s*\n|\n")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def _is_abbreviation(text: str, dot_pos: int) -> bool:
    """True when the full stop at ``dot_pos`` ends an abbreviation or an initial."""
    # Only the word right before the stop matters: search a short window, not the whole
    # text (searching from 0 made splitting quadratic in the article length).
    m = _WORD_BEFORE.search(text, max(0, dot_pos - 40), dot_pos)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    if word in _ABBREVIATIONS:
        return True
    # Single capital initials ("Kim J. Un", "U.S.") and dotted acronyms.
    if len(word) == 1 and word.isalpha():
        return True
    return "." in word and all(len(part) <= 2 for part in word.split("."))


def _split_block(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _END.finditer(text, start, end):
        punct_start = m.start(1)
        if m.group(1) == "." and _is_abbreviation(text, punct_start):
            continue
        nxt = m.end()
        # The next sentence should start with a capital, digit or opening quote.
        if nxt < end and not (text[nxt].isupper() or text[nxt].isdigit() or text[nxt] in "\"'“‘(["):
            continue
        sent_end = m.end(2)
        if text[pos:sent_end].strip():
            spans.append((pos, sent_end))
        pos = nxt
    if text[pos:end].strip():
        spans.append((pos, end))
    return spans


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences of ``text``, in order.

    Line breaks always end a sentence (headlines, captions and paragraphs of news text
    rarely continue across a line). Spans exclude surrounding whitespace.

    Args:
        text: cleaned article or passage text.
    """
    spans: list[tuple[int, int]] = []
    block_start = 0
    for m in _PARAGRAPH.finditer(text):
        spans.extend(_split_block(text, block_start, m.start()))
        block_start = m.end()
    spans.extend(_split_block(text, block_start, len(text)))
    trimmed: list[tuple[int, int]] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed


MIN_SENTENCE_WORDS = 4  # shorter sentences (datelines, captions) are never answers


def answer_sentences(text: str) -> list[str]:
    """The sentences of a passage that the extractive answerer may score and embed.

    Ingest embeds exactly these once (``vectorstore.sentence_vectors``), so they must be
    the answerer's own slices: ``text[s:e]`` of ``split_sentences``, long enough to answer.
    """
    out = []
    for s, e in split_sentences(text):
        if len(text[s:e].split()) >= MIN_SENTENCE_WORDS:
            out.append(text[s:e])
    return out
