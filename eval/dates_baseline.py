"""dateparser on the same date-resolution cases, for the dates benchmark's comparison column.

Why a baseline in the same run: a rate alone does not say whether a set is easy; the widely
used ``dateparser.search.search_dates`` on the same sentences and anchors does. It is given
the benefit of the doubt on precision: its datetime is cut to the gold value's length
("1998-10-27" counts for a gold "1998-10").
"""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any


class DateparserBaseline:
    """Resolve one case with dateparser; loads the library on first use (it is slow to import)."""

    def __init__(self) -> None:
        self._search: Any = None

    def _searcher(self) -> Any:
        if self._search is None:
            from dateparser.search import search_dates

            self._search = search_dates
        return self._search

    def resolves(self, context: str, expression: str, gold: str, published: dt.date | None) -> bool:
        """Whether dateparser finds a date overlapping ``expression`` whose value is ``gold``.

        Args:
            context: the sentence holding the expression.
            expression: the expression's words, as they occur in ``context``.
            gold: the annotators' value (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``).
            published: the anchor for relative expressions (None: today, dateparser's default).
        """
        settings: dict[str, Any] = {"PREFER_DATES_FROM": "past"}
        if published is not None:
            settings["RELATIVE_BASE"] = dt.datetime.combine(published, dt.time(12))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                found = self._searcher()(context, languages=["en"], settings=settings) or []
            except Exception:  # a crash inside the baseline counts as not resolved
                return False
        start = context.find(expression)
        end = start + len(expression)
        cursor = 0
        for words, when in found:
            at = context.find(words, cursor)
            if at < 0:
                continue
            cursor = at + 1
            value = when.date().isoformat()[: len(gold)]
            if at < end and at + len(words) > start and value == gold:
                return True
        return False
