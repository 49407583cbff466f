"""The reader's training rows (step 1 of ``newsqa train-reader``, ``eval.reader_train``).

Every week of ``--source`` is built as the benchmark harness builds it (its search results
pooled into a fresh index, embeddings from the harness's cache). Each ``qa`` question is
asked without its choices on its own date; the answerer's own retrieval and sentence scoring
run, and every candidate phrase gets its feature row (``rag.answer.answer_features``) and a
label by the benchmark's rule; every pooled passage gets its row
(``rag.retrieve.passage_features``). A week's rows are cached under ``--cache``, so a rerun
skips cached weeks and a refit from cached rows takes seconds.
"""

from __future__ import annotations

import gzip
import json
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from eval.abstention import THRESHOLD as THRESHOLD_HALF
from eval.abstention import TRAIN as TRAIN_HALF
from eval.abstention import project_split
from eval.dataset import contains_alias
from eval.realtimeqa_data import Question, load_questions
from eval.realtimeqa_metrics import choice_correct, is_nota
from rag.answer.answer_features import VERSION
from rag.retrieve.passage_features import PASSAGE_VERSION
from rag.settings import Settings

DEFAULT_CACHE = Path("~/.cache/newsqa/reader")
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


def cache_file(cache: Path, week: str, kind: str = "answers") -> Path:
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
        paths = {kind: cache_file(cache, week, kind) for kind in KINDS}
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
