"""The chat under load: many ``gradio_client`` users at once against the real ``newsqa chat``.

Why: a newsroom shares one server. This measures answers per second, latency and the
server's peak memory with ``--users`` concurrent users asking ``--questions`` questions
(the dev set, cycled), and puts them beside the anchor measured in the same run: the same
questions asked in-process with ``Assistant.ask`` from two threads. The ratio says how much
of the assistant the chat delivers.

Loopback only, bounded: every request has a timeout, the whole run has ``--deadline``
seconds, and the server is stopped at the end whatever happened.

    python -m benchmarks.load --users 50 --questions 100 --out benchmarks/results/load.md
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from benchmarks.reports import write_report

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-12-01"  # fixed: the same answers in every run


def dev_questions() -> list[str]:
    path = ROOT / "eval" / "datasets" / "dev.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def peak_rss_mb(pid: int) -> float:
    found = re.search(r"VmHWM:\s+(\d+)", Path(f"/proc/{pid}/status").read_text())
    return int(found.group(1)) / 1024 if found else float("nan")


def cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU seconds of a process (this one when ``pid`` is None)."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def in_process(home: Path, asked: list[str], threads: int = 2) -> dict[str, float]:
    """The anchor: ``Assistant.ask`` from ``threads`` threads, warm (one pass first)."""
    from rag.assistant import Assistant
    from rag.settings import Settings

    assistant = Assistant(Settings.load(home=home, environ={}, bundled_on_first_use=False))
    for q in dict.fromkeys(asked):
        assistant.ask(q, as_of=AS_OF)
    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda q: assistant.ask(q, as_of=AS_OF), asked))
    took = time.perf_counter() - start
    return {"answers_per_s": len(asked) / took, "seconds": took}


def start_server(home: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "NEWSQA_HOME": str(home),
        "HF_HUB_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    cmd = [sys.executable, "-m", "rag.cli", "chat", "--port", str(port)]
    return subprocess.Popen(
        cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def wait_ready(url: str, server: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the chat server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the chat server did not answer on {url} within {timeout:.0f} s")


def load(
    url: str, asked: list[str], users: int, deadline: float, server_pid: int | None = None
) -> dict[str, Any]:
    """``users`` threads, each with its own ``gradio_client.Client`` (made before the clock
    starts), take questions from one queue."""
    from gradio_client import Client

    made = [Client(url, verbose=False) for _ in range(users)]
    free: queue.Queue[Any] = queue.Queue()
    for c in made:
        free.put(c)

    def asker(stop_at: float) -> Callable[[str], dict[str, Any]]:
        client = free.get_nowait()

        def ask(question: str) -> dict[str, Any]:
            job = client.submit(question, [], 6, "extractive", AS_OF, api_name="/chat")
            return dict(job.result(timeout=max(1.0, stop_at - time.monotonic())))

        return ask

    def close() -> None:
        for c in made:
            getattr(c, "close", lambda: None)()

    return _drive(asker, asked, users, deadline, server_pid, close)


def lean(
    url: str, asked: list[str], users: int, deadline: float, server_pid: int | None = None
) -> dict[str, Any]:
    """The same load through Gradio's plain HTTP API with one pooled ``httpx`` client: what
    the server can give when the clients cost little (``gradio_client`` spends about twice
    the server's CPU per answer on its own threads, SSL contexts and heartbeats)."""
    import httpx

    limits = httpx.Limits(max_connections=2 * users, max_keepalive_connections=2 * users)
    http = httpx.Client(base_url=url, timeout=deadline, limits=limits)

    def ask(question: str) -> dict[str, Any]:
        payload = {"data": [question, [], 6, "extractive", AS_OF]}
        event = http.post("gradio_api/call/chat", json=payload).raise_for_status().json()
        kind, data = "", ""
        with http.stream("GET", f"gradio_api/call/chat/{event['event_id']}") as stream:
            for line in stream.iter_lines():
                if line.startswith("event:"):
                    kind = line[6:].strip()
                elif line.startswith("data:") and kind in ("complete", "error"):
                    data = line[5:].strip()
                    break
        if kind != "complete":
            raise RuntimeError(f"{kind or 'no'} event: {data[:100]}")
        return dict(json.loads(data)[0])

    return _drive(lambda stop_at: ask, asked, users, deadline, server_pid, http.close)


def _drive(
    asker: Callable[[float], Callable[[str], dict[str, Any]]],
    asked: list[str],
    users: int,
    deadline: float,
    server_pid: int | None,
    close: Callable[[], None],
) -> dict[str, Any]:
    """``users`` threads take questions from one queue, each asking with its own
    ``asker(stop_at)``; every failure is counted and none stops the run."""
    work: queue.Queue[str] = queue.Queue()
    for q in asked:
        work.put(q)
    latencies: list[float] = []
    errors: list[str] = []
    wrong_user = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + deadline

    def user() -> None:
        nonlocal wrong_user
        ask = asker(stop_at)
        while time.monotonic() < stop_at:
            try:
                question = work.get_nowait()
            except queue.Empty:
                return
            start = time.perf_counter()
            try:
                result = ask(question)
            except Exception as exc:  # counted, never stops the run
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}"[:200])
                continue
            with lock:
                latencies.append(time.perf_counter() - start)
                wrong_user += result.get("question") != question

    start = time.perf_counter()
    cpu_client, cpu_server = cpu_seconds(), cpu_seconds(server_pid) if server_pid else 0.0
    threads = [threading.Thread(target=user, daemon=True) for _ in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, stop_at - time.monotonic()) + 5)
    wall = time.perf_counter() - start
    cpu_client = cpu_seconds() - cpu_client
    cpu_server = (cpu_seconds(server_pid) - cpu_server) if server_pid else float("nan")
    close()
    return {
        "answered": len(latencies),
        "errors": len(errors),
        "error_examples": errors[:3],
        "wrong_user": wrong_user,
        "wall_s": wall,
        "answers_per_s": len(latencies) / wall if wall else 0.0,
        "p50_s": percentile(latencies, 0.5),
        "p95_s": percentile(latencies, 0.95),
        "mean_s": statistics.fmean(latencies) if latencies else float("nan"),
        "cpu_server_s": cpu_server,
        "cpu_clients_s": cpu_client,
    }


def run(users: int, questions: int, deadline: float) -> dict[str, Any]:
    asked = [q for _, q in zip(range(questions), _cycle(dev_questions()))]
    tmp = Path(tempfile.mkdtemp(prefix="newsqa-load-"))
    try:
        home = tmp / "home"
        subprocess.run(
            [sys.executable, "-m", "rag.cli", "ingest", str(ROOT / "data" / "articles")],
            env={**os.environ, "NEWSQA_HOME": str(home), "HF_HUB_OFFLINE": "1"},
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        anchor = in_process(home, asked)
        port = free_port()
        url = f"http://127.0.0.1:{port}/"
        server = start_server(home, port)
        try:
            wait_ready(url, server)
            # One warm pass through the chat: the questions' embeddings are cached in the
            # server as they are in the anchor's warm pass.
            warm = load(url, list(dict.fromkeys(asked)), min(users, 4), deadline)
            measured = load(url, asked, users, deadline, server.pid)
            plain = lean(url, asked, users, deadline, server.pid)
            measured["server_peak_rss_mb"] = peak_rss_mb(server.pid)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {
        "users": users,
        "questions": questions,
        "cpus": os.cpu_count(),
        "anchor_in_process": anchor,
        "warm_pass_errors": warm["errors"],
        "chat": measured,
        "plain_http": plain,
        "ratio": measured["answers_per_s"] / anchor["answers_per_s"],
        "ratio_plain_http": plain["answers_per_s"] / anchor["answers_per_s"],
    }


def _cycle(items: list[str]) -> Any:
    while True:
        yield from items


def markdown(r: dict[str, Any]) -> str:
    c, h, a = r["chat"], r["plain_http"], r["anchor_in_process"]

    def row(name: str, f: Any) -> str:
        return f"| {name} | {f(c)} | {f(h)} |"

    return "\n".join(
        [
            "# The chat under load",
            "",
            f"{r['users']} concurrent users, {r['questions']} questions (dev set, cycled, as of "
            f"{AS_OF}), `newsqa chat` on loopback, {r['cpus']} CPUs shared by the server and "
            "the users. Anchor, same run: `Assistant.ask` from two threads in-process, warm: "
            f"**{a['answers_per_s']:.1f} answers/s**.",
            "",
            "| measure | gradio_client, a Client per user "
            "| plain HTTP API, one pooled httpx client |",
            "|---|---:|---:|",
            row("answers/s", lambda x: f"**{x['answers_per_s']:.1f}**"),
            f"| ratio to in-process | {r['ratio']:.2f} | {r['ratio_plain_http']:.2f} |",
            row(
                "latency p50 / p95 / mean, s",
                lambda x: f"{x['p50_s']:.2f} / {x['p95_s']:.2f} / {x['mean_s']:.2f}",
            ),
            row(
                "answered / errors / for the wrong user",
                lambda x: f"{x['answered']} / {x['errors']} / {x['wrong_user']}",
            ),
            row("wall, s", lambda x: f"{x['wall_s']:.1f}"),
            row(
                "CPU s during the load: server / users",
                lambda x: f"{x['cpu_server_s']:.1f} / {x['cpu_clients_s']:.1f}",
            ),
            f"| server peak RSS, MB | {c['server_peak_rss_mb']:.0f} (whole run) | |",
            "",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--deadline", type=float, default=300.0, help="seconds per load pass")
    parser.add_argument("--out", type=Path, help="write the markdown (and .json) here")
    args = parser.parse_args(argv)
    result = run(args.users, args.questions, args.deadline)
    text = markdown(result)
    print(text)
    if args.out:
        write_report(args.out, text, result)
    failed = result["chat"]["errors"] or result["plain_http"]["errors"]
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
