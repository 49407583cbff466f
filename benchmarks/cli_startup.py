"""How long ``newsqa ask`` and ``newsqa --help`` take as whole processes, and why.

Why whole processes: a user at the command line waits for the interpreter, every import,
opening the index, loading the model and the answer; in-process timings see only the
last two. Each run is a fresh ``python`` on an existing index (the bundled articles,
ingested once before timing, then one untimed warm-up question so that one-time work such
as the ONNX export is not counted). Reported per command: median, min and max wall time
and peak RSS (``ru_maxrss`` of the child) over ``--runs`` runs, and the machine's load
average, since a shared machine inflates every figure. ``-X importtime`` of one ``ask``
gives the imports profile and which heavy libraries were imported at all.

    python -m benchmarks.cli_startup [--runs 5] [--home DIR] [--src DIR] [--out FILE]

``--src`` runs the CLI from another checkout of NewsQA (e.g. ``git archive HEAD`` unpacked
into a folder) with this environment, for before/after figures on the same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
QUESTION = "When did Kim last visit China?"
# Libraries the issue named as imported but unused on the default path.
WATCHED = ("torch", "transformers", "sentence_transformers", "langchain_chroma", "datasketch")
# What the ``newsqa`` console script runs: ``rag.cli.run`` (``main`` in checkouts before it).
CLI = "import sys, rag.cli as c; c.run() if hasattr(c, 'run') else sys.exit(c.main())"


Run = tuple[float, float, float, int]  # wall s, CPU s, peak RSS MiB, exit code


def run_once(argv: Sequence[str], src: Path, env: dict[str, str]) -> Run:
    """(wall seconds, CPU seconds, peak RSS in MiB, exit code) of one ``newsqa ARGV``
    process. CPU time (user + system) is reported beside wall time because on a shared
    machine the wall time mostly measures the other processes."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", CLI, *argv],
        cwd=src,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss / 1024, proc.returncode  # ru_maxrss: KiB on Linux


def _stats(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def summarise(label: str, runs: list[Run]) -> dict[str, Any]:
    return {
        "command": label,
        "runs": len(runs),
        "wall_s": _stats([r[0] for r in runs]),
        "cpu_s": _stats([r[1] for r in runs]),
        "peak_rss_mib": _stats([r[2] for r in runs]),
        "exit_codes": sorted({r[3] for r in runs}),
    }


def import_profile(src: Path, env: dict[str, str], top: int) -> dict[str, Any]:
    """``-X importtime`` of one ``ask``: the slowest top-level imports, and the watched
    libraries that were imported at all."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", CLI, "ask", QUESTION],
        cwd=src,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line[len("import time:") :].split("|")
        rows.append((name.rstrip(), int(cumulative)))
    first_level = [(n.strip(), us) for n, us in rows if not n.startswith("  ")]
    first_level.sort(key=lambda r: r[1], reverse=True)
    names = {n.strip() for n, _ in rows}
    total = sum(us for _, us in first_level)
    return {
        "total_import_s": total / 1e6,
        "top": [{"module": n, "cumulative_s": us / 1e6} for n, us in first_level[:top]],
        "watched_imported": [w for w in WATCHED if w in names],
    }


def prepare_home(home: Path, src: Path, env: dict[str, str]) -> None:
    """Index the bundled articles into ``home`` unless it already holds an index."""
    if (home / "chroma").is_dir():
        return
    articles = str(PROJECT_ROOT / "data" / "articles")
    subprocess.run([sys.executable, "-c", CLI, "ingest", articles], cwd=src, env=env, check=True)


def format_markdown(payload: dict[str, Any]) -> str:
    lines = [
        f"NewsQA CLI start-up ({payload['machine']}; src {payload['src']}; "
        f"load average before/after {payload['load_before']} / {payload['load_after']})",
        "",
        "| command | runs | wall s median (min-max) | CPU s median (min-max) "
        "| peak RSS MiB median (min-max) |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in payload["results"]:
        w, c, m = r["wall_s"], r["cpu_s"], r["peak_rss_mib"]
        lines.append(
            f"| `{r['command']}` | {r['runs']} | {w['median']:.2f} ({w['min']:.2f}-{w['max']:.2f}) "
            f"| {c['median']:.2f} ({c['min']:.2f}-{c['max']:.2f}) "
            f"| {m['median']:.0f} ({m['min']:.0f}-{m['max']:.0f}) |"
        )
    prof = payload["imports"]
    lines += [
        "",
        f"Imports of one `ask` (`-X importtime`): {prof['total_import_s']:.2f} s in total; "
        f"imported of {', '.join(WATCHED)}: {', '.join(prof['watched_imported']) or 'none'}.",
        "",
        "| top-level import | cumulative s |",
        "|---|---:|",
    ]
    lines += [f"| {t['module']} | {t['cumulative_s']:.3f} |" for t in prof["top"]]
    return "\n".join(lines) + "\n"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.cli_startup", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command")
    parser.add_argument("--home", help="an existing index (default: a new temporary one)")
    parser.add_argument("--src", default=str(PROJECT_ROOT), help="the NewsQA checkout to run")
    parser.add_argument("--question", default=QUESTION)
    parser.add_argument("--top", type=int, default=12, help="imports listed in the profile")
    parser.add_argument("--out", help="also write the JSON here (and the table beside it)")
    return parser.parse_args(argv)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    src = Path(args.src).resolve()
    with tempfile.TemporaryDirectory(prefix="newsqa-cli-") as tmp:
        home = Path(args.home or tmp)
        env = {
            **os.environ,
            "NEWSQA_HOME": str(home),
            "HF_HUB_OFFLINE": "1",
            "ANONYMIZED_TELEMETRY": "False",
        }
        env.pop("NEWSQA_DEBUG", None)
        prepare_home(home, src, env)
        commands = [("newsqa ask " + json.dumps(args.question), ["ask", args.question])]
        commands.append(("newsqa --help", ["--help"]))
        for _, argv_ in commands:
            run_once(argv_, src, env)  # warm-up: one-time export, OS file cache
        load_before = _load()
        results = [
            summarise(label, [run_once(a, src, env) for _ in range(args.runs)])
            for label, a in commands
        ]
        load_after = _load()
        imports = import_profile(src, env, args.top)
    machine = f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
    payload = {
        "machine": machine,
        "src": str(src),
        "load_before": load_before,
        "load_after": load_after,
        "results": results,
        "imports": imports,
    }
    md = format_markdown(payload)
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(payload, indent=2))
        out.with_suffix(".md").write_text(md)
    print(md)
    return 0 if all(r["exit_codes"] == [0] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
