"""Stage 4: tag every chunk with the resolved dates of its sentences.

Dates are found once per article (against its publication date) and handed to the
chunks that hold them. Chroma metadata holds only scalars, so each chunk stores
``event_min``/``event_max`` as YYYYMMDD integers (for filtering by period) and the
mentions themselves as a compact JSON string (for the answerer).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rag.temporal import find_dates, value_range
from rag.types import Article, Chunk, DateMention

# The date rules' version, stored on every chunk. Raise it when a rule changes what it finds
# or how it resolves: ``newsqa ingest`` then re-dates the unchanged articles it is given that
# an older version tagged (their metadata only; nothing is embedded again).
DATE_RULES = 2


def date_int(value: Any) -> int | None:
    """A ``datetime.date`` to YYYYMMDD, or None."""
    return int(value.strftime("%Y%m%d")) if value is not None else None


def article_mentions(article: Article) -> list[DateMention]:
    """Every date mention of the article, resolved against its publication date."""
    return find_dates(article.text, article.published)


def chunk_dates(chunk: Chunk, mentions: Sequence[DateMention]) -> list[DateMention]:
    """The article's mentions inside one chunk, with offsets relative to the chunk text."""
    return [
        DateMention(m.text, m.start - chunk.start, m.end - chunk.start, m.value, m.granularity)
        for m in mentions
        if m.start >= chunk.start and m.end <= chunk.end
    ]


def encode_mentions(mentions: Sequence[DateMention]) -> str:
    return json.dumps([[m.start, m.end, m.value, m.granularity] for m in mentions])


def decode_mentions(text: str, raw: str | None) -> list[DateMention]:
    """Mentions stored on a chunk, back as ``DateMention`` objects over ``text``."""
    if not raw:
        return []
    try:
        rows = json.loads(raw)
    except ValueError:
        return []
    return [DateMention(text[s:e], s, e, v, g) for s, e, v, g in rows if 0 <= s < e <= len(text)]


def date_metadata(chunk: Chunk, mentions: Sequence[DateMention]) -> dict[str, Any]:
    """Metadata fields for one chunk: event range, mentions, publication date, rules'
    version. Every field is always present (None where absent), so writing them replaces
    what an earlier tagging stored."""
    own = chunk_dates(chunk, mentions)
    bounds = [value_range(m.value) for m in own if m.value]
    meta: dict[str, Any] = {
        "dates": encode_mentions(own),
        "published_int": date_int(chunk.published),
        "date_rules": DATE_RULES,
    }
    # None (no dated event) removes a range an earlier write left on the same chunk.
    meta["event_min"] = min(b[0] for b in bounds) if bounds else None
    meta["event_max"] = max(b[1] for b in bounds) if bounds else None
    return meta
