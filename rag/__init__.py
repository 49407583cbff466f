"""NewsQA: offline, time-aware question answering over news articles.

The public API::

    from rag import Assistant, Settings
    assistant = Assistant(Settings.load(home="/tmp/newsqa"))
    answer = assistant.ask("When did Kim last visit China?")

Importing this package loads no model; components are built on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rag.errors import (
    ConfigError,
    IndexBusyError,
    IngestError,
    InputError,
    ModelError,
    NewsQAError,
    StoreError,
)
from rag.settings import Settings
from rag.types import (
    Answer,
    Article,
    Chunk,
    Citation,
    DateMention,
    IngestReport,
    Passage,
    TimelineEvent,
)

if TYPE_CHECKING:
    from rag.assistant import Assistant

__all__ = [
    "Answer",
    "Article",
    "Assistant",
    "Chunk",
    "Citation",
    "ConfigError",
    "DateMention",
    "IndexBusyError",
    "IngestError",
    "IngestReport",
    "InputError",
    "ModelError",
    "NewsQAError",
    "Passage",
    "Settings",
    "StoreError",
    "TimelineEvent",
]


def __getattr__(name: str) -> Any:
    # Assistant pulls in LangChain and Chroma: import it only when asked for.
    if name == "Assistant":
        from rag.assistant import Assistant

        return Assistant
    raise AttributeError(f"module 'rag' has no attribute {name!r}")
