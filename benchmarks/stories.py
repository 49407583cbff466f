"""How many near-duplicate stories real news search results hold, per story threshold.

For each RealTime QA week (``YYYYMMDD_gcs.jsonl``: per question, the web search results
the benchmark gave its baselines) the results are pooled and deduplicated by URL, as
NewsQA would ingest them, and grouped with ``rag.stories`` (MinHash/LSH; no embedding
model, no index) at several thresholds: articles, stories, and articles that joined
another article's story. Articles are grouped oldest first, so the earliest copy starts
a story. ``--show T`` prints the grouped title pairs at threshold T, lowest similarity
first, to check by eye that they really are one story.

The article texts are read from the shared folder and never written anywhere.

    python -m benchmarks.stories --source ../shared/eval/realtimeqa [--show 0.7]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from rag.stories import StoryIndex, signature

THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)


@dataclass(frozen=True)
class Item:
    """One pooled search result (the text is used only to sign it)."""

    url: str
    title: str
    published: str
    text: str

    @property
    def outlet(self) -> str:
        return urlparse(self.url).hostname or "?"


def load_week(path: Path) -> list[Item]:
    """A week's search results, pooled, deduplicated by URL, without empty texts."""
    items: dict[str, Item] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        for r in json.loads(line).get("search_result") or []:
            url, text = str(r.get("url") or ""), str(r.get("text") or "")
            if url and text.strip() and url not in items:
                title = " ".join(str(r.get("title") or "").split())
                items[url] = Item(url, title, str(r.get("publish_date") or ""), text)
    return sorted(items.values(), key=lambda i: (i.published, i.url))


@dataclass
class Grouping:
    stories: int
    joined: list[tuple[float, Item, Item]]  # (similarity, article, the one it matched)


def group(items: Sequence[Item], threshold: float, signs: dict[str, object]) -> Grouping:
    """Group the items in order, as ingest does (each against the ones before it)."""
    index = StoryIndex(threshold)
    by_url = {i.url: i for i in items}
    stories: set[str] = set()
    joined = []
    for item in items:
        story, match = index.assign(item.url, signs[item.url])  # type: ignore[arg-type]
        stories.add(story)
        if match is not None:
            joined.append((match.similarity, item, by_url[match.doc_id]))
    return Grouping(len(stories), joined)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True, help="folder of YYYYMMDD_gcs.jsonl files")
    parser.add_argument("--show", type=float, help="print the grouped pairs at this threshold")
    parser.add_argument("--limit", type=int, default=40, help="pairs printed with --show")
    args = parser.parse_args(argv)
    weeks = sorted(Path(args.source).glob("*_gcs.jsonl"))
    if not weeks:
        parser.error(f"no *_gcs.jsonl files in {args.source}")
    header = ["week", "articles"] + [f"stories/joined @{t}" for t in THRESHOLDS]
    rows: list[list[str]] = []
    totals = [0] + [0, 0] * len(THRESHOLDS)
    shown: list[tuple[str, float, Item, Item]] = []
    seconds = 0.0
    for path in weeks:
        items = load_week(path)
        start = time.perf_counter()
        signs: dict[str, object] = {i.url: signature(i.text) for i in items}
        seconds += time.perf_counter() - start
        row = [path.name.split("_")[0], str(len(items))]
        totals[0] += len(items)
        for n, t in enumerate(THRESHOLDS):
            g = group(items, t, signs)
            row.append(f"{g.stories} / {len(g.joined)}")
            totals[1 + 2 * n] += g.stories
            totals[2 + 2 * n] += len(g.joined)
            if args.show is not None and abs(t - args.show) < 1e-9:
                shown += [(row[0], *pair) for pair in g.joined]
        rows.append(row)
    total = ["all", str(totals[0])]
    total += [f"{totals[1 + 2 * n]} / {totals[2 + 2 * n]}" for n in range(len(THRESHOLDS))]
    rows.append(total)
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\nsignatures: {totals[0]} articles in {seconds:.1f} s")
    if args.show is not None:
        print(f"\njoined pairs at {args.show} (lowest similarity first; {len(shown)} in all):")
        for week, sim, item, other in sorted(shown, key=lambda s: s[1])[: args.limit]:
            print(f"{week} {sim:.2f}  {item.outlet}: {item.title[:70]}")
            print(f"{'':14}{other.outlet}: {other.title[:70]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
