"""Article metadata: from a sidecar when there is one, else read off the text.

Order of trust: ``NAME.meta.json`` beside the file, then the folder's ``manifest.json``,
then what the text itself states (a dateline, a byline, the headline). A publication
date is never guessed: when nothing states it, ``published`` stays None.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.errors import IngestError

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))

# "Posted on : 2023-09-15 16:12 KST", "Published 2024.06.19 10:00", "Updated: 2021/12/28"
_ISO_DATELINE = re.compile(
    r"^(?P<label>posted|published|updated|modified|created|date|입력|등록)?\s*(on)?\s*[:：]?\s*"
    r"(?P<y>(19|20)\d\d)[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})\b",
    re.IGNORECASE,
)
# "June 19, 2024 - 15:47 By Son Ji-hyoung", "Published: Sept. 13, 2023"
_WORD_DATELINE = re.compile(
    r"^(?:(?:posted|published|updated|date)\s*(?:on)?\s*[:：]?\s*)?"
    rf"(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>(19|20)\d\d)\b"
    r"(?P<rest>.{0,80})$",
    re.IGNORECASE,
)
# "19 June 2024", "19 June 2024 10:00 GMT"
_DMY_DATELINE = re.compile(
    rf"^(?:(?:posted|published|updated|date)\s*(?:on)?\s*[:：]?\s*)?(?P<d>\d{{1,2}})\s+"
    rf"(?P<mon>{_MONTH_RE})\.?,?\s+(?P<y>(19|20)\d\d)\b(?P<rest>.{{0,80}})$",
    re.IGNORECASE,
)
# What may follow the date on a dateline: nothing, a time, a separator, a byline, a label.
_DATELINE_REST = re.compile(
    r"^\s*($|[-–—|,·/]|\(|\d{1,2}:\d\d|(?i:by|updated|modified|last)\b|[A-Z]{2,4}\b)"
)
_BYLINE = re.compile(r"\bBy\s+(?P<name>[A-Z][\w'.-]+(?:[ -][A-Z][\w'.-]+){0,3})")

META_FIELDS = ("title", "outlet", "author", "published", "url")


@dataclass
class Metadata:
    """What is known about an article before its text is cleaned."""

    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: dt.date | None = None
    url: str | None = None
    dateline: str | None = None
    problems: list[str] = field(default_factory=list)

    def fill_from(self, other: Metadata) -> None:
        """Take the other's values where this one has none."""
        for name in META_FIELDS:
            if getattr(self, name) is None and getattr(other, name) is not None:
                setattr(self, name, getattr(other, name))
        if self.dateline is None:
            self.dateline = other.dateline


def parse_published(value: Any, where: str) -> dt.date | None:
    """An ISO date (or datetime) string to a date; None for null/empty.

    Raises:
        IngestError: the value is present but not a date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise IngestError(f"{where}: published {text!r} is not a YYYY-MM-DD date") from None


def from_mapping(data: dict[str, Any], where: str) -> Metadata:
    """Metadata from a manifest entry, a ``.meta.json`` file or a JSONL record."""
    meta = Metadata()
    for name in ("title", "outlet", "author", "url"):
        value = data.get(name)
        if value is not None and str(value).strip():
            setattr(meta, name, str(value).strip())
    try:
        meta.published = parse_published(data.get("published") or data.get("date"), where)
    except IngestError as exc:
        # A bad date loses the date, not the article.
        meta.problems.append(str(exc))
    return meta


def load_manifest(folder: Path) -> tuple[dict[str, Metadata], list[str]]:
    """Read ``folder/manifest.json``: {file name: Metadata}, plus problems found.

    A manifest that cannot be read is reported, not fatal: the articles still load with
    metadata from their text.
    """
    path = folder / "manifest.json"
    if not path.is_file():
        return {}, []
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return {}, [f"{path}: unreadable manifest ({exc.__class__.__name__}); ignored"]
    entries = data.get("articles", data) if isinstance(data, dict) else data
    if not isinstance(entries, list):
        return {}, [f"{path}: expected a list of articles; ignored"]
    result: dict[str, Metadata] = {}
    problems: list[str] = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not entry.get("file"):
            problems.append(f"{path}: entry {i + 1} has no 'file'; ignored")
            continue
        name = str(entry["file"])
        meta = from_mapping(entry, f"{path} ({name})")
        problems.extend(meta.problems)
        meta.problems = []
        result[name] = meta
        if not (folder / name).exists():
            problems.append(f"{path}: lists {name}, which is not in the folder")
    return result, problems


def load_sidecar(path: Path) -> Metadata | None:
    """Read ``NAME.meta.json`` beside ``path``, if there is one."""
    sidecar = path.with_name(path.stem + ".meta.json")
    if not sidecar.is_file():
        return None
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        meta = Metadata()
        meta.problems.append(f"{sidecar}: unreadable ({exc.__class__.__name__}); ignored")
        return meta
    if not isinstance(data, dict):
        meta = Metadata()
        meta.problems.append(f"{sidecar}: expected a JSON object; ignored")
        return meta
    return from_mapping(data, str(sidecar))


def _safe_date(y: str, m: int, d: str) -> dt.date | None:
    try:
        return dt.date(int(y), m, int(d))
    except ValueError:
        return None


def find_dateline(text: str, max_lines: int = 15) -> tuple[dt.date | None, str | None, str | None]:
    """Look for a dateline near the top: (date, the line, author from a byline on it).

    Only lines that are *just* a dateline count (a date at the start of a short line), so
    an event date inside a sentence is never taken for the publication date.
    """
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()][:max_lines]
    for line in lines:
        if len(line) > 140:
            continue
        date: dt.date | None = None
        rest = ""
        if m := _ISO_DATELINE.match(line):
            date = _safe_date(m["y"], int(m["m"]), m["d"])
            rest = line[m.end() :]
            if not _DATELINE_REST.match(rest):
                continue  # a sentence that starts with a date, not a dateline
        elif m := _WORD_DATELINE.match(line) or _DMY_DATELINE.match(line):
            date = _safe_date(m["y"], _MONTHS[m["mon"].lower().rstrip(".")], m["d"])
            rest = m["rest"] or ""
            if not _DATELINE_REST.match(rest):
                continue  # a sentence that starts with a date, not a dateline
        if date is not None:
            by = _BYLINE.search(rest)
            return date, line, by["name"].strip() if by else None
    return None, None, None


def guess_title(text: str) -> str | None:
    """The first short line that reads like a headline (no final full stop)."""
    from rag.clean import is_boilerplate, normalize_whitespace

    for line in normalize_whitespace(text).split("\n")[:20]:
        words = line.split()
        if not words or is_boilerplate(line) or find_dateline(line)[0] is not None:
            continue
        if 3 <= len(words) <= 25 and not line.endswith("."):
            return line
    return None


def from_text(text: str) -> Metadata:
    """Metadata the text itself states: dateline date, byline author, headline."""
    published, line, author = find_dateline(text)
    return Metadata(title=guess_title(text), author=author, published=published, dateline=line)
