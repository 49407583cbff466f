"""Stage 1: find article files and read them into raw documents.

Each reader returns documents plus one-line problems; a bad file or a bad JSONL line
becomes a problem, never an exception that stops the rest of a folder.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rag.errors import IngestError
from rag.ingest.metadata import (
    META_FIELDS,
    Metadata,
    from_mapping,
    load_manifest,
    load_sidecar,
)
from rag.jsonl import json_lines

SUPPORTED = (".txt", ".md", ".html", ".htm", ".jsonl")
MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass
class RawDocument:
    """An article as read from disk, before cleaning."""

    doc_id: str
    text: str
    meta: Metadata
    source_path: str
    is_html: bool = False


@dataclass
class LoadResult:
    documents: list[RawDocument] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: int = 0


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Expand folders into the supported files below them, sorted; report missing paths."""
    files: list[Path] = []
    problems: list[str] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                if p.is_file() and p.suffix.lower() in SUPPORTED and not p.name.startswith("."):
                    files.append(p)
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED:
                files.append(path)
            else:
                problems.append(
                    f"{path}: unsupported file type {path.suffix or '(none)'}; "
                    f"use {', '.join(SUPPORTED)}"
                )
        else:
            problems.append(f"{path}: no such file or folder")
    unique: dict[Path, Path] = {}
    for f in files:
        unique.setdefault(f.resolve(), f)
    return list(unique.values()), problems


def decode_bytes(data: bytes, where: str) -> str:
    """Decode article bytes: BOMs first, then UTF-8, then Windows-1252/Latin-1.

    Raises:
        IngestError: the bytes are empty or look binary (NUL bytes, many control codes).
    """
    if not data.strip():
        raise IngestError(f"{where}: file is empty")
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                raise IngestError(f"{where}: damaged {enc} text") from None
    sample = data[:65536]
    if b"\x00" in sample:
        raise IngestError(f"{where}: binary data, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text[:65536]) // 100):
        raise IngestError(f"{where}: binary data, not text")
    return text


def read_text_file(path: Path) -> str:
    """Read and decode one file, with the size limit checked first."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise IngestError(
                f"{path}: {size / 2**20:.0f} MB is over the {MAX_FILE_BYTES // 2**20} MB limit"
            )
        data = path.read_bytes()
    except PermissionError:
        raise IngestError(f"{path}: permission denied") from None
    except OSError as exc:
        raise IngestError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return decode_bytes(data, str(path))


def extract_html(html: str, where: str) -> tuple[str, Metadata]:
    """Main text and metadata of a web page, with trafilatura (not regexes).

    Raises:
        IngestError: the page holds no extractable article text.
    """
    try:
        import trafilatura

        # No extensive date search: a date guessed from "Copyright 2024" is not a
        # publication date, and NewsQA never invents one.
        doc = trafilatura.bare_extraction(
            html,
            include_comments=False,
            include_tables=False,
            with_metadata=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except ImportError as exc:
        raise IngestError(f"{where}: HTML support is not installed ({exc})") from None
    except Exception as exc:  # a broken page must not stop the rest of the folder
        raise IngestError(f"{where}: cannot extract text from the HTML ({exc})") from None
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise IngestError(f"{where}: no article text found in the HTML")
    meta = from_mapping(
        {
            "title": getattr(doc, "title", None),
            "outlet": getattr(doc, "sitename", None),
            "author": getattr(doc, "author", None),
            "url": getattr(doc, "url", None),
            "published": getattr(doc, "date", None),
        },
        where,
    )
    return text, meta


def read_jsonl(path: Path) -> LoadResult:
    """One article per line: ``text`` plus optional title/outlet/author/published/url/id.

    Good lines are kept and bad ones reported by line number.
    """
    result = LoadResult()
    try:
        content = read_text_file(path)
    except IngestError as exc:
        result.problems.append(str(exc))
        result.skipped += 1
        return result
    for line in json_lines(content, path):
        where, lineno, record = line.where, line.lineno, line.obj
        if record is None:
            result.problems.append(f"{where}: {line.problem}")
            result.skipped += 1
            continue
        text = record.get("text")
        if not isinstance(text, str) or not text.strip():
            result.problems.append(f"{where}: no 'text'")
            result.skipped += 1
            continue
        doc_id = str(record.get("id") or record.get("doc_id") or f"{path.stem}-{lineno}")
        meta = from_mapping(record, where)
        result.problems.extend(meta.problems)
        meta.problems = []
        result.documents.append(RawDocument(doc_id, text, meta, where))
    return result


def load_paths(paths: Iterable[str | Path]) -> Iterator[LoadResult]:
    """Yield one LoadResult per file (lazily, so large folders stream).

    Every string that leaves here is valid Unicode (see ``printable``).
    """
    files, problems = discover(paths)
    if problems:
        yield _printable(LoadResult(problems=problems, skipped=len(problems)))
    manifests: dict[Path, dict[str, Metadata]] = {}
    for path in files:
        folder = path.parent
        if folder not in manifests:
            manifests[folder], manifest_problems = load_manifest(folder)
            if manifest_problems:
                yield _printable(LoadResult(problems=manifest_problems))
        yield _printable(load_file(path, manifests[folder].get(path.name)))


_SURROGATE = re.compile("[\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` as valid Unicode: undecodable bytes of a file name as ``\\xe9`` escapes.

    Why: on Linux a file name is bytes, and Python hands one that is not UTF-8 over with
    lone surrogates (``caf\\udce9.txt``), which Chroma, SQLite, JSON output and the
    terminal all refuse, so one such name stopped the whole ingest. The escapes keep two
    such names distinct (their ids stay different) and readable in error lines. JSON text
    may carry lone surrogates too (``"\\ud800"``); they get the same treatment.
    """
    if not _SURROGATE.search(text):
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # surrogates that are not escaped bytes
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _printable(result: LoadResult) -> LoadResult:
    result.problems = [printable(p) for p in result.problems]
    for doc in result.documents:
        doc.doc_id = printable(doc.doc_id)
        doc.source_path = printable(doc.source_path)
        if _SURROGATE.search(doc.text):
            doc.text = _SURROGATE.sub("\ufffd", doc.text)
        for name in META_FIELDS:
            value = getattr(doc.meta, name)
            if isinstance(value, str):
                setattr(doc.meta, name, printable(value))
    return result


def load_file(path: Path, manifest_meta: Metadata | None = None) -> LoadResult:
    """Read one supported file into raw documents."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return read_jsonl(path)
    result = LoadResult()
    try:
        text = read_text_file(path)
        meta = Metadata()
        is_html = suffix in (".html", ".htm")
        if is_html:
            text, meta = extract_html(text, str(path))
    except IngestError as exc:
        result.problems.append(str(exc))
        result.skipped += 1
        return result
    sidecar = load_sidecar(path)
    merged = Metadata()
    for source in (sidecar, manifest_meta, meta):
        if source is not None:
            merged.fill_from(source)
            result.problems.extend(source.problems)
    result.documents.append(RawDocument(path.stem, text, merged, str(path), is_html))
    return result
