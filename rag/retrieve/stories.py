"""One passage per story: keep near-duplicate copies from crowding the passages out.

When a wire story is indexed five times, a question about it retrieves five copies of the
same paragraph, and the answerer sees one source where the user expects several. This
module is a pure post-processing step for a retriever's ranked list (wired in by the
retrievers; see ``diversify``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from rag.stories import article_ref
from rag.types import Passage


def story_of(passage: Passage) -> str:
    """The passage's story id; its own article's id for chunks written without one."""
    return str(passage.metadata.get("story_id") or passage.doc_id)


def _ref(passage: Passage) -> dict[str, Any]:
    return article_ref(passage.doc_id, passage.title, passage.outlet, passage.published)


def diversify(passages: Sequence[Passage], k: int) -> list[Passage]:
    """The best ``k`` passages with one article per story, unless fewer articles exist.

    A story's best-ranked article stands for it: passages of its near-duplicates are
    left out (they repeat the same report and are no independent support), while several
    passages of that one article may stay (different paragraphs say different things).

    Args:
        passages: retrieved passages, best first (ask the store for more than ``k``, e.g.
            ``2 * k``, so there is something to choose from).
        k: how many to keep.

    Returns:
        Up to ``k`` passages in their original rank order (scores stay descending). When
        fewer than ``k`` remain after leaving the duplicates out, the best of them fill
        the list. Every kept passage is a copy whose ``metadata["also"]`` lists the other
        retrieved articles of its story that were left out (no passage kept), as
        ``{"doc_id", "title", "outlet", "published"}`` dicts in rank order; the input
        passages are not changed.
    """
    if k <= 0:
        return []
    lead: dict[str, str] = {}  # story -> the doc_id of its best-ranked article
    for p in passages:
        lead.setdefault(story_of(p), p.doc_id)
    chosen = [i for i, p in enumerate(passages) if lead[story_of(p)] == p.doc_id][:k]
    if len(chosen) < k:
        taken = set(chosen)
        rest = [i for i in range(len(passages)) if i not in taken]
        chosen += rest[: k - len(chosen)]
    chosen.sort()
    kept = [passages[i] for i in chosen]
    kept_docs = {p.doc_id for p in kept}
    left_out: dict[str, dict[str, dict[str, Any]]] = {}  # story -> doc_id -> ref
    for p in passages:
        if p.doc_id not in kept_docs:
            left_out.setdefault(story_of(p), {}).setdefault(p.doc_id, _ref(p))
    return [
        replace(p, metadata={**p.metadata, "also": list(left_out.get(story_of(p), {}).values())})
        for p in kept
    ]
