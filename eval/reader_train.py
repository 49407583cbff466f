"""``newsqa train-reader``: learn the answer ranker from RealTime QA training weeks.

Steps, each resumable:

1. **Rows.** Every week of ``--source`` (``../shared/eval/realtimeqa-train``) is built as the
   benchmark harness builds it (its search results pooled into a fresh index, embeddings from
   the harness's cache). Each ``qa`` question is asked without its choices on its own date;
   the answerer's own retrieval and sentence scoring run, and every candidate phrase gets its
   feature row (``rag.answer.answer_features``) and a label: right when the right choice
   occurs in it as whole words and no other choice does (the benchmark's rule). A week's rows
   are cached under ``--cache`` (``~/.cache/newsqa/reader/v<features>``); a rerun skips
   cached weeks, and a refit from cached rows takes seconds.
2. **Fit** on the train split (2022 and 2024 weeks): scikit-learn's histogram gradient
   boosting, fixed seed.
3. **Calibrate and choose** on the validate split (2025 weeks): a logistic calibration of the
   ranker's raw score of each question's best candidate, then the probability below which to
   decline, the one that makes the most questions right on the ``qa`` and ``qa_nota`` sets
   together (declining is right only when the right choice is "None of the above").
4. **Export** the trees to JSON (``rag.trees``) with their metadata; answering
   reads them with numpy alone.

The report weeks (``../shared/eval/realtimeqa``) are never read here.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from eval.abstention import THRESHOLD as THRESHOLD_HALF
from eval.abstention import TRAIN as TRAIN_HALF
from eval.abstention import project_split
from eval.dataset import contains_alias
from eval.realtimeqa_data import (
    TRAIN,
    VALIDATE,
    Question,
    find_weeks,
    load_questions,
    split_of,
)
from eval.realtimeqa_metrics import choice_correct, is_nota
from rag.answer.answer_features import FEATURES, MONOTONE, VERSION
from rag.errors import ConfigError
from rag.retrieve.passage_features import PASSAGE_FEATURES, PASSAGE_VERSION
from rag.settings import Settings
from rag.trees import on_grid

DEFAULT_CACHE = Path("~/.cache/newsqa/reader")
SEED = 0
# ``--bags N`` makes the answer model the average of N fits, each on BAG_SHARE of the train
# questions (``fit_bagged``). The default, 1, fits once on all of them: the shipped model.
# Eight bags were measured (docs/reader.md, seventh session) and not shipped: no better on
# validate, and two made tests flipped by under 0.003 of P. The passage model is one fit.
BAGS = 1
BAG_SHARE = 0.8
# How much one question of the project set's train half weighs against one RealTime QA
# question (scikit-learn's sample_weight on each of its candidates). RealTime QA asks about
# the week's headline story, where the phrase in the headlines is usually the answer; the
# project's questions (and users' questions over a pile of articles) ask for a detail of an
# older story, where the headline names the topic instead. Fitted on RealTime QA alone, the
# ranker answered "Which European country did Xi visit in 2024?" with the headline's
# "China". Weight 2 against 0 (docs/reader.md, eleventh session; best candidate right): the
# project threshold half, not fitted on, 0.290 -> 0.355; dev 0.455 -> 0.727; validate
# 0.180 -> 0.167, within the grid-choice noise; weight 5 took validate to about 0.152.
PROJECT_WEIGHT = 2.0
MAX_PROJECT_WEIGHT = 1000.0  # past this one question decides the fit (and huge ones overflow)
KINDS = ("answers", "passages", "drafts")
# The retriever whose passages the answer rows are read from: the default one, as served.
# Rows from the learned passage ranker's passages (and 25 sentences instead of 10) raised the
# validate ceiling from 0.27 to 0.31 but not the report figures (docs/reader.md).
READER_RETRIEVER = "hybrid"
POOL_DEPTH = 50  # each retriever's depth for the passage ranker (rag.retrieve.learned)


def label(text: str, question: Question) -> bool:
    """The benchmark's rule on one candidate phrase."""
    return choice_correct(text, question.choices, question.answer)


def week_rows(
    index: Any, questions: Sequence[Question], kinds: Sequence[str] = KINDS
) -> dict[str, list[dict[str, Any]]]:
    """Per question of a built week, the row sets named in ``kinds``: its candidates'
    features and labels (``answers``, read from ``READER_RETRIEVER``'s passages, as
    served), its pooled passages' features and labels (``passages``), and the
    hand-set draft's signals and rightness over the hybrid retriever's passages (``drafts``,
    ``eval.abstention.Row`` for ``newsqa train-abstention --rows``)."""
    from dataclasses import asdict

    from eval.abstention import realtimeqa_row
    from eval.realtimeqa_week import holds_right, make_record
    from rag.retrieve.learned import PassagePool
    from rag.temporal.intent import parse_intent

    assistant = index.assistant
    # One chain per distinct retriever: with READER_RETRIEVER == "hybrid" a question's
    # passages are retrieved once for both the drafts and the answer rows.
    chains = {name: assistant.chain(name, "extractive") for name in ("hybrid", READER_RETRIEVER)}
    out: dict[str, list[dict[str, Any]]] = {kind: [] for kind in kinds}
    for q in questions:
        standalone = assistant.standalone(q.sentence)
        state = {"question": q.sentence, "standalone": standalone, "as_of": q.date}
        head = {"id": q.id, "week": q.week, "question": q.sentence}
        found = {}
        if "drafts" in kinds or "answers" in kinds:
            found = {name: chain.retrieve(state)["passages"] for name, chain in chains.items()}
        if "drafts" in kinds:
            # The draft and its signals (abstention "never"), for the signal abstention model.
            passages = found["hybrid"]
            draft = chains["hybrid"].answerer.answer(standalone, passages, q.date)
            record = make_record(q, draft, 0.0, passages, index)
            out["drafts"].append(asdict(realtimeqa_row(record)))
        if "answers" in kinds:
            passages = found[READER_RETRIEVER]
            reader = chains[READER_RETRIEVER].answerer
            groups = reader.reader_groups(standalone, passages, q.date)
            out["answers"].append(
                {
                    **head,
                    # Labelled as shown: "Joe Biden" is served as "President Joe Biden".
                    "labels": [int(label(g.shown, q)) for g in groups],
                    "texts": [g.shown for g in groups],
                    "rows": [[round(float(v), 6) for v in g.features] for g in groups],
                }
            )
        if "passages" in kinds:
            period = parse_intent(standalone, q.date).period
            pool = PassagePool(assistant.index, standalone, POOL_DEPTH, period, q.date)
            out["passages"].append(
                {
                    **head,
                    "labels": [int(holds_right(p.text, q)) for p in pool.passages],
                    "texts": [p.chunk_id for p in pool.passages],
                    "rows": [[round(float(v), 6) for v in row] for row in pool.rows],
                }
            )
    return out


# How wide the week indexes' HNSW search looks. At Chroma's default (100) the 50-deep dense
# list of a week differs between two builds of the same week on one machine for about a
# third of the questions (approximate search: one true neighbour found in one build, missed
# in the other); at 1000 two builds gave the same rows (docs/reader.md, eighth session).
POOL_SEARCH_EF = 1000


def _cache_file(cache: Path, week: str, kind: str = "answers") -> Path:
    # Drafts read the same question analysis as the answer rows: one version for both. The
    # search breadth is part of the key: rows of narrower searches are other rows.
    version = {"answers": VERSION, "drafts": VERSION, "passages": PASSAGE_VERSION}[kind]
    return cache / f"{kind}-v{version}-ef{POOL_SEARCH_EF}" / f"{week}.json.gz"


def _read_rows(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows: list[dict[str, Any]] = json.load(fh)
    return rows


def _write_rows(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    with gzip.open(partial, "wt", encoding="utf-8") as fh:
        json.dump(rows, fh)
    partial.replace(path)


def collect(
    source: Path, weeks: Sequence[str], settings: Settings, cache: Path, out: TextIO
) -> dict[str, list[dict[str, Any]]]:
    """Answer, passage and draft rows of every week, from the cache or built now (cached)."""
    from eval.realtimeqa import embedding_cache
    from eval.realtimeqa_week import build_week

    # The rows do not depend on a trained ranker (it only reads them): none is loaded. The
    # kept sentence vectors would only save time in a week index that is thrown away.
    week_settings = settings.replace(
        embedding_cache=embedding_cache(settings), answerer="extractive", reader="rules",
        retriever="hybrid", abstention="never", sentence_vectors=False,
        search_ef=POOL_SEARCH_EF, chroma_url=None,
    )  # fmt: skip
    rows: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
    shared = None
    for n, week in enumerate(weeks, 1):
        paths = {kind: _cache_file(cache, week, kind) for kind in KINDS}
        missing = [kind for kind, path in paths.items() if not path.exists()]
        for kind, path in paths.items():
            if kind not in missing:
                rows[kind].extend(_read_rows(path))
        if not missing:
            continue
        started = time.perf_counter()
        questions = load_questions(source, week, "qa")
        with tempfile.TemporaryDirectory(prefix=f"newsqa-reader-{week}-") as tmp:
            index = build_week(source, week, Path(tmp), week_settings, shared, None)
            shared = index.assistant.embedder
            built = week_rows(index, questions, missing)
        for kind in missing:
            _write_rows(paths[kind], built[kind])
            rows[kind].extend(built[kind])
        took = time.perf_counter() - started
        out.write(f"[{n}/{len(weeks)}] {week}: {len(questions)} questions, {took:.0f} s\n")
        out.flush()
    return rows


def _matrix(rows: Sequence[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stacked features, labels and the question index of every candidate."""
    xs, ys, qs = [], [], []
    for i, r in enumerate(rows):
        for x, y in zip(r["rows"], r["labels"], strict=True):
            xs.append(x)
            ys.append(y)
            qs.append(i)
    if not xs:
        return np.zeros((0, len(FEATURES))), np.zeros(0), np.zeros(0, dtype=int)
    return on_grid(np.asarray(xs)), np.asarray(ys, dtype=np.float64), np.asarray(qs)


def _top1_right(
    model: Any, matrix: tuple[np.ndarray, np.ndarray, np.ndarray], questions: int
) -> float:
    """Share of the questions whose best-scored candidate is right."""
    x, y, qs = matrix
    return float(np.mean(evaluate(model.raw(x), y, qs, questions)[1]))


def fit_trees(
    rows: Sequence[dict[str, Any]],
    params: dict[str, Any],
    monotone: Sequence[int] | None = None,
    seed: int = SEED,
) -> Any:
    """A gradient-boosted classifier of candidate rightness (fixed seed); ``monotone`` gives
    each feature's constraint (1 increasing, -1 decreasing, 0 none)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    x, y, qs = _matrix(rows)
    if len(set(y.tolist())) < 2:
        raise ConfigError("the training weeks hold no right (or no wrong) candidate to learn from")
    clf = HistGradientBoostingClassifier(random_state=seed, monotonic_cst=monotone, **params)
    weights = np.asarray([float(r.get("weight", 1.0)) for r in rows])
    clf.fit(x, y, sample_weight=weights[qs] if len(qs) and np.any(weights != 1.0) else None)
    return clf


Trees = list[list[tuple[int, float, int, int, float]]]


def bag_samples(n: int, bags: int) -> list[list[int]]:
    """The questions (indexes, sorted) each of ``bags`` fits sees: ``BAG_SHARE`` of the
    ``n``, drawn without replacement from a generator seeded with ``SEED``."""
    rng = np.random.default_rng(SEED)
    size = max(1, round(BAG_SHARE * n))
    return [sorted(rng.choice(n, size=size, replace=False).tolist()) for _ in range(bags)]


def fit_bagged(
    rows: Sequence[dict[str, Any]],
    params: dict[str, Any],
    monotone: Sequence[int] | None = None,
    bags: int = 1,
) -> tuple[Trees, float]:
    """The average of ``bags`` ensembles, each fitted on a random share (``BAG_SHARE``) of
    the questions (whole questions, so a question's candidates stay together), as one tree
    list: each tree's leaves scaled by ``1 / bags``, the baselines averaged.

    Why: one ensemble's choice between two close candidates follows small accidents of the
    fit (which rows early stopping held out, which split came first); averaging several
    fits on different samples keeps what they agree on. Serving is unchanged (more trees).
    """
    if bags <= 1:
        return export_trees(fit_trees(rows, params, monotone))
    trees: Trees = []
    baselines = []
    for b, pick in enumerate(bag_samples(len(rows), bags)):
        part, base = export_trees(fit_trees([rows[i] for i in pick], params, monotone, seed=b))
        trees += [[(f, t, lo, hi, v / bags) for f, t, lo, hi, v in tree] for tree in part]
        baselines.append(base)
    return trees, float(np.mean(baselines))


def export_trees(clf: Any) -> tuple[Trees, float]:
    """scikit-learn's fitted trees as node lists for ``rag.trees.from_trees``."""
    trees: Trees = []
    for predictors in clf._predictors:
        nodes = predictors[0].nodes
        tree = []
        for node in nodes:
            leaf = bool(node["is_leaf"])
            tree.append(
                (
                    -1 if leaf else int(node["feature_idx"]),
                    float(node["num_threshold"]),
                    int(node["left"]),
                    int(node["right"]),
                    float(node["value"]),
                )
            )
        trees.append(tree)
    baseline = float(np.ravel(clf._baseline_prediction)[0])
    return trees, baseline


def best_per_question(raw: np.ndarray, qs: np.ndarray, n: int) -> list[int | None]:
    """Index (into the candidate arrays) of each question's best-scored candidate."""
    best: list[int | None] = [None] * n
    for i, (score, q) in enumerate(zip(raw.tolist(), qs.tolist(), strict=True)):
        j = best[q]
        if j is None or score > raw[j]:
            best[q] = i
    return best


def calibrate(scores: np.ndarray, right: np.ndarray) -> tuple[float, float]:
    """Logistic calibration ``sigmoid(a * score + b)`` of the best candidates' raw scores."""
    from sklearn.linear_model import LogisticRegression

    if len(set(right.tolist())) < 2:
        return 1.0, 0.0
    model = LogisticRegression(C=1e4, random_state=SEED)
    model.fit(scores.reshape(-1, 1), right)
    return float(model.coef_[0][0]), float(model.intercept_[0])


def choose_threshold(
    probs: np.ndarray,
    right: np.ndarray,
    nota: np.ndarray,
    project: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> float:
    """The decline threshold with the most right decisions on the validate questions.

    Args:
        probs: calibrated P(right) of each RealTime QA question's best candidate (0 without).
        right: whether that candidate is right on the ``qa`` set.
        nota: whether the question's ``qa_nota`` version has "None of the above" as its
            right choice (declining is then right; answering anything is wrong).
        project: (P, right, answerable) of the project question set's threshold half: an
            answered right candidate or a declined unanswerable question is a right
            decision. Each question set weighs half, so the project's unanswerable
            questions count although RealTime QA has ten times more questions.
    """
    best_t, best_score = 1.01, -1.0
    points = {0.0, *np.round(probs, 3).tolist()}
    if project is not None:
        points |= set(np.round(project[0], 3).tolist())
    for t in sorted(points):
        answered = probs >= t
        qa = np.sum(answered & (right > 0))
        # the nota version: right when declining if its answer is NOTA, else as the qa one
        nota_right = np.sum(np.where(nota > 0, ~answered, answered & (right > 0)))
        score = float(qa + nota_right) / max(2 * len(probs), 1)
        if project is not None and len(project[0]):
            p_prob, p_right, p_answerable = project
            said = p_prob >= t
            good = np.where(said, p_right > 0, ~(p_answerable > 0))
            score = 0.5 * score + 0.5 * float(np.mean(good))
        if score > best_score + 1e-12:
            best_t, best_score = float(t), score
    return best_t


def _names_gold(text: str, aliases: Sequence[str]) -> bool:
    """A candidate names a gold answer: one holds the other as whole words."""
    return any(contains_alias(text, a) or contains_alias(a, text) for a in aliases)


def project_rows(dataset: Path, settings: Settings) -> dict[str, list[dict[str, Any]]]:
    """The project question set as the learned reader sees it, by half
    (``eval.abstention.project_split``: "train" or "threshold"; one pass over the questions
    for both): candidate rows, which candidates hold a gold answer, and whether the question
    is answerable. Only questions the learned short answer serves count (not "when"
    questions, which are answered with a date)."""
    from eval.dataset import load_dataset
    from rag.answer.extractive import ExtractiveAnswerer
    from rag.answer.question import analyse
    from rag.answer.shortform import wanted_count
    from rag.assistant import Assistant

    assistant = Assistant(settings.replace(reader="rules", answerer="extractive"))
    chain = assistant.chain(settings.retriever, "extractive")
    answerer = chain.answerer
    assert isinstance(answerer, ExtractiveAnswerer)
    out: dict[str, list[dict[str, Any]]] = {TRAIN_HALF: [], THRESHOLD_HALF: []}
    for item in load_dataset(dataset):
        info = analyse(item.question, None)
        if info.qtype == "when" or wanted_count(item.question) > 1:
            continue
        standalone = assistant.standalone(item.question)
        state = {"question": item.question, "standalone": standalone}
        passages = chain.retrieve(state)["passages"]
        groups = answerer.reader_groups(standalone, passages, None)
        aliases = list(item.answers)
        out[project_split(item.id)].append(
            {
                "id": item.id,
                "answerable": item.answerable,
                "labels": [int(_names_gold(g.shown, aliases)) for g in groups],
                "rows": [[round(float(v), 6) for v in g.features] for g in groups],
            }
        )
    return out


def nota_flags(source: Path, rows: Sequence[dict[str, Any]]) -> np.ndarray:
    """Per row: whether its question's ``qa_nota`` version answers "None of the above"."""
    flags: dict[str, bool] = {}
    for week in sorted({r["week"] for r in rows}):
        try:
            for q in load_questions(source, week, "nota"):
                flags[q.id] = any(is_nota(q.choices[i]) for i in q.answer)
        except Exception:  # a week without its nota file: no question counts as NOTA
            continue
    return np.asarray([flags.get(r["id"], False) for r in rows])


# The candidates for both models; the one with the best validate figure is kept (answers: the
# best candidate is right; passages: hit@5). Small trees and many samples a leaf: the data are
# a few thousand questions.
GRID = tuple(
    {"max_iter": it, "learning_rate": 0.05, "max_leaf_nodes": leaves,
     "min_samples_leaf": leaf, "l2_regularization": 1.0}
    for it in (50, 150) for leaves in (4, 8) for leaf in (20, 100)
)  # fmt: skip


def fit_best(
    train_rows: Sequence[dict[str, Any]],
    features: Sequence[str],
    figure: Any,
    monotone: dict[str, int] | None = None,
    tiebreak: Any = None,
    bags: int = 1,
) -> tuple[Any, dict[str, Any], float]:
    """Fit every ``GRID`` entry on ``train_rows``; keep the best by ``figure(model)`` (on
    validate rows). Ties, frequent on a few hundred questions, go to ``tiebreak(model)``
    (another held-out set), then to the earlier, smaller entry. ``monotone``: the features
    fitted under a monotonic constraint (``rag.answer.answer_features.MONOTONE``);
    ``bags``: each entry is the average of that many fits (``fit_bagged``)."""
    from rag.trees import from_trees

    cst = [monotone.get(f, 0) for f in features] if monotone else None
    best: tuple[Any, dict[str, Any], float] | None = None
    best_key = (-np.inf, -np.inf)
    for params in GRID:
        trees, baseline = fit_bagged(train_rows, params, cst, bags)
        model = from_trees(features, trees, baseline)
        value = float(figure(model))
        key = (round(value, 9), round(float(tiebreak(model)), 9) if tiebreak else 0.0)
        if best is None or key > best_key:
            best, best_key = (model, params, value), key
    assert best is not None
    return best


def evaluate(
    raw: np.ndarray, y: np.ndarray, qs: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each question's best raw score and whether that candidate is right (-inf/0 without)."""
    best = best_per_question(raw, qs, n)
    scores = np.asarray([raw[b] if b is not None else -np.inf for b in best])
    right = np.asarray([y[b] if b is not None else 0.0 for b in best])
    return scores, right


def splits(
    rows: Sequence[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(train rows, validate rows); both must be there to fit and choose."""
    train_rows = [r for r in rows if split_of(r["week"]) == TRAIN]
    valid_rows = [r for r in rows if split_of(r["week"]) == VALIDATE]
    if not train_rows or not valid_rows:
        raise ConfigError("train-reader needs weeks of both splits (2022/2024 and 2025)")
    return train_rows, valid_rows


def train(
    rows: Sequence[dict[str, Any]],
    source: Path,
    command: str,
    weeks_used: Sequence[str],
    project: Sequence[dict[str, Any]] = (),
    bags: int = BAGS,
    project_train: Sequence[dict[str, Any]] = (),
    project_weight: float = PROJECT_WEIGHT,
) -> tuple[Any, dict[str, Any]]:
    """Fit on train, calibrate and choose the threshold on validate; the model and figures.

    Args:
        project: the project question set's threshold half (``project_rows``): it weighs
            half in choosing the threshold.
        bags: fits averaged into each grid entry's model (``fit_bagged``).
        project_train: the project set's train half: its answerable questions join the
            training rows, each weighing ``project_weight`` RealTime QA questions.
        project_weight: how much one of those questions weighs (``PROJECT_WEIGHT``).
    """
    train_rows, valid_rows = splits(rows)
    fit_rows = train_rows + [
        dict(r, weight=project_weight) for r in project_train if r["answerable"]
    ]
    n_project = len(fit_rows) - len(train_rows)
    answerable_rows = [r for r in project if r["answerable"]]
    # built once: every grid entry is scored on them
    valid_matrix, answerable_matrix = _matrix(valid_rows), _matrix(answerable_rows)

    def top1(m: Any) -> float:
        return _top1_right(m, valid_matrix, len(valid_rows))

    def project_top1(m: Any) -> float:
        """Best candidate right on the project set's answerable threshold half."""
        if not answerable_rows:
            return 0.0
        return _top1_right(m, answerable_matrix, len(answerable_rows))

    model, params, _value = fit_best(fit_rows, FEATURES, top1, MONOTONE, project_top1, bags)
    figures: dict[str, Any] = {
        "params": params,
        "project_train_questions": n_project,
        "project_weight": project_weight,
    }
    for name, part in (("train", train_rows), ("validate", valid_rows)):
        x, y, qs = _matrix(part)
        raw = model.raw(x) if len(x) else np.zeros(0)
        scores, right = evaluate(raw, y, qs, len(part))
        figures[name] = {
            "questions": len(part),
            "weeks": len({r["week"] for r in part}),
            "candidates": len(y),
            "with_right_candidate": float(np.mean([any(r["labels"]) for r in part])),
            "top1_right": float(np.mean(right)),
            "hand_top1_right": float(np.mean([bool(r["labels"]) and r["labels"][0] > 0
                                              for r in part])),
        }  # fmt: skip
        if name == "validate" and answerable_rows:
            figures[name]["project_answerable_top1_right"] = project_top1(model)
        if name == "validate":
            has = np.isfinite(scores)
            a, b = calibrate(scores[has], right[has])
            probs = np.where(has, 1.0 / (1.0 + np.exp(-(a * np.where(has, scores, 0.0) + b))), 0.0)
            nota = nota_flags(source, part)
            points = None
            if project:
                px, py, pq = _matrix(project)
                p_scores, p_right = evaluate(model.raw(px), py, pq, len(project))
                finite = np.isfinite(p_scores)
                p_probs = np.where(
                    finite, 1.0 / (1.0 + np.exp(-(a * np.where(finite, p_scores, 0.0) + b))), 0.0
                )
                answerable = np.asarray([float(r["answerable"]) for r in project])
                points = (p_probs, p_right, answerable)
            threshold = choose_threshold(probs, right, nota, points)
            answered = probs >= threshold
            figures[name].update(
                {
                    "threshold": threshold,
                    "answered": float(np.mean(answered)),
                    "qa_correct_at_threshold": float(np.mean(answered & (right > 0))),
                    "nota_correct_at_threshold": float(
                        np.mean(np.where(nota, ~answered, answered & (right > 0)))
                    ),
                }
            )
            calibration = (a, b)
    importance = _importance(model)
    meta = {
        "trained_on": "realtimeqa-train: train split (2022 and 2024 weeks)"
        + (
            f" + the project question set's train half ({n_project}"
            f" answerable questions, each weighing {project_weight:g})"
            if n_project
            else ""
        ),
        "calibrated_on": "realtimeqa-train: validate split (2025 weeks)",
        "chosen_on": "validate split"
        + (" + the project question set's threshold half" if project else ""),
        "report_split_used": False,
        "weeks": list(weeks_used),
        "features_version": VERSION,
        "seed": SEED,
        "bags": bags,
        "bag_share": BAG_SHARE if bags > 1 else 1.0,
        "params": figures["params"],
        "monotone": MONOTONE,
        "command": command,
        "figures": figures,
        "top_features": importance[:12],
    }
    threshold = figures["validate"]["threshold"]
    final = replace(model, calibration=calibration, threshold_p=threshold, meta=meta)
    return final, figures


def _importance(model: Any) -> list[tuple[str, int]]:
    """How often each feature splits a node (a rough usefulness count)."""
    counts: dict[str, int] = {}
    for f in model.feature.tolist():
        if f >= 0:
            name = model.features[f]
            counts[name] = counts.get(name, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def spread_order(weeks: Sequence[str]) -> list[str]:
    """The weeks of one split in an order whose every prefix is spread over the whole span
    (halves, then quarters, ...), so that a partial run is still an even sample."""
    ordered = sorted(weeks)
    seen: set[int] = set()
    out: list[str] = []
    parts = 1
    while len(out) < len(ordered):
        for k in range(parts):
            i = (2 * k + 1) * len(ordered) // (2 * parts)
            if i not in seen:
                seen.add(i)
                out.append(ordered[i])
        parts *= 2
        if parts > 2 * len(ordered):
            out.extend(w for i, w in enumerate(ordered) if i not in seen)
            break
    return out


def spread(weeks: Sequence[str], limit: int | None = None) -> list[str]:
    """At most ``limit`` weeks of each split (all when None), spread over its span; the two
    splits alternate, so a run stopped early holds weeks of both."""
    train_weeks = spread_order([w for w in weeks if split_of(w) == TRAIN])[:limit]
    valid_weeks = spread_order([w for w in weeks if split_of(w) == VALIDATE])[:limit]
    out: list[str] = []
    for i in range(max(len(train_weeks), len(valid_weeks))):
        out.extend(part[i] for part in (train_weeks, valid_weeks) if i < len(part))
    return out


def hits_at(
    scores: np.ndarray, y: np.ndarray, qs: np.ndarray, n: int, ks: Sequence[int]
) -> dict[str, float]:
    """Share of questions with a positive among their ``k`` best-scored rows, per ``k``."""
    by_q: list[list[tuple[float, float]]] = [[] for _ in range(n)]
    for score, label_, q in zip(scores.tolist(), y.tolist(), qs.tolist(), strict=True):
        by_q[q].append((score, label_))
    out = {}
    for k in ks:
        hit = 0
        for items in by_q:
            ranked = sorted(range(len(items)), key=lambda i: -items[i][0])  # stable on ties
            hit += any(items[i][1] > 0 for i in ranked[:k])
        out[f"hit@{k}"] = hit / n if n else 0.0
    return out


def train_passages(
    rows: Sequence[dict[str, Any]], command: str, weeks_used: Sequence[str]
) -> tuple[Any, dict[str, Any]]:
    """Fit the passage ranker on train; passage hits before (RRF) and after, both splits.
    One fit: averaging eight (``fit_bagged``) gave the same validate hit@5 within a
    question (0.413 against 0.417)."""
    train_rows, valid_rows = splits(rows)
    vx, vy, vq = _matrix(valid_rows)

    def hit5(m: Any) -> float:
        return hits_at(m.raw(vx), vy, vq, len(valid_rows), (5,))["hit@5"]

    model, params, _value = fit_best(train_rows, PASSAGE_FEATURES, hit5)
    rrf = PASSAGE_FEATURES.index("rrf")
    figures: dict[str, Any] = {"params": params}
    for name, part in (("train", train_rows), ("validate", valid_rows)):
        x, y, qs = _matrix(part)
        ks = (1, 5, 20)
        figures[name] = {
            "questions": len(part),
            "pool_holds_answer": float(np.mean([any(r["labels"]) for r in part])),
            "rrf": hits_at(x[:, rrf], y, qs, len(part), ks),
            "learned": hits_at(model.raw(x), y, qs, len(part), ks),
        }
    meta = {
        "trained_on": "realtimeqa-train: train split (2022 and 2024 weeks)",
        "chosen_on": "realtimeqa-train: validate split (2025 weeks)",
        "report_split_used": False,
        "weeks": list(weeks_used),
        "features_version": PASSAGE_VERSION,
        "pool_depth": POOL_DEPTH,
        "seed": SEED,
        "params": params,
        "command": command,
        "figures": figures,
        "top_features": _importance(model)[:10],
    }
    return replace(model, meta=meta), figures


def learning_curve(
    answers: Sequence[dict[str, Any]],
    passages: Sequence[dict[str, Any]],
    source: Path,
    bags: int = BAGS,
) -> list[dict[str, Any]]:
    """Validate figures of models fitted on a quarter, a half and all of the train weeks
    (taken in spread order, so every part covers the whole span): does more data help?"""
    train_weeks = spread_order(sorted({r["week"] for r in answers if split_of(r["week"]) == TRAIN}))
    valid = [r for r in answers if split_of(r["week"]) == VALIDATE]
    valid_p = [r for r in passages if split_of(r["week"]) == VALIDATE]
    out = []
    for share in (0.25, 0.5, 1.0):
        used = set(train_weeks[: max(1, round(share * len(train_weeks)))])
        part_a = [r for r in answers if r["week"] in used] + valid
        part_p = [r for r in passages if r["week"] in used] + valid_p
        _m, a_fig = train(part_a, source, "learning curve", sorted(used), bags=bags)
        _p, p_fig = train_passages(part_p, "learning curve", sorted(used))
        out.append(
            {
                "train_weeks": len(used),
                "train_questions": sum(1 for r in answers if r["week"] in used),
                "validate_top1_right": a_fig["validate"]["top1_right"],
                "validate_correct_qa": a_fig["validate"]["qa_correct_at_threshold"],
                "validate_passage_hit@5": p_fig["validate"]["learned"]["hit@5"],
            }
        )
    return out


def _write_model(model: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")


def main(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """The ``newsqa train-reader`` command."""
    from rag.answer.answer_features import BUNDLED_READER
    from rag.retrieve.learned import BUNDLED_PASSAGE_MODEL

    bags = BAGS if getattr(args, "bags", None) is None else args.bags
    if bags < 1:
        raise ConfigError(f"--bags must be 1 or more, not {bags}")
    weight = getattr(args, "project_weight", None)
    weight = PROJECT_WEIGHT if weight is None else weight
    if not 0 < weight <= MAX_PROJECT_WEIGHT:  # NaN fails too
        raise ConfigError(
            f"--project-weight must be above 0 and at most {MAX_PROJECT_WEIGHT:g}, not {weight:g}"
        )
    source = Path(args.source).expanduser()
    weeks = spread(find_weeks(source, None), getattr(args, "max_weeks", None))
    cache = Path(args.cache or DEFAULT_CACHE).expanduser()
    if getattr(args, "cached_only", False):
        weeks = [w for w in weeks if all(_cache_file(cache, w, k).exists() for k in KINDS)]
    rows = collect(source, weeks, settings, cache, out)
    answers, passages = rows["answers"], rows["passages"]
    drafts_path = cache / "abstention-rows.json"
    drafts_path.write_text(json.dumps(rows["drafts"]) + "\n", encoding="utf-8")
    out.write(f"signal-abstention rows: {drafts_path} (newsqa train-abstention --rows)\n")
    if getattr(args, "collect_only", False):
        out.write(f"{len(answers)} questions collected in {cache}\n")
        return 0
    dataset = getattr(args, "dataset", None)
    halves = project_rows(Path(dataset), settings) if dataset else {}
    project, project_train = halves.get(THRESHOLD_HALF, []), halves.get(TRAIN_HALF, [])
    command = "newsqa train-reader " + " ".join(sys.argv[2:])
    p_model, p_figures = train_passages(passages, command, weeks)
    a_model, a_figures = train(
        answers, source, command, weeks, project=project, bags=bags,
        project_train=project_train, project_weight=weight,
    )  # fmt: skip
    p_path = Path(getattr(args, "passage_model", None) or BUNDLED_PASSAGE_MODEL)
    a_path = Path(getattr(args, "model", None) or BUNDLED_READER)
    _write_model(p_model, p_path)
    _write_model(a_model, a_path)
    curve = (
        learning_curve(answers, passages, source, bags) if getattr(args, "curve", False) else None
    )
    report = {"passages": p_figures, "answers": a_figures, "learning_curve": curve}
    out.write(json.dumps(report, indent=2) + "\n")
    out.write(f"models written to {p_path} and {a_path}\n")
    return 0
