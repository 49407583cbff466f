"""Follow-up questions made standalone without a language model."""

from __future__ import annotations

import pytest

from rag.rewrite import main_subject, rewrite_followup


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("When did Kim last visit China?", "Kim"),
        ("Did Kim Jong-un meet Putin?", "Kim Jong-un"),
        ("What did Xi Jinping's aide say?", "Xi Jinping"),
        ("On what date did Putin visit Pyongyang?", "Putin"),
        ("Who is Mao Ning?", "Mao Ning"),
        ("What is NATO?", "NATO"),
        ("when did it happen?", None),
        ("", None),
    ],
)
def test_main_subject(question: str, subject: str | None) -> None:
    assert main_subject(question) == subject


@pytest.mark.parametrize(
    ("question", "history", "expected"),
    [
        # pronoun subject, with a leading "And"
        (
            "And when did he meet Putin?",
            ["When did Kim last visit China?"],
            "When did Kim meet Putin?",
        ),
        ("and what did he say", ["Who is Kang Jun-young?"], "What did Kang Jun-young say"),
        ("Where did she speak?", ["Who is Mao Ning?"], "Where did Mao Ning speak?"),
        # object pronoun
        (
            "What did Lavrov tell him?",
            ["When did Kim last visit China?"],
            "What did Lavrov tell Kim?",
        ),
        # possessives
        (
            "What did his sister say?",
            ["When did Kim Jong-un visit Russia?"],
            "What did Kim Jong-un's sister say?",
        ),
        ("Did Xi praise her remarks?", ["Who is Mao Ning?"], "Did Xi praise Mao Ning's remarks?"),
        # "What about X?" swaps the subject of the previous question
        ("What about Xi?", ["When did Putin visit Beijing?"], "When did Xi visit Beijing?"),
        (
            "what about Xi Jinping",
            ["When did Putin visit Beijing?"],
            "When did Xi Jinping visit Beijing?",
        ),
        ("What about Xi?", ["Where is it?"], "What about Xi?"),
        # the most recent question that names someone supplies the subject
        (
            "Did he meet Xi?",
            ["When did Kim last visit China?", "where is it?"],
            "Did Kim meet Xi?",
        ),
        # a question that names its subject (no pronoun) is kept, less a leading "And"
        (
            "And when did Putin visit Pyongyang?",
            ["When did Kim last visit China?"],
            "When did Putin visit Pyongyang?",
        ),
        (
            "What is the capital of Australia?",
            ["Who is Mao Ning?"],
            "What is the capital of Australia?",
        ),
        # nobody to refer to: unchanged
        ("Is he there?", ["what happened?"], "Is he there?"),
    ],
)
def test_rewrite_followup(question: str, history: list[str], expected: str) -> None:
    assert rewrite_followup(question, history) == expected


def test_no_history_returns_the_question_stripped() -> None:
    assert rewrite_followup("  And when did he meet Putin?  ", []) == "And when did he meet Putin?"
    assert rewrite_followup("When did he visit?", ()) == "When did he visit?"


def test_only_the_first_pronoun_is_replaced() -> None:
    assert (
        rewrite_followup("Did he say his visit went well?", ["When did Kim last visit China?"])
        == "Did Kim say his visit went well?"
    )


def test_object_her_is_not_made_possessive() -> None:
    assert (
        rewrite_followup("When did Putin meet her?", ["Who is Mao Ning?"])
        == "When did Putin meet Mao Ning?"
    )
