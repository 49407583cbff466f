"""NewsQA's own error types.

Library code raises these; only the edges (CLI, chat app) turn them into one-line
messages for people. Each carries a message that is already fit to show.

The base class and the errors of the storage layer are defined in ``vectorstore.errors``
(the bottom layer may not import ``rag``) and re-exported here unchanged, so this stays
the one place to import any of them from.
"""

from __future__ import annotations

from vectorstore.errors import ConfigError, IndexBusyError, ModelError, NewsQAError, StoreError

__all__ = [
    "ConfigError",
    "IndexBusyError",
    "IngestError",
    "InputError",
    "ModelError",
    "NewsQAError",
    "StoreError",
]


class InputError(NewsQAError):
    """A question or argument that cannot be used (empty, too long, ...)."""


class IngestError(NewsQAError):
    """A file or record that cannot be ingested (missing, unreadable, not text, ...)."""
