"""Stage 7: answering. ``make_answerer`` picks an implementation by name."""

from __future__ import annotations

from rag.answer.abstention import make_abstention
from rag.answer.answer_features import BUNDLED_READER, FEATURES, VERSION
from rag.answer.base import ABSTAIN_TEXT, Answerer
from rag.answer.entities import SpacyEntities
from rag.answer.extractive import ExtractiveAnswerer
from rag.answer.shortform import Embeds
from rag.errors import ConfigError
from rag.settings import Settings
from rag.trees import load_model

__all__ = ["ABSTAIN_TEXT", "Answerer", "ExtractiveAnswerer", "make_answerer"]


def make_answerer(settings: Settings, embedder: Embeds) -> Answerer:
    """The answerer named by ``settings.answerer``; ``embedder`` embeds the question and
    its candidate sentences (an ``Embedder``, or an index's ``SentenceVectors``)."""
    if settings.answerer == "extractive":
        return _extractive(settings, embedder)
    if settings.answerer == "llm":
        # Imported here: the chat-model machinery is only needed by this answerer.
        from rag.answer.backends import chat_model_factory
        from rag.answer.llm import LLMAnswerer

        return LLMAnswerer(
            chat_model_factory(settings),
            fallback=_extractive(settings, embedder),
            timeout=settings.llm_timeout,
        )
    raise ConfigError(f"answerer {settings.answerer!r} is not available; use 'extractive' or 'llm'")


def _extractive(settings: Settings, embedder: Embeds) -> ExtractiveAnswerer:
    ranker = None
    if settings.reader == "learned":
        path = settings.reader_model or BUNDLED_READER
        ranker = load_model(path, "answer model", FEATURES, VERSION)
    return ExtractiveAnswerer(
        embedder,
        min_score=settings.min_answer_score,
        max_embedded=settings.answer_candidates or None,
        abstention=make_abstention(
            settings.abstention, settings.min_answer_score, settings.abstention_model
        ),
        entities=SpacyEntities() if settings.entities == "spacy" else None,
        ranker=ranker,
    )
