"""RealTime QA weeks as the original files hold them: questions, choices, search results.

The benchmark ships, per week ``YYYYMMDD``, ``_qa.jsonl`` (questions with choices),
``_qa_nota.jsonl`` (the same questions with the right choice sometimes replaced by "None of
the above") and ``_gcs.jsonl`` (the web search results its baselines were given). NewsQA reads
them unchanged from any folder, so the article texts never have to be copied into the
repository; this module turns a week's search results into one article collection in the
JSONL shape ``rag.ingest.loaders.read_jsonl`` accepts.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rag.errors import ConfigError, InputError
from rag.jsonl import json_objects

SETS: tuple[str, ...] = ("qa", "nota")
"""Question sets of a week: ``qa`` (the original choices) and ``nota`` ("None of the above")."""

_WEEK = re.compile(r"^(\d{8})_qa\.jsonl(?:\.gz)?$")


@dataclass(frozen=True)
class Question:
    """One multiple-choice question; NewsQA is asked ``sentence`` without the choices.

    Attributes:
        id: ``question_id`` of the file (``20240119_0``, ``20240119_0_nota``).
        week: the week's ``YYYYMMDD``.
        set: ``qa`` or ``nota``.
        date: the day the question was asked ("this week" means the week before it).
        sentence: the question as a user would type it.
        choices: the listed choices.
        answer: indexes of the right choices (the files hold one; a list is kept as given).
    """

    id: str
    week: str
    set: str
    date: dt.date
    sentence: str
    choices: tuple[str, ...]
    answer: tuple[int, ...]


@dataclass(frozen=True)
class PooledArticle:
    """A search result kept for the week's collection (one per URL)."""

    id: str
    url: str
    title: str | None
    text: str
    published: str | None
    outlet: str | None
    author: str | None

    def to_record(self) -> dict[str, Any]:
        """The JSONL line ``read_jsonl`` ingests (its ``id`` becomes the article's doc id)."""
        return {
            "id": self.id,
            "text": self.text,
            "title": self.title,
            "outlet": self.outlet,
            "author": self.author,
            "published": self.published,
            "url": self.url,
        }


@dataclass(frozen=True)
class Pool:
    """A week's deduplicated collection and what was left out of it, for the report."""

    articles: tuple[PooledArticle, ...]
    results: int
    duplicates: int
    empty: int


def article_id(url: str) -> str:
    """A stable doc id from the URL, so reruns and reports name the same article alike."""
    return "rtqa-" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def outlet_of(url: str) -> str | None:
    """The URL's host without ``www.`` (``https://www.cnn.com/x`` -> ``cnn.com``)."""
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def parse_day(value: Any) -> dt.date | None:
    """``YYYY/MM/DD`` (the files' format; ``-`` is accepted too) to a date; None if not one."""
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.strptime(value.strip()[:10].replace("-", "/"), "%Y/%m/%d").date()
    except ValueError:
        return None


def _authors(value: Any) -> str | None:
    """``["A", "B"]`` -> ``"A, B"`` (repeats dropped); a plain string is kept."""
    if isinstance(value, str):
        return value.strip() or None
    if not isinstance(value, list):
        return None
    names = list(dict.fromkeys(str(v).strip() for v in value if str(v).strip()))
    return ", ".join(names) or None


def pool_results(results: Iterable[Mapping[str, Any]]) -> Pool:
    """Pool search results into one collection: one article per URL, empty texts skipped.

    The first result with a given URL wins; later ones count as duplicates. A result with no
    text (or only spaces) cannot be ingested and is counted in ``empty``, once per URL.
    """
    kept: dict[str, PooledArticle] = {}
    seen: set[str] = set()
    total = duplicates = empty = 0
    for result in results:
        total += 1
        url = str(result.get("url") or "").strip()
        if url in seen:
            duplicates += 1
            continue
        seen.add(url)
        text = result.get("text")
        if not isinstance(text, str) or not text.strip() or not url:
            empty += 1
            continue
        day = parse_day(result.get("publish_date"))
        title = str(result.get("title") or "").strip() or None
        kept[url] = PooledArticle(
            id=article_id(url),
            url=url,
            title=title,
            text=text,
            published=day.isoformat() if day else None,
            outlet=outlet_of(url),
            author=_authors(result.get("authors")),
        )
    return Pool(tuple(kept.values()), total, duplicates, empty)


def write_articles(articles: Sequence[PooledArticle], path: Path) -> Path:
    """Write the collection as JSONL for ``Assistant.ingest``; returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for article in articles:
            fh.write(json.dumps(article.to_record(), ensure_ascii=False) + "\n")
    return path


def week_file(source: Path, name: str) -> Path:
    """``source/name``, or its gzipped copy (the training weeks ship as ``.jsonl.gz``)."""
    plain = source / name
    packed = source / f"{name}.gz"
    return packed if not plain.exists() and packed.exists() else plain


def _read_lines(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """(``file:line``, object) for every non-blank line; any bad line stops the run.

    Raises:
        InputError: the file is missing or unreadable, or a line is not a JSON object.
    """
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                content = fh.read()
        else:
            content = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"missing file {path}") from None
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None
    return [(line.where, obj) for line, obj in json_objects(content, path)]


def _question(obj: Mapping[str, Any], where: str, week: str, kind: str) -> Question:
    """Check one question line; a question that cannot be scored stops the run."""
    sentence, choices = obj.get("question_sentence"), obj.get("choices")
    if not isinstance(sentence, str) or not sentence.strip():
        raise InputError(f"{where}: no question_sentence")
    if not isinstance(choices, list) or not choices or not all(isinstance(c, str) for c in choices):
        raise InputError(f"{where}: choices must be a non-empty list of strings")
    try:
        answer = tuple(int(a) for a in obj.get("answer") or [])
    except (TypeError, ValueError):
        raise InputError(f"{where}: answer must be a list of choice indexes") from None
    if not answer or not all(0 <= a < len(choices) for a in answer):
        raise InputError(f"{where}: answer {obj.get('answer')!r} does not index the choices")
    date = parse_day(obj.get("question_date"))
    if date is None:
        raise InputError(f"{where}: question_date is not YYYY/MM/DD")
    return Question(
        id=str(obj.get("question_id") or f"{week}_{kind}_{where.rsplit(':', 1)[1]}"),
        week=week,
        set=kind,
        date=date,
        sentence=" ".join(sentence.split()),
        choices=tuple(choices),
        answer=answer,
    )


def load_questions(source: Path, week: str, kind: str, limit: int | None = None) -> list[Question]:
    """The first ``limit`` (all when None) questions of one set of one week."""
    name = f"{week}_qa.jsonl" if kind == "qa" else f"{week}_qa_nota.jsonl"
    rows = _read_lines(week_file(source, name))
    questions = [_question(obj, where, week, kind) for where, obj in rows]
    return questions[:limit] if limit is not None else questions


def load_pool(source: Path, week: str) -> Pool:
    """Pool the search results of every question of a week (also with ``--limit``).

    The whole week is pooled so that the ceiling and the retrieval task stay those of the
    benchmark however many questions are asked.

    Raises:
        InputError: the ``_gcs.jsonl`` file is missing, unreadable or malformed.
    """
    results: list[Mapping[str, Any]] = []
    for where, obj in _read_lines(week_file(source, f"{week}_gcs.jsonl")):
        found = obj.get("search_result") or []
        if not isinstance(found, list):
            raise InputError(f"{where}: search_result must be a list")
        results.extend(r for r in found if isinstance(r, dict))
    return pool_results(results)


def load_question_pools(source: Path, week: str, top: int = 5) -> dict[str, Pool]:
    """Each question's own first ``top`` search results as a collection of its own (the
    benchmark's per-question setting: what its GPT-3 and Claude baselines were given).

    Raises:
        InputError: the ``_gcs.jsonl`` file is missing, unreadable or malformed.
    """
    pools: dict[str, Pool] = {}
    for where, obj in _read_lines(week_file(source, f"{week}_gcs.jsonl")):
        found = obj.get("search_result") or []
        if not isinstance(found, list):
            raise InputError(f"{where}: search_result must be a list")
        qid = str(obj.get("question_id") or "")
        pools[qid] = pool_results([r for r in found if isinstance(r, dict)][:top])
    return pools


TRAIN, VALIDATE = "train", "validate"


def split_of(week: str) -> str:
    """The split of a ``realtimeqa-train`` week (its README): 2022 and 2024 weeks train the
    learned reader; 2025 weeks calibrate it and choose among fits."""
    return VALIDATE if week >= "2025" else TRAIN


def find_weeks(source: Path, wanted: Sequence[str] | None = None) -> list[str]:
    """The weeks of ``source`` (``YYYYMMDD`` of every ``_qa.jsonl[.gz]``), or the wanted ones.

    Raises:
        ConfigError: the folder is missing, holds no week, or a wanted week is not in it.
    """
    if not source.is_dir():
        raise ConfigError(f"RealTime QA folder not found: {source}")
    weeks = sorted(m.group(1) for p in source.iterdir() if (m := _WEEK.match(p.name)))
    if not weeks:
        raise ConfigError(f"no RealTime QA weeks (YYYYMMDD_qa.jsonl files) in {source}")
    if not wanted:
        return weeks
    missing = [w for w in wanted if w not in weeks]
    if missing:
        raise ConfigError(
            f"week(s) {', '.join(missing)} not in {source}; it has {weeks[0]} .. {weeks[-1]}"
        )
    return list(dict.fromkeys(wanted))


def parse_weeks(spec: str | None) -> list[str] | None:
    """``"20240119, 20240315"`` -> ``["20240119", "20240315"]``; None or empty -> None.

    Raises:
        ConfigError: an entry is not eight digits.
    """
    if not spec:
        return None
    weeks = [w.strip() for w in spec.split(",") if w.strip()]
    bad = [w for w in weeks if not re.fullmatch(r"\d{8}", w)]
    if bad:
        raise ConfigError(f"--weeks takes YYYYMMDD dates separated by commas, not {bad[0]!r}")
    return weeks or None
