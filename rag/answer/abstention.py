"""Whether to answer: a decision on a few signals of the answer the reader would give.

The extractive answerer always drafts its best answer first and measures it
(``Signals``); a policy then turns the signals into a confidence and declines below its
threshold. Three policies:

- ``learned`` (default): a logistic model, fitted by ``newsqa train-abstention`` on a
  training split (the 2022 and 2024 weeks of ``realtimeqa-train`` plus half of the project's
  questions) with the threshold chosen on a separate split (its 2025 weeks plus the other
  half); the report weeks are never used. The fitted weights ship as
  ``abstention_model.json`` beside this module; applying them needs only arithmetic, so no
  learning library is loaded when answering. When the learned answer ranker
  (``rag.answer.answer_features``) chose the short answer, its own calibrated probability
  decides instead.
- ``rules``: the hand-set rules fitted to the five sample articles (best sentence score
  at or above ``min_score``; a dated/numbered sentence for "when"/"how many"; a phrase of
  the asked kind for "who"/"which city").
- ``never``: answer whenever there is a draft (used to collect training data and to draw
  the accuracy-coverage curve). With no draft at all (no dated sentence for "when", no
  metadata for "who wrote it") every policy declines.
"""

from __future__ import annotations

import json
import math
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rag.errors import ConfigError
from rag.ranking import at_least
from rag.settings import ABSTENTIONS

if TYPE_CHECKING:
    from rag.answer.evidence import Sentence
    from rag.answer.question import QuestionInfo
    from rag.answer.shortform import Short
    from rag.types import Answer

BUNDLED_MODEL = Path(__file__).with_name("abstention_model.json")


@dataclass(frozen=True)
class Signals:
    """What the reader knows about its draft answer.

    Attributes:
        best: score of the best sentence (meaning + coverage + evidence,
            ``rag.answer.sentence_rank``).
        margin: how far the best sentence leads the best one from another article.
        meaning: embedding similarity of the best sentence to the question.
        coverage: IDF-weighted share of the question's key terms in the best sentence.
        typed: best score among sentences holding the asked kind of evidence (a date for
            "when", a number for "how many"), as a share of ``best``; 0 when none does.
        typed_best: that score itself (the rules policy compares it with ``min_score``).
        short: 1.0 when the draft has a short answer.
        short_fit: how well the short answer fits the expected type (0 without one).
        stories: distinct stories naming the short answer (capped at 3; 0 without one).
        short_score: the short answer's score (sentence, fit, closeness, votes).
        short_lead: how far it leads the best different phrase (0 without a short answer).
        phrase: 1.0 when the question asks for a name, number or place.
        needs_typed: 1.0 for questions whose form is "when", "count" (numbers, money,
            percentages, scores), "duration" or "frequency", and for last/first questions.
        rules_pass: 1.0 when the hand-set rules (``RulesAbstention``) would answer.
    """

    best: float
    margin: float
    meaning: float
    coverage: float
    typed: float
    typed_best: float
    short: float
    short_fit: float
    stories: float
    short_score: float
    short_lead: float
    phrase: float
    needs_typed: float
    rules_pass: float = 0.0

    def to_dict(self) -> dict[str, float]:
        return {k: round(v, 6) for k, v in asdict(self).items()}

    @classmethod
    def from_mapping(cls, values: Mapping[str, float]) -> Signals:
        """Signals from a saved record (a signal it lacks, from an older run, counts 0)."""
        return cls(**{f: float(values.get(f, 0.0)) for f in cls.__dataclass_fields__})


# The signals the learned model reads. Until the twentieth session four (rules_pass, best,
# short_lead, stories): the best of four sets on a training split of RealTime QA and 98
# project questions. With the 330 questions of all project sets, each benchmark weighted
# equally, all fourteen were best on the threshold split (docs/evaluation.md, "Learned
# abstention"): on small collections a tempting sentence scores as well as an answering
# one, and coverage and type fit tell them apart better than the best score does.
FEATURES: tuple[str, ...] = tuple(Signals.__dataclass_fields__)

# Expected answer kinds that a matching phrase must answer (``rag.answer.qtype``).
PHRASE_KINDS = frozenset(
    {"person", "org", "place", "city", "country", "state", "number", "money", "percent", "score"}
)


class Abstention(ABC):
    """Turns signals into a confidence; declines below ``threshold``."""

    name = "abstention"
    threshold: float = 0.0

    @property
    def p_floor(self) -> float:
        """The lowest P(right) at which another judge (the answer ranker) may answer alone;
        0 unless this policy's own threshold is a P(right)."""
        return 0.0

    @abstractmethod
    def confidence(self, signals: Signals) -> float:
        """A number that grows with the chance that the draft is right."""

    def declines(self, signals: Signals) -> bool:
        # On the ``rag.ranking`` grid: a confidence a hair from the threshold is decided
        # the same way on every machine.
        return not at_least(self.confidence(signals), self.threshold)


class RulesAbstention(Abstention):
    """The hand-set rules: the best score, a typed sentence where one is needed, a phrase
    of the asked kind where one is asked for. Confidence is the best score, or 0 when a
    rule fails."""

    name = "rules"

    def __init__(self, min_score: float = 0.5) -> None:
        self.threshold = min_score

    def confidence(self, signals: Signals) -> float:
        return signals.best if self.passes(signals) else 0.0

    def passes(self, signals: Signals) -> bool:
        """The rules other than the score itself."""
        s = signals
        if s.needs_typed and not at_least(s.typed_best, max(self.threshold, 0.8 * s.best)):
            return False
        return not (s.phrase and not s.short)

    def declines(self, signals: Signals) -> bool:
        return not self.passes(signals) or not at_least(signals.best, self.threshold)


class NeverAbstain(Abstention):
    """Always answers; the confidence is the best score (for ordering answers)."""

    name = "never"
    threshold = -math.inf

    def confidence(self, signals: Signals) -> float:
        return signals.best


class LogisticAbstention(Abstention):
    """P(right) = sigmoid(bias + sum(weight * (signal - mean) / scale)), fitted without
    class weights so that it estimates the share of right drafts.

    Args:
        weights, means, scales: one number per name in ``features``.
        bias: the intercept.
        threshold: answer when P(right) is at least this.
        features: the ``Signals`` fields read, in order.
        p_floor: the lowest P(right) of the learned answer ranker at which it may answer
            alone (``None``: the threshold).
    """

    name = "learned"

    def __init__(
        self,
        weights: list[float],
        means: list[float],
        scales: list[float],
        bias: float,
        threshold: float,
        features: tuple[str, ...] = FEATURES,
        p_floor: float | None = None,
    ) -> None:
        if not features or not len(weights) == len(means) == len(scales) == len(features):
            raise ConfigError("abstention model: weights, means, scales and features differ")
        numbers = [*weights, *means, *scales, bias, threshold]
        if not all(math.isfinite(x) for x in [*numbers, p_floor or 0.0]):
            raise ConfigError("abstention model: every number must be finite")
        unknown = sorted(set(features) - set(Signals.__dataclass_fields__))
        if unknown:
            raise ConfigError(f"abstention model: unknown signal(s) {', '.join(unknown)}")
        self.weights = weights
        self.means = means
        self.scales = [s or 1.0 for s in scales]
        self.bias = bias
        self.threshold = threshold
        self.features = features
        self._p_floor = p_floor

    @property
    def p_floor(self) -> float:
        """A P(right) chosen for declining questions the articles do not answer: its own
        threshold unless the model names one. The answer ranker's own threshold is chosen
        for the benchmark's accuracy, which never rewards declining a question that has an
        answer, and can sit far lower (0.06 for the shipped model)."""
        return self.threshold if self._p_floor is None else self._p_floor

    def confidence(self, signals: Signals) -> float:
        values = asdict(signals)
        z = self.bias + sum(
            w * (float(values[f]) - m) / s
            for w, m, s, f in zip(self.weights, self.means, self.scales, self.features)
        )
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "weights": self.weights,
            "means": self.means,
            "scales": self.scales,
            "bias": self.bias,
            "threshold": self.threshold,
            **({} if self._p_floor is None else {"p_floor": self._p_floor}),
        }

    @classmethod
    def load(cls, path: Path) -> LogisticAbstention:
        """Read a model written by ``newsqa train-abstention``."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                weights=[float(x) for x in data["weights"]],
                means=[float(x) for x in data["means"]],
                scales=[float(x) for x in data["scales"]],
                bias=float(data["bias"]),
                threshold=float(data["threshold"]),
                features=tuple(str(f) for f in data["features"]),
                p_floor=None if data.get("p_floor") is None else float(data["p_floor"]),
            )
        except FileNotFoundError:
            raise ConfigError(f"abstention model not found: {path}") from None
        except OSError as exc:
            raise ConfigError(f"cannot read abstention model {path}: {exc}") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"abstention model {path} is not valid: {exc}") from None


def measure(
    rules: RulesAbstention,
    info: QuestionInfo,
    ranked: list[Sentence],
    typed: list[Sentence],
    short: Short | None,
    needs_typed: bool,
    draft: Answer,
) -> Signals:
    """Measure a draft for the abstention policies: the ranked and typed sentences, the short
    answer the signal policy judges and whether the question needs a typed sentence."""
    best = ranked[0]
    other = next((s for s in ranked[1:] if s.passage.doc_id != best.passage.doc_id), None)
    typed_best = typed[0].score if typed else 0.0
    has_short = short is not None or draft.short is not None
    signals = Signals(
        best=best.score,
        margin=best.score - (other.score if other is not None else 0.0),
        meaning=best.meaning,
        coverage=best.coverage,
        typed=typed_best / best.score if best.score > 0 else 0.0,
        typed_best=typed_best,
        short=1.0 if has_short else 0.0,
        short_fit=short.fit if short is not None else (1.0 if has_short else 0.0),
        stories=float(min(short.stories, 3)) if short is not None else float(has_short),
        short_score=short.score if short is not None else 0.0,
        short_lead=short.lead if short is not None else 0.0,
        phrase=1.0 if info.atype.kind in PHRASE_KINDS else 0.0,
        needs_typed=1.0 if needs_typed else 0.0,
    )
    return replace(signals, rules_pass=float(not rules.declines(signals)))


def make_abstention(policy: str, min_score: float = 0.5, model: str = "") -> Abstention:
    """The policy named by ``Settings.abstention`` (``model``: a JSON file, empty = bundled)."""
    if policy == "learned":
        return LogisticAbstention.load(Path(model) if model else BUNDLED_MODEL)
    if policy == "rules":
        return RulesAbstention(min_score)
    if policy == "never":
        return NeverAbstain()
    raise ConfigError(f"unknown abstention policy {policy!r}; choose one of {ABSTENTIONS}")
