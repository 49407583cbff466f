"""The BM25 index searched with numpy alone gives exactly what bm25s gives."""

from __future__ import annotations

import json
from pathlib import Path

import bm25s
import numpy as np

from vectorstore.bm25_index import BM25Index, ScoreMatrix, tokenize

TEXTS = [
    "Kim Jong Un arrived in Beijing on Tuesday for talks with Xi Jinping.",
    "Kim visited China in January 2019, his fourth trip.",
    "The storm reached Florida on Wednesday; Florida declared an emergency.",
    "Florida's governor said the storm would reach Georgia.",
    "Shares of Nvidia rose after the earnings report.",
    "Nvidia shares rose.",  # shorter: same words, a different score
    "Beijing and Moscow signed a trade deal.",
    "The trade deal covers grain and gas.",
    "A quiet week in the markets.",
    "A quiet week in the markets.",  # an exact tie
]
QUERIES = [
    "When did Kim visit China?",
    "storm Florida Georgia",
    "Nvidia shares",
    "quiet week markets",
    "trade deal Beijing",
    "Kim Kim Kim",  # a repeated token counts each time, as in bm25s
    "grain",
]


def test_search_equals_bm25s_retrieve(tmp_path: Path) -> None:
    items = [(f"c{i}", text) for i, text in enumerate(TEXTS)]
    index = BM25Index(tmp_path / "bm25")
    index.build(items)
    built = {q: index.search(q, 5) for q in QUERIES}
    index.save()
    loaded = BM25Index(tmp_path / "bm25")
    assert loaded.load() is True
    reference = bm25s.BM25.load(str(tmp_path / "bm25"), mmap=True, show_progress=False)
    for query in QUERIES:
        tokens = [t for t in tokenize(query) if t in reference.vocab_dict]
        docs, scores = reference.retrieve([tokens], k=5, show_progress=False, n_threads=1)
        expected = [
            (f"c{int(d)}", float(s))
            for d, s in zip(np.asarray(docs)[0], np.asarray(scores)[0], strict=True)
            if float(s) > 0
        ]
        assert loaded.search(query, 5) == expected, query
        assert built[query] == expected, query
    assert [doc for doc, _ in loaded.search("quiet week markets", 2)] == ["c9", "c8"]


def test_search_edge_cases(tmp_path: Path) -> None:
    index = BM25Index(tmp_path / "bm25")
    assert index.load() is False  # nothing saved yet
    index.build([("a", "Kim visited China."), ("b", "Florida storm.")])
    assert index.search("the of and", 3) == []  # stop words only
    assert index.search("unknownword", 3) == []
    assert [doc for doc, _ in index.search("China", 10)] == ["a"]  # k above the corpus size
    index.save()
    (tmp_path / "bm25" / "data.csc.index.npy").write_bytes(b"broken")
    assert BM25Index(tmp_path / "bm25").load() is False  # an unreadable file means rebuild


def test_a_saved_index_that_does_not_add_up_is_not_loaded(tmp_path: Path) -> None:
    index = BM25Index(tmp_path / "bm25")
    index.build([("a", "Kim visited China."), ("b", "Florida storm.")])
    index.save()
    params = tmp_path / "bm25" / "params.index.json"
    data = json.loads(params.read_text())
    params.write_text(json.dumps({**data, "dtype": "float64"}))
    assert BM25Index(tmp_path / "bm25").load() is False
    params.write_text(json.dumps(data))
    assert ScoreMatrix.read(tmp_path / "bm25").num_docs == 2
    ids = tmp_path / "bm25" / "ids.json"
    saved = json.loads(ids.read_text())
    ids.write_text(json.dumps({**saved, "ids": ["a"]}))  # fewer ids than scored documents
    assert BM25Index(tmp_path / "bm25").load() is False
    ids.write_text(json.dumps(saved))
    assert BM25Index(tmp_path / "bm25").load() is True
