"""The timeline chart: events on a date axis, numbered like the list below it.

Why matplotlib's object API (``Figure``) and not ``pyplot``: the app serves several users at
once from threads, and pyplot keeps global state that is not thread-safe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure

from rag.temporal import value_range
from rag.types import TimelineEvent

# Stems alternate above and below the axis, at growing heights, so labels of nearby
# events do not sit on top of each other.
_LEVELS = (1.0, -1.0, 2.0, -2.0, 3.0, -3.0)
_COLOURS = {"day": "#2563eb", "week": "#7c3aed", "month": "#d97706", "year": "#059669"}


def _as_date(yyyymmdd: int) -> dt.date:
    return dt.date(yyyymmdd // 10000, yyyymmdd // 100 % 100, yyyymmdd % 100)


def event_span(event: TimelineEvent) -> tuple[dt.date, dt.date]:
    """First and last day an event's date may mean ("2023-09" covers all of September)."""
    first, last = value_range(event.date)
    return _as_date(first), _as_date(last)


def short_date(value: str) -> str:
    """A compact date for a chart label: "13 Sep 2023", "Sep 2023", "2013"."""
    parts = value.split("-")
    try:
        if len(parts) == 3:
            day = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
            return f"{day.day} {day:%b %Y}"
        if len(parts) == 2 and not parts[1].startswith("W"):
            return f"{dt.date(int(parts[0]), int(parts[1]), 1):%b %Y}"
    except ValueError:
        pass
    return value


def plain(text: str) -> str:
    """Text safe for a matplotlib label: "$" would otherwise start math mode ("$38 million")."""
    return text.replace("$", r"\$")


def short_label(text: str, limit: int = 34) -> str:
    """The start of a sentence, cut at a word boundary, for a label on the chart."""
    text = " ".join(text.split()).strip("“”\"' ")
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def timeline_figure(events: Sequence[TimelineEvent], title: str = "") -> Figure | None:
    """A chart of ``events`` (oldest first) with numbered labels; None when there are none.

    Events whose date is not a valid ISO value are left off the chart (they still appear in
    the list), so one odd value cannot break the picture.
    """
    points: list[tuple[int, TimelineEvent, dt.date, dt.date]] = []
    for number, event in enumerate(events, start=1):
        try:
            first, last = event_span(event)
        except ValueError:
            continue
        points.append((number, event, first, last))
    if not points:
        return None

    fig = Figure(figsize=(10, 4.4), dpi=110, layout="constrained")
    ax = fig.add_subplot()
    for i, (number, event, first, last) in enumerate(points):
        level = _LEVELS[i % len(_LEVELS)]
        mid = float(date2num(first + (last - first) / 2))
        colour = _COLOURS.get(event.granularity, "#6b7280")
        ax.vlines(mid, 0, level, color=colour, linewidth=1, alpha=0.6)
        if last > first:  # a month, week or year: show the whole period it may mean
            ax.hlines(0, date2num(first), date2num(last), color=colour, linewidth=6, alpha=0.35)
        ax.plot([mid], [0], "o", color=colour, markersize=6, zorder=3)
        ax.annotate(
            plain(f"{number}. {short_date(event.date)}\n{short_label(event.sentence)}"),
            xy=(mid, level),
            xytext=(3, 3 if level > 0 else -3),
            textcoords="offset points",
            ha="left",
            va="bottom" if level > 0 else "top",
            fontsize=8,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": colour, "alpha": 0.9},
        )
    firsts = [p[2] for p in points]
    lasts = [p[3] for p in points]
    lo, hi = min(firsts), max(lasts)
    pad = max((hi - lo) * 0.06, dt.timedelta(days=20))
    # Labels run to the right of their stem; leave room after the last event.
    ax.set_xlim(float(date2num(lo - pad)), float(date2num(hi + pad * 4)))
    ax.set_ylim(-3.8, 3.8)
    ax.axhline(0, color="#9ca3af", linewidth=1)
    locator = AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.yaxis.set_visible(False)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(plain(title), fontsize=10, loc="left")
    return fig
