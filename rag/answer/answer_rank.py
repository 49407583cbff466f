"""The reader's answer ranking: the learned ranker chooses among the candidate phrases.

Every candidate phrase of the ranked sentences is a group of mentions with one feature row
(``rag.answer.answer_features``); the trees ``newsqa train-reader`` fitted on the train
weeks score the rows (``rag.trees``), calibrated on the validate weeks, so the winner's
score is its probability of being right.
"""

from __future__ import annotations

from rag.answer.answer_features import candidate_groups, feature_matrix
from rag.answer.apposition import apposed, asked_role
from rag.answer.entities import EntityTagger
from rag.answer.evidence import Sentence
from rag.answer.question import QuestionInfo
from rag.answer.shortform import Embeds, Short, story
from rag.ranking import at_least, best_first
from rag.trees import TreeModel

MEASURES = frozenset({"number", "money", "percent", "duration", "score", "date"})
"""Asked kinds a phrase of another kind never answers (a name for "How many ...?")."""


def learned_short(
    ranker: TreeModel | None,
    question: str,
    info: QuestionInfo,
    ranked: list[Sentence],
    embedder: Embeds,
    entities: EntityTagger | None = None,
) -> Short | None:
    """The learned ranker's best candidate, its P(right) as the score; None without a
    ranker or a candidate (for "How many ...?" and other questions for a measure or a date,
    without a candidate of the asked kind). For questions that ask for no particular kind
    ("What is the biggest threat ...?") a phrase is named only when the ranker is confident
    of it."""
    if ranker is None or info.qtype == "yesno":
        return None  # a yes/no question is answered "No" from a negation, or quoted
    groups = candidate_groups(question, info, ranked, embedder, entities)
    if not groups:
        return None
    probs = [float(p) for p in ranker.probability(feature_matrix(groups))]
    order = best_first(range(len(groups)), probs.__getitem__)  # ties: hand-score order
    if info.atype.kind in MEASURES:
        # "How many countries ...?" takes a phrase of the asked kind: over the 60 training
        # weeks' rows, none of the ranker's first choices of another kind was right. The
        # candidates of other kinds are left out, so the score below is the best phrase of
        # the asked kind's own P; with none, the learned ranker offers nothing (the hand-set
        # short answer, if any, is judged by the signal policy).
        order = [i for i in order if max(m.fit for m in groups[i].mentions) > 0]
        if not order:
            return None
    # The score is the ranker's P(right) of its own first choice, also when the role rule
    # below puts another phrase first: that rule changes which phrase answers the question,
    # not whether it is worth answering (the promoted phrase's own P was never fitted for it).
    p = probs[order[0]]
    role = asked_role(question, info.atype)
    if role is not None:
        # "Who is the spokesperson ...?": a name a sentence calls a spokesperson comes first
        described = [
            i
            for i in order
            if any(apposed(role, m.sentence.text, m.candidate) for m in groups[i].mentions)
        ]
        order = described + [i for i in order if i not in described]
    top = groups[order[0]]
    if info.atype.kind == "none" and not at_least(p, ranker.threshold_p):
        return None
    rival = max((probs[i] for i in order[1:]), default=0.0)
    stories = len({story(m.sentence.passage) for m in top.mentions})
    return Short(top.text, top.best.sentence, top.best.fit, p, stories, p - rival, True)
