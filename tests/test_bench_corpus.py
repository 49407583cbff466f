"""The benchmark corpus generator: deterministic per seed, real articles always included."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.corpus import estimate_chunks, generate
from rag.settings import BUNDLED_ARTICLES


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", 60, seed=7)
    second = generate(tmp_path / "b", 60, seed=7)
    assert first == second
    assert _snapshot(tmp_path / "a") == _snapshot(tmp_path / "b")


def test_other_seed_gives_other_articles(tmp_path: Path) -> None:
    generate(tmp_path / "a", 60, seed=1)
    generate(tmp_path / "b", 60, seed=2)
    a = {k: v for k, v in _snapshot(tmp_path / "a").items() if k.startswith("g")}
    b = {k: v for k, v in _snapshot(tmp_path / "b").items() if k.startswith("g")}
    assert a != b


def test_real_articles_and_manifest(tmp_path: Path) -> None:
    info = generate(tmp_path / "c", 60, seed=0)
    real = json.loads((BUNDLED_ARTICLES / "manifest.json").read_text(encoding="utf-8"))
    real_files = [e["file"] for e in real["articles"]]
    assert info["real"] == len(real_files) == 5
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text(encoding="utf-8"))
    entries = {e["file"]: e for e in manifest["articles"]}
    for name in real_files:
        copied = (tmp_path / "c" / name).read_text(encoding="utf-8")
        assert copied == (BUNDLED_ARTICLES / name).read_text(encoding="utf-8")
        assert entries[name]["published"]
    txt = sorted(p.name for p in (tmp_path / "c").glob("*.txt"))
    assert txt == sorted(entries) and len(txt) == info["articles"]
    assert all(e["title"] and e["outlet"] and e["published"] for e in entries.values())


def test_article_count_follows_the_chunk_target(tmp_path: Path) -> None:
    small = generate(tmp_path / "s", 40, seed=0)
    large = generate(tmp_path / "l", 200, seed=0)
    assert small["estimated_chunks"] >= 40 and large["estimated_chunks"] >= 200
    assert large["articles"] > small["articles"]
    total = sum(
        estimate_chunks(p.read_text(encoding="utf-8")) for p in (tmp_path / "l").glob("*.txt")
    )
    assert total == large["estimated_chunks"]


def test_regenerating_into_a_folder_removes_stale_files(tmp_path: Path) -> None:
    generate(tmp_path / "d", 200, seed=0)
    info = generate(tmp_path / "d", 40, seed=0)
    assert len(list((tmp_path / "d").glob("*.txt"))) == info["articles"]


def test_synthetic_text_has_news_features(tmp_path: Path) -> None:
    generate(tmp_path / "e", 80, seed=3)
    text = " ".join(p.read_text(encoding="utf-8") for p in (tmp_path / "e").glob("g*.txt"))
    assert '"' in text  # quotes
    assert any(w in text for w in ("yesterday", "last Tuesday", "two weeks ago", "last month"))
    assert any(m in text for m in ("January", "February", "March", "September", "October"))
    paragraphs = next((tmp_path / "e").glob("g*.txt")).read_text(encoding="utf-8").split("\n\n")
    assert 6 <= len(paragraphs) <= 9  # title + 5-8 paragraphs
