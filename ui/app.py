"""``newsqa chat``: the Gradio app (chat with cited sources, articles, timeline).

The app is a thin layer over the public ``Assistant`` API; it never builds a pipeline of
its own. Start it with ``newsqa chat`` (127.0.0.1:7860 by default) or, from Python, with
``launch_app(build_app(assistant), settings, host=..., port=...)``.

HTTP API (``gradio_client``)
----------------------------
``/chat`` — ``chat(question: str, history: list[str] | None = None, k: int = settings.k,
answerer: str = settings.answerer, as_of: str | None = None) -> dict``

* ``history``: the user's earlier questions, oldest first (chat messages
  ``{"role": "user", "content": "..."}`` are accepted too); it is what makes follow-ups
  such as "And when did he meet Putin?" work.
* ``as_of``: the day the question is asked at, ``YYYY-MM-DD`` (default today): articles
  published later are not used, "this week" is the seven days up to it, "in May" the last
  May not after it.
* The endpoint streams: while the answer is written it yields ``{"answer": <text so far>,
  "done": False}``; the last value is ``{"done": True, **Answer.to_dict()}``, i.e. also
  ``question``, ``standalone_question``, ``abstained``, ``answerer``, ``citations`` (index,
  doc_id, title, outlet, published, chunk_id, text, score, sentence), ``retrieved`` and
  ``timings``. ``predict`` returns that last value.
* Errors (empty question, unknown answerer, ...) raise ``gradio_client.exceptions.AppError``
  carrying the one-line message.

Example::

    from gradio_client import Client
    result = Client("http://127.0.0.1:7860/").predict(
        "When did Kim last visit China?", [], 6, "extractive", api_name="/chat"
    )
    print(result["answer"], [c["doc_id"] for c in result["citations"]])

Also: ``/timeline(query: str) -> list[dict]`` (date, when, granularity, sentence,
citation), ``/articles() -> list[dict]`` (doc_id, title, outlet, published, chunks),
``/upload(files) -> (report, table, choices, count)`` with ``gradio_client.handle_file``
and ``/remove(doc_id) -> (status, table, choices, count)``.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
import time
from collections.abc import Iterator
from typing import Any

import gradio as gr

from rag.assistant import Assistant
from rag.errors import ConfigError
from rag.settings import ANSWERERS, Settings
from ui import render
from ui.handlers import TABLE_COLUMNS, ChatApp
from ui.uploads import ALLOWED_SUFFIXES

EXAMPLES = (
    "When did Kim last visit China?",
    "Who is Mao Ning?",
    "Where did Kim Jong-un and Vladimir Putin meet in September 2023?",
    "On what date did Putin visit Pyongyang?",
)
TIMELINE_EXAMPLES = ("Kim Jong Un visits", "Putin meetings with Kim", "Xi Jinping and Putin")
SLIDER_MAX_K = 20
CONCURRENCY = 4
# Answering (chat UI, /chat, timelines) shares one concurrency group of CONCURRENCY slots.
QUESTIONS = "questions"
# System fonts: nothing to download, and the same look offline as online.
SYSTEM_FONTS = (
    "ui-sans-serif",
    "system-ui",
    "Segoe UI",
    "Roboto",
    "Helvetica",
    "Arial",
    "sans-serif",
)
MONO_FONTS = ("ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace")
APP_CSS = """
.nqa-intro p { margin: 0; }
.nqa-intro { margin-bottom: 0.25rem; }
"""


def build_app(assistant: Assistant) -> gr.Blocks:
    """The Gradio app over ``assistant`` (not launched; see ``launch_app``).

    Tests build it around their own ``Assistant`` and launch it on a free port.
    """
    app = ChatApp(assistant)
    s = assistant.settings

    def chat(
        question: str,
        history: list[str] | None = None,
        k: int = s.k,
        answerer: str = s.answerer,
        as_of: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Answer a question about the articles, with citations; streams partial answers.

        ``as_of`` (YYYY-MM-DD, default today) is the day the question is asked at: later
        articles are not used and "this week" ends on it.
        """
        yield from app.chat_api(question, history, k, answerer, as_of)

    def timeline(query: str) -> list[dict[str, Any]]:
        """Dated events about a topic from the articles, oldest first, with citations."""
        return app.timeline_api(query)

    def articles() -> list[dict[str, Any]]:
        """The indexed articles (doc_id, title, outlet, published, chunks), newest first."""
        return app.article_records()

    with gr.Blocks(title="NewsQA", analytics_enabled=False) as demo:
        # The JSON endpoints first, so they get their names before any UI event does.
        gr.api(chat, api_name="chat", concurrency_id=QUESTIONS)
        gr.api(timeline, api_name="timeline", concurrency_id=QUESTIONS)
        gr.api(articles, api_name="articles")
        gr.Markdown(
            "## NewsQA\nAsk about the news articles: answers quote the articles and cite "
            "them; when the articles do not say, NewsQA says so.",
            elem_classes="nqa-intro",
        )
        with gr.Tab("Chat", id="chat"):
            _chat_tab(app, s)
        with gr.Tab("Articles", id="articles") as articles_tab:
            view = _articles_tab(app)
        articles_tab.select(app.refresh, None, view, api_visibility="private")
        with gr.Tab("Timeline", id="timeline"):
            _timeline_tab(app)
    demo.queue(default_concurrency_limit=CONCURRENCY)
    return demo


def _chat_tab(app: ChatApp, s: Settings) -> None:
    """Conversation and controls on the left, the sources panel on the right (below on a
    phone: the columns' ``min_width`` makes them wrap)."""
    asked = gr.State([])
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=340):
            chatbot = gr.Chatbot(
                label="Conversation",
                height=500,
                placeholder="Ask a question about the articles, or pick an example.",
                examples=[{"text": q} for q in EXAMPLES],
                latex_delimiters=[],
                feedback_options=None,
                buttons=["copy"],
                elem_id="nqa-chat",
            )
            with gr.Row():
                question = gr.Textbox(
                    show_label=False,
                    placeholder="e.g. When did Kim last visit China?",
                    max_lines=4,
                    scale=5,
                    min_width=200,
                    elem_id="nqa-question",
                    autofocus=True,
                )
                send = gr.Button("Ask", variant="primary", scale=1, min_width=80, elem_id="nqa-ask")
            with gr.Row():
                k = gr.Slider(
                    1, max(SLIDER_MAX_K, s.k), value=s.k, step=1, label="Passages (k)",
                    min_width=180,
                )  # fmt: skip
                answerer = gr.Dropdown(
                    list(ANSWERERS), value=s.answerer, label="Answerer", min_width=140
                )
                as_of = gr.DateTime(
                    include_time=False, type="string", label="As of (empty = today)",
                    min_width=160, elem_id="nqa-as-of",
                )  # fmt: skip
                clear = gr.Button("Clear", variant="secondary", min_width=80, elem_id="nqa-clear")
        with gr.Column(scale=2, min_width=300):
            sources = gr.HTML(
                render.sources_html(None),
                css_template=render.PANEL_CSS,
                js_on_load=None,
                padding=True,
                elem_id="nqa-sources",
            )

    inputs = [question, chatbot, asked, k, answerer, as_of]
    outputs = [question, chatbot, sources, asked]
    on_submit = question.submit(
        app.respond, inputs, outputs, concurrency_id=QUESTIONS, api_visibility="private"
    )
    on_send = send.click(
        app.respond, inputs, outputs, concurrency_id=QUESTIONS, api_visibility="private"
    )

    def pick(evt: gr.SelectData) -> str:
        value = evt.value
        return str(value.get("text", "")) if isinstance(value, dict) else str(value)

    on_example = chatbot.example_select(
        pick, None, question, api_visibility="private", queue=False
    ).then(app.respond, inputs, outputs, concurrency_id=QUESTIONS, api_visibility="private")
    cleared = [chatbot, sources, asked, question]
    clear.click(
        app.clear, None, cleared, cancels=[on_submit, on_send, on_example],
        api_visibility="private", queue=False,
    )  # fmt: skip
    chatbot.clear(app.clear, None, cleared, api_visibility="private", queue=False)


def _articles_tab(app: ChatApp) -> list[Any]:
    """Upload, list and remove articles; returns the components a refresh updates."""
    gr.Markdown(
        f"Add articles ({' '.join(ALLOWED_SUFFIXES)}, up to 20 MB each). Files are copied to "
        "the index folder; a file with the same name replaces the earlier one."
    )
    files = gr.File(file_count="multiple", file_types=list(ALLOWED_SUFFIXES), label="Article files")
    add = gr.Button("Add to index", variant="primary")
    report = gr.Markdown(label="report")
    with gr.Row():
        count = gr.Markdown(label="count")
        refresh = gr.Button("Refresh", size="sm", min_width=80, scale=0)
    table = gr.Dataframe(
        headers=list(TABLE_COLUMNS), datatype=["str", "str", "str", "number", "str"],
        column_widths=["14%", "42%", "18%", "8%", "18%"], interactive=False, wrap=True,
        max_height=420, label="Indexed articles", elem_id="nqa-articles",
    )  # fmt: skip
    with gr.Row():
        doomed = gr.Dropdown(
            choices=[], label="Article to remove", allow_custom_value=True, scale=4,
            min_width=220,
        )  # fmt: skip
        remove = gr.Button("Remove", variant="stop", scale=1, min_width=90)
    status = gr.Markdown(label="status")

    view = [table, doomed, count]
    refresh.click(app.refresh, None, view, api_visibility="private")
    add.click(app.upload, [files], [report, *view], api_name="upload", concurrency_limit=1)
    remove.click(app.remove, [doomed], [status, *view], api_name="remove", concurrency_limit=1)
    return view


def _timeline_tab(app: ChatApp) -> None:
    """A topic box, the chart, and the events as a list with their passages."""
    with gr.Row():
        query = gr.Textbox(
            label="Topic", placeholder="Kim Jong Un visits", scale=5, min_width=200,
            elem_id="nqa-topic",
        )  # fmt: skip
        show = gr.Button("Show timeline", variant="primary", scale=1, min_width=120)
    gr.Examples([[q] for q in TIMELINE_EXAMPLES], inputs=[query], label="Try")
    plot = gr.Plot(format="png", show_label=False, elem_id="nqa-plot")
    events = gr.HTML(
        css_template=render.PANEL_CSS, js_on_load=None, padding=True, elem_id="nqa-events"
    )
    for trigger in (query.submit, show.click):
        trigger(
            app.show_timeline, [query], [plot, events], concurrency_id=QUESTIONS,
            api_visibility="private",
        )  # fmt: skip


def launch_app(
    demo: gr.Blocks,
    settings: Settings,
    *,
    host: str,
    port: int,
    auth: tuple[str, str] | None = None,
    prevent_thread_lock: bool = False,
    quiet: bool = False,
) -> Any:
    """Launch with NewsQA's safety settings: no share link, 20 MB uploads, no file serving.

    Why here and not in ``build_app``: Gradio 6 takes theme/CSS and server options at
    launch, and the CLI and the tests must start the app the same way. No ``allowed_paths``
    are given and the index folder is blocked, so Gradio serves only its own files.
    """
    return demo.launch(
        server_name=host,
        server_port=port,
        auth=auth,
        auth_message="NewsQA: sign in with the user name and password given to --auth.",
        prevent_thread_lock=prevent_thread_lock,
        quiet=quiet,
        share=False,
        inbrowser=False,
        show_error=False,
        max_file_size="20mb",
        blocked_paths=[str(settings.home)],
        ssr_mode=False,
        mcp_server=False,
        run_history=False,
        footer_links=["api", "settings"],
        theme=gr.themes.Default(primary_hue="blue", font=SYSTEM_FONTS, font_mono=MONO_FONTS),
        css=APP_CSS,
    )


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, "localhost")."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """("user", "password") from "user:password"; None when not given.

    Raises:
        ConfigError: no colon, or an empty user or password.
    """
    if value is None:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise ConfigError("--auth must look like user:password (both non-empty)")
    return user, password


def main(args: argparse.Namespace, settings: Settings) -> int:
    """Start the chat app and serve until interrupted; returns the exit code.

    Raises:
        ConfigError: a non-loopback address without ``--auth`` or ``--no-auth``, a bad
            ``--auth`` value, a bad port, ``--share``, or a server that cannot start.
    """
    host = getattr(args, "host", None) or settings.host
    port = getattr(args, "port", None) or settings.port
    auth = parse_auth(getattr(args, "auth", None))
    if getattr(args, "share", False):
        raise ConfigError("--share is not supported: NewsQA runs offline, on your machine")
    if not 1 <= int(port) <= 65535:
        raise ConfigError(f"port must be between 1 and 65535, not {port}")
    if not is_loopback(host) and auth is None:
        if not getattr(args, "no_auth", False):
            raise ConfigError(
                f"refusing to serve on {host} without a password: anyone on the network could "
                "use it. Pass --auth user:password, or --no-auth if that is what you want."
            )
        print(
            f"newsqa: warning: serving on {host}:{port} without authentication; anyone who "
            "can reach this address can ask questions, upload and remove articles.",
            file=sys.stderr,
        )
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    demo = build_app(Assistant(settings))
    try:
        _, local_url, _ = launch_app(
            demo, settings, host=host, port=int(port), auth=auth, prevent_thread_lock=True,
            quiet=True,
        )  # fmt: skip
    except OSError as exc:
        raise ConfigError(f"cannot start the server on {host}:{port}: {exc}") from None
    print(f"NewsQA is running at {local_url} (press Ctrl+C to stop)", flush=True)
    try:
        while demo.is_running:
            time.sleep(0.2)
    except KeyboardInterrupt:
        print("NewsQA: stopping.", file=sys.stderr)
    finally:
        demo.close()
    return 0
