"""Questions about the articles themselves: who wrote it, which outlet reported it, when it
was published. The answer is in the article's metadata, not in its sentences.

Why a separate step: the sentence scorer looks for the answer inside the text ("By Choi
Hyun-june" is often cleaned away as a byline), while the index keeps the author, outlet and
publication date of every chunk. The article is the one whose sentences match the rest of the
question best; its metadata answers, cited like any other answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rag.temporal import format_value
from rag.types import Passage

About = Literal["author", "outlet", "published"]

_ARTICLE = r"(?:article|report|story|piece|op-ed|column|editorial|dispatch|interview|coverage)"
_AUTHOR = re.compile(
    rf"\bwho\s+(?:wrote|authored|penned|filed|reported)\b[^?]*?\b{_ARTICLE}\b|"
    rf"\bwho\s+(?:is|was)\s+the\s+(?:author|writer|reporter|correspondent)\s+of\b[^?]*?\b{_ARTICLE}\b|"
    rf"\b(?:author|writer|byline)\s+of\s+the\b[^?]*?\b{_ARTICLE}\b",
    re.IGNORECASE,
)
_OUTLET = re.compile(
    r"\b(?:which|what)\s+(?:news\s+)?(?:outlet|newspaper|paper|publication|agency|"
    r"media(?:\s+outlet)?|broadcaster|website|site|magazine)\b[^?]*?"
    r"\b(?:report|reported|publish|published|carried|ran|run|printed|wrote)\b|"
    rf"\bwho\s+(?:published|ran|carried)\s+(?:the|this|that)\b[^?]*?\b{_ARTICLE}\b",
    re.IGNORECASE,
)
_PUBLISHED = re.compile(
    rf"\b(?:when|what\s+(?:date|day))\s+(?:was|were)\s+(?:the|this|that)\b[^?]*?\b{_ARTICLE}\b"
    r"[^?]*?\b(?:published|posted|released|written|filed)\b|"
    rf"\b(?:publication|publishing)\s+date\s+of\b[^?]*?\b{_ARTICLE}\b",
    re.IGNORECASE,
)


# A sentence that names the outlet or agency that reported what it says: "Russian media
# outlet RBC reported that ...", "According to China's state-run Xinhua News Agency, ...",
# "Ushakov told TASS". Only a name that looks like an outlet counts: a known agency's
# initials or a name with a word of the trade ("Apple reported record revenue", "According to
# Putin", "According to US officials", "The FBI reported" do not).
_OUTLET_NAME = (
    r"(?:(?:AP|AFP|RBC|TASS|CNN|BBC|NHK|KCNA|UPI|ABC|NBC|CBS|NPR|RIA|DPA|ANSA|EFE|PTI|ANI|KBS|"
    r"MBC|SBS|CCTV|RT|WSJ|NYT)\b|(?:[A-Z][\w&.’'-]*\s+){0,4}(?:News|Agency|Times|Post|Press|Daily|Journal|"
    r"Herald|Shimbun|Telegraph|Tribune|Gazette|Television|TV|Radio|Broadcasting|Network|"
    r"Media|Wire|Reuters|Bloomberg|Xinhua|Yonhap|Kyodo|Nikkei|Interfax|Politico|Axios)"
    r"(?:\s*\([A-Za-z]+\))?)"
)
_ATTRIBUTED = re.compile(
    rf"\b{_OUTLET_NAME}(?:\s+(?:news\s+agency|news\s+outlet|newspaper|broadcaster))?"
    r"\s+(?:reported|reports|has\s+reported|broke\s+the\s+news)\b|"
    rf"\b[Aa]ccording\s+to\s+(?:the\s+)?(?:[\w’'-]+\s+){{0,3}}{_OUTLET_NAME}\b|"
    rf"\btold\s+(?:the\s+)?{_OUTLET_NAME}\b"
)


# "Which newspaper first reported ...?", "Which outlet broke the news ...?"
_ASKS_FIRST = re.compile(
    r"\bfirst\s+(?:to\s+)?(?:report|reported|publish|published|break|broke)\b|"
    r"\bbroke\s+the\s+(?:news|story)\b",
    re.IGNORECASE,
)
# "Since the New York Times broke the news of ...", "Yonhap first reported ..."
_FIRST_REPORT = re.compile(
    rf"\b(?P<outlet>{_OUTLET_NAME})\s+(?:broke\s+the\s+(?:news|story)|first\s+reported|"
    r"was\s+the\s+first\s+to\s+report)\b"
)


def first_reporter(question: str, sentences: Sequence[str]) -> tuple[int, str] | None:
    """For "Which newspaper first reported ...?": the first of ``sentences`` that says an
    outlet broke the news or first reported it, and that outlet ("Since the New York Times
    broke the news of a North Korea-Russia summit ..."). The article's own outlet (its
    metadata) only carried the story. None for other questions or without such a sentence."""
    if not _ASKS_FIRST.search(question):
        return None
    for i, text in enumerate(sentences):
        found = _FIRST_REPORT.search(text)
        if found is not None:
            return i, found["outlet"].strip()
    return None


def names_reporter(question: str, sentence: str) -> bool:
    """A "Which agency reported that ...?" question whose best sentence names the outlet
    that reported it is answered from the sentence's words, not from the metadata of the
    article that carries it (which may be another outlet). A question about the article
    itself ("Which newspaper published the article on ...?") keeps the metadata."""
    return not re.search(rf"\b{_ARTICLE}\b", question, re.I) and bool(_ATTRIBUTED.search(sentence))


def about_article(question: str) -> About | None:
    """Which piece of an article's metadata the question asks for, or None.

    The question must name the article as such ("the Hankyoreh report", "the article"):
    "Who wrote the novel War and Peace?" is not about an article of the collection.
    """
    if _PUBLISHED.search(question):
        return "published"
    if _AUTHOR.search(question):
        return "author"
    if _OUTLET.search(question):
        return "outlet"
    return None


@dataclass(frozen=True)
class MetadataAnswer:
    """The value that answers, and the words that say it ("Choi Hyun-june [1] (“Signs of
    ...”, The Hankyoreh, 15 September 2023).")."""

    value: str
    text: str


def metadata_answer(kind: About, passage: Passage, marker: int) -> MetadataAnswer | None:
    """The answer from ``passage``'s article metadata; None when the index does not know it
    (an unknown author stays unknown)."""
    author = passage.metadata.get("author")
    published = passage.published.isoformat() if passage.published else None
    value = {
        "author": str(author) if author else None,
        "outlet": passage.outlet,
        "published": format_value(published) if published else None,
    }[kind]
    if not value:
        return None
    date = format_value(published) if published else None
    details = [f"“{passage.title}”" if passage.title else None]
    details += [passage.outlet if kind != "outlet" else None]
    details += [date if kind != "published" else None]
    if kind != "author" and author:
        details.append(f"by {author}")
    shown = ", ".join(d for d in details if d)
    return MetadataAnswer(value, f"{value} [{marker}]" + (f" ({shown})." if shown else "."))
