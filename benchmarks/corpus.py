"""A seeded generator of news-like articles for scale benchmarks.

Why synthetic: the five bundled articles are far too few to measure how ingest and query
time grow, and no real news corpus may be downloaded. The generated text exercises the
same pipeline paths as real news: datelines and dates in several formats (ISO, "2
September 2025", "Sept. 2, 2025", "on the 15th"), relative dates ("yesterday", "last
Tuesday", "two weeks ago"), names, places, organisations and quotes. The five real
articles are always copied in (with their manifest entries), so the eval questions still
have their answers in every benchmark corpus.

Output: ``folder/NNNNNN_<hash>.txt`` per article and ``folder/manifest.json`` in the
loader's format (``{"articles": [{"file", "title", "outlet", "published"}, ...]}``).
The same seed always gives byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import random
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.settings import BUNDLED_ARTICLES

WORDS_PER_CHUNK = 140
"""Words per ~200-token chunk (MiniLM WordPiece gives ~1.35 tokens per English word,
and the chunker packs whole sentences below the limit, so chunks run a little short)."""

FIRST = """Anna Boris Chen Dmitri Elena Farid Grace Hiroshi Ines Jae-won Karim Lena Marco Nadia
Oleg Priya Quentin Rosa Sergei Tomas Uma Viktor Wei Xavier Yuna Zoran Amara Bilal Chiara
Daniel""".split()
LAST = """Andersen Baek Castillo Dubois Eriksen Fujimoto Gonzalez Haddad Ivanova Jung Kowalski
Li Moreau Nakamura Okafor Petrov Quinn Rahman Schmidt Tanaka Umarov Vargas Wang Xu Yilmaz
Zhang Novak Park Rossi Sato""".split()
ROLES = [
    "foreign minister",
    "trade minister",
    "central bank governor",
    "spokesperson of the foreign ministry",
    "opposition leader",
    "defence minister",
    "chief economist",
    "energy minister",
    "mayor",
    "senior analyst",
]
PLACES = """Vienna Nairobi Lima Oslo Hanoi Cairo Warsaw Santiago Jakarta Tbilisi Rabat Manila
Bogota Helsinki Astana Doha Lagos Seoul Lisbon Dhaka Montreal Tunis Riga Quito""".split()
ORGS = [
    "the United Nations",
    "the World Bank",
    "the International Monetary Fund",
    "the African Union",
    "the Association of Southeast Asian Nations",
    "the European Commission",
    "the World Health Organization",
    "the Shanghai Cooperation Organisation",
    "the Organisation of Petroleum Exporting Countries",
    "the International Energy Agency",
]
TOPICS = [
    ("trade agreement", "tariffs on steel and grain"),
    ("energy deal", "gas pipeline capacity"),
    ("climate summit", "emission targets for 2035"),
    ("port expansion", "container traffic"),
    ("election", "turnout in rural districts"),
    ("rail project", "the high-speed line"),
    ("drought", "water rationing"),
    ("health reform", "hospital waiting times"),
    ("debt talks", "bond repayments"),
    ("border dispute", "joint patrols"),
    ("technology pact", "semiconductor exports"),
    ("fisheries accord", "quotas for the coming season"),
]
OUTLETS = [
    "The Daily Meridian",
    "Northern Courier",
    "Harbour Times",
    "Continental Post",
    "The Evening Ledger",
    "Capital Wire",
]
RELATIVE = [
    "yesterday",
    "on Monday",
    "last Tuesday",
    "earlier this week",
    "two weeks ago",
    "last month",
    "on Friday",
    "this morning",
]
VERBS = ["said", "told reporters", "wrote in a statement", "said in an interview", "added"]


@dataclass(frozen=True)
class GeneratedArticle:
    """One synthetic article: its file name, manifest entry and text."""

    file: str
    title: str
    outlet: str
    published: str
    text: str


def _fmt_date(day: dt.date, rng: random.Random) -> str:
    """A date in one of the formats real news uses."""
    month = day.strftime("%B")
    style = rng.randrange(6)
    if style == 0:
        return day.isoformat()
    if style == 1:
        return f"{day.day} {month} {day.year}"
    if style == 2:
        return f"{month} {day.day}, {day.year}"
    if style == 3:
        short = month[:3] + "." if len(month) > 4 else month
        return f"{short} {day.day}, {day.year}"
    if style == 4:
        return f"the {day.day}{_ordinal(day.day)}"
    return f"{month} {day.year}"


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _paragraph(rng: random.Random, ctx: dict[str, Any]) -> str:
    """Three to five sentences about the article's topic, with dates, names and quotes."""
    place, topic, detail = ctx["place"], ctx["topic"], ctx["detail"]
    published: dt.date = ctx["published"]
    sentences: list[str] = []
    for _ in range(rng.randint(3, 5)):
        kind = rng.randrange(6)
        past = published - dt.timedelta(days=rng.randint(1, 900))
        if kind == 0:
            who, role = ctx["speaker"], ctx["role"]
            sentences.append(
                f'"We expect the {topic} to change how {detail} are handled," {who}, '
                f"the {role}, {rng.choice(VERBS)} {rng.choice(RELATIVE)}."
            )
        elif kind == 1:
            sentences.append(
                f"Officials from {rng.choice(ORGS)} met in {place} on "
                f"{_fmt_date(past, rng)} to discuss {detail}."
            )
        elif kind == 2:
            sentences.append(
                f"According to {rng.choice(ORGS)}, the {topic} was first proposed in "
                f"{rng.choice(PLACES)} in {past.strftime('%B %Y')}."
            )
        elif kind == 3:
            other = _person(rng)
            sentences.append(
                f"{other}, a {rng.choice(ROLES)} based in {rng.choice(PLACES)}, "
                f'{rng.choice(VERBS)} that "{detail} will remain the sticking point."'
            )
        elif kind == 4:
            sentences.append(
                f"The talks are scheduled to resume on {_fmt_date(published + dt.timedelta(days=rng.randint(3, 120)), rng)}, "  # noqa: E501
                f"{rng.randint(2, 40)} delegations having confirmed attendance."
            )
        else:
            sentences.append(
                f"Figures released {rng.choice(RELATIVE)} showed a {rng.randint(2, 35)} percent "
                f"change in {detail} compared with {past.year}."
            )
    return " ".join(sentences)


def make_article(index: int, rng: random.Random) -> GeneratedArticle:
    """One article: dateline, 5-8 paragraphs; everything drawn from ``rng``."""
    topic, detail = rng.choice(TOPICS)
    place = rng.choice(PLACES)
    published = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 7 * 365))
    ctx = {
        "place": place,
        "topic": topic,
        "detail": detail,
        "published": published,
        "speaker": _person(rng),
        "role": rng.choice(ROLES),
    }
    title = f"{place} {topic} talks: {ctx['speaker']} says {detail} on the table"
    outlet = rng.choice(OUTLETS)
    dateline = f"{place.upper()}, {published.strftime('%B')} {published.day}, {published.year}"
    paragraphs = [_paragraph(rng, ctx) for _ in range(rng.randint(5, 8))]
    text = f"{title}\n\n{dateline} ({outlet}) - " + "\n\n".join(paragraphs) + "\n"
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    return GeneratedArticle(
        f"g{index:06d}_{digest}.txt", title, outlet, published.isoformat(), text
    )


def estimate_chunks(text: str) -> int:
    """Rough chunk count of a text (see ``WORDS_PER_CHUNK``); at least one."""
    return max(1, math.ceil(len(text.split()) / WORDS_PER_CHUNK))


def generate(
    folder: str | Path,
    n_chunks_target: int,
    seed: int = 0,
    real_articles: Path = BUNDLED_ARTICLES,
) -> dict[str, Any]:
    """Write a corpus of about ``n_chunks_target`` chunks into ``folder``.

    The five real articles come first; synthetic ones are added until the estimated chunk
    count reaches the target. The folder is emptied first so stale files never mix in.

    Args:
        folder: output folder (created; existing ``.txt`` files and manifest removed).
        n_chunks_target: the wanted number of chunks after ingest (an estimate).
        seed: same seed, same files.
        real_articles: the bundled articles folder (with its ``manifest.json``).

    Returns:
        ``{"articles": n, "real": n_real, "estimated_chunks": n, "seed": seed}``.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("*.txt"), out / "manifest.json"]:
        old.unlink(missing_ok=True)
    entries: list[dict[str, Any]] = []
    estimated = 0
    real_manifest = json.loads((real_articles / "manifest.json").read_text(encoding="utf-8"))
    for entry in real_manifest.get("articles", []):
        source = real_articles / entry["file"]
        shutil.copyfile(source, out / entry["file"])
        entries.append({k: entry.get(k) for k in ("file", "title", "outlet", "published")})
        estimated += estimate_chunks(source.read_text(encoding="utf-8"))
    n_real = len(entries)
    rng = random.Random(seed)
    index = 0
    while estimated < n_chunks_target:
        article = make_article(index, rng)
        (out / article.file).write_text(article.text, encoding="utf-8")
        entries.append(
            {
                "file": article.file,
                "title": article.title,
                "outlet": article.outlet,
                "published": article.published,
            }
        )
        estimated += estimate_chunks(article.text)
        index += 1
    manifest = {"about": f"benchmark corpus, seed {seed}", "articles": entries}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return {"articles": len(entries), "real": n_real, "estimated_chunks": estimated, "seed": seed}
