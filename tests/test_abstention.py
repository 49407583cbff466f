"""Abstention policies (rules, learned, never), their training and the accuracy-coverage curve."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import pytest

from eval.abstention import (
    THRESHOLD,
    TRAIN,
    Row,
    choose_threshold,
    confidences,
    coverage_curve,
    curve,
    fit,
    outcome,
    project_row,
    project_split,
    realtimeqa_row,
    realtimeqa_split,
    repeated_ids,
)
from rag.answer import make_answerer
from rag.answer.abstention import (
    BUNDLED_MODEL,
    FEATURES,
    LogisticAbstention,
    NeverAbstain,
    RulesAbstention,
    Signals,
    make_abstention,
)
from rag.answer.base import ABSTAIN_TEXT
from rag.answer.extractive import ExtractiveAnswerer
from rag.cli import main as cli_main
from rag.errors import ConfigError
from rag.settings import Settings
from rag.types import Passage

BASE = Signals(
    best=0.6,
    margin=0.1,
    meaning=0.5,
    coverage=0.5,
    typed=1.0,
    typed_best=0.6,
    short=1.0,
    short_fit=1.0,
    stories=2.0,
    short_score=1.2,
    short_lead=0.3,
    phrase=1.0,
    needs_typed=0.0,
)


def test_rules_need_a_good_sentence_a_typed_one_and_a_phrase() -> None:
    rules = RulesAbstention(0.5)
    assert rules.confidence(BASE) == 0.6 and not rules.declines(BASE)
    assert rules.declines(replace(BASE, best=0.45))
    # "How many ...?": the best numbered sentence must be within 0.8 of the best sentence.
    assert rules.declines(replace(BASE, needs_typed=1.0, typed_best=0.47))
    assert not rules.declines(replace(BASE, needs_typed=1.0, typed_best=0.5))
    # "Who ...?" without a name among the candidates.
    assert rules.declines(replace(BASE, short=0.0))
    assert not rules.declines(replace(BASE, short=0.0, phrase=0.0))


def test_never_answers() -> None:
    assert not NeverAbstain().declines(replace(BASE, best=-5.0))


def test_logistic_confidence_is_the_sigmoid_of_standardised_signals() -> None:
    model = LogisticAbstention(
        weights=[2.0, -1.0],
        means=[0.5, 0.0],
        scales=[0.1, 1.0],
        bias=0.25,
        threshold=0.5,
        features=("best", "short_lead"),
    )
    z = 0.25 + 2.0 * (0.6 - 0.5) / 0.1 - 1.0 * 0.3
    assert model.confidence(BASE) == pytest.approx(1 / (1 + math.exp(-z)))
    assert not model.declines(BASE)
    assert model.declines(replace(BASE, best=0.3))


def test_model_round_trips_and_bad_files_are_config_errors(tmp_path: Path) -> None:
    model = LogisticAbstention([1.0], [0.0], [1.0], 0.0, 0.7, ("best",))
    path = tmp_path / "m.json"
    path.write_text(json.dumps(model.to_dict()), encoding="utf-8")
    loaded = LogisticAbstention.load(path)
    assert loaded.to_dict() == model.to_dict()
    assert make_abstention("learned", model=str(path)).threshold == 0.7
    bad = tmp_path / "bad.json"
    bad.write_text('{"weights": [1]}', encoding="utf-8")
    with pytest.raises(ConfigError, match="is not valid"):
        LogisticAbstention.load(bad)
    with pytest.raises(ConfigError, match="not found"):
        LogisticAbstention.load(tmp_path / "missing.json")
    with pytest.raises(ConfigError, match="finite"):
        LogisticAbstention([math.nan], [0.0], [1.0], 0.0, 0.5, ("best",))
    with pytest.raises(ConfigError, match="differ"):
        LogisticAbstention([], [], [], 0.0, 0.5, ())
    with pytest.raises(ConfigError, match="cannot read"):
        LogisticAbstention.load(tmp_path)  # a folder
    with pytest.raises(ConfigError, match="unknown signal"):
        LogisticAbstention([1.0], [0.0], [1.0], 0.0, 0.5, ("luck",))
    with pytest.raises(ConfigError, match="unknown abstention policy"):
        make_abstention("sometimes")
    with pytest.raises(ConfigError, match="unknown abstention policy"):
        Settings.load(environ={"NEWSQA_ABSTENTION": "sometimes"})


def test_bundled_model_reads_the_documented_signals_and_is_the_default(embedder: Any) -> None:
    model = LogisticAbstention.load(BUNDLED_MODEL)
    assert model.features == FEATURES
    assert 0.0 < model.threshold < 1.0
    settings = Settings.load(environ={})
    assert settings.abstention == "learned"
    answerer = make_answerer(settings, embedder)
    assert isinstance(answerer, ExtractiveAnswerer)
    assert isinstance(answerer.abstention, LogisticAbstention)
    assert answerer.abstention.to_dict() == model.to_dict()
    rules = make_answerer(settings.replace(abstention="rules"), embedder)
    assert isinstance(rules, ExtractiveAnswerer)
    assert isinstance(rules.abstention, RulesAbstention)


def test_rules_decline_a_failed_rule_whatever_the_threshold() -> None:
    assert RulesAbstention(0.0).declines(replace(BASE, short=0.0))
    assert not RulesAbstention(0.0).declines(BASE)


def _rows() -> list[Row]:
    def row(i: int, best: float, right: bool, in_articles: bool, split: str) -> Row:
        signals = {**asdict(BASE), "best": best}
        return Row(f"r{i}", "project", split, signals, right, in_articles)

    return [
        row(0, 0.9, True, True, TRAIN),
        row(1, 0.8, True, True, TRAIN),
        row(2, 0.3, False, False, TRAIN),
        row(3, 0.2, False, False, TRAIN),
        row(4, 0.7, False, True, TRAIN),
        row(5, 0.85, True, True, THRESHOLD),
        row(6, 0.25, False, False, THRESHOLD),
        Row("r7", "project", THRESHOLD, None, False, False),
    ]


def test_fit_threshold_outcome_and_curve() -> None:
    rows = _rows()
    model = fit([r for r in rows if r.split == TRAIN], c=10.0, features=("best",))
    assert model.weights[0] > 0  # a better sentence, more often right
    held = confidences(model, [r for r in rows if r.split == THRESHOLD])
    assert held[2][0] == -math.inf  # no draft: never answered
    model.threshold = choose_threshold(held)
    result = outcome(held, model.threshold)
    # r5 answered and right; r6 and r7 declined, and their answers are not in the articles.
    assert result == {
        "threshold": model.threshold,
        "questions": 3,
        "coverage": pytest.approx(1 / 3),
        "accuracy": pytest.approx(1 / 3),
        "precision": 1.0,
        "decision_accuracy": 1.0,
        "abstention_recall": 1.0,
    }
    points = curve(held, points=3)
    assert points == [
        {"coverage": 0.0, "precision": 1.0, "accuracy": 0.0},
        {"coverage": pytest.approx(1 / 3), "precision": 1.0, "accuracy": pytest.approx(1 / 3)},
        {"coverage": pytest.approx(2 / 3), "precision": 0.5, "accuracy": pytest.approx(1 / 3)},
    ]


def test_rows_from_records_judge_the_withheld_draft() -> None:
    rtqa = {
        "id": "x",
        "week": "20250117",
        "set": "qa",
        "choices": ["Paris", "Rome", "Oslo", "Bern"],
        "answer_index": [1],
        "answer": ABSTAIN_TEXT,
        "abstained": True,
        "withheld": "Rome",
        "confidence": 0.2,
        "signals": asdict(BASE),
        "ceiling": True,
    }
    row = realtimeqa_row(rtqa)
    assert (row.split, row.right, row.in_articles) == (THRESHOLD, True, True)
    assert realtimeqa_row({**rtqa, "withheld": "Rome or Paris"}).right is False
    assert realtimeqa_row({**rtqa, "withheld": None}).signals is None
    assert realtimeqa_split("20241220") == TRAIN
    project = {
        "id": "q1",
        "answers": ["Beijing"],
        "answerable": True,
        "answer": "Beijing [1].",
        "abstained": False,
        "confidence": 0.9,
        "signals": asdict(BASE),
    }
    assert project_row(project).right is True
    assert project_row({**project, "answerable": False}).right is False
    assert project_split("q1") in (TRAIN, THRESHOLD)
    nota = {**rtqa, "set": "nota"}
    points = coverage_curve([rtqa, nota, project])
    # Two qa questions (the NOTA copy is left out), both drafts right; q1 most confident.
    assert points[-1] == {"coverage": 1.0, "precision": 1.0, "accuracy": 1.0}


def test_train_abstention_command_writes_model_and_both_splits(tmp_path: Path) -> None:
    rows = [asdict(r) for r in _rows()]
    rows_path = tmp_path / "rows.json"
    rows_path.write_text(json.dumps(rows), encoding="utf-8")
    out, model_path = tmp_path / "report", tmp_path / "model.json"
    argv = ["train-abstention", "--rows", str(rows_path), "--out", str(out)]
    assert cli_main([*argv, "--model", str(model_path)]) == 0
    model = LogisticAbstention.load(model_path)
    assert model.features == FEATURES
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    splits = {"train/project", "train/all", "threshold/project", "threshold/all"}
    assert set(report["figures"]["splits"]) == splits
    assert set(report["figures"]["splits"]["train/project"]) == {
        "learned",
        "rules",
        "never",
        "curve",
    }
    assert (out / "coverage.png").stat().st_size > 1000
    assert "threshold/project" in (out / "report.md").read_text(encoding="utf-8")


def _passage(text: str) -> Passage:
    return Passage(
        text=text, doc_id="a", chunk_id="a:0", score=1.0, title="T", outlet="O", published=None
    )


@pytest.mark.slow
def test_declined_answer_keeps_the_draft_and_its_confidence(embedder: Any) -> None:
    passages = [_passage("The summit was held in Vladivostok, the port city, on Wednesday.")]
    question = "In which city was the summit held?"
    shy = LogisticAbstention([1.0], [0.0], [1.0], 0.0, 0.99, ("best",))
    declined = ExtractiveAnswerer(embedder, abstention=shy).answer(question, passages)
    assert declined.abstained and declined.text == ABSTAIN_TEXT
    assert declined.withheld_short == "Vladivostok"
    assert declined.withheld is not None and declined.withheld.startswith("Vladivostok [1].")
    assert declined.confidence is not None and declined.confidence < 0.99
    assert declined.signals is not None and declined.signals["short"] == 1.0
    given = ExtractiveAnswerer(embedder, abstention=NeverAbstain()).answer(question, passages)
    assert not given.abstained and given.short == "Vladivostok"
    assert given.confidence == pytest.approx(declined.signals["best"], abs=1e-6)
    assert given.to_dict()["confidence"] == round(given.confidence, 4)


def test_threshold_ties_go_to_the_training_split_then_to_answering_more() -> None:
    def row(i: int, right: bool, in_articles: bool) -> Row:
        return Row(f"t{i}", "project", THRESHOLD, asdict(BASE), right, in_articles)

    # Held-out: declining the 0.3 draft or answering it scores the same (it is wrong, and
    # its answer is in the articles), so the thresholds 0.2 and 0.6 tie at 2 of 3.
    held = [(0.9, row(0, True, True)), (0.3, row(1, False, True)), (0.1, row(2, False, False))]
    assert choose_threshold(held) == pytest.approx(0.2)  # the lower: answer more
    # The training split prefers declining a 0.35 draft: the tie goes to 0.6.
    train = [(0.35, row(3, False, False)), (0.9, row(4, True, True))]
    assert choose_threshold(held, train) == pytest.approx(0.6)


def test_only_a_policy_that_estimates_p_right_sets_a_floor_for_the_ranker() -> None:
    learned = LogisticAbstention.load(BUNDLED_MODEL)
    shipped = json.loads(BUNDLED_MODEL.read_text(encoding="utf-8"))
    assert learned.p_floor == shipped["p_floor"] != learned.threshold
    assert 0.1 < learned.p_floor < learned.threshold < 0.3  # P(right) thresholds
    assert RulesAbstention(0.5).p_floor == 0.0  # a sentence score, not a P(right)
    assert NeverAbstain().p_floor == 0.0


def test_a_named_p_floor_is_kept_and_a_model_without_one_uses_its_threshold(
    tmp_path: Path,
) -> None:
    plain = LogisticAbstention([1.0], [0.0], [1.0], 0.0, 0.3, ("best",))
    assert plain.p_floor == 0.3 and "p_floor" not in plain.to_dict()
    floored = LogisticAbstention([1.0], [0.0], [1.0], 0.0, 0.3, ("best",), p_floor=0.15)
    path = tmp_path / "model.json"
    path.write_text(json.dumps(floored.to_dict()), encoding="utf-8")
    loaded = LogisticAbstention.load(path)
    assert (loaded.threshold, loaded.p_floor) == (0.3, 0.15)
    with pytest.raises(ConfigError, match="finite"):
        LogisticAbstention([1.0], [0.0], [1.0], 0.0, 0.3, ("best",), p_floor=math.nan)


def _bench_rows(bench: str, copies: int) -> list[Row]:
    """Right drafts score high, wrong ones low; one wrong draft scores high."""
    out = []
    for i, (best, right) in enumerate([(0.9, True), (0.8, True), (0.3, False), (0.85, False)]):
        signals = {**asdict(BASE), "best": best}
        out += [Row(f"{bench}{i}.{j}", bench, TRAIN, signals, right, right) for j in range(copies)]
    return out


def test_each_benchmark_weighs_the_same_in_the_fit() -> None:
    """Four copies of one benchmark's rows do not tilt the fit towards it: each benchmark
    carries half of the total weight, which is the number of rows (20 against 8, so the
    same fit as the single copies at 2.5 times C)."""
    once = fit(_bench_rows("realtimeqa", 1) + _bench_rows("project", 1), 0.75, ("best",))
    many = fit(_bench_rows("realtimeqa", 4) + _bench_rows("project", 1), 0.3, ("best",))
    assert many.means == pytest.approx(once.means) and many.scales == pytest.approx(once.scales)
    assert many.weights[0] == pytest.approx(once.weights[0], rel=1e-4)
    assert many.bias == pytest.approx(once.bias, rel=1e-4)


def test_the_threshold_maximises_the_mean_of_each_benchmarks_decision_accuracy() -> None:
    def row(bench: str, i: int, right: bool, in_articles: bool) -> Row:
        return Row(f"{bench}{i}", bench, THRESHOLD, asdict(BASE), right, in_articles)

    # Four large-benchmark drafts at 0.5 are wrong and their answers are absent; three
    # small-benchmark drafts at 0.5 are right. Pooled, declining at 0.7 wins (5 of 8 against
    # 4 of 8); per benchmark, answering them all wins (mean 0.6 against 0.5).
    big = [(0.5, row("realtimeqa", i, False, False)) for i in range(4)]
    big += [(0.9, row("realtimeqa", 9, True, True))]
    small = [(0.5, row("project", i, True, True)) for i in range(3)]
    assert choose_threshold(big + small) == 0.0
    pooled = [(c, replace(r, benchmark="realtimeqa")) for c, r in small]
    assert choose_threshold(big + pooled) == pytest.approx(0.7)


def test_a_question_id_twice_in_the_rows_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _rows()
    assert repeated_ids(rows) == []
    assert repeated_ids([*rows, rows[0], rows[0]]) == ["r0"]
    rows_path = tmp_path / "rows.json"
    rows_path.write_text(json.dumps([asdict(r) for r in [*rows, rows[1]]]), encoding="utf-8")
    argv = ["train-abstention", "--rows", str(rows_path), "--out", str(tmp_path / "out")]
    assert cli_main(argv) == 1
    err = capsys.readouterr().err
    assert err.strip().endswith("question ids repeat across the rows: r1")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
