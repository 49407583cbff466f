"""Stage 2: strip page furniture from article text, keep the prose.

Scraped news carries navigation, share buttons, ad markers, "related" lists, photo
credits and copyright lines. These rules work line by line and generalise by shape
(short, no sentence punctuation, a furniture word) rather than listing known strings,
so they also hold for outlets the project has never seen.
"""

from __future__ import annotations

import re
import unicodedata

# Lines made only of these words (plus punctuation/arrows/counts) are UI furniture.
_FURNITURE_WORDS = (
    r"text size|font size|close|open|menu|search|share( this( post| article| story)?)?|"
    r"send( to)?|print|e-?mail|tweet|facebook|twitter|kakao(talk)?|whatsapp|linkedin|"
    r"advertisement|sponsored( content)?|ad|ads|newsletter|subscribe|sign ?in|log ?in|"
    r"sign up|register|top|back to top|go to top|scroll to top|home|next|previous|prev|"
    r"more|read more|see more|load more|related( posts| stories| articles| news)?|"
    r"most (viewed|read|popular)( articles| stories| news)?|trending( now| news)?|"
    r"popular( news| stories)?|latest( news| stories)?|recommended( stories)?|"
    r"special coverage|join us on social|follow us|skip to (main )?content|"
    r"bar_progress|comments?|reply|like|listen|audio|video|photo|gallery|copy link|"
    r"copy url|url copied|zoom in|zoom out|a\+|a-|english|korean|한국어|본문 바로가기"
)
_FURNITURE_LINE = re.compile(
    rf"^[\s\-–—•·|>»«<*#]*(?:{_FURNITURE_WORDS})(?:[\s\-–—•·|/,:]+(?:{_FURNITURE_WORDS}))*"
    r"[\s\-–—•·|:>»«<*#\d()!.…]*$",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(
    r"(©|ⓒ|\(c\)\s|copyright\b|all rights reserved|unauthorized reproduction|"
    r"reproduction (and|or) redistribution|무단\s*전재|재배포\s*금지)",
    re.IGNORECASE,
)
_BUTTON = re.compile(r"^((click|tap|press) )?(the |this )?button\b|\bclick (here|to)\b", re.I)
_BYLINE_LINE = re.compile(r"^(?:By|BY|by) [A-Z][\w'-]+( [A-Z][\w'-]+){0,3}(, [\w ]{0,40})?$")
_CONTACT = re.compile(
    r"^(please )?(direct|send) (your )?(questions|comments|tips|feedback)\b", re.IGNORECASE
)
_PHOTO_CREDIT = re.compile(r"^[\[(]?(photo|image|사진|source)\s*[:=][^.]{0,60}[\])]?$", re.I)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_SENTENCE_END = re.compile(r"[.!?\"”’'»)]\s*$")
_WS = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalize_whitespace(text: str) -> str:
    """NFC, no control characters, single spaces inside lines, Unix newlines."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return "\n".join(_WS.sub(" ", line).strip() for line in text.split("\n"))


def is_boilerplate(line: str) -> bool:
    """True when a single (whitespace-normalised) line is page furniture, not prose.

    Args:
        line: one line of text, without its newline.
    """
    stripped = line.strip()
    if not stripped:
        return True
    words = stripped.split()
    if _FURNITURE_LINE.match(stripped):
        return True
    if _COPYRIGHT.search(stripped) and len(words) <= 25:
        return True
    if _CONTACT.match(stripped):
        return True
    if _BUTTON.search(stripped) and len(words) <= 15:
        return True
    if _BYLINE_LINE.match(stripped) and len(words) <= 8:
        return True
    if _PHOTO_CREDIT.match(stripped):
        return True
    # Lines mostly in Hangul inside an English article: UI labels of Korean sites.
    hangul = len(_HANGUL.findall(stripped))
    if hangul and len(words) <= 4 and hangul >= len(stripped.replace(" ", "")) * 0.5:
        return True
    # A lone word with no letters of a sentence (e.g. "Top", "Newsletter", "≡").
    if len(words) == 1 and len(stripped) <= 3 and not stripped.isdigit():
        return True
    return False


def clean_text(raw: str, drop_lines: tuple[str, ...] = ()) -> str:
    """Return the article prose: furniture lines removed, repeats dropped, paragraphs kept.

    Args:
        raw: the text as extracted from the file.
        drop_lines: exact lines to remove as well (e.g. a dateline already read as metadata).

    Returns:
        Paragraphs separated by one blank line; an empty string when nothing is prose.
    """
    lines = normalize_whitespace(raw).split("\n")
    drop = {d.strip() for d in drop_lines if d.strip()}
    kept: list[str] = []
    seen: set[str] = set()
    for line in lines:
        if not line or line in drop or is_boilerplate(line):
            continue
        key = line.casefold()
        # Photo captions and headlines are often repeated verbatim; keep the first copy.
        if key in seen:
            continue
        seen.add(key)
        kept.append(line)
    _trim_trailing_furniture(kept)
    return "\n\n".join(kept)


def _trim_trailing_furniture(lines: list[str]) -> None:
    """Drop a byline-free tail of short non-sentences (lists of related headlines)."""
    while lines and len(lines[-1].split()) <= 3 and not _SENTENCE_END.search(lines[-1]):
        lines.pop()
