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
BatchCounter = Callable[[list[str]], list[int]]
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

    Token counts are taken once per sentence and summed: WordPiece splits text at
    whitespace and punctuation first, so with the model's tokenizer the count of sentences
    joined by whitespace is exactly the sum of their counts (measured: the same chunks as
    counting every candidate chunk, ~15x faster). With ``approx_tokens`` the sum is a
    little pessimistic, so chunks are at most slightly smaller.

    Args:
        max_tokens: upper bound per chunk, in embedding-model tokens.
        overlap: sentences carried over from the end of one chunk to the next.
        count_tokens: token counter; the embedding model's tokenizer in production,
            ``approx_tokens`` where the model is not loaded.
        count_many: optional batch form of ``count_tokens`` (one tokenizer call per
            article instead of one per sentence).
    """

    def __init__(
        self,
        max_tokens: int = 200,
        overlap: int = 1,
        count_tokens: TokenCounter = approx_tokens,
        count_many: BatchCounter | None = None,
    ) -> None:
        self.max_tokens = max_tokens
        self.overlap = overlap
        self.count_tokens = count_tokens
        self.count_many = count_many

    def _counts(self, texts: list[str]) -> list[int]:
        if self.count_many is not None:
            return list(self.count_many(texts))
        return [self.count_tokens(t) for t in texts]

    def sentence_spans(self, text: str) -> list[tuple[int, int]]:
        """Sentence spans, with any sentence longer than the window split to fit."""
        return [span for span, _ in self._counted_spans(text)]

    def _counted_spans(self, text: str) -> list[tuple[tuple[int, int], int]]:
        sentences = split_sentences(text)
        counted: list[tuple[tuple[int, int], int]] = []
        for (s, e), n in zip(sentences, self._counts([text[s:e] for s, e in sentences])):
            if n > self.max_tokens:
                pieces = _split_long(text, s, e, self.max_tokens, self.count_tokens)
                counts = self._counts([text[a:b] for a, b in pieces])
                counted.extend(zip(pieces, counts))
            else:
                counted.append(((s, e), n))
        return counted

    def chunk(self, article: Article) -> list[Chunk]:
        """Return the article's chunks in order; ``chunk.text == article.text[start:end]``."""
        text = article.text
        groups: list[list[tuple[int, int]]] = []
        current: list[tuple[int, int]] = []
        sizes: list[int] = []
        for span, n in self._counted_spans(text):
            if current and sum(sizes) + n > self.max_tokens:
                groups.append(current)
                keep = min(self.overlap, len(current)) if self.overlap else 0
                carry, carry_sizes = current[len(current) - keep :], sizes[len(sizes) - keep :]
                # Keep the overlap only if the new sentence still fits beside it.
                while carry and sum(carry_sizes) + n > self.max_tokens:
                    carry, carry_sizes = carry[1:], carry_sizes[1:]
                current, sizes = carry + [span], carry_sizes + [n]
            else:
                current.append(span)
                sizes.append(n)
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
