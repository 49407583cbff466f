"""Short answers first: the expected answer type, the candidate phrases, their scoring and
voting, and the short form end to end on the bundled articles."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

import numpy as np
import pytest

from eval.realtimeqa_metrics import judged_text, score
from rag.answer.candidates import Candidate, find_candidates, full_span, is_demonym, normalise
from rag.answer.names import name_context, person_fit
from rag.answer.qtype import AnswerType, expected_type, names_head
from rag.answer.shortform import fit, nouns, pick_shorts
from rag.temporal import format_value
from rag.types import Answer, DateMention, Passage
from ui.render import answer_markdown

DEV = Path(__file__).resolve().parents[1] / "eval" / "datasets" / "dev.jsonl"


# --- expected answer type ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "kind", "head"),
    [
        ("Which city did Xi meet Biden in?", "city", "city"),
        ("In which city did Xi Jinping and Putin meet?", "city", "city"),
        ("How many individuals did OFAC add?", "number", "number"),
        ("How much did the painting sell for?", "money", "amount"),
        ("What percentage of voters backed the plan?", "percent", "percentage"),
        ("What was the final score of the match?", "score", "score"),
        ("When did Kim last visit China?", "date", "date"),
        ("In what year did Musk buy Twitter?", "date", "date"),
        ("Where did Kim and Putin meet?", "place", "place"),
        ("Who won the Iowa caucuses?", "person", "person"),
        ("Which tech giant surpassed Apple last Friday?", "org", "giant"),
        ("Which country this week halted all trade with Israel?", "country", "country"),
        ("The prime minister of which country resigned?", "country", "country"),
        ("Which Democratic congressperson called for new elections?", "person", "congressperson"),
        ("Which US state declared an emergency?", "state", "state"),
        ("What is the name of the film that won Best Picture?", "title", "film"),
        ("What is the name of Panama's newly elected president?", "person", "president"),
        ("Which team won the final?", "org", "team"),
        ("Which animal was the first mammal to be cloned?", "thing", "animal"),
        ("Which type of juice was recalled?", "thing", "juice"),
        ("How long had it been since his last visit?", "duration", "duration"),
        ("Why did the library close?", "none", None),
        ("How did Kim describe the relations?", "none", None),
        ("What is the main concern raised in the article?", "none", "concern"),
        ("Has a trilateral summit ever been held?", "none", None),
        # person nouns beyond titles, compounds ending in their head, owners asked for
        ("Which China studies professor commented on the summit?", "person", "professor"),
        ("Which suspended Conservative Party MP defected?", "person", "mp"),
        ("Which Supreme Court justice published a memoir?", "person", "justice"),
        ("Which island nation elected a new leader?", "country", "nation"),
        ("Which state's governor commuted the sentences?", "state", "state"),
        ("Which country's court kicked him off the ballot?", "country", "country"),
        ("Which women's basketball team won the title?", "org", "team"),
        ("What is the name of the charity Prince Harry left?", "org", "charity"),
        ("Which model plays Elton John in the video?", "person", "model"),
        # a head written with a capital is part of a name when a lower-case head follows
        ("Which Ewha Womans University professor was quoted?", "person", "professor"),
        ("Which Premier League club sacked its manager?", "org", "club"),
        ("Which NBA Team plays in Boston?", "org", "team"),  # "plays" is no head
        # a common noun before names is the head; qualifiers and prepositions are not
        ("What is the name of the accord Macron and Scholz signed?", "thing", "accord"),
        ("What colour jersey did Pogacar wear on the last stage?", "thing", "jersey"),
        ("Which famous Brit opened the festival?", "thing", "brit"),
        ("What is the main charge against Hunter Biden?", "none", "charge"),
        ("What is the reason behind the strike?", "none", "reason"),
        # a verb after a noun ends the phrase: the head is before it, not a head after it
        ("Which typhoon closed schools in Manila?", "thing", "typhoon"),
        ("Which powerful hurricane devastated several Caribbean islands?", "thing", "hurricane"),
        ("Which UK soap hit a milestone anniversary?", "thing", "soap"),
        ("Which former PM hit the headlines this week?", "person", "pm"),
        # ... but not after an adjective, and a noun ending in -ed is no verb
        ("Which newly elected senator spoke first?", "person", "senator"),
        ("What raunchy animated show's premiere drew 6 million viewers?", "title", "show"),
        ("Which dog breed won the show?", "thing", "breed"),
        # ... nor a word of a name, a word after a name, or a noun before an auxiliary
        ("Which Manchester United player scored twice?", "person", "player"),
        ("Which Chinese state-owned company bought the port?", "org", "company"),
        ("Which Pixar animated film topped the box office?", "title", "film"),
        ("Which tax cut did Congress pass?", "thing", "cut"),
        # a possessive after the wh-word is asked for, unless it says what kind follows
        ("Scientists have mapped which animal's brain?", "thing", "animal"),
        ("Which children's book made him famous?", "title", "book"),
    ],
)
def test_expected_type(question: str, kind: str, head: str | None) -> None:
    atype = expected_type(question)
    assert (atype.kind, atype.head) == (kind, head)


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("How many people attended the rally?", "people"),
        ("How many union workers walked out?", "union"),
        ("After how many years together did they split?", "years"),
        ("The limit was cut from 40 to how many?", None),
    ],
)
def test_a_count_knows_what_it_counts(question: str, unit: str | None) -> None:
    atype = expected_type(question)
    assert (atype.kind, atype.unit) == ("number", unit)


def test_a_stretch_of_time_is_no_count_of_people() -> None:
    people = expected_type("How many people attended the forum?")
    years = expected_type("After how many years did the couple split?")
    sentence = "The forum ran for two days and drew 4,000 people."
    two_days = Candidate("two days", "number", 17, 25)
    many = Candidate("4,000 people", "number", 36, 48)
    assert fit(people, two_days, sentence) == 0.0
    assert fit(people, many, sentence) == 1.0
    assert fit(years, many, sentence) == 0.0
    assert fit(years, Candidate("12 years", "number", 0, 8), "12 years later") == 1.0
    assert fit(years, Candidate("12", "number", 0, 2), "12 of them") == 1.0


@pytest.mark.parametrize(
    ("question", "kind", "form"),
    [
        # One typing: the sentence a question needs follows from the answer kind it expects.
        ("Which city did Xi meet Biden in?", "city", "where"),
        ("Severe flooding hit which state?", "state", "where"),
        ("Which country was hit hardest when the storm came ashore?", "country", "where"),
        ("Which member of the royal family will retire?", "person", "who"),
        ("What percentage of voters backed the plan?", "percent", "count"),
        ("How old is Quincy Wilson, who could make history?", "number", "count"),
        ("How much was Trump fined?", "money", "count"),
        ("How long had it been since his last visit?", "duration", "duration"),
        ("When did Kim last visit China?", "date", "when"),
        ("What time can bars start serving alcohol?", "thing", "when"),
        ("Which team won the final?", "org", "what"),
        ("Which author, who died this week, wrote the book?", "person", "who"),
        ("What is the new episode of Doctor Who about?", "none", "what"),
        ("Why did the library close?", "none", "why"),
        ("Has a trilateral summit ever been held?", "none", "yesno"),
        # a relative "who"/"which" does not retype the question its first word opens
        ("Where did the rapper who was arrested last week perform?", "place", "where"),
        ("Is the company which Musk bought profitable?", "none", "yesno"),
    ],
)
def test_one_typing(question: str, kind: str, form: str) -> None:
    from rag.answer.question import analyse

    info = analyse(question)
    assert (info.atype.kind, info.qtype) == (kind, form)


def test_a_pair_of_names_is_not_cut_at_a_title() -> None:
    from rag.answer.candidates import find_candidates

    text = (
        "Chinese President Xi Jinping and Russian President Vladimir Putin met in Beijing and "
        "Samarkand."
    )
    found = [c.text for c in find_candidates(text)]
    assert "Xi Jinping and Russian" not in found
    assert "Beijing and Samarkand" in found


def test_plural_questions() -> None:
    assert expected_type("Which two automakers are discussing a merger?").plural
    assert expected_type("Which Japanese carmakers are mulling a merger?").plural
    assert not expected_type("Which carmaker is mulling a merger?").plural
    # a singular that ends in -s is no plural
    assert not expected_type("Which virus was declared a global health emergency?").plural
    assert not expected_type("What is the current status of the signs?").plural
    assert expected_type("Which viruses are circulating this winter?").plural


# --- candidates ----------------------------------------------------------------------------


def spans(sentence: str, mentions: list[DateMention] | None = None) -> list[tuple[str, str]]:
    found = find_candidates(sentence, mentions or [])
    for c in found:
        assert sentence[c.start : c.end] == c.text  # every candidate is a verbatim slice
    return [(c.text, c.kind) for c in found]


def test_candidates_names_places_and_titles() -> None:
    assert spans("Xi met Biden in San Francisco on Wednesday, the White House said.") == [
        ("Xi", "name"),
        ("Biden", "name"),
        ("San Francisco", "name"),
        ("White House", "name"),
    ]
    assert spans('The film "Oppenheimer" won at the Academy Awards.') == [
        ("Oppenheimer", "title"),
        ("Oppenheimer", "name"),
        ("Academy Awards", "name"),
    ]
    # "of" joins, determiners and titles are stripped, possessives split, "&" kept.
    assert spans("The University of Pennsylvania and Abercrombie & Fitch hired Gov. Ann Lee.") == [
        ("University of Pennsylvania", "name"),
        ("Abercrombie & Fitch", "name"),
        ("Ann Lee", "name"),
        ("University of Pennsylvania and Abercrombie & Fitch", "name"),
    ]
    assert spans("The Treasury's OFAC named Saudi Arabia's al-Qahtani.") == [
        ("Treasury", "name"),
        ("OFAC", "name"),
        ("Saudi Arabia", "name"),
    ]
    # a sentence adverb opening the sentence is no name ("Previously, Russia" was one answer)
    assert spans("Previously, Russia said it met Trump in Alaska.") == [
        ("Russia", "name"),
        ("Trump", "name"),
        ("Alaska", "name"),
    ]
    assert spans("Italy, meanwhile, refused.") == [("Italy", "name")]


def test_candidates_numbers_money_percentages_scores() -> None:
    assert spans("OFAC added 22 individuals and $1.5 billion, up 12.5% on 22 million.") == [
        ("$1.5 billion", "money"),
        ("12.5%", "percent"),
        ("22 individuals", "number"),
        ("22 million", "number"),
        ("OFAC", "name"),
    ]
    assert spans("Real Madrid beat Bayern Munich 3-1 after six years and eight months.") == [
        ("3-1", "score"),
        ("six years", "number"),
        ("eight months", "number"),
        ("Real Madrid", "name"),
        ("Bayern Munich", "name"),
        ("six years and eight months", "number"),
    ]


def test_weekdays_end_names() -> None:
    assert spans("The fine against American Airlines Wednesday was $50 million.") == [
        ("$50 million", "money"),
        ("American Airlines", "name"),
    ]


def test_candidates_dates_come_from_the_tagger() -> None:
    sentence = "Kim arrived in Beijing on 2 September 2025."
    start = sentence.index("2 September")
    mention = DateMention("2 September 2025", start, start + 16, "2025-09-02", "day")
    found = find_candidates(sentence, [mention])
    assert [(c.text, c.kind, c.value) for c in found] == [
        ("2 September 2025", "date", "2025-09-02"),
        ("Kim", "name", None),
        ("Beijing", "name", None),
    ]


def test_normalise() -> None:
    assert normalise("The  White House’s") == "white house s"
    assert normalise("San Francisco") == normalise("san francisco")


# --- scoring and voting --------------------------------------------------------------------


def sentence(text: str, score: float, doc: str, story: str | None = None) -> Any:
    passage = Passage(
        chunk_id=f"{doc}:0", doc_id=doc, text=text, score=score,
        metadata={"story_id": story} if story else {},
    )  # fmt: skip
    return SimpleNamespace(text=text, score=score, passage=passage, mentions=[])


class WordEmbedder:
    """Unit vectors by word: "animal" is close to "lion", "holiday" a little to "Diwali"
    and to "festival", everything else is far from both; "event" and "typhoon" are far
    from every other word."""

    vectors: ClassVar[dict[str, list[float]]] = {
        "animal": [1.0, 0.0, 0.0],
        "lion": [0.8, 0.0, 0.6],
        "holiday": [0.0, 1.0, 0.0],
        "diwali": [0.0, 0.4, 0.9165],
        "festival": [0.0, 0.4, 0.9165],
        "event": [0.0, 0.0, -1.0],  # far from every other word
        "typhoon": [0.0, 0.0, -1.0],
    }

    def encode_cached(self, texts: list[str]) -> np.ndarray:
        return np.array([self.vectors.get(t.lower(), [0.0, 0.0, 1.0]) for t in texts])


def short(question: str, sentences: list[Any], embedder: Any = None) -> str | None:
    terms = tuple(w.lower() for w in re.findall(r"\w+", question) if len(w) > 3)
    found = pick_shorts(question, terms, expected_type(question), sentences, embedder)
    return found[0][0] if found else None


def test_pick_short_by_type() -> None:
    s = [sentence("Xi Jinping met Joe Biden in San Francisco on Wednesday.", 0.8, "a")]
    assert short("Which city did Xi meet Biden in?", s) == "San Francisco"
    s = [sentence("OFAC added 22 individuals to its sanctions list on Friday.", 0.8, "a")]
    assert short("How many individuals did OFAC add?", s) == "22"
    s = [sentence("Sales fell 12% while the Lakers won 101-99 in Boston.", 0.8, "a")]
    assert short("What percentage did sales fall?", s) == "12%"
    assert short("What was the final score of the Lakers game?", s) == "101-99"
    s = [sentence("Emergency was declared in California, said Gov. Gavin Newsom.", 0.8, "a")]
    assert short("Which US state declared an emergency?", s) == "California"
    assert short("Who declared an emergency?", s) == "Gavin Newsom"


def test_pick_short_none_when_nothing_fits() -> None:
    s = [sentence("The library will close because the roof leaks badly.", 0.9, "a")]
    assert short("Why did the library close?", s) is None
    assert short("Which country halted trade?", s) is None
    assert short("How many books were lost?", s) is None
    assert pick_shorts("Who?", (), AnswerType("person"), []) == []


def test_phrases_of_the_question_never_answer_it() -> None:
    s = [sentence("Biden met Xi in Woodside, near San Francisco.", 0.8, "a")]
    assert short("Which city near San Francisco did Biden meet Xi in?", s) == "Woodside"
    s = [sentence("Vladimir Valerievich Komlev runs the National Payment System.", 0.8, "a")]
    assert (
        short("Which organisation is Vladimir Komlev the CEO of?", s) == "National Payment System"
    )


def test_pick_short_prefers_better_sentences_and_closeness() -> None:
    s = [
        sentence("Officials said the summit was held in Lima, Peru.", 0.9, "a"),
        sentence("Officials in Quito commented on the summit.", 0.6, "b"),
    ]
    assert short("Which city hosted the summit?", s) == "Lima"


def test_votes_of_distinct_stories() -> None:
    lyon = sentence("The prize went to Lyon, the jury said.", 0.81, "a")
    text = "The prize went to Marseille, a report said."
    # Copies of one story count once: the better sentence wins.
    copies = [sentence(text, 0.80, f"c{i}", "s1") for i in range(3)]
    assert short("Which city won the prize?", [lyon, *copies]) == "Lyon"
    # Three stories naming the same city outvote it.
    stories = [sentence(text, 0.80, f"d{i}") for i in range(3)]
    assert short("Which city won the prize?", [lyon, *stories]) == "Marseille"


def test_unknown_head_noun_by_meaning() -> None:
    s = [sentence("A lion escaped from the Berlin zoo early on Sunday.", 0.8, "a")]
    assert short("Which animal escaped?", s, WordEmbedder()) == "lion"
    assert short("Which animal escaped?", s, None) is None  # needs the embedder
    # A name needs less likeness to the head noun than a common noun does.
    s = [sentence("Hindus began to celebrate Diwali, the festival of lights, on Monday.", 0.8, "a")]
    assert short("Which holiday began this week?", s, WordEmbedder()) == "Diwali"
    # ... but a capital that only opens the sentence may be a common noun's.
    s = [sentence("Diwali, the festival of lights, began on Monday.", 0.8, "a")]
    assert short("Which holiday began this week?", s, WordEmbedder()) is None
    s = [sentence("The annual festival of lights began on Monday.", 0.8, "a")]
    assert short("Which holiday began this week?", s, WordEmbedder()) is None


@pytest.mark.parametrize(
    ("head", "phrase", "entity", "names"),
    [
        ("hurricane", "Hurricane Milton", None, True),
        ("festival", "Glastonbury Festival", None, True),
        ("event", "the Winter Olympics", None, True),
        ("event", "Hangzhou Asian Games", "org", True),  # the tagger's label is noisy
        ("holiday", "Labor Day", None, True),
        ("hurricane", "Carolina Hurricanes", None, False),  # a team, in the plural
        ("event", "Congress", None, False),  # one word
        ("event", "Jason Day", "person", False),
        ("event", "Squid Game", None, False),
        ("animal", "Berlin Zoo", None, False),
        (None, "Hurricane Milton", None, False),
    ],
)
def test_a_name_names_the_head_it_opens_or_ends_with(
    head: str | None, phrase: str, entity: str | None, names: bool
) -> None:
    assert names_head(head, phrase, entity) is names


def test_a_name_that_calls_itself_what_is_asked_needs_no_likeness() -> None:
    """Far from "event" by meaning (the made embedder puts every word here far from it), an
    event's name still answers an event question; a name holding the head answers too."""
    s = [sentence("The delegation flew to Beijing for the Hangzhou Asian Games.", 0.8, "a")]
    assert short("Which sporting event was the delegation attending?", s, WordEmbedder()) == (
        "Hangzhou Asian Games"
    )
    s = [sentence("Schools in Manila closed as Typhoon Gaemi struck on Wednesday.", 0.8, "a")]
    assert short("Which typhoon closed schools?", s, WordEmbedder()) == "Typhoon Gaemi"
    assert short("Which animal closed schools?", s, WordEmbedder()) is None


# --- Answer, metrics, render ---------------------------------------------------------------


def test_answer_to_dict_has_short() -> None:
    answer = Answer(text="Lyon [1]. “...” [1]", abstained=False, citations=[], short="Lyon")
    assert answer.to_dict()["short"] == "Lyon"
    assert Answer(text="x", abstained=False, citations=[]).to_dict()["short"] is None


def test_correct_judges_the_short_answer_when_there_is_one() -> None:
    record = {"choices": ["Lyon", "Paris", "Nice"], "answer_index": [0], "abstained": False}
    text = "Paris [1]. “The prize went to Lyon, the jury said in Paris.” [1]"
    with_short = {**record, "answer": text, "short_answer": "Paris"}
    assert judged_text(with_short) == "Paris"
    assert score(with_short)["correct"] is False
    right = {
        **record,
        "answer": "Lyon [1]. “It went to Lyon, said Paris.” [1]",
        "short_answer": "Lyon",
    }
    assert score(right)["correct"] is True
    # No short form: the text as before (here two choices occur, so not correct).
    quote = "“The prize went to Lyon, the jury said in Paris.” [1]"
    plain = {
        **record,
        "answer": quote,
        "short_answer": "The prize went to Lyon, the jury said in Paris.",
    }
    assert judged_text(plain) == "“The prize went to Lyon, the jury said in Paris.”"
    assert score(plain)["correct"] is False
    # A citation marker is no answer: "[1]" does not match the choice "1".
    numbers = {"choices": ["1", "2", "3"], "answer_index": [0], "abstained": False}
    marker = {**numbers, "answer": "“When is Presidents Day?” [1]", "short_answer": "x"}
    assert score(marker)["correct"] is False


def test_answer_markdown_shows_the_short_answer_in_bold() -> None:
    answer = Answer(
        text="Lyon [1]. “It went to Lyon.” [1]", abstained=False, citations=[], short="Lyon"
    )
    md = answer_markdown(answer)
    assert md.startswith("**Lyon** \\[1\\]\n\n“It went to Lyon\\.” \\[1\\]")
    plain = answer_markdown(Answer(text="“It went.” [1]", abstained=False, citations=[]))
    assert "**" not in plain


# --- end to end on the bundled articles ----------------------------------------------------


def squash(text: str) -> str:
    return " ".join(text.split()).lower()


def test_short_answers_of_dev_questions_are_in_cited_sentences(assistant: Any) -> None:
    from rag.answer.evidence import says_no

    questions = [json.loads(line)["question"] for line in DEV.read_text().splitlines() if line]
    with_short = 0
    for question in questions:
        answer = assistant.ask(question)
        if answer.short is None:
            continue
        with_short += 1
        assert not answer.abstained
        assert answer.text.startswith(answer.short)
        sentences = [squash(c.sentence or "") for c in answer.citations]
        if answer.short == "No":
            # "No" for a yes/no question: its first sentence says what did not happen
            assert says_no(answer.citations[0].sentence or ""), (question, answer.text)
            continue
        if not any(squash(answer.short) in s for s in sentences):
            # A "when" answer states the resolved date ("this afternoon" -> 2 September 2025).
            assert expected_type(question).kind == "date", (question, answer.short)
            assert re.fullmatch(r"(\d{1,2} )?([A-Z][a-z]+ )?\d{4}", answer.short)
    assert with_short >= 8


def test_kim_short_answer(assistant: Any) -> None:
    answer = assistant.ask("When did Kim last visit China?")
    assert answer.short == "2 September 2025" == format_value("2025-09-02")
    assert answer.text.startswith("2 September 2025")
    assert answer.to_dict()["short"] == "2 September 2025"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Shown as the sentences name them (``full_span``): with the country, the title, the
        # article that opens the name.
        ("In which city did Xi Jinping and Putin meet in September 2022?", "Samarkand, Uzbekistan"),
        (
            "Which state guesthouse did Putin's motorcade enter in Beijing?",
            "the Diaoyutai State Guesthouse",
        ),
        (
            "Who did Sergey Lavrov meet in Moscow after the Kim-Putin summit in 2023?",
            "Foreign Minister Wang Yi",
        ),
        # the name a sentence gives the asked role, not the most named one ("Putin")
        (
            "Who is the Chinese foreign ministry spokesperson quoted about Kim's visit to Russia?",
            "Mao Ning",
        ),
        ("Who's the spokeswoman for Russia's foreign ministry?", "Maria Zakharova"),
    ],
)
def test_dev_short_answers(assistant: Any, question: str, expected: str) -> None:
    answer = assistant.ask(question)
    assert answer.short == expected
    assert re.match(rf"{re.escape(expected)} \[\d\]\. “", answer.text)


def test_as_of_keeps_working_with_short_answers(assistant: Any) -> None:
    answer = assistant.ask("When did Kim last visit China?", as_of=dt.date(2024, 1, 1))
    assert answer.short != "2 September 2025"


@pytest.mark.slow
def test_latest_question_asking_for_a_name_gets_the_name_not_the_date(news_assistant: Any) -> None:
    """ "Which airline was recently fined ...?" wants an airline: the event's date must not
    lead the answer (it did before: "23 October 2024 (“Wednesday” ...)")."""

    articles = [
        {
            "id": "fine",
            "title": "Regulators fine Skyreach Airways",
            "outlet": "Transit Daily",
            "published": "2024-10-23",
            "text": "Transport regulators on Wednesday fined Skyreach Airways $50 million for "
            "violating the rights of disabled passengers. The airline said it would appeal. "
            "Inspectors found wheelchairs damaged on hundreds of flights last year.",
        },
        {
            "id": "other",
            "title": "Harbour ferry timetable changes",
            "outlet": "Transit Daily",
            "published": "2024-10-20",
            "text": "The harbour ferry will run every twenty minutes from Monday, the operator "
            "said. Fares stay the same.",
        },
    ]
    assistant = news_assistant(*articles)
    answer = assistant.ask(
        "Which airline was recently fined $50 million for violating disabled passengers' rights?",
        as_of="2024-10-25",
    )
    assert answer.abstained is False
    assert answer.short == "Skyreach Airways"
    assert answer.text.startswith("Skyreach Airways [1].")


@pytest.mark.parametrize(
    ("text", "sentence", "shown"),
    [
        ("Donald Trump", "On Monday President Donald Trump said so.", "President Donald Trump"),
        ("Macron", "French President Macron met them.", "French President Macron"),
        ("Joe Biden", "U.S. President Joe Biden spoke.", "U.S. President Joe Biden"),
        ("Ed Markey", "Democratic Sen. Ed Markey spoke.", "Democratic Sen. Ed Markey"),
        ("Kim", "Former President Kim said so.", "President Kim"),  # "Former" is not a title
        ("Scott Bessent", "Treasury's Secretary Scott Bessent", "Secretary Scott Bessent"),
        ("Marco Rubio", "Secretary of State Marco Rubio", "Marco Rubio"),  # no title right before
        ("Anchorage", "They met in Anchorage, Alaska, on Friday.", "Anchorage, Alaska"),
        ("Boulder", "It happened in Boulder, Colorado.", "Boulder, Colorado"),
        ("Paris", "Paris, France", "Paris, France"),
        ("Xi", "Chinese President Xi, Russia, Iran", "Chinese President Xi"),  # a list
        ("Kyiv", "Kyiv, Ukraine and Moscow", "Kyiv"),  # a list
        ("Russia", "Russia, Ukraine", "Russia"),  # two countries
        ("Smith", "John Smith, Alabama's senator", "Smith"),
        ("Trump", "Trump, Biden and Harris", "Trump"),
        ("40 leaders", "President 40 leaders", "40 leaders"),  # not a name
        ("Beijing", "A sentence without it.", "Beijing"),  # not in the sentence
        ("Denny", "Diners flocked to Denny's on Monday.", "Denny's"),  # the name's 's
        ("McDonald", "McDonald's said it would raise prices.", "McDonald's"),
        ("Trump", "Trump's plan was rejected.", "Trump"),  # an owner's 's
        ("Gaga", "Lady Gaga sang at the event.", "Lady Gaga"),
        # the article that opens a name, when the name's phrase ends there
        ("Met Gala", "Stars arrived at the Met Gala on Monday.", "the Met Gala"),
        ("New York Times", "The New York Times reported it.", "The New York Times"),
        ("Beatles", "They covered the Beatles' songs.", "the Beatles"),
        ("Bahamas", "The storm moved to the Bahamas.", "the Bahamas"),
        ("moon", "The probe landed on the moon.", "the moon"),  # a common noun too
        ("Trump", "the Trump administration said", "Trump"),  # "the" is the phrase's
        ("moon", "the moon landing", "moon"),
        ("honey", "the honeymoon ended", "honey"),  # not inside a word
        ("Anchorage", "in the Anchorage, Alaska, area", "Anchorage, Alaska"),
        ("Donald Trump", "the President Donald Trump said", "President Donald Trump"),
        ("Russia", "Talks on the Russia-Ukraine war stalled.", "Russia"),  # a compound's
        ("Israel", "the Israel–Hamas war", "Israel"),
        ("Paris", "in the Paris of the 1920s", "Paris"),
        ("Apple", "the Apple seed", "Apple"),  # a noun in -ed is no verb
        ("Met", "the Metis said", "Met"),  # found inside a word
        ("Kremlin", "The Kremlin decided.", "The Kremlin"),
    ],
)  # fmt: skip
def test_short_answers_are_shown_as_the_sentence_names_them(
    text: str, sentence: str, shown: str
) -> None:
    assert full_span(text, sentence) == shown


def test_a_surname_is_shown_as_the_passage_first_wrote_the_name() -> None:
    passage = (
        "Astronaut John Glenn flew in 1962. Later, Glenn said the astronaut's life was fine. "
        "The Detroit Lions won. The Lions lost. In Washington, Biden spoke. President Joe "
        "Biden left. Kamala Harris ran. Harris lost."
    )
    assert full_span("Glenn", "Later, Glenn said it was fine.", passage) == "John Glenn"
    assert full_span("Harris", "Harris lost.", passage) == "Kamala Harris"  # opens a sentence
    assert full_span("Lions", "The Lions lost.", passage) == "Detroit Lions"
    assert full_span("Biden", "In Washington, Biden spoke.", passage) == "Joe Biden"
    assert full_span("Washington", "In Washington, Biden spoke.", passage) == "Washington"
    assert full_span("Glenn", "Later, Glenn said it was fine.") == "Glenn"  # no passage
    other = "Ask the CDC. Pollen is high. Wile E. Coyote ran. Coyote fell. Taking Tylenol hurts?"
    assert full_span("Tylenol", "Tylenol hurts.", other) == "Tylenol"
    assert full_span("Pollen", "Pollen is high.", other) == "Pollen"  # not "CDC. Pollen"
    assert full_span("Coyote", "Coyote fell.", other) == "Wile E. Coyote"


@pytest.mark.slow
def test_a_name_is_answered_with_its_title(news_assistant: Any) -> None:
    article = {
        "id": "visit",
        "title": "Leaders meet in Alaska",
        "outlet": "Daily Wire Service",
        "published": "2025-08-15",
        "text": "Russian President Vladimir Putin met Ukrainian envoys in Anchorage, Alaska, on "
        "Friday. The talks lasted three hours, officials said.",
    }
    assistant = news_assistant(article)
    who = assistant.ask("Who met Ukrainian envoys on Friday?", as_of="2025-08-16")
    assert who.short == "Russian President Vladimir Putin"
    assert who.text.startswith("Russian President Vladimir Putin [1].")
    where = assistant.ask("In which city did the talks with Ukrainian envoys take place?")
    assert where.short == "Anchorage, Alaska"


def test_ordinals_are_not_counts_and_peoples_are_not_names() -> None:
    found = spans("This is to attend the 3rd Belt and Road forum on the 17th with 40 leaders.")
    assert ("40 leaders", "number") in found or ("40", "number") in found
    assert ("3", "number") not in found
    assert ("17", "number") not in found
    question = "Who said the leaders would gain from the summit?"
    people = [sentence("Choi Hyun-june said North Korean leaders would gain from it.", 1.0, "a")]
    assert expected_type(question).kind == "person"
    assert short(question, people) == "Choi Hyun-june"  # not "North Korean"


@pytest.mark.parametrize(
    ("phrase", "people"),
    [
        ("North Korean", True),
        ("South Africans", True),
        ("Afghans", True),
        ("Republicans", False),  # a party's members answer "which party"
        ("Muslims", False),
        ("Texans", False),  # not in the lexicon: a team's name, too
        ("Westerns", False),  # films
        ("South Africa", False),
    ],
)
def test_a_people_is_no_name_that_answers(phrase: str, people: bool) -> None:
    assert is_demonym(phrase.lower()) is people


def test_both_later_in_the_question_does_not_ask_for_two() -> None:
    assert expected_type("Which two cities hosted the meetings?").plural is True
    assert expected_type("Which city hosted both the forum and the parade?").plural is False


@pytest.mark.slow
def test_a_question_for_a_name_or_number_with_none_in_the_passages_is_declined(
    news_assistant: Any,
) -> None:

    article = {
        "id": "fair",
        "title": "Glenmoor autumn fair returns",
        "outlet": "Glenmoor Gazette",
        "published": "2024-10-01",
        "text": "The Glenmoor autumn fair returned to the market square on Saturday. Stalls sold "
        "apples, cider and woollen scarves, and a brass band played until dusk. Organisers "
        "said the fair was a success and thanked the volunteers.",
    }
    # The hand-set rules decline for want of a phrase of the asked kind; a question that asks
    # for no particular kind is still answered.
    assistant = news_assistant(article, abstention="rules")
    learned = news_assistant(article, abstention="learned")
    for question in (
        "How many visitors came to the Glenmoor autumn fair?",
        "Who organised the Glenmoor autumn fair?",  # no name in the passage: declined
    ):
        for policy in (assistant, learned):
            declined = policy.ask(question)
            assert declined.abstained is True, question
            assert declined.short is None
    answered = assistant.ask("What did stalls sell at the Glenmoor autumn fair?")
    assert answered.abstained is False


@pytest.mark.parametrize(
    ("question", "qtype"),
    [
        ("When did Kim last visit China?", "when"),
        ("And when was the parade held?", "when"),
        ("What did Kim and Xi agree on when they met in Beijing?", "what"),
        ("Who spoke when the summit opened?", "who"),
    ],
)
def test_when_as_a_conjunction_does_not_ask_for_a_date(question: str, qtype: str) -> None:
    from rag.answer.question import analyse

    assert analyse(question).qtype == qtype


def test_two_answers_for_which_two() -> None:
    from rag.answer.shortform import wanted_count

    assert wanted_count("Which two cities hosted the summits?") == 2
    assert wanted_count("Which city hosted both summits?") == 1
    assert wanted_count("Who hosted the summit?") == 1
    question = "Which two cities hosted the summits?"
    ranked = [
        sentence("The first summit was held in Samarkand on Thursday.", 1.0, "a"),
        sentence("Leaders met again in Beijing a year later, officials said.", 0.95, "b"),
        sentence("The Chinese Foreign Ministry said it welcomed the talks.", 0.9, "c"),
    ]
    terms = ("summit", "host", "citi")
    found = pick_shorts(question, terms, expected_type(question), ranked, None, n=2)
    assert [short.text for short in found] == ["Samarkand", "Beijing"]
    assert [short.sentence.passage.doc_id for short in found] == ["a", "b"]
    assert [short.stories for short in found] == [1, 1]


def test_which_two_takes_two_phrases_of_the_asked_kind_from_two_passages() -> None:
    question = "Which two cities hosted the summits?"
    terms = ("summit", "host", "citi")
    atype = expected_type(question)
    # The best sentence names a city and a meeting "in" which people spoke: the meeting is
    # no city; the second city comes from its own passage.
    ranked = [
        sentence(
            "Lavrov spoke at the China-Russia Foreign Ministers' Meeting held in Beijing.",
            1.0,
            "a",
        ),
        sentence("The first summit was held in Samarkand on Thursday.", 0.95, "b"),
    ]
    found = pick_shorts(question, terms, atype, ranked, None, n=2)
    assert sorted((x.text, x.sentence.passage.doc_id) for x in found) == [
        ("Beijing", "a"),
        ("Samarkand", "b"),
    ]
    # Two cities in one passage only: never the same passage twice; the single best city.
    one = [sentence("Summits were held in Samarkand and later in Beijing.", 1.0, "a")]
    assert [x.text for x in pick_shorts(question, terms, atype, one, None, n=2)] == ["Samarkand"]
    # A second phrase that is not clearly a city: one answer, not "Samarkand and Seoul".
    weak = [
        sentence("The first summit was held in Samarkand on Thursday.", 1.0, "a"),
        sentence("Seoul and Tokyo officials watched the summit closely.", 0.99, "b"),
    ]
    assert [x.text for x in pick_shorts(question, terms, atype, weak, None, n=2)] == ["Samarkand"]


@pytest.mark.slow
def test_which_two_cities_cites_both_articles(assistant: Any) -> None:
    answer = assistant.ask(
        "Which two cities hosted the Xi-Putin meetings reported in 2022 and 2025?"
    )
    # In a list a place is shown without its region: "Samarkand, Uzbekistan and Beijing"
    # would read as three places.
    assert answer.short == "Samarkand and Beijing"
    assert answer.text.startswith(f"{answer.short} [1] [2].")
    # One city from each year the question names, cited from that year's article (not
    # Beijing from a 2023 article on another meeting).
    assert {c.doc_id for c in answer.citations[:2]} == {
        "002_aaca5e63689b7572",
        "000_075620075a1fb010",
    }


@pytest.mark.slow
def test_a_yes_no_question_settled_by_a_negation_is_answered_no(news_assistant: Any) -> None:

    article = {
        "id": "bridge",
        "title": "Harbour bridge plans stall",
        "outlet": "Glenmoor Gazette",
        "published": "2024-10-01",
        "text": "The council has never approved a second harbour bridge, despite three "
        "proposals since 2015. Engineers said the current bridge needs repairs by 2027.",
    }
    assistant = news_assistant(article, abstention="never")
    answer = assistant.ask("Has the council approved a second harbour bridge?")
    assert answer.short == "No"
    assert answer.text.startswith("No. “The council has never approved")


def test_common_noun_answers_keep_their_modifier() -> None:
    assert [c.text for c in nouns("Shoppers bought canned tuna.")] == [
        "Shoppers bought",
        "bought",
        "canned tuna",
        "tuna",
    ]
    assert [c.text for c in nouns("Bird flu is spreading.")] == [
        "Bird flu",
        "flu",
        "spreading",
    ]


def test_a_country_or_us_state_is_no_city() -> None:
    city = expected_type("In which city did the talks take place?")
    sentence = "Putin met them in Anchorage, Alaska, and later in New York."
    found = {c.text: c for c in find_candidates(sentence)}
    assert fit(city, found["Alaska"], sentence) == 0.0
    assert fit(city, found["Anchorage"], sentence) == 1.0
    assert fit(city, found["New York"], sentence) == 1.0  # a city of a state's name


def test_a_country_or_us_state_is_no_sea_river_or_stadium() -> None:
    sea = expected_type("In which sea did China and Russia hold exercises?")
    region = expected_type("In which region did the floods hit?")
    sentence = "China and Russia held drills in the East Sea off North Korea and Alaska."
    found = {c.text: c for c in find_candidates(sentence)}
    assert (sea.kind, sea.head) == ("place", "sea")
    assert fit(sea, found["East Sea"], sentence) == 1.0
    assert fit(sea, found["North Korea"], sentence) == 0.0
    assert fit(sea, found["Alaska"], sentence) == 0.0
    assert fit(region, found["North Korea"], sentence) == 1.0  # a country may be a region
    seas = expected_type("Which seas did the drills cover?")
    assert fit(seas, found["North Korea"], sentence) == 0.0
    river = expected_type("Which river flooded?")  # the Mississippi, the Jordan
    assert fit(river, found["Alaska"], sentence) == 0.5


def test_two_names_joined_before_a_word_of_relation_are_no_one_of_them() -> None:
    city = expected_type("In which city were the talks held?")
    who = expected_type("Who attended the summit?")
    pair = expected_type("Which two leaders met?")
    sentence = (
        "Officials met in Seoul for the Seoul-Beijing security talks after the Kim-Putin summit."
    )
    found = {c.text: c for c in find_candidates(sentence)}
    assert fit(city, found["Seoul"], sentence) == 1.0
    assert fit(city, found["Seoul-Beijing"], sentence) == 0.3
    assert fit(who, found["Kim-Putin"], sentence) == 0.3
    assert fit(pair, found["Kim-Putin"], sentence) == 1.0
    # One name: no word of relation follows, a function word stands between, the name is
    # longer than the pair, or the pair is one place.
    club = expected_type("Which club won?")
    region = expected_type("In which region did fighting resume?")
    for question, text, name, expected in [
        (who, "Jacob Rees-Mogg spoke.", "Jacob Rees-Mogg", 1.0),
        (who, "Jacob Rees-Mogg said the trade figures were bad.", "Jacob Rees-Mogg", 1.0),
        (club, "Rolls-Royce signed the deal.", "Rolls-Royce", 0.8),
        (club, "Paris Saint-Germain won the match.", "Paris Saint-Germain", 0.8),
        (club, "Al-Hilal match reports", "Al-Hilal", 0.8),
        (region, "Fighting in the Nagorno-Karabakh conflict resumed.", "Nagorno-Karabakh", 1.0),
    ]:
        found = {c.text: c for c in find_candidates(text)}
        assert fit(question, found[name], text) == expected, text


def test_a_korean_name_is_a_person_whatever_its_surname_means() -> None:
    who = expected_type("Which professor was quoted?")
    sentence = "Park Won-gon said so, walking in Gorky Park."
    found = {c.text: c for c in find_candidates(sentence)}
    assert fit(who, found["Park Won-gon"], sentence) == 1.0
    assert fit(who, found["Gorky Park"], sentence) == 0.3


def test_a_country_or_us_state_is_seldom_the_company() -> None:
    chain = expected_type("Which supermarket chain will close 60 stores?")
    sentence = "Kroger, based in Ohio, will close 60 stores across Texas and Canada."
    found = {c.text: c for c in find_candidates(sentence)}
    assert fit(chain, found["Kroger"], sentence) == 0.8
    assert fit(chain, found["Ohio"], sentence) == 0.2
    assert fit(chain, found["Canada"], sentence) == 0.2


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("He flew to New York on Monday.", ["New York"]),
        ("New Zealand won the final.", ["New Zealand"]),
        ("They met in New Delhi.", ["New Delhi"]),
        ("New CEO Jane Doe spoke.", ["Jane Doe"]),  # "New" before a title is no name
        ("New rules apply.", []),
        # The words that open a title belong to it: "Russian Foreign" is no name.
        (
            "Russian Foreign Minister Sergey Lavrov met Chinese Foreign Minister Wang Yi.",
            ["Russian", "Sergey Lavrov", "Chinese", "Wang Yi"],
        ),
        ("Deputy Prime Minister Chrystia Freeland resigned.", ["Chrystia Freeland"]),
        ("US Defense Secretary Lloyd Austin met Vice President Kamala Harris.",
         ["US", "Lloyd Austin", "Kamala Harris"]),
        # Not the second half of a pair either ("Wang Yi and Russian" is no name).
        ("Wang Yi and Russian Foreign Minister Sergey Lavrov met.",
         ["Wang Yi", "Russian", "Sergey Lavrov"]),
        # Not before a title, the same words stay in the name.
        ("The Chinese Foreign Ministry said so.", ["Chinese Foreign Ministry"]),
        # A department that ends a name stays in it.
        ("Homeland Security Secretary Kristi Noem spoke.", ["Homeland Security", "Kristi Noem"]),
        ("Russian Defense Minister Andrei Belousov spoke.", ["Russian", "Andrei Belousov"]),
        # A name made an adjective is the name before the suffix.
        ("A Cold War-style bloc, a US-centric order and Kremlin-backed media.",
         ["Cold War", "US", "Kremlin"]),
        ("Park Won-gon of the Kremlin-backed group said so.", ["Park Won-gon", "Kremlin"]),
        ("The Iran-backed Houthis attacked.", ["Iran", "Houthis"]),
    ],
)  # fmt: skip
def test_name_candidates_around_titles(sentence: str, names: list[str]) -> None:
    """ "New" opens a name unless a title follows; the words that open a title are no name."""
    assert [c.text for c in find_candidates(sentence) if c.kind == "name"] == names


@pytest.mark.parametrize(
    ("text", "no"),
    [
        ("The two sides did not issue a separate joint statement.", True),
        ("A three-way summit has never been held.", True),
        ("He did not confirm the report.", True),
        # only that something is not known yet: the question stays open
        ("It has not been confirmed whether a separate trilateral summit will be held.", False),
        ("Officials did not say whether the talks would resume.", False),
        ("It is not clear if Kim will attend.", False),
        ("It is not yet known who will lead the delegation.", False),
        ("It is not clear whether Kim will attend, but no deal was signed.", True),
        # a denial with a wh-word later in the sentence; a number that is no denial
        ("Russia has not confirmed the deal, which Reuters reported on Monday.", True),
        ("Kim said the relations were a No. 1 priority.", False),
    ],
)
def test_a_sentence_says_no_only_when_something_did_not_happen(text: str, no: bool) -> None:
    from rag.answer.evidence import says_no

    assert says_no(text) is no


@pytest.mark.parametrize(
    ("sentence_text", "names"),
    [
        ("Following the summit, China acted.", ["China"]),
        ("Citing a report, Lavrov spoke.", ["Lavrov"]),
        ("Beijing has welcomed it.", ["Beijing"]),
        ("Beijing to host the talks.", ["Beijing"]),
        ("Beijing on Monday said so.", ["Beijing"]),
        ("Beijing this week announced tariffs on US chips.", ["Beijing", "US"]),
        ("Boeing this month delivered 40 jets.", ["Boeing"]),
    ],
)
def test_a_participle_opening_a_sentence_is_no_name(sentence_text: str, names: list[str]) -> None:
    from rag.answer.candidates import find_candidates

    assert [c.text for c in find_candidates(sentence_text) if c.kind == "name"] == names


def test_a_place_in_a_list_is_shown_without_its_region() -> None:
    from rag.answer.candidates import full_span

    text = "Xi met Putin in Samarkand, Uzbekistan, on September 15."
    assert full_span("Samarkand", text) == "Samarkand, Uzbekistan"
    assert full_span("Samarkand", text, region=False) == "Samarkand"


@pytest.mark.parametrize(
    ("question", "kind", "head"),
    [
        # typed as keywords: the noun phrase's last word, or the word before "that ..."
        ("russian outlet that reported putin motorcade arriving at state guesthouse", "org",
         "outlet"),
        ("park won-gon university", "org", "university"),
        ("sco summit 2025 host city", "city", "city"),
        # no known head: nothing asked for in particular
        ("putin trip beijing 2023", "none", None),
        # a sentence to complete is no keyword query
        ("During the trial this week, it was revealed his legal team sent opposing lawyers:",
         "none", None),
        # a question that opens with a phrase, or a request
        ("In 2023, did Putin visit the country?", "none", None),
        ("Tell me about the new Fed chair", "none", None),
        ("Summarize the talks with the minister", "none", None),
    ],
)  # fmt: skip
def test_a_keyword_query_asks_for_its_head(question: str, kind: str, head: str | None) -> None:
    atype = expected_type(question)
    assert (atype.kind, atype.head) == (kind, head)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Unlike his 2018 visit to China, Putin chose a car.", ["China", "Putin"]),
        ("Remember, Chinese President Xi Jinping was in France.",
         ["Chinese", "Xi Jinping", "France"]),
        ("Most Americans backed the deal.", ["Americans"]),
        ("Despite the talks, Moscow stayed silent.", ["Moscow"]),
        # inside a sentence such a word may open a name
        ("Analysts at Every Town for Gun Safety said so.", ["Analysts",
                                                            "Every Town for Gun Safety"]),
        ("He saw Another Round twice.", ["Another Round"]),
    ],
)  # fmt: skip
def test_a_word_that_opens_a_sentence_is_no_name(text: str, names: list[str]) -> None:
    assert [c.text for c in find_candidates(text) if c.kind == "name"] == names


def test_a_country_is_no_site() -> None:
    question = "At what site in the Russian Far East did Kim and Putin hold their summit?"
    atype = expected_type(question)
    sentence = "Kim met Putin at the Vostochny Cosmodrome in Russia."
    found = {c.text: c for c in find_candidates(sentence)}
    assert fit(atype, found["Russia"], sentence) == 0.0
    assert fit(atype, found["Vostochny Cosmodrome"], sentence) == 1.0


# --- names the other sentences tell apart --------------------------------------------------


def test_name_context_collects_names_written_inside_sentences_and_names_placed() -> None:
    names = name_context(
        [
            "Significant talks are expected as Oslo welcomes a delegation.",
            "The mayors met in Bergen on Monday, and in Oslo's city hall in May.",
            "Mayor Lena Holt said the talks at the Bergen Ferry Terminal went well.",
        ]
    )
    assert {"Oslo", "Bergen", "Lena", "Holt"} <= names.inner
    assert "Significant" not in names.inner  # only ever opens a sentence
    # "in Oslo's city hall" places the hall, not Oslo; a run of capitals may be a person
    assert names.placed == frozenset({"bergen"})


def test_a_place_or_a_sentence_opener_is_no_person() -> None:
    names = name_context(
        [
            "Significant talks are expected as Oslo welcomes a delegation.",
            "The delegation arrived in Oslo and in Bergen.",
            "Holt met Berg. Lena Holt led the talks.",
            "Voters put their trust in Holt.",
        ]
    )
    opener = "Significant talks are expected as Oslo welcomes a delegation."
    assert person_fit(0.6, Candidate("Significant", "name", 0, 11), opener, names) == 0.0
    assert person_fit(0.6, Candidate("Oslo", "name", 35, 39), opener, names) == 0.0
    pair = "Oslo and Bergen held talks."
    assert person_fit(1.0, Candidate("Oslo and Bergen", "name", 0, 15), pair, names) == 0.0
    # a name also written inside a sentence, or opening one before a capital, stays
    assert person_fit(0.6, Candidate("Holt", "name", 0, 4), "Holt met Berg.", names) == 0.6
    said = "Berg said so."
    assert person_fit(0.6, Candidate("Berg", "name", 0, 4), said, names) == 0.6
    assert person_fit(0.6, Candidate("Lena Holt", "name", 0, 9), "Lena Holt led.", names) == 0.6
    # "trust in Holt" places no one: Holt is written as a surname ("Lena Holt")
    assert "holt" not in names.placed


@pytest.mark.slow
def test_who_led_is_not_answered_with_a_sentence_opener_or_a_place(news_assistant: Any) -> None:
    """The articles say a delegation came, not who led it: neither the adjective that opens
    the sentence nor the city that welcomes it is a person."""
    article = {
        "id": "fjord1",
        "title": "Delegation arrives for the Oslo winter games",
        "outlet": "Fjord Post",
        "published": "2023-09-20",
        "text": "Significant talks are expected as Oslo welcomes a Danish delegation to the "
        "winter games on the 23rd.\n\nThe games open in Oslo on Saturday.\n\n"
        "Mayor Lena Holt said the city was ready.",
    }
    assistant = news_assistant(article)
    for question in (
        "Who led the Danish delegation to the Oslo winter games?",
        "Who headed the Danish side at the winter games?",
    ):
        answer = assistant.ask(question, as_of="2023-09-21")
        assert answer.short not in ("Significant", "Oslo"), question
        assert not answer.text.startswith(("Significant", "Oslo")), question


def test_a_person_of_another_people_than_the_one_asked_for_is_none() -> None:
    sentences = [
        "Russian President Vladimir Putin met North Korean leader Kim Jong-un.",
        "Chinese Foreign Minister Wang Yi was there too.",
    ]
    asked = name_context(sentences, "Who headed the Chinese delegation at the talks?")
    assert asked.asked == "chinese"
    assert asked.people["putin"] == "russian" and asked.people["jong-un"] == "north korean"
    said = "Putin and Wang Yi spoke."
    assert person_fit(0.6, Candidate("Putin", "name", 0, 5), said, asked) == 0.0
    assert person_fit(1.0, Candidate("Wang Yi", "name", 10, 17), said, asked) == 1.0
    # The people of someone else in the question ("the Chinese president") says nothing
    # of the person asked for.
    met = name_context(sentences, "Who did the Chinese president meet?")
    assert met.asked is None
    assert person_fit(0.6, Candidate("Putin", "name", 0, 5), said, met) == 0.6


def test_what_places_no_one() -> None:
    names = name_context(
        [
            "Voters put their trust in Donald Trump, and shots were fired at Trump.",
            "Talks in the Biden administration stalled; officials in Xi Jinping's government",
            "He lives near Musk’s factory and works at Apple in Cupertino.",
            "Ocasio-Cortez said so; so said Ocasio-Cortez, and O'Brien agreed with Lee.",
        ]
    )
    assert names.placed == frozenset({"apple", "cupertino"})
    assert {"Ocasio-Cortez", "O'Brien"} <= names.inner
    opener = "Ocasio-Cortez said the plan was bad."
    assert person_fit(0.6, Candidate("Ocasio-Cortez", "name", 0, 13), opener, names) == 0.6


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Who headed the Chinese delegation at the talks?", "chinese"),
        ("who were the chinese officials at the dialogue", "chinese"),
        ("Who is the Welsh secretary?", "welsh"),
        ("Who is the North Korean foreign minister that Lavrov met?", "north korean"),
        ("Who is the Chinese president meeting in Moscow?", None),
        ("Who was the Russian president's guest?", None),
        ("Who did the Chinese president meet?", None),
    ],
)
def test_the_people_of_the_person_asked_for(question: str, asked: str | None) -> None:
    assert name_context([], question).asked == asked


def test_a_people_inside_another_and_a_name_of_two_peoples_conflict_with_nothing() -> None:
    names = name_context(
        [
            "Welsh Secretary David Davies spoke.",
            "North Korean leader Kim Jong Un met South Korean President Lee Jae Myung.",
            "South Korean minister Lee said so; North Korean envoy Lee agreed.",
        ],
        "Who were the British officials at the talks?",
    )
    said = "David Davies spoke."
    assert person_fit(1.0, Candidate("David Davies", "name", 0, 12), said, names) == 1.0
    assert "lee" not in names.people  # given two peoples
