"""HTML and Markdown for the chat app: the sources panel, chat messages and timeline events.

Why a separate module: everything shown here comes from article text, which the app does not
control, so all escaping lives in one place that can be read (and tested) on its own. Every
value from an article goes through ``html.escape`` (HTML panels) or ``escape_markdown``
(chat messages, which Gradio renders as Markdown) before it reaches the page.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence

from rag.temporal import format_value
from rag.types import Answer, Citation, IngestReport, TimelineEvent

ABSTAIN_NOTICE = "Not in the articles — closest passages:"
SOURCES_HINT = (
    "Sources appear here. Every [n] in an answer points to the passage it was taken from; "
    "the sentence used is highlighted."
)

# Scoped to the gr.HTML components by Gradio (``css_template``); plain colours with a dark
# variant so the panel reads well in either theme.
PANEL_CSS = """
.nqa-panel { font-size: 0.95rem; line-height: 1.45; }
.nqa-panel h3 { margin: 0 0 0.5rem 0; font-size: 1.05rem; }
.nqa-hint, .nqa-empty { color: var(--body-text-color-subdued); }
.nqa-notice { padding: 0.5rem 0.75rem; margin-bottom: 0.75rem; border-radius: 6px;
  background: var(--background-fill-secondary); border-left: 4px solid #9ca3af;
  color: var(--body-text-color-subdued); font-weight: 600; }
.nqa-card { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 0.6rem 0.75rem; margin-bottom: 0.6rem; background: var(--background-fill-primary);
  overflow-wrap: anywhere; }
.nqa-abstain .nqa-card { opacity: 0.8; border-style: dashed; }
.nqa-head { font-weight: 600; }
.nqa-idx { display: inline-block; min-width: 2.2em; color: var(--color-accent); }
.nqa-meta { font-size: 0.85rem; color: var(--body-text-color-subdued); margin: 0.15rem 0 0.4rem; }
.nqa-passage { white-space: pre-wrap; margin: 0; font-size: 0.9rem; }
.nqa-also { font-size: 0.85rem; color: var(--body-text-color-subdued); margin-top: 0.4rem; }
.nqa-passage mark { background: #fde68a; color: #111827; padding: 0 1px; border-radius: 2px; }
.nqa-events { padding-left: 1.6rem; margin: 0; }
.nqa-events li { margin-bottom: 0.7rem; overflow-wrap: anywhere; }
.nqa-date { font-weight: 600; }
.nqa-gran { font-size: 0.8rem; color: var(--body-text-color-subdued); }
.nqa-events details { margin-top: 0.25rem; }
.nqa-events summary { cursor: pointer; font-size: 0.85rem; color: var(--color-accent); }
"""

_MD_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")


def escape_markdown(text: str) -> str:
    """Backslash-escape every ASCII punctuation mark so article text is shown literally.

    Why: chat messages are rendered as Markdown with HTML allowed; an article containing
    ``<img onerror=...>``, ``*`` or ``[x](javascript:...)`` must come out as plain text.
    CommonMark allows a backslash before any ASCII punctuation, so this is always safe.
    """
    return _MD_PUNCT.sub(r"\\\1", text)


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def format_day(day: dt.date | str | None) -> str:
    """A date or ISO value as readers write it ("2 September 2025"); "date unknown" if none."""
    if day is None or day == "":
        return "date unknown"
    return format_value(day.isoformat() if isinstance(day, dt.date) else str(day))


def highlight(passage: str, sentence: str | None) -> str:
    """The passage HTML-escaped, with ``sentence`` wrapped in ``<mark>`` where it occurs.

    The sentence is matched with flexible whitespace (chunking may have joined lines), and
    escaping is done piecewise so the mark never splits an HTML entity.
    """
    if sentence and sentence.strip():
        words = sentence.split()
        pattern = r"\s+".join(re.escape(w) for w in words)
        m = re.search(pattern, passage)
        if m:
            return (
                _esc(passage[: m.start()])
                + "<mark>"
                + _esc(m.group(0))
                + "</mark>"
                + _esc(passage[m.end() :])
            )
    return _esc(passage)


def _source_meta(c: Citation) -> str:
    outlet = c.outlet or "unknown outlet"
    return f"{_esc(outlet)} · {_esc(format_day(c.published))}"


def also_reported_html(c: Citation) -> str:
    """The line "Also reported by: Outlet (date), ..." for the other copies of a story.

    Empty when the citation's story has no other article. Each copy is named by its
    outlet (its title or id when the outlet is unknown) and dated; the title is kept as
    a tooltip. Everything is escaped: outlets and titles come from the articles.
    """
    if not c.also_reported_by:
        return ""
    names = []
    for ref in c.also_reported_by:
        name = ref.get("outlet") or ref.get("title") or ref.get("doc_id") or "unknown outlet"
        tip = ref.get("title") or ref.get("doc_id") or ""
        names.append(
            f'<span title="{_esc(tip)}">{_esc(name)} ({_esc(format_day(ref.get("published")))})'
            "</span>"
        )
    return f'<div class="nqa-also">Also reported by: {", ".join(names)}</div>'


def citation_card(c: Citation) -> str:
    """One source: index, title, outlet, publication date, the passage, and the other
    outlets that carried the same story (near-duplicates grouped at ingest)."""
    title = c.title or c.doc_id
    return (
        f'<div class="nqa-card" id="nqa-src-{c.index}">'
        f'<div class="nqa-head"><span class="nqa-idx">[{c.index}]</span>{_esc(title)}</div>'
        f'<div class="nqa-meta">{_source_meta(c)} · <code>{_esc(c.doc_id)}</code></div>'
        f'<p class="nqa-passage">{highlight(c.text, c.sentence)}</p>'
        f"{also_reported_html(c)}"
        "</div>"
    )


def sources_html(answer: Answer | None) -> str:
    """The sources panel for an answer (the hint when there is none yet)."""
    if answer is None:
        return f'<div class="nqa-panel"><p class="nqa-hint">{_esc(SOURCES_HINT)}</p></div>'
    if answer.abstained:
        cards = "".join(citation_card(c) for c in answer.citations)
        if not cards:
            cards = '<p class="nqa-empty">No passage came close.</p>'
        return (
            '<div class="nqa-panel nqa-abstain">'
            f'<div class="nqa-notice">{_esc(ABSTAIN_NOTICE)}</div>{cards}</div>'
        )
    cards = "".join(citation_card(c) for c in answer.citations)
    return f'<div class="nqa-panel"><h3>Sources</h3>{cards}</div>'


def status_html(message: str) -> str:
    """A one-line note in the sources panel (e.g. while searching)."""
    return f'<div class="nqa-panel"><p class="nqa-hint">{_esc(message)}</p></div>'


def answer_markdown(answer: Answer) -> str:
    """The final chat message: the answer, or a visibly different abstention.

    Small print under it shows the rewritten question when a follow-up was rewritten (so
    the reader sees what was actually searched) and why a generative answer fell back to
    the extractive one.
    """
    if answer.abstained:
        body = f"**Not in the articles.** _{escape_markdown(answer.text)}_"
    elif answer.short and answer.text.startswith(answer.short):
        # The short answer in bold on its own line, then the quote that supports it.
        short = answer.short
        rest = answer.text[len(short) :]
        marker, _, quote = rest.partition(". ")  # " [1]", or a date's "(“today” ...) [1]"
        body = f"**{escape_markdown(short)}**{escape_markdown(marker)}\n\n{escape_markdown(quote)}"
    else:
        body = escape_markdown(answer.text)
    notes = []
    standalone = (answer.standalone_question or "").strip()
    if standalone and standalone != (answer.question or "").strip():
        notes.append(f"Searched as: “{escape_markdown(standalone)}”")
    if answer.fallback_reason:
        notes.append(
            f"Answered by the {escape_markdown(answer.answerer)} answerer instead: "
            f"{escape_markdown(answer.fallback_reason)}"
        )
    if notes:
        body += "\n\n<small>" + "<br>".join(notes) + "</small>"
    return body


def error_markdown(message: str) -> str:
    """A chat message for an error the user can act on (already a clean one-liner)."""
    return f"⚠️ {escape_markdown(message)}"


def literal(text: str) -> str:
    """Text as a Markdown code span: shown exactly as is, and still readable over the API."""
    return "`" + " ".join(text.replace("`", "'").split()) + "`"


def ingest_markdown(report: IngestReport, errors: Sequence[str], articles: int) -> str:
    """The upload result: the summary line, then every problem on its own line.

    Problems go in a fenced block so file names and messages show literally, both in the
    page and to API clients reading the raw Markdown.
    """
    kept = report.added + report.updated + report.unchanged
    if kept == 0 and errors:
        lines = ["**Nothing was added; the index is unchanged.**"]
    else:
        lines = [f"**Done:** {report.summary()}."]
    lines.append(f"{articles} article(s) indexed now.")
    if errors:
        lines += ["", f"{len(errors)} problem(s):", "```text"]
        lines += [" ".join(e.replace("`", "'").split()) for e in errors]
        lines.append("```")
    return "\n".join(lines)


def events_html(events: Sequence[TimelineEvent], query: str) -> str:
    """The timeline as a numbered list: date, sentence, source, and the passage on demand."""
    if not events:
        return (
            '<div class="nqa-panel"><p class="nqa-empty">'
            f"No dated events about “{_esc(query)}” in the articles.</p></div>"
        )
    items = []
    for i, e in enumerate(events, start=1):
        c = e.citation
        title = c.title or c.doc_id
        items.append(
            f'<li id="nqa-ev-{i}"><span class="nqa-date">{_esc(format_day(e.date))}</span> '
            f'<span class="nqa-gran">({_esc(e.granularity)})</span>'
            f"<div>{_esc(e.sentence)}</div>"
            f'<div class="nqa-meta">{_esc(title)} — {_source_meta(c)}</div>'
            "<details><summary>Show the passage</summary>"
            f'<p class="nqa-passage">{highlight(c.text, e.sentence)}</p></details></li>'
        )
    return f'<div class="nqa-panel"><ol class="nqa-events">{"".join(items)}</ol></div>'
