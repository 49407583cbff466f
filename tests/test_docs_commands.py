"""Every ``newsqa`` command the README and the docs show is one the CLI accepts.

Why: ``benchmarks/README.md`` once documented ``newsqa bench --no-hits`` while the CLI
refused it. Commands in fenced blocks are parsed whole (placeholders such as ``N`` or
``[--k N]`` are filled in first); in inline code and the option lists of prose, each
``--option`` must be one the named sub-command knows.
"""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path

import pytest

from rag.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted(
    [ROOT / "README.md", ROOT / "benchmarks" / "README.md", ROOT / "tests" / "bad_inputs.md"]
    + list((ROOT / "docs").glob("*.md"))
)
# Prose option lists that belong to a command: (file, paragraph start) -> sub-command.
OPTION_LISTS = {("benchmarks/README.md", "Options:"): "bench"}
# Placeholders in synopsis lines, and what stands in for them when parsing.
PLACEHOLDERS = {"N": "3", "W": "2.5", "P": "7860", "H": "127.0.0.1"}

COMMAND = re.compile(r"(?:^|[\s$(])newsqa((?:\s.*)?)$")
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("the CLI has no sub-commands")


def _options(parser: argparse.ArgumentParser) -> set[str]:
    return {s for a in parser._actions for s in a.option_strings}


def _fenced_lines(text: str) -> list[str]:
    """Lines of fenced code blocks, backslash continuations joined."""
    lines: list[str] = []
    inside = False
    pending = ""
    for raw in text.splitlines():
        if raw.strip().startswith("```"):
            inside = not inside
            continue
        if not inside:
            continue
        line = pending + raw.strip()
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        pending = ""
        lines.append(line)
    return lines


def _inline_spans(text: str) -> list[str]:
    outside = re.sub(r"```.*?```", "", text, flags=re.S)
    return re.findall(r"`([^`\n]+)`", outside)


def _commands(line: str) -> list[list[str]]:
    """The ``newsqa`` invocations in one line of shell, as argument lists (no program)."""
    line = re.sub(r"\s#.*$", "", line)  # a trailing comment
    found = []
    for part in re.split(r"\s\|\s", line):  # `newsqa articles | newsqa remove DOC_ID`
        m = COMMAND.search(part)
        if not m:
            continue
        rest = m.group(1).replace("[", " ").replace("]", " ")
        rest = re.sub(r"(?<=\s)(\.\.\.|…)(?=\s|$)", " ", rest)  # a bare "and more" ellipsis
        try:
            words = shlex.split(rest)
        except ValueError:
            words = rest.split()
        found.append(words)
    return found


def _fill(words: list[str]) -> list[str]:
    out = []
    for w in words:
        if "|" in w and not w.startswith("-"):  # hybrid|dense|bm25: the first choice
            w = w.split("|")[0]
        out.append(PLACEHOLDERS.get(w, w))
    return out


def _documented() -> list[tuple[str, str, list[str], bool]]:
    """(file, the text shown, its arguments, parse whole?) for every ``newsqa`` use."""
    rows = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        name = str(path.relative_to(ROOT))
        for line in _fenced_lines(text):
            for words in _commands(line):
                rows.append((name, line, words, True))
        for span in _inline_spans(text):
            for words in _commands(span):
                rows.append((name, span, words, False))
    return rows


DOCUMENTED = _documented()


def test_the_docs_show_many_commands() -> None:
    # A guard against the extraction silently finding nothing.
    shown = {words[0] for _, _, words, _ in DOCUMENTED if words and not words[0].startswith("-")}
    assert {"ingest", "ask", "eval", "bench", "dates-bench", "chat", "timeline"} <= shown
    assert len(DOCUMENTED) >= 30


@pytest.mark.parametrize(
    ("doc", "shown", "words", "whole"),
    DOCUMENTED,
    ids=[f"{d}:{s[:50]}" for d, s, _, _ in DOCUMENTED],
)
def test_documented_command_is_accepted(
    doc: str, shown: str, words: list[str], whole: bool
) -> None:
    parser = build_parser()
    subs = _subparsers(parser)
    global_options = _options(parser)
    args = list(words)
    while args and args[0] in global_options:  # newsqa --home DIR eval ...
        args = args[2:]
    if not args:
        return  # "newsqa" alone, in prose
    sub = args[0]
    assert sub in subs, f"{doc}: `{shown}` names no sub-command of newsqa"
    unknown = set(FLAG.findall(" ".join(args[1:]))) - _options(subs[sub]) - global_options
    assert not unknown, f"{doc}: `{shown}` shows options newsqa {sub} does not take: {unknown}"
    if whole:
        try:
            parser.parse_args(_fill(words))
        except SystemExit as exc:
            pytest.fail(f"{doc}: `{shown}` is refused by the CLI (exit {exc.code})")


@pytest.mark.parametrize(("doc", "start", "sub"), [(d, s, c) for (d, s), c in OPTION_LISTS.items()])
def test_option_lists_in_prose_match_the_command(doc: str, start: str, sub: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    paragraph = next(p for p in text.split("\n\n") if p.startswith(start))
    listed = set(FLAG.findall(paragraph))
    known = _options(_subparsers(build_parser())[sub])
    assert listed, f"no options found in the {start!r} paragraph of {doc}"
    assert listed <= known, f"{doc} lists options newsqa {sub} does not take: {listed - known}"
    # And the other way: every option of the command is documented there.
    assert known - {"-h", "--help"} <= listed, f"undocumented: {known - listed}"


def test_bench_takes_the_options_the_benchmark_readme_shows() -> None:
    args = build_parser().parse_args(
        ["bench", "--sizes", "1000", "--no-hits", "--questions", "5", "--keep", "--seed", "1"]
    )
    assert (args.sizes, args.no_hits, args.questions, args.keep, args.seed) == (
        "1000",
        True,
        5,
        True,
        1,
    )
    assert args.out is None  # the benchmark fills in reports/bench


def test_python_m_and_newsqa_share_one_option_list() -> None:
    from benchmarks.bench import parse_args

    cli = vars(build_parser().parse_args(["bench", "--no-hits"]))
    direct = vars(parse_args(["--no-hits"]))
    assert {k: v for k, v in cli.items() if k in direct} == direct
