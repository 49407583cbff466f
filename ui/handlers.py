"""Event handlers of the chat app, bound to one shared ``Assistant``.

Why separate from the layout (``ui.app``): the handlers hold the behaviour worth reading
on its own (validation, streaming, error handling, upload safety), while ``build_app`` is
only layout and wiring. Every handler turns a ``NewsQAError`` into a message for the person
and logs anything else, so nobody sees a stack trace.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import gradio as gr

from rag.assistant import Assistant, check_as_of
from rag.errors import InputError, NewsQAError
from rag.settings import ANSWERERS
from rag.temporal import format_value
from rag.types import Answer, IngestReport
from ui import render
from ui.timeline_plot import timeline_figure
from ui.uploads import discard_failed, remove_upload, save_uploads, upload_paths

logger = logging.getLogger(__name__)

GENERIC_ERROR = "Something went wrong on the server; the details are in its log."
STREAM_INTERVAL_S = 0.04
TABLE_COLUMNS = ("published", "title", "outlet", "chunks", "doc_id")


def paced(pieces: Iterable[str | Answer]) -> Iterator[str | Answer]:
    """The answer so far, at most every ``STREAM_INTERVAL_S``, then the final ``Answer``.

    Why: every partial is an event that Gradio serialises and the client parses; one per
    word (the extractive answer arrives whole, then is split into words) made the server
    spend most of its time on events rather than on answers under load.
    """
    text, last = "", 0.0
    for piece in pieces:
        if isinstance(piece, Answer):
            yield piece
            continue
        text += piece
        if time.monotonic() - last >= STREAM_INTERVAL_S:
            last = time.monotonic()
            yield text


class ChatApp:
    """The event handlers, bound to one shared ``Assistant``.

    Why a class: every handler needs the assistant, and methods keep ``build_app`` to
    layout and wiring. Handlers turn ``NewsQAError`` into messages and log anything else,
    so a person never sees a stack trace.
    """

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.settings = assistant.settings

    # --- questions -------------------------------------------------------------------------

    def _answers(
        self,
        question: str,
        history: Sequence[Any] | None,
        k: Any,
        answerer: Any,
        as_of: Any = None,
    ) -> Iterator[str | Answer]:
        """Validated arguments, then ``Assistant.stream`` (text pieces, final Answer)."""
        try:
            k_int = int(k)
        except (TypeError, ValueError):
            raise InputError(f"k must be a whole number, not {k!r}") from None
        if not 1 <= k_int <= 100:
            raise InputError(f"k must be between 1 and 100, not {k_int}")
        if answerer not in ANSWERERS:
            raise InputError(f"unknown answerer {answerer!r}; choose one of {', '.join(ANSWERERS)}")
        day = check_as_of(as_of)
        return self.assistant.stream(
            question, history=history, k=k_int, answerer=answerer, as_of=day
        )

    def respond(
        self, question: str, messages: list[dict[str, Any]] | None, asked: list[str] | None,
        k: float, answerer: str, as_of: str | None = None,
    ) -> Iterator[tuple[Any, Any, Any, Any]]:  # fmt: skip
        """Stream an answer into the chat; outputs (textbox, chatbot, sources, asked)."""
        messages = list(messages or [])
        asked = list(asked or [])
        try:
            cleaned = self.assistant.check_question(question or "")
        except NewsQAError as exc:
            gr.Warning(str(exc))
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        messages.append({"role": "user", "content": render.escape_markdown(cleaned)})
        messages.append({"role": "assistant", "content": "…"})
        yield "", messages, render.status_html("Searching the articles…"), asked
        final = None
        try:
            for item in paced(self._answers(cleaned, asked, k, answerer, as_of)):
                if isinstance(item, Answer):
                    final = item
                    continue
                content = render.escape_markdown(item) + " ▌"
                messages[-1] = {"role": "assistant", "content": content}
                yield gr.skip(), messages, gr.skip(), gr.skip()
            if final is None:
                raise RuntimeError("the answer stream ended without a final Answer")
        except NewsQAError as exc:
            messages[-1] = {"role": "assistant", "content": render.error_markdown(str(exc))}
            yield gr.skip(), messages, render.sources_html(None), asked
            return
        except Exception:
            logger.exception("answering %r failed", cleaned)
            messages[-1] = {"role": "assistant", "content": render.error_markdown(GENERIC_ERROR)}
            yield gr.skip(), messages, render.sources_html(None), asked
            return
        messages[-1] = {"role": "assistant", "content": render.answer_markdown(final)}
        yield gr.skip(), messages, render.sources_html(final), [*asked, cleaned]

    def chat_api(
        self,
        question: str,
        history: Sequence[Any] | None,
        k: Any,
        answerer: Any,
        as_of: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """The ``/chat`` endpoint body: partial answers (``paced``, as in the chat), then
        the full answer as a dict."""
        try:
            for item in paced(self._answers(question, history or [], k, answerer, as_of)):
                if isinstance(item, Answer):
                    yield {"done": True, **item.to_dict()}
                    return
                yield {"answer": item, "done": False}
        except NewsQAError as exc:
            raise gr.Error(str(exc), print_exception=False) from None
        except Exception:
            logger.exception("API question %r failed", question)
            raise gr.Error(GENERIC_ERROR, print_exception=False) from None
        raise gr.Error(GENERIC_ERROR, print_exception=False)

    @staticmethod
    def clear() -> tuple[list[Any], str, list[str], str]:
        """An empty conversation: (chatbot, sources, asked, textbox)."""
        return [], render.sources_html(None), [], ""

    # --- the collection --------------------------------------------------------------------

    def article_records(self) -> list[dict[str, Any]]:
        """The indexed articles as JSON-ready dicts (newest first)."""
        return [
            {"doc_id": a.doc_id, "title": a.title, "outlet": a.outlet,
             "published": a.published, "chunks": a.chunks}
            for a in self.assistant.articles()
        ]  # fmt: skip

    def collection_view(self) -> tuple[list[list[Any]], Any, str]:
        """(table rows, removal dropdown, count line) for the Articles tab."""
        records = self.article_records()
        rows = [[r[h] if r[h] is not None else "" for h in TABLE_COLUMNS] for r in records]
        choices = [(f"{r['title'] or r['doc_id']} ({r['doc_id']})", r["doc_id"]) for r in records]
        if records:
            count = f"**{len(records)}** article(s) indexed."
        else:
            count = (
                "No articles indexed yet. The bundled articles are added when the first "
                "question is asked; or upload your own above."
            )
        return rows, gr.Dropdown(choices=choices, value=None), count

    def refresh(self) -> tuple[Any, ...]:
        """The Articles tab, reloaded (errors become a warning, not a broken table)."""
        try:
            return self.collection_view()
        except NewsQAError as exc:
            gr.Warning(str(exc))
        except Exception:
            logger.exception("listing articles failed")
            gr.Warning(GENERIC_ERROR)
        return gr.skip(), gr.skip(), gr.skip()

    def upload(self, files: Any, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        """Copy uploads into the uploads folder and ingest them; outputs (report, view...)."""
        sources = upload_paths(files)
        if not sources:
            gr.Warning("Choose one or more files first.")
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        uploads = self.settings.uploads_path
        saved = save_uploads(sources, uploads)
        report = IngestReport(skipped=len(saved.problems))
        total = len(saved.paths)

        def step(done: int, source: str) -> None:
            name = os.path.basename(source)
            progress((done, total if done <= total else None), desc=f"Indexing {name}")

        try:
            if saved.paths:
                progress((0, total), desc="Reading the files")
                report = self.assistant.ingest(saved.paths, progress=step)
                report.skipped += len(saved.problems)
                discard_failed(saved.paths, report.errors)
        except NewsQAError as exc:
            discard_failed(saved.paths, [f"{p}: " for p in saved.paths])
            gr.Warning(str(exc))
            return f"**Nothing was added:** {render.literal(str(exc))}", *self.refresh()
        except Exception:
            logger.exception("ingesting uploads failed")
            gr.Warning(GENERIC_ERROR)
            return f"**Nothing was added:** {GENERIC_ERROR}", *self.refresh()
        prefix = f"{uploads.resolve()}{os.sep}"
        errors = saved.problems + [e.replace(prefix, "") for e in report.errors]
        rows, dropdown, count = self.collection_view()
        if errors and not (report.added or report.updated or report.unchanged):
            gr.Warning("The file(s) could not be used; see the report.")
        return render.ingest_markdown(report, errors, len(rows)), rows, dropdown, count

    def remove(self, doc_id: str | None) -> tuple[Any, ...]:
        """Remove one article by id; outputs (status, table, dropdown, count)."""
        if not doc_id:
            gr.Warning("Choose an article to remove.")
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        try:
            removed = self.assistant.remove(doc_id)
        except NewsQAError as exc:
            gr.Warning(str(exc))
            return render.literal(str(exc)), *self.refresh()
        except Exception:
            logger.exception("removing %r failed", doc_id)
            gr.Warning(GENERIC_ERROR)
            return GENERIC_ERROR, *self.refresh()
        if not removed:
            gr.Warning("No indexed article has that id.")
            message = f"No indexed article has the id {render.literal(doc_id)}."
        else:
            remove_upload(self.settings.uploads_path, doc_id)
            message = f"Removed {render.literal(doc_id)} ({removed} chunks)."
        return message, *self.collection_view()

    # --- timeline --------------------------------------------------------------------------

    def show_timeline(self, query: str) -> tuple[Any, str]:
        """(chart, event list) for a topic; a warning instead when the query is unusable."""
        try:
            events = self.assistant.timeline(query or "")
        except NewsQAError as exc:
            gr.Warning(str(exc))
            return gr.skip(), gr.skip()
        except Exception:
            logger.exception("timeline for %r failed", query)
            gr.Warning(GENERIC_ERROR)
            return gr.skip(), gr.skip()
        return timeline_figure(events, title=query.strip()), render.events_html(events, query)

    def timeline_api(self, query: str) -> list[dict[str, Any]]:
        """The ``/timeline`` endpoint body: events as JSON-ready dicts, oldest first."""
        try:
            events = self.assistant.timeline(query)
        except NewsQAError as exc:
            raise gr.Error(str(exc), print_exception=False) from None
        except Exception:
            logger.exception("API timeline %r failed", query)
            raise gr.Error(GENERIC_ERROR, print_exception=False) from None
        return [
            {"date": e.date, "when": format_value(e.date), "granularity": e.granularity,
             "sentence": e.sentence, "citation": e.citation.to_dict()}
            for e in events
        ]  # fmt: skip
