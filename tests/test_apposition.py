"""The role a sentence gives a name, matched against the role the question asks for."""

from __future__ import annotations

import dataclasses

import pytest

from rag.answer.apposition import apposed, asked_role, role_key
from rag.answer.candidates import Candidate
from rag.answer.question import analyse


def named(sentence: str, name: str) -> Candidate:
    start = sentence.index(name)
    return Candidate(name, "name", start, start + len(name), None, None)


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("Spokeswoman", "spokesperson"),
        ("spokesmen", "spokesperson"),
        ("spokesperson", "spokesperson"),
        ("chairwoman", "chair"),
        ("advisor", "adviser"),
        ("Ministers", "minister"),
        ("actress", "actress"),
        ("CEO", "ceo"),
    ],
)
def test_role_key_spells_the_forms_of_a_role_one_way(word: str, key: str) -> None:
    assert role_key(word) == key


@pytest.mark.parametrize(
    ("role", "sentence", "name", "expected"),
    [
        # an apposition after the name
        ("spokesperson", "Maria Zakharova, the spokesperson for the ministry, said so.",
         "Maria Zakharova", True),
        ("professor", "Kang Jun-young, professor of China studies at Hankuk, said.",
         "Kang Jun-young", True),
        ("spokesperson", "a “bilateral matter” (Mao Ning, spokesperson for the ministry)",
         "Mao Ning", True),
        ("aide", "Yuri Ushakov, an aide to the Kremlin, told TASS.", "Yuri Ushakov", True),
        # the role right before the name, a title in capitals too
        ("minister", "talks with North Korean Foreign Minister Choe Son-hui, through which",
         "Choe Son-hui", True),
        ("actor", "Oscar-winning actor Cillian Murphy said.", "Cillian Murphy", True),
        ("spokesperson", "said the spokesperson Mao Ning.", "Mao Ning", True),
        ("spokesperson", "He met Mao Ning, the spokesperson.", "Mao Ning", True),
        # a copula
        ("ceo", "Linda Yaccarino is the new CEO of X.", "Linda Yaccarino", True),
        # the role belongs to another name, or to no name
        ("spokesperson", "Maria Zakharova, the spokesperson, said Sergey Lavrov will go.",
         "Sergey Lavrov", False),
        ("spokesperson", "Putin, said the spokesperson.", "Putin", False),
        ("minister", "Putin met the prime minister.", "Putin", False),
        ("professor", "Park said, adding that the professor agreed.", "Park", False),
        ("professor", "Park Won-gon, who taught in Seoul, said a professor agreed.",
         "Park Won-gon", False),
        # a clause of saying, a role before a comma, the role of the next name in a list
        ("spokesperson", "In Beijing, Putin met Xi, a spokesman for the Kremlin said.", "Xi",
         False),
        ("spokesperson", "Asked about Kim, the spokesperson declined to comment.", "Kim", False),
        ("spokesperson", "According to the spokesperson, Putin will travel.", "Putin", False),
        ("spokesperson", "It drew Xi Jinping, Vladimir Putin, Kremlin spokesman Dmitry Peskov "
         "and others.", "Vladimir Putin", False),
        ("spokesperson", "It drew Xi Jinping, Vladimir Putin, Kremlin spokesman Dmitry Peskov "
         "and others.", "Dmitry Peskov", True),
        ("spokesperson", "Lavrov will go to Pyongyang, the ministry's spokeswoman Maria "
         "Zakharova said.", "Pyongyang", False),
        ("ceo", "Musk is the CEO's boss.", "Musk", False),
        ("spokesperson", "Peskov said China, the spokesperson added, would agree.", "China",
         False),
    ],
)  # fmt: skip
def test_apposed(role: str, sentence: str, name: str, expected: bool) -> None:
    assert apposed(role, sentence, named(sentence, name)) is expected


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("Who's the spokeswoman for Russia's foreign ministry?", "spokesperson"),
        ("Who is North Korea's foreign minister, according to the report?", "minister"),
        ("Who is the new CEO of Twitter?", "ceo"),
        ("Who was the Chinese foreign ministry spokesperson quoted about the visit?",
         "spokesperson"),
        ("Who became Wales's new first minister following the resignation?", "minister"),
        # no role asked, or no person asked for; "Which actor ...?" names a category
        ("Which China-studies professor warned about the satellite?", None),
        ("Which Kremlin aide told TASS about the meeting?", None),
        ("Who is the man who fired the shots?", None),
        # a title before a name, the role as the subject of "-ing", an owner, a category
        ("Who is Senator Bob Menendez accused of helping?", None),
        ("Who is the pope meeting in Lisbon this week?", None),
        ("Who is the minister's spokesperson?", None),
        ("Who was named best new artist at the Grammy Awards?", None),
        ("Who led China's delegation at the dialogue?", None),
        ("Who is Hunter Biden married to?", None),
        ("Who is eligible to receive free tablets?", None),
        ("Which company recalled jets?", None),
        ("Which volcano erupted?", None),
    ],
)  # fmt: skip
def test_asked_role(question: str, role: str | None) -> None:
    atype = analyse(question).atype
    assert asked_role(question, atype) == role
    assert atype.kind == "person" or role is None
    if role is not None:  # the question's type is not changed by it: the ranker's rows
        assert atype.head == "person"


def test_only_a_name_of_a_person_holds_a_role() -> None:
    sentence = "the golfer, Thursday, said; the actor Paramount said."
    day = sentence.index("Thursday")
    assert not apposed("golfer", sentence, Candidate("Thursday", "date", day, day + 8, None, None))
    org = sentence.index("Paramount")
    studio = Candidate("Paramount", "name", org, org + 9, None, "org")
    assert not apposed("actor", sentence, studio)
    assert apposed("actor", sentence, dataclasses.replace(studio, entity=None))
