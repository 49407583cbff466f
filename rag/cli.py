"""``newsqa``: the command line. Errors become one line on stderr, never a traceback.

Settings are built here, once, from flags, environment and config file, and passed to
one ``Assistant`` that every command uses.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TextIO

from rag.cli_options import add_bench_arguments, add_dates_bench_arguments
from rag.errors import NewsQAError
from rag.settings import ABSTENTIONS, ANSWERERS, ENTITY_TAGGERS, READERS, RETRIEVERS, Settings

EXIT_ERROR = 1
EXIT_USAGE = 2


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.load(
        config_file=args.config,
        home=args.home,
        k=getattr(args, "k", None),
        retriever=getattr(args, "retriever", None),
        answerer=getattr(args, "answerer", None),
        abstention=getattr(args, "abstention", None),
        entities=getattr(args, "entities", None),
        reader=getattr(args, "reader", None),
    )


def _assistant(args: argparse.Namespace) -> Any:
    from rag.assistant import Assistant

    return Assistant(_settings(args))


def _progress_bar(enabled: bool) -> tuple[Callable[[int, str], None] | None, Callable[[], None]]:
    """A tqdm bar on stderr for long ingests (only on a terminal)."""
    if not enabled or not sys.stderr.isatty():
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(desc="ingesting", unit=" articles", file=sys.stderr)

    def update(done: int, source: str) -> None:
        bar.n = done
        bar.set_postfix_str(os.path.basename(source)[:30], refresh=True)

    return update, bar.close


def cmd_ingest(args: argparse.Namespace, out: TextIO) -> int:
    assistant = _assistant(args)
    progress, close = _progress_bar(not args.json)
    try:
        report = assistant.ingest(args.paths, prune=args.prune, progress=progress)
    finally:
        close()
    if args.json:
        out.write(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        out.write(report.summary() + "\n")
        for line in report.joined:  # near-duplicates grouped into an existing story
            out.write(line + "\n")
    for problem in report.errors:
        print(f"newsqa: error: {problem}", file=sys.stderr)
    return (
        EXIT_ERROR
        if report.errors and not (report.added or report.updated or report.unchanged)
        else 0
    )


def _print_answer(answer: Any, out: TextIO) -> None:
    out.write(answer.text + "\n")
    if answer.standalone_question and answer.standalone_question != answer.question:
        out.write(f"(searched: {answer.standalone_question})\n")
    if answer.fallback_reason:
        out.write(f"(fallback: {answer.fallback_reason})\n")
    if answer.citations:
        out.write("\nSources:\n" if not answer.abstained else "\nClosest passages:\n")
    for c in answer.citations:
        date = c.published.isoformat() if c.published else "date unknown"
        out.write(f"[{c.index}] {c.title or c.doc_id} — {c.outlet or 'unknown outlet'}, {date}\n")
        quote = c.sentence or c.text
        out.write(f"    “{quote[:300]}{'…' if len(quote) > 300 else ''}”\n")


def cmd_ask(args: argparse.Namespace, out: TextIO) -> int:
    assistant = _assistant(args)
    question = " ".join(args.question)
    as_of = args.as_of
    if args.json:
        answer = assistant.ask(question, as_of=as_of)
        out.write(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return 0
    final = None
    for piece in assistant.stream(question, as_of=as_of):
        if isinstance(piece, str):
            continue
        final = piece
    assert final is not None
    _print_answer(final, out)
    return 0


def cmd_timeline(args: argparse.Namespace, out: TextIO) -> int:
    from rag.temporal import format_value

    events = _assistant(args).timeline(" ".join(args.query))
    if args.json:
        rows = [
            {
                "date": e.date,
                "granularity": e.granularity,
                "sentence": e.sentence,
                "citation": e.citation.to_dict(),
            }
            for e in events
        ]
        out.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return 0
    if not events:
        out.write("No dated events found for that query.\n")
    for e in events:
        c = e.citation
        out.write(
            f"{format_value(e.date):>20}  {e.sentence}\n{'':>22}— {c.title or c.doc_id}"
            f" ({c.outlet or 'unknown outlet'})\n"
        )
    return 0


def cmd_articles(args: argparse.Namespace, out: TextIO) -> int:
    items = _assistant(args).articles()
    if args.json:
        out.write(json.dumps([a.__dict__ for a in items], indent=2, ensure_ascii=False) + "\n")
        return 0
    for a in items:
        out.write(
            f"{a.doc_id}  {a.published or 'date unknown':<12} {a.chunks:>3} chunks  "
            f"{a.title or ''} ({a.outlet or 'unknown outlet'})\n"
        )
    return 0


def cmd_remove(args: argparse.Namespace, out: TextIO) -> int:
    removed = _assistant(args).remove(args.doc_id)
    if not removed:
        raise NewsQAError(f"no indexed article has the id {args.doc_id!r}")
    out.write(f"removed {args.doc_id} ({removed} chunks)\n")
    return 0


def cmd_eval(args: argparse.Namespace, out: TextIO) -> int:
    if args.benchmark:
        from eval.realtimeqa import main as benchmark_main

        return benchmark_main(args, _settings(args), out)
    from eval.runner import main as eval_main

    return eval_main(args, _settings(args), out)


def cmd_train_reader(args: argparse.Namespace, out: TextIO) -> int:
    from eval.reader_train import main as train_main

    return train_main(args, _settings(args), out)


def cmd_train_abstention(args: argparse.Namespace, out: TextIO) -> int:
    from eval.abstention_train import main as train_main

    return train_main(args, _settings(args), out)


def cmd_dates_bench(args: argparse.Namespace, out: TextIO) -> int:
    from eval.dates_bench import run_args

    return int(run_args(args) or 0)


def cmd_bench(args: argparse.Namespace, out: TextIO) -> int:
    from benchmarks.bench import run

    return int(run(args) or 0)


def cmd_chat(args: argparse.Namespace, out: TextIO) -> int:
    from ui.app import main as chat_main

    return int(chat_main(args, _settings(args)) or 0)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsqa", description="Offline, time-aware question answering over news articles."
    )
    parser.add_argument("--home", help="index folder (default $NEWSQA_HOME or ~/.newsqa)")
    parser.add_argument("--config", help="TOML config file")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="add articles (.txt .md .html .jsonl, or folders)")
    p.add_argument("paths", nargs="+")
    p.add_argument("--prune", action="store_true", help="delete indexed articles not in PATHS")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ingest)

    def answering(q: argparse.ArgumentParser) -> None:
        q.add_argument("--k", type=int, help="passages to retrieve")
        q.add_argument("--retriever", choices=RETRIEVERS)
        q.add_argument("--answerer", choices=ANSWERERS)
        q.add_argument(
            "--abstention",
            choices=ABSTENTIONS,
            help="when to decline: learned model, hand-set rules, or never",
        )
        q.add_argument(
            "--entities",
            choices=ENTITY_TAGGERS,
            help="find and type names in short answers by rules or with spaCy",
        )
        q.add_argument(
            "--reader",
            choices=READERS,
            help="choose one-phrase answers with the learned ranker or the hand-set weights",
        )

    p = sub.add_parser("ask", help="answer a question with citations")
    p.add_argument("question", nargs="+")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="ask as on this day: later articles are not used, 'this week' ends here "
        "(default today)",
    )
    answering(p)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("timeline", help="dated events about a topic, oldest first")
    p.add_argument("query", nargs="+")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_timeline)

    p = sub.add_parser("articles", help="list indexed articles")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_articles)

    p = sub.add_parser("remove", help="remove an article from the index")
    p.add_argument("doc_id")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("eval", help="run a question set or a benchmark and write a report")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--dataset", help="a question set (.jsonl, see docs/evaluation.md)")
    what.add_argument("--benchmark", choices=("realtimeqa",), help="a benchmark read from --source")
    p.add_argument("--source", help="the benchmark's folder (RealTime QA: YYYYMMDD_qa.jsonl ...)")
    p.add_argument("--weeks", help="benchmark weeks to run, e.g. 20240119,20240315 (default all)")
    p.add_argument("--limit", type=int, help="at most N questions per week and set")
    p.add_argument(
        "--split",
        choices=("train", "validate"),
        help="RealTime QA: only the weeks of that split of realtimeqa-train "
        "(train: 2022 and 2024, validate: 2025)",
    )
    p.add_argument(
        "--set",
        choices=("qa", "nota", "both"),
        help="RealTime QA question set: original choices, None of the above, or both (default)",
    )
    p.add_argument(
        "--setting",
        choices=("pooled", "per-question"),
        help="RealTime QA: the week's results pooled into one index (default), or each "
        "question over its own first 5 results",
    )
    p.add_argument("--out", required=True)
    p.add_argument("--compare", help='e.g. "retriever=dense,bm25,hybrid"')
    p.add_argument("--no-progress", action="store_true")
    answering(p)
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser(
        "train-abstention", help="fit when to decline on RealTime QA and a question set"
    )
    p.add_argument("--source", help="RealTime QA folder (its qa set is asked)")
    p.add_argument(
        "--dataset",
        action="append",
        help="a question set over the project's articles (.jsonl; repeat for several)",
    )
    p.add_argument("--rows", help="refit from the rows.json of an earlier run")
    p.add_argument("--out", required=True, help="report folder (rows.json, report.md ...)")
    p.add_argument("--model", help="where to write the model (default: the bundled one)")
    p.add_argument("--c", type=float, default=0.3, help="inverse L2 strength (default 0.3)")
    p.add_argument(
        "--p-floor",
        type=float,
        help="the answer ranker's P(right) floor to ship (default: the chosen threshold)",
    )
    p.add_argument("--no-progress", action="store_true")
    answering(p)
    p.set_defaults(func=cmd_train_abstention)

    p = sub.add_parser(
        "train-reader", help="learn the answer ranker from RealTime QA training weeks"
    )
    p.add_argument("--source", required=True, help="../shared/eval/realtimeqa-train")
    p.add_argument("--cache", help="feature rows per week (default ~/.cache/newsqa/reader)")
    p.add_argument(
        "--model",
        help="where to write the model (default: the bundled rag/answer/answer_model.json)",
    )
    p.add_argument(
        "--passage-model",
        help="where to write the passage model (default: rag/retrieve/passage_model.json)",
    )
    p.add_argument(
        "--dataset",
        help="the project's question set (eval/datasets/newsqa.jsonl): its train half joins "
        "the answer model's training rows, its threshold half the choice of when to decline",
    )
    p.add_argument("--max-weeks", type=int, help="use at most N weeks of each split")
    p.add_argument(
        "--bags",
        type=int,
        help="fits averaged into the answer model, each on 80%% of the train questions "
        "(default 1: one fit on all of them, the shipped model)",
    )
    p.add_argument(
        "--project-weight",
        type=float,
        help="how many RealTime QA questions one answerable question of the --dataset's train "
        "half weighs in the answer model's fit (default 2)",
    )
    p.add_argument(
        "--curve", action="store_true", help="also fit on 1/4 and 1/2 of the train weeks"
    )
    p.add_argument("--collect-only", action="store_true", help="build and cache rows, no fit")
    p.add_argument(
        "--cached-only", action="store_true", help="fit on the weeks already cached, build none"
    )
    answering(p)
    p.set_defaults(func=cmd_train_reader)

    p = sub.add_parser("dates-bench", help="score the date tagger on a date-resolution set")
    add_dates_bench_arguments(p)
    p.set_defaults(func=cmd_dates_bench)

    p = sub.add_parser("bench", help="measure ingest, embedding and query speed")
    add_bench_arguments(p)
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("chat", help="start the chat app in the browser")
    p.add_argument("--host", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default 7860)")
    p.add_argument("--auth", help="user:password required to use the app")
    p.add_argument("--no-auth", action="store_true", help="allow a non-loopback bind without auth")
    p.add_argument("--share", action="store_true", help=argparse.SUPPRESS)
    answering(p)
    p.set_defaults(func=cmd_chat)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the CLI; returns the exit code."""
    args = build_parser().parse_args(argv)
    return dispatch(args, out or sys.stdout)


def dispatch(args: argparse.Namespace, out: TextIO) -> int:
    """Run a parsed command; NewsQA errors become one line on stderr."""
    try:
        return int(args.func(args, out))
    except NewsQAError as exc:
        print(f"newsqa: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("newsqa: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # last resort: a clean line, the traceback only on request
        if os.environ.get("NEWSQA_DEBUG"):
            raise
        print(
            f"newsqa: internal error: {exc.__class__.__name__}: {exc} "
            "(set NEWSQA_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return EXIT_ERROR


# Commands that answer and end: the ones a user waits for at a prompt.
ONE_SHOT = frozenset({"ask", "timeline", "articles"})


def run() -> NoReturn:
    """The ``newsqa`` program (console script): ``main`` with a quicker start and end for
    the one-shot reading commands.

    Why: ``newsqa ask`` spends a third of a second after its answer in the interpreter's
    tear-down (freeing every module of LangChain, pydantic and Chroma), and about a tenth
    in cyclic garbage collection while those modules import. For ``ask``, ``timeline`` and
    ``articles`` the collector is off (the process lives about a second) and, once the
    output is flushed and Chroma's client stopped, the process ends without tear-down.
    Other commands (ingest, chat, eval, ...) end normally. Library callers use ``main``.
    """
    args = build_parser().parse_args()
    one_shot = args.command in ONE_SHOT
    if one_shot:
        gc.disable()
    code = dispatch(args, sys.stdout)
    if not one_shot:
        sys.exit(code)
    _end_now(code)


def _end_now(code: int) -> NoReturn:
    """Flush what the user sees, stop Chroma cleanly, then exit without tear-down."""
    # A reader that went away (``| head``) leaves nothing to show.
    with contextlib.suppress(BrokenPipeError, ValueError):
        sys.stdout.flush()
    with contextlib.suppress(Exception):
        sys.stderr.flush()
    logging.shutdown()
    shared = sys.modules.get("chromadb.api.shared_system_client")
    if shared is not None:
        # Stops the embedded store's system, as interpreter exit would (a question may
        # have indexed the bundled articles on first use).
        with contextlib.suppress(Exception):
            shared.SharedSystemClient.clear_system_cache()
    os._exit(code)


if __name__ == "__main__":
    run()
