"""Near-duplicate stories: which indexed article is a copy of which (no I/O here).

News collections carry the same wire story many times: syndicated copies under other
outlets' names, updates with a new headline, scraped copies missing a paragraph. NewsQA
groups them into *stories* so retrieval can show one copy per story and a citation can
say who else reported it.

How: every article becomes a set of word shingles, a MinHash signature of that set
estimates the Jaccard similarity of two articles, and an LSH index (``datasketch``) finds
the few existing articles worth comparing with a new one, so grouping costs about 1 ms
per article whatever the size of the collection. Nothing here touches the store; the
persistent table and its rebuild from Chroma are in ``rag.ingest.stories``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from rag.types import Passage

# ``datasketch`` is imported where signatures are made or compared, not here: it loads
# SciPy (about 0.4 s), and answering a question only reads the story ids chunks carry
# (``also_reported_by``, ``rag.retrieve.stories``).

# Why 5-word shingles: shorter ones (1-3 words) are shared by any two articles on the same
# topic ("the North Korean leader"), so different reports of one event would look alike;
# longer ones make a single edited word change too many shingles (one word touches up to
# SHINGLE_WORDS of them), so an updated copy would drift away. 5 is the usual choice for
# near-duplicate news detection and keeps a re-headlined copy with one rewritten paragraph
# well above 0.7 (see tests/test_stories.py and benchmarks/stories.py).
SHINGLE_WORDS = 5
# Why 128 permutations: the Jaccard estimate's standard error is sqrt(J(1-J)/128), about
# 0.04 at J=0.7, small next to the gap between edited copies (~0.9) and different articles
# on one topic (the bundled Kim/Putin/China articles: < 0.01); a signature is 512 bytes
# stored and costs ~1 ms per 1,000-word article (more permutations cost time and space
# for precision the threshold does not need).
NUM_PERM = 128
SEED = 1
# The hashing scheme is named explicitly (datasketch >= 2.0) so stored signatures stay
# comparable if the library's default ever changes.
SCHEME = "affine32"
# The LSH only proposes candidates, each checked against the signature estimate, so a
# false positive costs one comparison (microseconds) while a false negative loses a
# duplicate. Hence its bands are tuned for 0.1 below the story threshold (at most 0.85:
# above 0.9 datasketch cannot cut 128 permutations into enough bands) with weights
# (false positives, false negatives) = (0.1, 0.9): a pair at exactly the threshold is
# proposed 99% of the time for thresholds 0.6-0.9 (0.44 at 0.7 with datasketch's
# defaults), and a pair at 0.3 similarity 6% of the time at 0.7.
LSH_WEIGHTS = (0.1, 0.9)
LSH_MARGIN = 0.1
# Stored signatures are valid only for the same recipe; the table is rebuilt otherwise.
RECIPE = f"words{SHINGLE_WORDS}-perm{NUM_PERM}-seed{SEED}-{SCHEME}"
DEFAULT_THRESHOLD = 0.7

_WORD = re.compile(r"\w+")


def normalise_words(text: str) -> list[str]:
    """The article's words, compatibility-normalised and case-folded (punctuation dropped).

    Why: copies differ in curly vs straight quotes, dashes, line breaks and capitalised
    headings; none of that should make two copies look different.
    """
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """The set of ``size``-word sequences of the normalised text.

    A text shorter than ``size`` words is one shingle (so two identical short texts still
    match); an empty text has none.
    """
    words = normalise_words(text)
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def signature(text: str) -> np.ndarray:
    """The MinHash signature (``NUM_PERM`` unsigned ints) of the text's shingles."""
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    minhash.update_batch([s.encode("utf-8") for s in shingles(text)])
    return np.asarray(minhash.hashvalues, dtype=np.uint64)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures (the share of equal slots)."""
    return float(np.mean(np.asarray(a) == np.asarray(b)))


def to_bytes(sig: np.ndarray) -> bytes:
    """A signature as bytes for the SQLite table: little-endian uint32, 512 bytes.

    The affine32 scheme's hash values are below 2**32, so nothing is lost.
    """
    return np.asarray(sig, dtype=np.uint64).astype("<u4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    """The inverse of ``to_bytes``."""
    return np.frombuffer(data, dtype="<u4").astype(np.uint64)


def article_text(pieces: Iterable[tuple[int, str]]) -> str:
    """An article's text rebuilt from its chunks: (start offset, chunk text) in order.

    Chunks overlap by a sentence; the overlap is dropped by offset, so the words come out
    exactly once and in order. Ingest and the rebuild from Chroma both sign this text,
    so a rebuilt table holds the very signatures ingest wrote.
    """
    out: list[str] = []
    covered = 0
    for start, text in pieces:
        skip = max(0, covered - start)
        if skip < len(text):
            if out and start > covered:
                out.append(" ")  # the gap between two chunks is whitespace
            out.append(text[skip:])
        covered = max(covered, start + len(text))
    return "".join(out)


@dataclass(frozen=True)
class StoryMatch:
    """The existing article a new one was grouped with."""

    story_id: str
    doc_id: str
    similarity: float


class StoryIndex:
    """In-memory LSH of article signatures: assigns each new article its story.

    Args:
        threshold: the lowest estimated Jaccard similarity at which two articles are the
            same story (``Settings.story_threshold``).
    """

    def __init__(self, threshold: float = DEFAULT_THRESHOLD) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"story threshold must be in (0, 1], not {threshold}")
        self.threshold = threshold
        lsh_threshold = max(0.1, min(threshold - LSH_MARGIN, 0.85))
        from datasketch import MinHashLSH

        self._lsh = MinHashLSH(threshold=lsh_threshold, num_perm=NUM_PERM, weights=LSH_WEIGHTS)
        self._signatures: dict[str, np.ndarray] = {}
        self._stories: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._stories)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._stories

    def story_of(self, doc_id: str) -> str | None:
        return self._stories.get(doc_id)

    def add(self, doc_id: str, story_id: str, sig: np.ndarray) -> None:
        """Add (or replace) an article whose story is already known."""
        self.remove(doc_id)
        self._stories[doc_id] = story_id
        if _is_empty(sig):
            return  # an article with no words matches nothing
        self._signatures[doc_id] = sig
        from datasketch import LeanMinHash

        lean = LeanMinHash(seed=SEED, hashvalues=sig, scheme=SCHEME)
        self._lsh.insert(doc_id, lean, check_duplication=False)

    def remove(self, doc_id: str) -> None:
        self._stories.pop(doc_id, None)
        if self._signatures.pop(doc_id, None) is not None:
            self._lsh.remove(doc_id)

    def best_match(self, sig: np.ndarray, exclude: str | None = None) -> StoryMatch | None:
        """The most similar indexed article at or above the threshold, if any.

        LSH gives candidates; each is checked with the signature estimate. Ties go to
        the smaller doc id, so the result does not depend on set order.
        """
        if _is_empty(sig):
            return None
        from datasketch import LeanMinHash

        lean = LeanMinHash(seed=SEED, hashvalues=sig, scheme=SCHEME)
        best: tuple[float, str] | None = None
        for doc_id in sorted(self._lsh.query(lean)):
            if doc_id == exclude:
                continue
            score = similarity(sig, self._signatures[doc_id])
            if score >= self.threshold and (best is None or score > best[0]):
                best = (score, doc_id)
        if best is None:
            return None
        return StoryMatch(self._stories[best[1]], best[1], best[0])

    def assign(self, doc_id: str, sig: np.ndarray) -> tuple[str, StoryMatch | None]:
        """Group an article (new or changed): its story id, and the match that decided it.

        The story of the most similar existing article above the threshold, else the
        article's own doc id (it starts a story). A changed article is taken out first,
        so it is re-grouped by its new text.
        """
        self.remove(doc_id)
        match = self.best_match(sig, exclude=doc_id)
        story_id = match.story_id if match else doc_id
        self.add(doc_id, story_id, sig)
        return story_id, match


def _is_empty(sig: np.ndarray) -> bool:
    # datasketch initialises every slot to the largest hash value; no shingle lowers any.
    return bool(np.all(np.asarray(sig) >= np.iinfo(np.uint32).max))


# --- citing the other members of a story --------------------------------------------------


class ArticleLike(Protocol):
    """What ``also_reported_by`` needs of a story member (``vectorstore.index.ArticleInfo``)."""

    @property
    def doc_id(self) -> str: ...
    @property
    def title(self) -> str | None: ...
    @property
    def outlet(self) -> str | None: ...
    @property
    def published(self) -> Any: ...


def article_ref(doc_id: str, title: Any, outlet: Any, published: Any) -> dict[str, Any]:
    """The ``{"doc_id", "title", "outlet", "published"}`` dict of a story member.

    ``published`` becomes an ISO string (or None), so the dict is JSON-ready.
    """
    if isinstance(published, dt.date):
        published = published.isoformat()
    return {
        "doc_id": str(doc_id),
        "title": title or None,
        "outlet": outlet or None,
        "published": str(published) if published else None,
    }


def also_reported_by(passage: Passage, members: Sequence[ArticleLike] = ()) -> list[dict[str, Any]]:
    """The other articles of the passage's story, for ``Citation.also_reported_by``.

    Args:
        passage: the cited passage.
        members: every article of its story (``NewsIndex.story_members``); the passage's
            ``metadata["also"]`` (set by ``rag.retrieve.stories.diversify``) is merged in,
            so the retrieved duplicates are listed even without an index look-up.

    Returns:
        One dict per other article (distinct doc ids, never the passage's own), oldest
        first, then by outlet and doc id.
    """
    refs: dict[str, dict[str, Any]] = {}
    for m in members:
        refs.setdefault(str(m.doc_id), article_ref(m.doc_id, m.title, m.outlet, m.published))
    for item in passage.metadata.get("also") or []:
        if isinstance(item, dict) and item.get("doc_id"):
            ref = article_ref(
                item["doc_id"], item.get("title"), item.get("outlet"), item.get("published")
            )
            refs.setdefault(ref["doc_id"], ref)
    refs.pop(passage.doc_id, None)
    return sorted(
        refs.values(),
        key=lambda r: (r["published"] or "9999", r["outlet"] or "", r["doc_id"]),
    )
