"""``newsqa bench`` end to end on tiny corpora: it runs, and reports every figure with its anchor.

No speed is asserted here (speed belongs to the benchmark's own output): the test checks
that each measurement exists, is sane, and that the large-size path reads the cache.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_bench_writes_tables_with_anchors(tmp_path: Path) -> None:
    from benchmarks.bench import main

    out = tmp_path / "out"
    cache = tmp_path / "vectors.sqlite"
    argv = ["--sizes", "40,80", "--throughput-max", "50", "--embedding-cache", str(cache)]
    argv += ["--out", str(out), "--no-hits", "--encode-sample", "8", "--questions", "4"]
    assert main(argv) == 0
    payload = json.loads((out / "bench.json").read_text())
    small, large = payload["sizes"]
    assert (small["size"], large["size"]) == (40, 80)

    # (a) the small size measures throughput against both anchors, on the same texts.
    ingest = small["ingest"]
    assert ingest["chunks"] > 0 and ingest["errors"] == 0 and not ingest["cached_embeddings"]
    assert ingest["anchors"]["texts"] == ingest["chunks"]
    assert ingest["anchors"]["bare_chunks_per_s"] > 0 and ingest["anchors"]["own_chunks_per_s"] > 0
    assert {"embed", "sentences", "write", "chunk", "bm25", "total"} <= set(ingest["timings"])
    assert ingest["peak_rss_mb"] >= ingest["rss_before_mb"] > 0
    # The large size went through the embedding cache and has no throughput anchor.
    assert large["ingest"]["cached_embeddings"] and "anchors" not in large["ingest"]
    # The cache was cold: every chunk of the large corpus, and every sentence and phrase
    # kept for its answers, was embedded and stored.
    kept = large["ingest"]["kept_texts"]
    assert large["ingest"]["cache_misses"] == large["ingest"]["chunks"] + kept and kept > 0
    assert cache.is_file()

    # (b) backends once, (c) latencies with their bare sum, (d) start-up and memory.
    assert set(small["backends"]) >= {"torch", "onnx", "onnx-int8"} and large["backends"] is None
    for result in (small, large):
        q = result["queries"]
        assert q["questions"]["n"] == 4
        assert 0 <= q["questions"]["hit_at_5"] <= 1 and 0 <= q["questions"]["accuracy"] <= 1
        for name in ("hybrid", "ask", "ask_unstored", "bare_sum", "embed", "chroma", "bm25s"):
            assert 0 <= q[name]["p50_ms"] <= q[name]["p95_ms"]
        # Reading the sentence vectors kept at ingest changes no answer.
        assert q["questions"]["answers_differ_unstored"] == 0
        first = result["first_answer"]
        assert first["seconds"] > 0 and first["peak_rss_mb"] > 0 and first["questions"] == 4
        assert "rag/assistant.py" in result["profile"]

    md = (out / "bench.md").read_text()
    assert "| chunks | ingest chunks/s (vs bare ST encode / vs own encoder)" in md
    assert "bare ST encode (torch) b32" in md
    assert "| answers that differ with sentences embedded when asked | 0 of 4 |" in md
    assert f"({large['ingest']['cache_misses']} texts embedded, rest cached)" in md
