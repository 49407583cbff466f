"""The errors the storage layer raises, and the base of every NewsQA error.

Why here: ``vectorstore`` is the bottom layer and imports nothing from ``rag``, yet the
CLI and the chat app must turn a store or model failure into the same one-line message as
any other NewsQA error. So the base class and the storage-level errors live here, and
``rag.errors`` re-exports them: ``rag.errors.StoreError is vectorstore.errors.StoreError``.
Library code should import them from ``rag.errors``, the public place.
"""

from __future__ import annotations


class NewsQAError(Exception):
    """Base class: every error the user may see."""


class IndexBusyError(NewsQAError):
    """Another process is writing to the same index."""


class StoreError(NewsQAError):
    """The index is missing, damaged or inconsistent."""


class ModelError(NewsQAError):
    """An embedding or language model is missing, failed to load, or did not answer."""


class ConfigError(NewsQAError):
    """Settings that do not make sense (unknown backend, bad path, bad value)."""
