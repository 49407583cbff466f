"""The learned answer ranker: its features on a small made week (exact values), the tree
model it is served with (numpy only), the export from scikit-learn, the training helpers,
and a bad or missing model file."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from eval.reader_fit import (
    bag_samples,
    choose_threshold,
    export_trees,
    fit_bagged,
    fit_trees,
)
from eval.reader_rows import label
from eval.reader_train import main as train_main
from eval.reader_train import spread, spread_order
from eval.realtimeqa_data import Question, split_of
from rag.answer.answer_features import (
    BUNDLED_READER,
    FEATURES,
    MONOTONE,
    VERSION,
    candidate_groups,
    feature_matrix,
)
from rag.answer.answer_rank import learned_short
from rag.answer.question import analyse
from rag.errors import ConfigError, ModelError
from rag.retrieve import make_retriever
from rag.retrieve.learned import BUNDLED_PASSAGE_MODEL, LearnedRetriever, PassagePool
from rag.retrieve.passage_features import PASSAGE_FEATURES, PASSAGE_VERSION, passage_rows
from rag.trees import from_trees, load_model, on_grid
from rag.types import Passage

ASKED = dt.date(2024, 3, 8)


def sentence(text: str, score: float, rank: int, doc: str, published: dt.date, outlet: str) -> Any:
    passage = Passage(
        chunk_id=f"{doc}:0", doc_id=doc, text=text, score=score, published=published,
        outlet=outlet, title=None, metadata={},
    )  # fmt: skip
    return SimpleNamespace(
        text=text, score=score, rank=rank, passage=passage, mentions=[], meaning=0.5,
        coverage=0.25,
    )  # fmt: skip


def made_week() -> list[Any]:
    """Three ranked sentences of a made week: two stories name Boeing, one names Airbus."""
    return [
        sentence("Boeing recalled 200 jets on Tuesday, regulators said.", 0.8, 0,
                 "a", dt.date(2024, 3, 6), "AP"),
        sentence("The recall by Airbus was smaller.", 0.6, 1, "b", dt.date(2024, 3, 1), "BBC"),
        sentence("then shares of Boeing fell after the recall.", 0.5, 2, "c", dt.date(2024, 3, 7),
                 "CNN"),
    ]  # fmt: skip


def feature(group: Any, name: str) -> float:
    return float(group.features[FEATURES.index(name)])


def test_candidate_groups_on_a_made_week() -> None:
    question = "Which company recalled jets this week?"
    info = analyse(question, ASKED)
    assert info.atype.kind == "org"
    groups = candidate_groups(question, info, made_week())
    # every phrase is a candidate, the number too (its fit to "company" is 0: a feature)
    assert [g.text for g in groups] == ["Boeing", "200", "Airbus"]
    boeing, number, airbus = groups
    assert feature(number, "fit") == 0.0
    assert feature(boeing, "fit") == 0.8
    assert len(boeing.mentions) == 2
    assert feature(boeing, "sentence_score") == 0.8
    assert feature(boeing, "sentence_ratio") == 1.0
    assert feature(boeing, "sentence_pos") == 0.0
    assert feature(boeing, "passage_rank") == 0.0
    assert feature(boeing, "mentions") == pytest.approx(math.log1p(2))
    assert feature(boeing, "stories") == 2.0
    assert feature(boeing, "outlets") == 2.0
    assert feature(boeing, "votes") == pytest.approx(1.0 + 1.0 / 3.0)
    assert feature(boeing, "share") == pytest.approx(2 / 4)  # 2 of the 4 mentions
    assert feature(boeing, "age_behind") == 0.0  # 7 March: the freshest candidate's report
    assert feature(boeing, "opens_sentence") == 1.0
    assert feature(boeing, "kind_name") == 1.0
    assert feature(boeing, "asks_org") == 1.0
    assert feature(boeing, "question_what") == 1.0
    assert feature(boeing, "hand_rank") == 0.0
    assert feature(airbus, "hand_rank") == pytest.approx(math.log1p(2))
    assert feature(airbus, "stories") == 1.0
    assert feature(airbus, "age_behind") == pytest.approx(math.log1p(6))  # 1 March
    assert feature(number, "age_behind") == pytest.approx(math.log1p(1))  # 6 March
    assert feature(airbus, "hand_gap") > 0.0
    assert feature(boeing, "placed") == 0.0
    assert feature_matrix(groups).shape == (3, len(FEATURES))


def test_a_place_preposition_before_a_phrase_is_a_feature() -> None:
    """ "met in Samarkand" places the meeting; "China said" names the topic."""
    question = "Where did the leaders meet?"
    week = [
        sentence("China said the leaders met in Samarkand on Thursday.", 0.8, 0, "a",
                 dt.date(2022, 9, 16), "AP"),
        sentence("The talks in China followed; China and Russia agreed.", 0.6, 1, "b",
                 dt.date(2022, 9, 15), "BBC"),
    ]  # fmt: skip
    groups = {g.text: g for g in candidate_groups(question, analyse(question, ASKED), week)}
    assert feature(groups["Samarkand"], "placed") == 1.0
    assert feature(groups["China"], "placed") == pytest.approx(1 / 3)  # "in China" of 3


def _most_named_ranker() -> Any:
    """One stump: P 1/(1+e^-1) for a phrase named in more than one sentence (log(1 + 2) >
    0.9), 1/(1+e^2) for one named once: the ranker prefers the most named phrase."""
    mentions = FEATURES.index("mentions")
    stump = [(mentions, 0.9, 1, 2, 0.0), (-1, 0.0, 0, 0, -2.0), (-1, 0.0, 0, 0, 1.0)]
    return from_trees(FEATURES, [stump], 0.0)


def test_a_name_the_sentence_gives_the_asked_role_answers_first() -> None:
    """ "the spokesperson" describes Zakharova, not Putin, whom the ranker prefers (named
    in more sentences); the answer keeps the ranker's confidence in its first choice."""
    week = [
        sentence("Putin will visit Beijing, Maria Zakharova, the spokesperson for the "
                 "ministry, said on Wednesday.", 0.8, 0, "a", dt.date(2023, 9, 15), "AP"),
        sentence("Putin met Kim at the cosmodrome.", 0.6, 1, "b", dt.date(2023, 9, 14), "BBC"),
    ]  # fmt: skip
    ranker = _most_named_ranker()
    role = "Who's the spokeswoman for Russia's foreign ministry?"
    short = learned_short(ranker, role, analyse(role, ASKED), week, None)  # type: ignore[arg-type]
    assert short is not None
    assert short.text == "Maria Zakharova"
    assert short.score == pytest.approx(1 / (1 + math.exp(-1.0)), abs=1e-5)  # Putin's P
    # "Who ...?" with no role: the ranker's choice stands
    plain = "Who will visit Beijing?"
    short = learned_short(ranker, plain, analyse(plain, ASKED), week, None)  # type: ignore[arg-type]
    assert short is not None
    assert short.text == "Putin"


def test_a_name_that_calls_itself_what_is_asked_fits() -> None:
    """An event's name fits an event head, a name holding the head fits it; the embedding's
    likeness alone put "Hangzhou Asian Games" far from "event". No embedder here: the
    likeness is 0 for every phrase, so the fit is the names' own."""
    question = "Which sporting event was the delegation attending?"
    week = [
        sentence("The delegation flew to Beijing for the Hangzhou Asian Games on Friday.", 0.8,
                 0, "a", dt.date(2023, 9, 22), "AP"),
        sentence("Typhoon Saola closed schools, officials said.", 0.5, 1, "b",
                 dt.date(2023, 9, 1), "BBC"),
    ]  # fmt: skip
    info = analyse(question, ASKED)
    assert (info.atype.kind, info.atype.head) == ("thing", "event")
    groups = {g.text: g for g in candidate_groups(question, info, week)}
    assert feature(groups["Hangzhou Asian Games"], "fit") == 1.0
    assert feature(groups["Beijing"], "fit") == 0.0
    assert feature(groups["Typhoon Saola"], "fit") == 0.0
    storm = "Which typhoon closed schools?"
    groups = {g.text: g for g in candidate_groups(storm, analyse(storm, ASKED), week)}
    assert feature(groups["Typhoon Saola"], "fit") == 1.0
    assert feature(groups["Hangzhou Asian Games"], "fit") == 0.0


def test_candidate_features_do_not_move_with_the_calendar() -> None:
    """The same articles give the same rows whether asked the next day or a year later."""
    question = "Which company recalled jets?"
    rows = [
        feature_matrix(candidate_groups(question, analyse(question, day), made_week()))
        for day in (dt.date(2024, 3, 8), dt.date(2025, 3, 8))
    ]
    assert rows[0].tolist() == rows[1].tolist()


def test_candidate_groups_leave_out_what_the_question_names() -> None:
    question = "Which company did Boeing blame for the recall?"
    info = analyse(question, ASKED)
    assert "Boeing" not in [g.text for g in candidate_groups(question, info, made_week())]


def test_no_sentences_no_groups() -> None:
    question = "Which company recalled jets?"
    assert candidate_groups(question, analyse(question, ASKED), []) == []
    assert feature_matrix([]).shape == (0, len(FEATURES))


# --- the served model ----------------------------------------------------------------------


def two_trees() -> Any:
    """x0 <= 0.5 -> -1 else (x1 <= 2 -> 0.5 else 2); plus a stump x1 <= 1 -> 0.25 else -0.25."""
    tree_a = [(0, 0.5, 1, 2, 0.0), (-1, 0.0, 0, 0, -1.0), (1, 2.0, 3, 4, 0.0),
              (-1, 0.0, 0, 0, 0.5), (-1, 0.0, 0, 0, 2.0)]  # fmt: skip
    tree_b = [(1, 1.0, 1, 2, 0.0), (-1, 0.0, 0, 0, 0.25), (-1, 0.0, 0, 0, -0.25)]
    return from_trees(("x0", "x1"), [tree_a, tree_b], baseline=0.1, calibration=(2.0, -1.0),
                      threshold_p=0.6, meta={"seed": 0})  # fmt: skip


def test_tree_model_raw_and_probability_exact() -> None:
    model = two_trees()
    rows = np.array([[0.2, 0.0], [0.9, 1.5], [0.9, 3.0], [0.5, 1.0]])
    assert model.raw(rows).tolist() == [
        pytest.approx(0.1 - 1.0 + 0.25),
        pytest.approx(0.1 + 0.5 - 0.25),
        pytest.approx(0.1 + 2.0 - 0.25),
        pytest.approx(0.1 - 1.0 + 0.25),  # on the threshold: left, as scikit-learn does
    ]
    p = model.probability(rows[2:3])[0]
    assert p == pytest.approx(1 / (1 + math.exp(-(2.0 * 1.85 - 1.0))), abs=1e-5)
    assert model.depth == 2


def test_tree_model_round_trips_through_json(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(two_trees().to_dict()), encoding="utf-8")
    loaded = load_model(path)
    rows = np.array([[0.2, 0.0], [0.9, 1.5], [0.9, 3.0]])
    assert loaded.raw(rows).tolist() == two_trees().raw(rows).tolist()
    assert (loaded.threshold_p, loaded.calibration, loaded.meta) == (0.6, (2.0, -1.0), {"seed": 0})


def test_wrong_row_width_is_a_model_error() -> None:
    with pytest.raises(ModelError, match="takes 2 features"):
        two_trees().raw(np.zeros((1, 3)))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "answer model not found"),
        ("{not json", "is unreadable"),
        ('{"format": "other"}', "is not a NewsQA tree model"),
        ('{"format": "newsqa-trees-1", "features": ["a"]}', "is not a NewsQA tree model"),
    ],
)
def test_bad_or_missing_model_file_is_one_line(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "model.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ModelError, match=message) as err:
        load_model(path)
    assert "\n" not in str(err.value)
    assert "newsqa train-reader" in str(err.value)


@pytest.mark.parametrize(
    ("part", "value"),
    [
        ("baseline", "10" * 200),  # an integer too large for a float
        ("threshold", "NaN"),
        ("calibration", "[1.0, Infinity]"),
        ("node threshold", "10" * 200),
        ("node value", "-Infinity"),
    ],
)
def test_a_number_out_of_range_is_a_one_line_error(tmp_path: Path, part: str, value: str) -> None:
    """A hand-edited or damaged file: a number no float holds, or one that is not finite,
    is refused in one line (an integer too large for a float was a traceback)."""
    data = two_trees().to_dict()
    marker = "__VALUE__"
    if part.startswith("node "):
        data["nodes"][part.split()[1]][0] = marker
    else:
        data[part] = marker
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data).replace(f'"{marker}"', value), encoding="utf-8")
    with pytest.raises(ModelError, match="is not a NewsQA tree model") as err:
        load_model(path)
    assert "\n" not in str(err.value)


def test_a_node_pointing_outside_the_model_is_refused(tmp_path: Path) -> None:
    data = two_trees().to_dict()
    data["nodes"]["left"][0] = 99
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelError, match="points outside"):
        load_model(path)


def test_a_model_fitted_on_other_features_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(two_trees().to_dict()), encoding="utf-8")  # features x0, x1
    with pytest.raises(ModelError, match="fitted on other features") as err:
        load_model(path, "answer model", FEATURES, VERSION)
    assert "\n" not in str(err.value) and "newsqa train-reader" in str(err.value)
    with pytest.raises(ModelError, match=f"version None, this NewsQA computes {VERSION}"):
        load_model(path, "answer model", two_trees().features, VERSION)
    assert load_model(path, "answer model", ("x0", "x1")).features == ("x0", "x1")


def test_bundled_models_match_the_features_this_code_computes() -> None:
    passages = load_model(BUNDLED_PASSAGE_MODEL, "passage model", PASSAGE_FEATURES, PASSAGE_VERSION)
    assert passages.meta["report_split_used"] is False
    model = load_model(BUNDLED_READER, "answer model", FEATURES, VERSION)
    assert model.features == FEATURES
    assert model.meta["report_split_used"] is False
    assert model.meta["seed"] == 0
    assert model.meta["command"].startswith("newsqa train-reader")
    assert 0.0 <= model.threshold_p <= 1.0


def test_shipped_answer_model_never_prefers_the_worse_of_two_candidates() -> None:
    """Fitted under ``MONOTONE``: raising a "more is better" feature (or lowering a rank)
    never lowers P(right), whatever the other features are."""
    model = load_model(BUNDLED_READER, "answer model", FEATURES, VERSION)
    assert model.meta["monotone"] == MONOTONE
    rng = np.random.default_rng(0)
    rows = np.vstack([feature_matrix(candidate_groups(
        "Which company recalled jets this week?",
        analyse("Which company recalled jets this week?", ASKED), made_week(),
    )), rng.uniform(0.0, 2.0, size=(200, len(FEATURES)))])  # fmt: skip
    for name, sign in MONOTONE.items():
        better = rows.copy()
        better[:, FEATURES.index(name)] += sign * 0.5
        assert np.all(model.probability(better) >= model.probability(rows) - 1e-12), name


# --- export from scikit-learn --------------------------------------------------------------


def test_exported_trees_score_as_scikit_learn_does() -> None:
    rng = np.random.default_rng(0)
    x = on_grid(rng.normal(size=(400, len(FEATURES))))
    y = (x[:, 0] + 0.5 * x[:, 3] > 0.2).astype(int)
    rows = [{"rows": x.tolist(), "labels": y.tolist()}]
    clf = fit_trees(rows, {"max_iter": 20, "max_leaf_nodes": 7, "min_samples_leaf": 5})
    trees, baseline = export_trees(clf)
    model = from_trees(FEATURES, trees, baseline)
    assert np.abs(model.raw(x) - clf.decision_function(x)).max() < 1e-9


def test_a_question_weight_scales_its_candidates_in_the_fit() -> None:
    """A question's weight (2 for the project set's train half) scales its candidates'
    part in the fit; weight 1 (every RealTime QA question) is the unweighted fit, bit for
    bit. (Not the same as the question twice: ``min_samples_leaf`` counts rows.)"""
    rng = np.random.default_rng(2)
    x = on_grid(rng.normal(size=(300, len(FEATURES))))
    rows = [
        {"rows": x[:200].tolist(), "labels": (x[:200, 0] > 0.2).astype(int).tolist()},
        {"rows": x[200:].tolist(), "labels": (x[200:, 3] > 0.2).astype(int).tolist()},
    ]
    params = {"max_iter": 10, "max_leaf_nodes": 4, "min_samples_leaf": 5, "early_stopping": False}
    plain = fit_trees(rows, params).decision_function(x)
    ones = [dict(r, weight=1.0) for r in rows]
    assert np.abs(fit_trees(ones, params).decision_function(x) - plain).max() == 0.0
    weighted = fit_trees([rows[0], dict(rows[1], weight=2.0)], params).decision_function(x)
    assert np.abs(weighted - plain).max() > 0.01
    # The weighted question's own labels are fitted more closely than without the weight.
    second = (x[200:, 3] > 0.2).astype(int)
    loss = [np.mean(np.logaddexp(0, f[200:]) - second * f[200:]) for f in (plain, weighted)]
    assert loss[1] < loss[0]


def test_bag_samples_are_fixed_shares_of_whole_questions() -> None:
    samples = bag_samples(10, 3)
    assert samples == bag_samples(10, 3)  # seeded: the same inputs give the same model
    assert [len(s) for s in samples] == [8, 8, 8]
    assert all(len(set(s)) == 8 and s == sorted(s) for s in samples)
    assert len({tuple(s) for s in samples}) == 3


def test_bagged_model_scores_the_mean_of_its_fits() -> None:
    """One tree list whose raw score is the average of the bagged fits' scores, each fitted
    on its sample of questions with its own seed."""
    rng = np.random.default_rng(1)
    rows = []
    for _ in range(12):
        x = on_grid(rng.normal(size=(40, len(FEATURES))))
        rows.append({"rows": x.tolist(), "labels": (x[:, 0] > 0.3).astype(int).tolist()})
    params = {"max_iter": 10, "max_leaf_nodes": 4, "min_samples_leaf": 5}
    trees, baseline = fit_bagged(rows, params, bags=3)
    model = from_trees(FEATURES, trees, baseline)
    x = on_grid(rng.normal(size=(50, len(FEATURES))))
    fits = [
        fit_trees([rows[i] for i in pick], params, seed=b)
        for b, pick in enumerate(bag_samples(len(rows), 3))
    ]
    expected = np.mean([clf.decision_function(x) for clf in fits], axis=0)
    assert np.abs(model.raw(x) - expected).max() < 1e-9
    assert len(trees) == 3 * 10
    single, base1 = fit_bagged(rows, params, bags=1)
    plain = fit_trees(rows, params)
    assert (
        np.abs(from_trees(FEATURES, single, base1).raw(x) - plain.decision_function(x)).max() < 1e-9
    )


@pytest.mark.parametrize(
    ("option", "given", "bad", "message"),
    [
        ("--bags", "3", 0, r"^--bags must be 1 or more, not 0$"),
        *(
            ("--project-weight", "3.5", bad, rf"^--project-weight must be above 0 and at most "
             rf"1000, not {shown}$")
            for bad, shown in ((0.0, "0"), (-2.0, "-2"), (math.inf, "inf"), (math.nan, "nan"))
        ),
    ],
)  # fmt: skip
def test_fit_options_are_read_and_a_bad_value_refused_in_one_line(
    option: str, given: str, bad: float, message: str
) -> None:
    from rag.cli import build_parser

    args = build_parser().parse_args(["train-reader", "--source", "x", option, given])
    name = option[2:].replace("-", "_")
    assert getattr(args, name) == float(given)
    setattr(args, name, bad)
    with pytest.raises(ConfigError, match=message):
        train_main(args, None, None)  # refused before any week is read


# --- training helpers ----------------------------------------------------------------------


def test_splits_by_year() -> None:
    assert [split_of(w) for w in ("20220617", "20241227", "20250103")] == [
        "train", "train", "validate",
    ]  # fmt: skip


def test_spread_order_prefixes_cover_the_span() -> None:
    weeks = [f"2022{m:02d}01" for m in range(1, 9)]
    order = spread_order(weeks)
    assert sorted(order) == weeks
    assert order[:3] == ["20220501", "20220301", "20220701"]
    mixed = spread(["20220101", "20220201", "20250101", "20250201", "20250301"], 2)
    assert mixed == ["20220201", "20250201", "20220101", "20250101"]


def test_groups_are_labelled_as_the_answer_shows_them() -> None:
    text = "The eulogy was given by President Joe Biden, who declared a day of mourning."
    made = [sentence(text, 0.8, 0, "a", dt.date(2025, 1, 9), "AP")]
    question = "Who delivered a eulogy at the state funeral?"
    groups = candidate_groups(question, analyse(question, ASKED), made)
    biden = next(g for g in groups if g.text == "Joe Biden")
    assert biden.shown == "President Joe Biden"
    q = Question(id="q", week="20250110", set="qa", date=ASKED, sentence=question,
                 choices=("President Joe Biden", "Barack Obama", "Bill Clinton", "Jimmy Carter"),
                 answer=(0,))  # fmt: skip
    assert label(biden.shown, q) and not label(biden.text, q)


def test_label_is_the_benchmark_rule() -> None:
    q = Question(id="q", week="20240308", set="qa", date=ASKED, sentence="Which carmaker?",
                 choices=("Ford", "Ford Motor and GM", "Kia", "Tesla"), answer=(0,))  # fmt: skip
    assert label("Ford", q)
    assert label("the Ford company", q)
    assert not label("Ford and Kia", q)  # names another choice too
    assert not label("Tesla", q)


def test_threshold_maximises_right_answers_and_right_declines() -> None:
    probs = np.array([0.9, 0.8, 0.3, 0.2])
    right = np.array([1.0, 0.0, 1.0, 0.0])
    nota = np.array([False, True, False, True])
    # t = 0.3: answer q1..q3 -> qa right 2; nota versions: q1 right, q2 wrong (answered),
    # q3 right, q4 right (declined) -> 3. Total 5, the most of any threshold.
    assert choose_threshold(probs, right, nota) == 0.3


# --- passage features and the learned retriever ----------------------------------------------


def passage(chunk: str, doc: str, text: str, published: dt.date | None, start: int = 0) -> Passage:
    return Passage(chunk_id=chunk, doc_id=doc, text=text, score=0.0, published=published,
                   title="Boeing recalls jets", start=start)  # fmt: skip


def test_passage_rows_on_made_passages() -> None:
    pool = [
        passage("a:0", "a", "Boeing recalled 200 jets on Tuesday.", dt.date(2024, 3, 6)),
        passage("b:0", "b", "Airbus said little.", dt.date(2024, 3, 1), start=2000),
        passage("a:1", "a", "The jets were grounded.", None, start=999),
    ]
    dense = {"a:0": (0, 0.9), "b:0": (1, 0.5)}
    keyword = {"a:0": (1, 4.0), "a:1": (0, 8.0)}
    rows = passage_rows("Which jets did Boeing recall?", pool, dense, keyword, 50, ASKED, None)
    col = {name: rows[:, i].tolist() for i, name in enumerate(PASSAGE_FEATURES)}
    assert col["dense_rank"] == pytest.approx([0.0, math.log1p(1), math.log1p(51)])
    assert col["in_dense"] == [1.0, 1.0, 0.0]
    assert col["bm25_ratio"] == [0.5, 0.0, 1.0]
    assert col["rrf"] == pytest.approx([100 * (1 / 61 + 1 / 62), 100 / 62, 100 / 61])
    assert col["names"] == [1.0, 0.0, 0.0]  # "Boeing" is the question's one name
    assert col["age_days"] == pytest.approx([math.log1p(2), math.log1p(7), -1.0])
    assert col["newer_rank"] == pytest.approx([0.0, math.log1p(1), -1.0])
    assert col["position"] == pytest.approx([0.0, math.log1p(2.0), math.log1p(0.999)])
    assert col["same_doc"] == pytest.approx([math.log1p(1), 0.0, math.log1p(1)])
    assert col["coverage"][0] > col["coverage"][2] > col["coverage"][1] == 0.0


def test_learned_retriever_orders_by_its_model(assistant: Any) -> None:
    coverage = PASSAGE_FEATURES.index("coverage")
    stump = [(coverage, 0.3, 1, 2, 0.0), (-1, 0.0, 0, 0, -1.0), (-1, 0.0, 0, 0, 1.0)]
    model = from_trees(PASSAGE_FEATURES, [stump], 0.0)
    retriever = LearnedRetriever(assistant.index, model, depth=20)
    found = retriever.retrieve("When did Kim Jong Un visit Beijing?", 5)
    assert len(found) == 5
    pool = PassagePool(assistant.index, "When did Kim Jong Un visit Beijing?", 20, None, None)
    high = [p.chunk_id for p, row in zip(pool.passages, pool.rows) if row[coverage] > 0.3]
    # every passage above the split comes first, in pool order (dense first, then BM25)
    assert [p.chunk_id for p in found] == (high + [p.chunk_id for p in pool.passages
                                                   if p.chunk_id not in high])[:5]  # fmt: skip
    assert [p.score for p in found] == sorted((p.score for p in found), reverse=True)


def test_missing_passage_model_is_one_line(assistant: Any, tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="passage model not found") as err:
        make_retriever("learned", assistant.index, str(tmp_path / "none.json"))
    assert "\n" not in str(err.value)


# --- end to end ----------------------------------------------------------------------------


def test_learned_short_answer_end_to_end(assistant: Any) -> None:
    """The default reader on the bundled articles: the short answer is the phrase of the
    judge that vouched for it. The ranker's best candidate when its calibrated probability
    reaches the floor; else, when the signal policy vouches for the hand-set draft, that
    draft's phrase (not a phrase no judge vouched for)."""
    assert assistant.settings.reader == "learned"
    answerer = assistant.chain().answerer
    floor = max(answerer.ranker.threshold_p, answerer.abstention.p_floor)

    def ranked(question: str, asked: dt.date | None) -> tuple[Any, list[Any], np.ndarray]:
        answer = assistant.ask(question, as_of=asked)
        groups = answerer.reader_groups(question, list(answer.retrieved), asked)
        return answer, groups, answerer.ranker.probability(feature_matrix(groups))

    # the ranker vouches: its best candidate is the answer
    answer, groups, probs = ranked("Which forum did Putin attend in Beijing in October 2023?", None)
    best = int(np.argmax(probs))
    assert probs[best] >= floor
    assert not answer.abstained
    assert (
        answer.short == groups[best].text == "Belt and Road International Cooperation Summit Forum"
    )
    assert answer.confidence >= float(probs[best])
    # a 2022 report asked about in 2025: the organisation, not a headline
    asked = dt.date(2025, 9, 5)
    answer, groups, probs = ranked("Which organisation is Vladimir Komlev the CEO of?", asked)
    assert not answer.abstained
    assert answer.short == "NSPK"
    assert answer.citations and "NSPK" in (answer.citations[0].sentence or "")


def test_when_only_the_signal_policy_vouches_the_hand_set_draft_is_the_answer(
    assistant: Any,
) -> None:
    """With the ranker's own floor out of reach (P never reaches 1), only the signal policy
    can vouch, and it judged the hand-set draft: that draft's phrase is the answer, not the
    ranker's best candidate, which no judge vouched for."""
    import dataclasses

    from rag.answer.sentence_rank import has_evidence

    answerer = assistant.chain().answerer
    ranker = answerer.ranker
    question = (
        "In which city did South Korean and Chinese officials hold their security dialogue "
        "in June 2024?"
    )
    answerer.ranker = dataclasses.replace(ranker, threshold_p=1.0)
    try:
        answer = assistant.ask(question)
    finally:
        answerer.ranker = ranker
    passages = list(answer.retrieved)
    info, sentences = answerer.ranked(question, passages, None)
    typed = [s for s in sentences if has_evidence(info.qtype, s, info)]
    hand = answerer.draft(question, info, sentences, typed, learned=False)[0]
    groups = answerer.reader_groups(question, passages, None)
    best = groups[int(np.argmax(ranker.probability(feature_matrix(groups))))]
    assert not answer.abstained  # the signal policy vouched
    assert hand is not None and answer.short == hand.short
    assert best.shown != hand.short  # the ranker would have shown another phrase
    assert answer.text == hand.text


def test_unanswerable_question_is_declined_by_both_judges(assistant: Any) -> None:
    answer = assistant.ask("Which company did Kim Jong Un buy in 2024?", as_of="2025-09-05")
    assert answer.abstained


def test_gzipped_weeks_are_read_like_plain_ones(tmp_path: Path) -> None:
    import gzip

    from eval.realtimeqa_data import find_weeks, load_pool, load_question_pools, load_questions

    question = {"question_id": "20250103_0", "question_date": "2025/01/03",
                "question_sentence": "Which city hosted the talks?", "choices": ["Rome", "Oslo"],
                "answer": ["1"]}  # fmt: skip
    results = {"question_id": "20250103_0", "search_result": [
        {"url": f"https://example.org/{i}", "text": f"Talks were held in Oslo ({i}).",
         "publish_date": "2025/01/02"} for i in range(7)]}  # fmt: skip
    for name, obj in (("20250103_qa.jsonl.gz", question), ("20250103_gcs.jsonl.gz", results)):
        with gzip.open(tmp_path / name, "wt", encoding="utf-8") as fh:
            fh.write(json.dumps(obj) + "\n")
    assert find_weeks(tmp_path) == ["20250103"]
    [q] = load_questions(tmp_path, "20250103", "qa")
    assert (q.id, q.choices, q.answer) == ("20250103_0", ("Rome", "Oslo"), (1,))
    assert len(load_pool(tmp_path, "20250103").articles) == 7
    # the per-question setting: its own first 5 results only
    assert len(load_question_pools(tmp_path, "20250103")["20250103_0"].articles) == 5


# --- training rows, cached per kind ----------------------------------------------------------


def _made_source(folder: Path) -> list[str]:
    """Two tiny realtimeqa-train weeks (one train, one validate), gzipped like the real ones."""
    import gzip

    topics = [
        ("Rome", "The summit on grain exports was held in Rome, officials said."),
        ("Oslo", "Oslo hosted the peace talks between the two delegations."),
        ("Boeing", "Boeing recalled 200 jets after a door panel failed."),
        ("Airbus", "Airbus delivered more jets than expected this quarter."),
        ("Nvidia", "Nvidia shares rose after its earnings beat forecasts."),
        ("Lagos", "Floods closed roads across Lagos for a second day."),
    ]
    weeks = ["20240105", "20250103"]
    for week in weeks:
        day = f"{week[:4]}/{week[4:6]}/{week[6:]}"
        questions = [
            {"question_id": f"{week}_0", "question_date": day, "choices": ["Rome", "Oslo"],
             "question_sentence": "Which city hosted the grain summit?", "answer": ["0"]},
            {"question_id": f"{week}_1", "question_date": day, "choices": ["Airbus", "Boeing"],
             "question_sentence": "Which company recalled 200 jets?", "answer": ["1"]},
        ]  # fmt: skip
        results = [
            {"question_id": q["question_id"], "search_result": [
                {"url": f"https://example.org/{week}/{i}", "title": f"{name} in the news",
                 "text": f"{text} More details followed on {day}.", "publish_date": day}
                for i, (name, text) in enumerate(topics)]}
            for q in questions
        ]  # fmt: skip
        for name, rows in (("qa", questions), ("gcs", results)):
            with gzip.open(folder / f"{week}_{name}.jsonl.gz", "wt", encoding="utf-8") as fh:
                fh.writelines(json.dumps(r) + "\n" for r in rows)
    return weeks


@pytest.mark.slow
def test_collect_caches_each_kind_and_rebuilds_only_what_is_missing(tmp_path: Path) -> None:
    """``newsqa train-reader``'s rows: cached per week and kind under ``--cache``; a missing
    kind is rebuilt alone, and the same week gives the same rows again."""
    import io

    from eval.reader_rows import KINDS, cache_file, collect
    from rag.settings import Settings

    source = tmp_path / "source"
    source.mkdir()
    weeks = _made_source(source)
    settings = Settings.load(
        home=tmp_path / "home", environ={}, embedding_cache=str(tmp_path / "emb.sqlite")
    )
    cache = tmp_path / "cache"
    out = io.StringIO()
    first = collect(source, weeks, settings, cache, out)
    assert [r["id"] for r in first["answers"]] == [f"{w}_{i}" for w in weeks for i in (0, 1)]
    assert len(first["passages"]) == len(first["drafts"]) == 4
    for row in first["answers"] + first["passages"]:
        assert len(row["rows"]) == len(row["labels"]) == len(row["texts"]) > 0
    boeing = first["answers"][1]
    assert boeing["labels"][boeing["texts"].index("Boeing")] == 1  # the benchmark's rule
    assert all(len(r) == len(FEATURES) for r in boeing["rows"])
    assert out.getvalue().count(" questions, ") == 2  # both weeks built

    kept = {k: cache_file(cache, weeks[1], k).stat().st_mtime_ns for k in KINDS}
    cache_file(cache, weeks[0], "answers").unlink()
    other = {k: cache_file(cache, weeks[0], k).stat().st_mtime_ns for k in ("passages", "drafts")}
    out = io.StringIO()
    again = collect(source, weeks, settings, cache, out)
    assert out.getvalue().startswith(f"[1/2] {weeks[0]}: 2 questions") and "[2/2]" not in (
        out.getvalue()
    )
    assert again == first  # the same inputs give the same rows
    assert {k: cache_file(cache, weeks[1], k).stat().st_mtime_ns for k in KINDS} == kept
    assert {
        k: cache_file(cache, weeks[0], k).stat().st_mtime_ns for k in ("passages", "drafts")
    } == other


def test_a_question_for_a_number_is_answered_by_a_number_or_not_at_all() -> None:
    """The ranker prefers the most named phrase ("China"); "How many ...?" takes the best
    number instead, with that number's own P, and no phrase when no number is found."""
    week = [
        sentence("China said 130 countries sent delegations to the forum in Beijing.", 0.8, 0,
                 "a", dt.date(2023, 10, 17), "AP"),
        sentence("China hosted the forum; China and Russia agreed.", 0.6, 1, "b",
                 dt.date(2023, 10, 16), "BBC"),
    ]  # fmt: skip
    ranker = _most_named_ranker()
    count = "How many countries sent delegations to the forum?"
    short = learned_short(ranker, count, analyse(count, ASKED), week, None)  # type: ignore[arg-type]
    assert short is not None
    assert short.text == "130"
    assert short.score == pytest.approx(1 / (1 + math.exp(2.0)), abs=1e-5)  # its own P
    # the same ranker's choice for a question that asks for a name
    who = "Which country hosted the forum?"
    short = learned_short(ranker, who, analyse(who, ASKED), week, None)  # type: ignore[arg-type]
    assert short is not None
    assert short.text == "China"
    # no number at all: no phrase
    names = week[1:]
    assert learned_short(ranker, count, analyse(count, ASKED), names, None) is None  # type: ignore[arg-type]
