"""What a search of the store returns.

Why here: ``vectorstore`` is the bottom layer and builds these from Chroma and BM25 hits;
``rag.types`` re-exports ``Passage`` unchanged for the pipeline above.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Passage:
    """A chunk returned by retrieval, with its score and rank information."""

    chunk_id: str
    doc_id: str
    text: str
    score: float
    title: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    position: int = 0
    start: int = 0
    end: int = 0
    metadata: dict[str, Any] = field(default_factory=dict)
