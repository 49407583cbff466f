"""How wide must Chroma's HNSW search look to find the true nearest chunks, and what does it cost?

Why: the dense retriever asks Chroma for the nearest chunks, and Chroma's HNSW search is
approximate. At its default breadth (``ef_search`` 100) two builds of the same training week
gave different 50-deep pools (docs/reader.md, eighth session). This builds one collection per
breadth from the same vectors and measures, for 200 queries, the query time (anchor: the
exact top-k by a matrix-vector product in numpy, query by query, in the same run) and the
recall of the true top 12 (what an answer's retrieval asks for at k = 6) and top 50 (a
training pool).

The vectors are synthetic (clusters of unit vectors, 384 dimensions, seeded), so the recall
figures say how the search behaves on clustered data, not what it does on a given news
archive.

    python -m benchmarks.hnsw_breadth --sizes 10000,100000 \
        --out benchmarks/results/hnsw-breadth-2026-12-04.md
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

DIM = 384
QUERIES = 200


def clustered(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` unit vectors in 200 clusters, and 200 queries near some of them."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(size=(200, DIM)).astype(np.float32)
    x = centers[rng.integers(0, 200, n)] + 0.6 * rng.normal(size=(n, DIM)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    q = x[rng.integers(0, n, QUERIES)] + 0.3 * rng.normal(size=(QUERIES, DIM)).astype(np.float32)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    return x, q


def measure(n: int, breadths: list[int]) -> list[str]:
    """Markdown rows: one for the exact search, one per breadth."""
    import chromadb
    from chromadb.config import Settings

    x, q = clustered(n)
    exact = np.zeros((QUERIES, 50), dtype=np.int64)
    exact_ms = []
    for i in range(QUERIES):  # one query at a time, as a question asks
        started = time.perf_counter()
        sims = x @ q[i]
        top = np.argpartition(-sims, 50)[:50]
        exact[i] = top[np.argsort(-sims[top])]
        exact_ms.append(1000 * (time.perf_counter() - started))
    e50, e95 = np.percentile(exact_ms, [50, 95])
    rows = [f"| {n:,} | exact (numpy) | - | {e50:.1f} | {e95:.1f} | 1.000 | 1.000 |"]
    for ef in breadths:
        with tempfile.TemporaryDirectory() as folder:
            client = chromadb.PersistentClient(
                path=folder, settings=Settings(anonymized_telemetry=False)
            )
            col = client.create_collection(
                f"breadth{ef}", embedding_function=None, metadata={"hnsw:space": "cosine"}
            )
            col.modify(configuration={"hnsw": {"ef_search": ef}})
            started = time.perf_counter()
            for i in range(0, n, 5000):
                ids = [str(j) for j in range(i, min(n, i + 5000))]
                col.add(ids=ids, embeddings=x[i : i + 5000])
            build = time.perf_counter() - started
            col.query(query_embeddings=q[:1], n_results=50, include=[])  # warm
            times, top12, top50 = [], [], []
            for i in range(QUERIES):
                started = time.perf_counter()
                got = col.query(query_embeddings=q[i : i + 1], n_results=50, include=[])
                times.append(1000 * (time.perf_counter() - started))
                found = [int(v) for v in got["ids"][0]]
                top50.append(len(set(found) & set(exact[i].tolist())) / 50)
                got12 = col.query(query_embeddings=q[i : i + 1], n_results=12, include=[])
                found12 = {int(v) for v in got12["ids"][0]}
                top12.append(len(found12 & set(exact[i, :12].tolist())) / 12)
            p50, p95 = np.percentile(times, [50, 95])
            rows.append(
                f"| {n:,} | {ef} | {build:.0f} | {p50:.1f} | {p95:.1f} | "
                f"{np.mean(top12):.3f} | {np.mean(top50):.3f} |"
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--breadths", default="100,400,1000")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    lines = [
        "| chunks | ef_search | build s | query p50 ms | query p95 ms | recall@12 | recall@50 |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    breadths = [int(v) for v in args.breadths.split(",")]
    for n in (int(v) for v in args.sizes.split(",")):
        lines += measure(n, breadths)
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
