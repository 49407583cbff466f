"""NewsQA's own error types.

Library code raises these; only the edges (CLI, chat app) turn them into one-line
messages for people. Each carries a message that is already fit to show.
"""

from __future__ import annotations


class NewsQAError(Exception):
    """Base class: every error the user may see."""


class InputError(NewsQAError):
    """A question or argument that cannot be used (empty, too long, ...)."""


class IngestError(NewsQAError):
    """A file or record that cannot be ingested (missing, unreadable, not text, ...)."""


class IndexBusyError(NewsQAError):
    """Another process is writing to the same index."""


class StoreError(NewsQAError):
    """The index is missing, damaged or inconsistent."""


class ModelError(NewsQAError):
    """An embedding or language model is missing, failed to load, or did not answer."""


class ConfigError(NewsQAError):
    """Settings that do not make sense (unknown backend, bad path, bad value)."""
