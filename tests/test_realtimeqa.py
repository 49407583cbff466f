"""The RealTime QA benchmark: loader, scoring rule, EM/F1, NOTA, and one run through the CLI.

No article text is stored in the repository: the end-to-end test cuts a tiny week out of
the shared data at run time and is skipped when that folder is missing.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from eval.dataset import contains_alias
from eval.metrics import token_f1
from eval.realtimeqa import embedding_cache
from eval.realtimeqa_data import (
    article_id,
    find_weeks,
    load_questions,
    outlet_of,
    parse_weeks,
    pool_results,
    write_articles,
)
from eval.realtimeqa_metrics import (
    aggregate,
    choice_correct,
    exact_match,
    score,
    short_answer,
    summarise,
)
from eval.realtimeqa_week import accepts_as_of, ask
from rag.cli import main
from rag.errors import ConfigError, InputError
from rag.ingest.loaders import read_jsonl
from rag.settings import Settings

WEEK = "20240119"
PNG = b"\x89PNG\r\n\x1a\n"


def shared_dir() -> Path:
    """The shared RealTime QA folder (``NEWSQA_REALTIMEQA_DIR`` overrides ../shared)."""
    env = os.environ.get("NEWSQA_REALTIMEQA_DIR")
    default = Path(__file__).resolve().parents[2] / "shared" / "eval" / "realtimeqa"
    return Path(env) if env else default


def result(url: str, text: str = "Some article text.", **extra: Any) -> dict[str, Any]:
    return {"url": url, "title": "T", "text": text, "publish_date": "2024/01/18",
            "authors": [], **extra}  # fmt: skip


# --- loader ---------------------------------------------------------------------------------


def test_pool_dedupes_by_url_and_skips_empty_texts() -> None:
    pool = pool_results(
        [
            result("https://www.cnn.com/a", "first"),
            result("https://www.cnn.com/a", "second copy"),
            result("https://example.org/b", "   "),
            {"url": "https://example.org/c", "title": "no text at all"},
            result("https://example.org/b", "later text for an empty URL"),
            result("https://news.bbc.co.uk/d", "kept"),
        ]
    )
    assert [a.url for a in pool.articles] == ["https://www.cnn.com/a", "https://news.bbc.co.uk/d"]
    assert pool.articles[0].text == "first"  # the first result with a URL wins
    assert (pool.results, pool.duplicates, pool.empty) == (6, 2, 2)


def test_pool_metadata() -> None:
    pool = pool_results(
        [
            result("https://www.CNN.com/x?y=1", authors=["Ana B", "Ana B", " C D "], title=" Hi "),
            result("https://apnews.com/z", publish_date="2024/13/01", authors="Solo Writer"),
            result("https://www.theweek.com/q", publish_date=None, authors=None),
        ]
    )
    a, b, c = pool.articles
    assert (a.published, a.outlet, a.author, a.title) == (
        "2024-01-18",
        "cnn.com",
        "Ana B, C D",
        "Hi",
    )
    assert (b.published, b.outlet, b.author) == (None, "apnews.com", "Solo Writer")
    assert (c.published, c.outlet, c.author) == (None, "theweek.com", None)
    assert a.id == article_id("https://www.CNN.com/x?y=1") != b.id
    assert a.id.startswith("rtqa-") and len(a.id) == 21
    assert outlet_of("not a url") is None


def test_pooled_articles_are_read_by_the_jsonl_loader(tmp_path: Path) -> None:
    pool = pool_results([result("https://www.cnn.com/a", "Text of the article.", authors=["X Y"])])
    path = write_articles(pool.articles, tmp_path / "week.jsonl")
    loaded = read_jsonl(path)
    assert not loaded.problems
    (doc,) = loaded.documents
    assert doc.doc_id == pool.articles[0].id and doc.text == "Text of the article."
    assert doc.meta.published is not None and doc.meta.published.isoformat() == "2024-01-18"
    assert (doc.meta.outlet, doc.meta.author, doc.meta.url) == (
        "cnn.com",
        "X Y",
        "https://www.cnn.com/a",
    )


def write_week(
    folder: Path, week: str, qa: list[dict[str, Any]], gcs: list[dict[str, Any]]
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in ((f"{week}_qa.jsonl", qa), (f"{week}_gcs.jsonl", gcs)):
        (folder / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def question(i: int = 0, **extra: Any) -> dict[str, Any]:
    return {"question_id": f"{WEEK}_{i}", "question_date": "2024/01/19", "question_sentence":
            "Who won?", "choices": ["A B", "C D"], "answer": ["1"], **extra}  # fmt: skip


def test_questions_and_weeks(tmp_path: Path) -> None:
    write_week(tmp_path, WEEK, [question(0), question(1)], [])
    q0, _q1 = load_questions(tmp_path, WEEK, "qa")
    assert (q0.id, q0.date.isoformat(), q0.answer, q0.choices) == (
        f"{WEEK}_0",
        "2024-01-19",
        (1,),
        ("A B", "C D"),
    )
    assert load_questions(tmp_path, WEEK, "qa", limit=1) == [q0]
    assert find_weeks(tmp_path) == [WEEK]
    assert parse_weeks(" 20240119, ") == [WEEK] and parse_weeks("") is None
    with pytest.raises(ConfigError, match="YYYYMMDD"):
        parse_weeks("2024-01-19")
    with pytest.raises(ConfigError, match="20990101"):
        find_weeks(tmp_path, ["20990101"])
    with pytest.raises(ConfigError, match="not found"):
        find_weeks(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match="no RealTime QA weeks"):
        find_weeks(tmp_path / "empty")
    with pytest.raises(InputError, match="missing file"):
        load_questions(tmp_path, WEEK, "nota")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (question(answer=["7"]), "does not index"),
        (question(choices=[]), "choices"),
        (question(question_sentence=" "), "question_sentence"),
        (question(question_date="19 Jan"), "question_date"),
    ],
)
def test_bad_question_lines_name_file_and_line(
    tmp_path: Path, row: dict[str, Any], message: str
) -> None:
    write_week(tmp_path, WEEK, [question(0), row], [])
    with pytest.raises(InputError, match=rf"_qa\.jsonl:2: .*{message}"):
        load_questions(tmp_path, WEEK, "qa")


# --- scoring --------------------------------------------------------------------------------

CHOICES = ["Leon Trotsky", "Vladimir Lenin", "Joseph Stalin", "Ion"]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("Vladimir Lenin died on 21 January 1924 [1].", True),
        ("“Vladimir Lenin” [1]", True),
        ("VLADIMIR-LENIN", True),  # punctuation is a word break
        ("Vladimir Lenin, not Joseph Stalin [1]", False),  # another choice occurs
        ("Lenin [1]", False),  # the whole choice must occur
        ("Vladimir Leninism", False),  # whole words only
        ("Vladimir Lenin and the Union", True),  # "Ion" is not a word of "Union"
        ("Vladimir Lenin ion", False),
        ("ｖｌａｄｉｍｉｒ　Ｌｅｎｉｎ", True),  # NFKC: full-width letters and space
    ],
)
def test_choice_rule(answer: str, expected: bool) -> None:
    assert choice_correct(answer, CHOICES, [1]) is expected


def record(answer: str, right: int = 1, abstained: bool = False, **extra: Any) -> dict[str, Any]:
    short = short_answer(SimpleNamespace(text=answer))
    return {"choices": CHOICES, "answer_index": [right], "answer": answer, "short_answer": short,
            "abstained": abstained, **extra}  # fmt: skip


def test_abstention_is_never_correct() -> None:
    s = score(record("The articles do not say. Closest: Vladimir Lenin [1]", abstained=True))
    assert (s["correct"], s["em"], s["f1"]) == (False, False, 0.0)


def test_short_answer_em_and_f1() -> None:
    assert short_answer(SimpleNamespace(text="“Vladimir Lenin.” [1] [2, 3]")) == "Vladimir Lenin."
    assert short_answer(SimpleNamespace(text="Lenin's tomb [1]")) == "Lenin's tomb"
    assert short_answer(SimpleNamespace(text="long [1]", short="Lenin")) == "Lenin"
    assert short_answer(SimpleNamespace(text="long [1]", short=None)) == "long"
    assert exact_match("Vladimir Lenin.", "vladimir lenin")
    assert not exact_match("Lenin", "Vladimir Lenin") and not exact_match("", "")
    assert token_f1("Lenin died", "Vladimir Lenin") == pytest.approx(0.5)
    s = score(record("“Vladimir Lenin.” [1]"))
    assert (s["correct"], s["em"], s["f1"], s["answer_words"]) == (True, True, 1.0, 2)
    s = score(record("Vladimir Lenin died in Gorki [1]"))
    assert (s["correct"], s["em"]) == (True, False)
    assert s["f1"] == pytest.approx(2 * (2 / 5) * 1 / (2 / 5 + 1))


NOTA_CHOICES = ["Leon Trotsky", "Joseph Stalin", "None of the above"]


def nota_record(answer: str, abstained: bool = False) -> dict[str, Any]:
    return {"choices": NOTA_CHOICES, "answer_index": [2], "answer": answer,
            "short_answer": answer, "abstained": abstained}  # fmt: skip


def test_nota_wrong_choice_and_declining() -> None:
    named = score(nota_record("Joseph Stalin [1]"))
    assert (named["correct"], named["wrong_choice"], named["declined"]) == (False, True, False)
    assert named["em"] is None and named["f1"] is None
    declined = score(nota_record("The articles do not say. Joseph Stalin [1]", abstained=True))
    assert (declined["correct"], declined["wrong_choice"], declined["declined"]) == (
        True,
        False,
        True,
    )
    other = score(nota_record("Vladimir Lenin [1]"))
    assert (other["correct"], other["wrong_choice"], other["declined"]) == (False, False, False)
    # A NOTA-set question whose right choice is listed follows the normal rule.
    listed = {**nota_record("Joseph Stalin [1]"), "answer_index": [1]}
    assert score(listed)["correct"] is True and score(listed)["declined"] is None

    m = aggregate(
        [nota_record("Joseph Stalin [1]"), nota_record("no", abstained=True),
         nota_record("Vladimir Lenin [1]"), nota_record("Leon Trotsky [1]")]
    )  # fmt: skip
    assert m["nota"] == {"n": 4, "declined": 0.25, "wrong_choice": 0.5, "other": 0.25}
    assert (m["n_nota"], m["correct"], m["ceiling"], m["em"]) == (4, 0.25, None, None)


def test_aggregate_by_hand() -> None:
    records = [
        record("Vladimir Lenin [1]", ceiling=True, passage_rank=1, article_hit_at_5=True,
               latency_ms=10.0),
        record("It was Stalin", ceiling=True, passage_rank=7, article_hit_at_5=True,
               latency_ms=20.0),
        record("No answer", abstained=True, ceiling=True, passage_rank=None,
               article_hit_at_5=False, latency_ms=30.0),
        record("x", abstained=True, ceiling=False, passage_rank=None, article_hit_at_5=False,
               latency_ms=40.0),
    ]  # fmt: skip
    m = aggregate(records)
    assert (m["n"], m["correct"], m["ceiling"], m["abstention"]) == (4, 0.25, 0.75, 0.5)
    assert m["abstention_when_ceiling"] == pytest.approx(1 / 3)
    assert m["passage_hit_at_k"] == {1: 0.25, 5: 0.25, 10: 0.5, 20: 0.5}
    assert m["article_hit_at_5"] == 0.5
    assert m["median_answer_words"] == 2.5  # answered: "Vladimir Lenin" (2), "It was Stalin" (3)
    assert m["em"] == 0.25 and m["latency_ms"]["p50"] == 25.0
    assert m["nota"] == {"n": 0, "declined": None, "wrong_choice": None, "other": None}
    empty = aggregate([])
    assert empty["n"] == 0 and empty["correct"] is None and empty["median_answer_words"] is None

    weeks = [{"week": "w1", "articles": 3, "chunks": 9, "ingest_s": 1.5},
             {"week": "w2", "articles": 2, "chunks": 4, "ingest_s": 0.5}]  # fmt: skip
    tagged = [{**r, "set": "qa", "week": "w1" if i < 2 else "w2"} for i, r in enumerate(records)]
    summary = summarise(tagged, weeks)
    assert list(summary) == ["qa"] and list(summary["qa"]["by_week"]) == ["w1", "w2"]
    assert summary["qa"]["by_week"]["w1"]["correct"] == 0.5
    assert summary["qa"]["by_week"]["w2"]["chunks"] == 4
    assert (summary["qa"]["overall"]["articles"], summary["qa"]["overall"]["ingest_s"]) == (5, 2.0)


def test_as_of_is_passed_only_when_ask_takes_it() -> None:
    calls: list[dict[str, Any]] = []

    class Old:
        def ask(self, question: str, *, k: int | None = None) -> str:
            calls.append({"k": k})
            return question

    class New:
        def ask(self, question: str, *, as_of: Any = None, k: int | None = None) -> str:
            calls.append({"as_of": as_of, "k": k})
            return question

    day = dt.date(2024, 1, 19)
    assert not accepts_as_of(Old()) and accepts_as_of(New())
    ask(Old(), "q", day, k=3)
    ask(New(), "q", day, k=3)
    assert calls == [{"k": 3}, {"as_of": day, "k": 3}]


def test_benchmark_embedding_cache_default(tmp_path: Path) -> None:
    default = embedding_cache(Settings.load(environ={}))
    assert default.endswith(os.path.join(".cache", "newsqa", "realtimeqa-embeddings.sqlite"))
    own = str(tmp_path / "mine.sqlite")
    assert embedding_cache(Settings.load(environ={"NEWSQA_EMBEDDING_CACHE": own})) == own


# --- the command line -------------------------------------------------------------------------


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No NEWSQA_* settings from the shell; the embedding cache in this test's folder."""
    for name in list(os.environ):
        if name.startswith("NEWSQA_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("NEWSQA_EMBEDDING_CACHE", str(tmp_path / "embeddings.sqlite"))
    return monkeypatch


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    out = io.StringIO()
    code = main(argv, out=out)
    captured = capsys.readouterr()
    return code, out.getvalue() + captured.out, captured.err


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["--source", "{tmp}/nowhere"], "RealTime QA folder not found"),
        (["--source", "{tmp}"], "no RealTime QA weeks"),
        (["--source", "{tmp}/week", "--weeks", "20991231"], "week(s) 20991231 not in"),
        (["--source", "{tmp}/week", "--weeks", "jan"], "--weeks takes YYYYMMDD"),
        (["--source", "{tmp}/week", "--set", "nota"], "missing file"),
        (["--source", "{tmp}/week", "--limit", "0"], "--limit must be at least 1"),
        (["--source", "{tmp}/week", "--split", "validate"], "no validate weeks in"),
        ([], "needs --source"),
    ],
)
def test_cli_errors_are_one_line(
    extra: list[str], expected: str, tmp_path: Path, cli_env: Any, capsys: Any
) -> None:
    write_week(tmp_path / "week", WEEK, [question(0)], [])
    argv = ["--home", str(tmp_path / "home"), "eval", "--benchmark", "realtimeqa",
            "--out", str(tmp_path / "out"), "--no-progress"]  # fmt: skip
    code, _out, err = run_cli(argv + [a.replace("{tmp}", str(tmp_path)) for a in extra], capsys)
    assert code == 1, err
    assert err.count("\n") == 1 and err.startswith("newsqa: error: ") and expected in err
    assert "Traceback" not in err


def test_benchmark_options_are_refused_with_a_dataset(
    tmp_path: Path, cli_env: Any, capsys: Any
) -> None:
    argv = ["--home", str(tmp_path), "eval", "--dataset", "x.jsonl", "--weeks", WEEK,
            "--set", "qa", "--split", "train", "--out", str(tmp_path / "out")]  # fmt: skip
    code, _out, err = run_cli(argv, capsys)
    assert code == 1 and err == (
        "newsqa: error: --weeks, --set, --split only apply to --benchmark, not to --dataset\n"
    )


def test_dataset_and_benchmark_exclude_each_other(capsys: Any) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["eval", "--dataset", "x.jsonl", "--benchmark", "realtimeqa", "--out", "o"])
    assert exit_info.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


# --- end to end -------------------------------------------------------------------------------


def read_rows(path: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def tiny_week(source: Path, target: Path, keep_chars: int = 3000) -> list[str]:
    """Copy 3 questions of ``WEEK`` (and their NOTA twins), with only their search results,
    texts cut to ``keep_chars``; two whose right choice is in the cut texts, one not."""
    qa = read_rows(source / f"{WEEK}_qa.jsonl")
    nota = {r["question_id"]: r for r in read_rows(source / f"{WEEK}_qa_nota.jsonl")}
    gcs = {r["question_id"]: r for r in read_rows(source / f"{WEEK}_gcs.jsonl")}
    for rows in gcs.values():
        for res in rows["search_result"]:
            if isinstance(res.get("text"), str):
                res["text"] = res["text"][:keep_chars]
    inside, outside = [], []
    for q in qa:
        right = q["choices"][int(q["answer"][0])]
        texts = [r.get("text") or "" for r in gcs[q["question_id"]]["search_result"]]
        (inside if any(contains_alias(t, right) for t in texts) else outside).append(q)
    chosen = inside[:2] + outside[:1]
    ids = [q["question_id"] for q in chosen]
    target.mkdir(parents=True)
    files = {
        f"{WEEK}_qa.jsonl": chosen,
        f"{WEEK}_qa_nota.jsonl": [nota[f"{i}_nota"] for i in ids if f"{i}_nota" in nota],
        f"{WEEK}_gcs.jsonl": [gcs[i] for i in ids],
    }
    for name, rows in files.items():
        (target / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return ids


@pytest.mark.slow
def test_benchmark_end_to_end(tmp_path: Path, cli_env: Any, embedder: Any, capsys: Any) -> None:
    source = shared_dir()
    if not (source / f"{WEEK}_gcs.jsonl").is_file():
        pytest.skip(f"RealTime QA data not found at {source} (set NEWSQA_REALTIMEQA_DIR)")
    cli_env.setattr("rag.assistant.Embedder", lambda *args, **kwargs: embedder)
    ids = tiny_week(source, tmp_path / "rtqa")
    out_dir = tmp_path / "report"
    code, out, err = run_cli(
        ["--home", str(tmp_path / "home"), "eval", "--benchmark", "realtimeqa",
         "--source", str(tmp_path / "rtqa"), "--out", str(out_dir), "--no-progress",
         "--compare", "k=3,6", "--split", "train"],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    assert "[qa]" in out and "[nota]" in out and "report:" in out and "k=6" in out
    for name in ("report.json", "report.md", "report.html"):
        assert (out_dir / name).stat().st_size > 0
    assert (out_dir / "weekly.png").read_bytes().startswith(PNG)
    report = json.loads((out_dir / "report.json").read_text(encoding="utf-8"))
    records, metrics, weeks = report["records"], report["metrics"], report["weeks"]
    assert report["config"]["k"] == 3  # the main report is the first configuration's
    assert report["config"]["split"] == "train"  # the 2024 week is a train week
    assert [c["name"] for c in report["compare"]] == ["k=3", "k=6"]
    assert report["compare"][0]["metrics"] == metrics
    assert (out_dir / "compare.png").read_bytes().startswith(PNG)

    assert [r["id"] for r in records if r["set"] == "qa"] == ids
    assert len([r for r in records if r["set"] == "nota"]) == len(ids)
    # The metrics are exactly those of the records.
    assert metrics == json.loads(json.dumps(summarise(records, weeks)))
    qa = [r for r in records if r["set"] == "qa"]
    overall = metrics["qa"]["overall"]
    assert overall["n"] == len(qa) == metrics["qa"]["by_week"][WEEK]["n"]
    assert overall["correct"] == sum(r["correct"] for r in qa) / len(qa)
    assert overall["ceiling"] == sum(r["ceiling"] for r in qa) / len(qa)
    assert overall["passage_hit_at_k"]["20"] == sum(r["passage_hits"]["20"] for r in qa) / len(qa)
    assert overall["articles"] == weeks[0]["articles"] > 0 and overall["chunks"] > 0
    # The ceiling agrees with the tiny week's texts (the first two questions have it).
    pool = read_rows(tmp_path / "rtqa" / f"{WEEK}_gcs.jsonl")
    texts = [res.get("text") or "" for row in pool for res in row["search_result"]]
    expected = [any(contains_alias(t, r["right"][0]) for t in texts) for r in qa]
    assert [r["ceiling"] for r in qa] == expected and expected[:2] == [True, True]
    known = {article_id(res["url"]) for row in pool for res in row["search_result"]}
    for r in records:
        assert r["correct"] == score(r)["correct"]
        if r["passage_hits"] is not None:
            rank = r["passage_rank"]
            assert r["passage_hits"] == {
                k: rank is not None and rank <= int(k) for k in r["passage_hits"]
            }
        assert {c["doc_id"] for c in r["citations"]} <= known
        assert 0 < len(r["retrieved"]) <= 20 and r["latency_ms"] > 0
    html = (out_dir / "report.html").read_text(encoding="utf-8")
    assert (
        "Claude Opus 4.6" in html and "held-out weeks" in html and "data:image/png;base64," in html
    )
    assert "None of the above (nota set)" in (out_dir / "report.md").read_text(encoding="utf-8")
