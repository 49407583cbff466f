"""Copying browser uploads into the index's uploads folder, safely.

Why a copy: Gradio keeps uploads in a temporary folder it may clean up, while an ingested
article should keep a stable source path. Why the care: the file name comes from the
browser, so only a sanitized base name is used (no folders, no "..", no hidden files),
and the result is checked to lie inside the uploads folder before anything is written.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ALLOWED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class SavedUploads:
    """Files copied into the uploads folder, and one line per file that was refused."""

    paths: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def safe_name(name: str) -> str:
    """A base name that cannot leave its folder: letters, digits, ".", "_" and "-" only.

    Path components (either slash), control characters and leading dots are removed, and
    the stem is kept short. Returns "" when nothing usable is left.
    """
    base = re.split(r"[\\/]", name)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    base = _UNSAFE.sub("_", base).strip("._ ")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = stem[:80].strip("._ ")
    if not stem:
        return ""
    return f"{stem}.{suffix.lower()}" if suffix else stem


def upload_paths(files: Any) -> list[str]:
    """Paths from whatever gr.File hands over (a path, a list of paths, or file objects)."""
    if files is None:
        return []
    items: Iterable[Any] = files if isinstance(files, (list, tuple)) else [files]
    out: list[str] = []
    for item in items:
        if isinstance(item, (str, Path)):
            out.append(str(item))
        elif isinstance(item, dict) and item.get("path"):
            out.append(str(item["path"]))
        elif getattr(item, "name", None):
            out.append(str(item.name))
    return out


def save_uploads(
    sources: Sequence[str | Path], dest: Path, max_bytes: int = MAX_UPLOAD_BYTES
) -> SavedUploads:
    """Copy uploaded files into ``dest`` under sanitized names; refuse what cannot be used.

    A file with the same name as an earlier upload replaces it, so uploading a corrected
    article updates it in the index (its id is the file name without the suffix).
    """
    result = SavedUploads()
    dest.mkdir(parents=True, exist_ok=True)
    root = dest.resolve()
    for source in sources:
        src = Path(source)
        shown = safe_name(src.name) or "(unnamed file)"
        name = safe_name(src.name)
        suffix = Path(name).suffix.lower()
        if not name or suffix not in ALLOWED_SUFFIXES:
            result.problems.append(
                f"{shown}: unsupported file type {suffix or '(none)'}; "
                f"use {', '.join(ALLOWED_SUFFIXES)}"
            )
            continue
        try:
            size = src.stat().st_size
        except OSError:
            result.problems.append(f"{shown}: the upload could not be read")
            continue
        if size > max_bytes:
            result.problems.append(
                f"{shown}: {size / 2**20:.1f} MB is over the {max_bytes // 2**20} MB upload limit"
            )
            continue
        target = (root / name).resolve()
        if target.parent != root:  # belt and braces: safe_name already prevents this
            result.problems.append(f"{shown}: refused file name")
            continue
        try:
            shutil.copyfile(src, target)
        except OSError as exc:
            result.problems.append(f"{shown}: could not be saved ({exc.strerror or exc})")
            continue
        result.paths.append(target)
    return result


def discard_failed(paths: Sequence[Path], errors: Sequence[str]) -> None:
    """Delete saved copies that contributed nothing (an error about the whole file).

    Why: a refused file (binary data, empty, no text) would otherwise stay in the uploads
    folder and be reported again by every later ingest of that folder. Errors about single
    JSONL lines ("file.jsonl:3: ...") do not count: the file's good lines were ingested.
    """
    for path in paths:
        if any(e.startswith(f"{path}: ") for e in errors):
            path.unlink(missing_ok=True)


def remove_upload(dest: Path, doc_id: str) -> None:
    """Delete the uploaded file an article came from, if it was a single-article upload."""
    root = dest.resolve()
    for suffix in (".txt", ".md", ".html", ".htm"):
        candidate = (root / f"{doc_id}{suffix}").resolve()
        if candidate.parent == root and candidate.is_file():
            candidate.unlink(missing_ok=True)
