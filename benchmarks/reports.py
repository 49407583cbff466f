"""Where a benchmark run is kept: its markdown table and, beside it, its raw figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def write_report(out: Path, text: str, payload: dict[str, Any]) -> None:
    """Write ``text`` to ``out`` (markdown) and ``payload`` to ``out`` with ``.json``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    out.with_suffix(".json").write_text(json.dumps(payload, indent=2), encoding="utf-8")
