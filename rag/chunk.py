"""Stage 3: cut an article into sentence-aligned, overlapping chunks.

A chunk never cuts a sentence in half (unless one sentence alone is longer than the
window, the only case where it is split at word boundaries), fits the embedding
model's 256-token window with room for the title prefix, and repeats the last
``overlap`` sentences of the previous chunk so that an answer spanning a boundary is
still found whole in one chunk.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from rag.sentences import split_sentences
from rag.types import Article, Chunk

TokenCounter = Callable[[str], int]
_WORDPIECE = re.compile(r"\w+|[^\w\s]")


def approx_tokens(text: str) -> int:
    """A fast, slightly pessimistic WordPiece token count (words and punctuation + 20%)."""
    return int(len(_WORDPIECE.findall(text)) * 1.2) + 1


def chunk_id(doc_id: str, start: int, text: str) -> str:
    """A stable content hash: the same article text always gives the same ids."""
    digest = hashlib.sha256(f"{doc_id}\x00{start}\x00{text}".encode()).hexdigest()
    return f"{doc_id}:{digest[:16]}"


def _split_long(
    text: str, start: int, end: int, limit: int, count: TokenCounter
) -> list[tuple[int, int]]:
    """Split one over-long sentence at word boundaries into spans that fit ``limit``."""
    pieces: list[tuple[int, int]] = []
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    piece_start = words[0][0]
    last_end = words[0][1]
    for ws, we in words[1:]:
        if count(text[piece_start:we]) > limit:
            pieces.append((piece_start, last_end))
            piece_start = ws
        last_end = we
    pieces.append((piece_start, last_end))
    return pieces


class Chunker:
    """Sentence-aware chunker.

    Args:
        max_tokens: upper bound per chunk, in embedding-model tokens.
        overlap: sentences carried over from the end of one chunk to the next.
        count_tokens: token counter; the embedding model's tokenizer in production,
            ``approx_tokens`` where the model is not loaded.
    """

    def __init__(
        self, max_tokens: int = 200, overlap: int = 1, count_tokens: TokenCounter = approx_tokens
    ) -> None:
        self.max_tokens = max_tokens
        self.overlap = overlap
        self.count_tokens = count_tokens

    def sentence_spans(self, text: str) -> list[tuple[int, int]]:
        """Sentence spans, with any sentence longer than the window split to fit."""
        spans: list[tuple[int, int]] = []
        for s, e in split_sentences(text):
            if self.count_tokens(text[s:e]) > self.max_tokens:
                spans.extend(_split_long(text, s, e, self.max_tokens, self.count_tokens))
            else:
                spans.append((s, e))
        return spans

    def chunk(self, article: Article) -> list[Chunk]:
        """Return the article's chunks in order; ``chunk.text == article.text[start:end]``."""
        text = article.text
        spans = self.sentence_spans(text)
        groups: list[list[tuple[int, int]]] = []
        current: list[tuple[int, int]] = []
        for span in spans:
            candidate = current + [span]
            if current and self.count_tokens(text[candidate[0][0] : span[1]]) > self.max_tokens:
                groups.append(current)
                carry = current[-self.overlap :] if self.overlap else []
                # Keep the overlap only if the new sentence still fits beside it.
                while carry and self.count_tokens(text[carry[0][0] : span[1]]) > self.max_tokens:
                    carry = carry[1:]
                current = carry + [span]
            else:
                current = candidate
        if current:
            groups.append(current)
        chunks = []
        for position, group in enumerate(groups):
            start, end = group[0][0], group[-1][1]
            body = text[start:end]
            chunks.append(
                Chunk(
                    chunk_id=chunk_id(article.doc_id, start, body),
                    doc_id=article.doc_id,
                    text=body,
                    position=position,
                    start=start,
                    end=end,
                    title=article.title,
                    outlet=article.outlet,
                    published=article.published,
                    content_hash=hashlib.sha256(body.encode()).hexdigest()[:16],
                )
            )
        return chunks
