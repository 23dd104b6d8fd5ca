"""Text from strangers, made safe to show: one place decides how a character is displayed.

A file name, a cell or a target title can carry terminal escape sequences, bidi overrides that
reorder what a reader sees, lone surrogates that break UTF-8 encoders, or characters XML forbids.
`safe_text` shows each of them as a visible escape (`\\x1b`, `\\u202e`), so every output format
(terminal, JSON, JUnit XML, SARIF, Markdown, HTML) can carry the result as plain text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from mission.columns import INVISIBLE

__all__ = [
    "MAX_VALUE_LENGTH",
    "WITHHELD_WORDS",
    "date_shaped",
    "escape_markdown",
    "has_unsafe_characters",
    "listed",
    "safe_text",
    "whole_number",
    "with_article",
    "without_escapes",
    "without_quotes",
    "worded",
]

MAX_VALUE_LENGTH = 200

# C0 controls (tab and newline too: every shown value is one line), DEL and C1 controls, zero
# width and directional marks, line and paragraph separators, bidi embeddings and isolates, the
# byte-order mark, lone surrogates, and the non-characters XML 1.0 forbids.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff"
    "\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    if character in _NAMED:
        return _NAMED[character]
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(text: str, limit: int = MAX_VALUE_LENGTH) -> str:
    """`text` with every unsafe character shown as an escape, and at most `limit` characters.

    The text is cut before it is escaped, so a 50 MB cell costs no more than a short one.
    """
    if len(text) <= limit and text.isascii() and text.isprintable():
        return text  # printable ASCII holds nothing unsafe (most text, and the fast way out)
    cut = text[: limit + 1]
    cleaned = _UNSAFE.sub(_escape, cut)
    if len(cleaned) > limit or len(text) > limit:
        cleaned = cleaned[: limit - 1] + "…"
    return cleaned


def without_escapes(text: str) -> str:
    """`text` shown by `safe_text`, with the escapes it wrote (`\\t`, `\\x1f`, `\\u200b`) taken
    out: the visible characters alone."""
    return _ESCAPED.sub("", text)


_ESCAPED = re.compile(r"\\(?:[nrt]|x[0-9a-f]{2}|u[0-9a-f]{4})")


def has_unsafe_characters(text: str) -> bool:
    """Whether `safe_text` would change anything but the length."""
    return _UNSAFE.search(text) is not None


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")
_HTML_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def escape_markdown(text: str) -> str:
    """Text for a Markdown table cell or paragraph: nothing in it is read as markup, a link or
    an HTML tag (angle brackets and ampersands become entities, which Markdown shows as text)."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", safe_text(text, limit=2000))
    return re.sub(r"[&<>]", lambda m: _HTML_SPECIAL[m[0]], escaped)


_SEPARATORS = re.compile(r"[\s/\-.,:;&'()_]+")
_SAFE_TOKEN = re.compile(r"[^\W\d_]+|\d{1,4}|\d{1,2}(?:st|nd|rd|th)", re.IGNORECASE)


_MONTHS = frozenset(
    (
        *("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov"),
        *("dec", "january", "february", "march", "april", "june", "july", "august"),
        *("september", "october", "november", "december"),
    )
)


@lru_cache(maxsize=4096)
def worded(text: str) -> bool:
    """Whether `text` is made of words and short numbers only (`31st May 2024`, `Perth &
    Kinross`, `gp surgery`, `02-Apr-2024`): never a token that mixes letters and digits, or a
    long number, as a pseudonymised person id does, nor letters joined to numbers by a hyphen
    or a dot (`P-0042`) unless the letters are a month's. What a return of people's records
    may quote back. Cached: a file's bad cells repeat a few values over many rows."""
    return _of_words(text, years=False)


def cited(text: str) -> bool:
    """Whether `text` reads as a source is cited (`NRS mid-2023 population estimates`,
    `National Records of Scotland, 2023`): what `worded` allows, and a word joined to a year
    (`mid-2023`). What a publication may print of a return's free text: never a token that
    mixes letters and digits, or a long number, as a pseudonymised person id does."""
    return _of_words(text, years=True)


def _of_words(text: str, years: bool) -> bool:
    """Words and short numbers only, letters joined to numbers only in a month's name (or, with
    `years`, a word joined to a year)."""
    tokens = [t for t in _SEPARATORS.split(text) if t]
    if not tokens or not all(_SAFE_TOKEN.fullmatch(t) for t in tokens):
        return False
    return all(
        _joined_worded(chunk) or (years and _YEAR_JOINED.fullmatch(chunk) is not None)
        for chunk in re.split(r"[\s,]+", text)
        if chunk
    )


_YEAR_JOINED = re.compile(r"\(?[^\W\d_]+-(?:19|20)\d\d\)?[.;:]?")


@lru_cache(maxsize=8192)
def date_shaped(text: str) -> bool:
    """Whether `text` is shaped like a date: two to four numbers of at most four digits (a day
    may have its `st`), with at most month names besides (`2024-13-01`, `31 Feb 2024`, `05/31/2024
    09:30`), and nothing else. What a return of people's records may quote from a date cell: no
    person id is shaped so."""
    tokens = [t for t in _DATE_SEPARATORS.split(text.strip()) if t]
    numbers = [t for t in tokens if _DATE_NUMBER.fullmatch(t)]
    months = [t for t in tokens if t.lower().rstrip(".") in _MONTHS]
    return 2 <= len(numbers) <= 4 and len(numbers) + len(months) == len(tokens)


_DATE_SEPARATORS = re.compile(r"[\s/\-.,:]+")
_DATE_NUMBER = re.compile(r"\d{1,4}|\d{1,2}(?:st|nd|rd|th)", re.IGNORECASE)


def _joined_worded(chunk: str) -> bool:
    """A run without spaces that holds both letters and digits (`P-0042`, `02-Apr-2024`) is
    worded only when each of its words is a month."""
    parts = [p for p in _SEPARATORS.split(chunk) if p]
    words = [p for p in parts if p.isalpha()]
    if not words or len(words) == len(parts):
        return True
    return all(w.lower() in _MONTHS for w in words)


WITHHELD_WORDS = "the value in this cell"
"""What a finding says in place of a cell it may not quote."""


def without_quotes(
    values: str | Sequence[str], words: str | None, mention: str = WITHHELD_WORDS
) -> str | None:
    """`words` with every quotation of `values` (as `repr` gives them, or standing alone as
    words, in any case) replaced by a mention of the cell ("the value in this cell", or where
    another cell is: "in C16"). Only whole words are replaced, and the mention itself is never
    searched (an id `e` leaves "allowed" and "the value" whole). Words that say a value more
    than once, or still hold one after that, are replaced by the mention alone."""
    if words is None:
        return None
    texts = [values] if isinstance(values, str) else list(values)
    forms = {f for t in texts for f in (t, t.strip()) if f.strip()}
    if not forms:
        return words
    ordered = sorted(forms, key=len, reverse=True)
    quoted = "|".join(re.escape(repr(f)) for f in ordered)
    bare = "|".join(re.escape(f) for f in ordered)
    pattern = re.compile(f"{quoted}|(?<!\\w)(?:{bare})(?!\\w)", re.IGNORECASE)
    if len(pattern.findall(words)) > 1:
        # The words say the cell twice, so one is likely the rule's own (`Clackmannanshire is
        # part of the Clackmannanshire and Stirling ADP`): what is left would show it.
        return WITHHELD_WORDS
    marker = "\x00"
    # A quotation of the cell's escaped form keeps its quotes: they go with it.
    replaced = re.sub("(['\"])\x00\\1", marker, pattern.sub(marker, words))
    if pattern.search(replaced.replace(marker, " ")):
        return WITHHELD_WORDS
    return replaced.replace(marker, mention)


def spoken_forms(cell: str) -> list[str]:
    """The ways words may say a cell: as typed (or as `safe_text` shows it), as read
    (invisible characters and surrounding spaces gone), and a whole number as parsed and as a
    message may print it (`4,821`, `04821` and `4821.0` say `4821` and `4,821`)."""
    read = re.sub(INVISIBLE, "", without_escapes(cell)).strip()
    # Spaces run together as one (a period read as `P 7F3A91C2` from `P  7F3A91C2`).
    forms = [cell, read, " ".join(read.split())]
    # Digits parted by dots, commas, apostrophes or spaces, joined as a hint may write them
    # (`101.851.234` as `101851234`, `482.000` as `482000`).
    joined = _SEPARATED.sub("", read)
    if joined != read and joined.isdigit():
        forms.append(joined)
    for number in (read, joined):
        whole = whole_number(number)
        if whole is not None:
            forms += [whole, str(int(whole)), f"{int(whole):,}"]
    return list(dict.fromkeys(forms))


_SEPARATED = re.compile(r"(?<=\d)[.,'\s](?=\d)")


def whole_number(text: str) -> str | None:
    """`text` as a whole number is written, without `+`, thousands commas or a zero fraction
    (`+4,821.0` is `4821`, `04821` keeps its zeros); None when it is no whole number."""
    number = text.replace(",", "")
    if not _WHOLE_NUMBER.fullmatch(number):
        return None
    return number.split(".")[0].lstrip("+")


_WHOLE_NUMBER = re.compile(r"[+-]?\d+(?:\.0*)?")


def with_article(word: str) -> str:
    """`a mat`, `an ost`: a kind's name (or any word read by its letters) with its article."""
    return f"an {word}" if word[:1].lower() in "aeio" else f"a {word}"


def listed(words: list[str]) -> str:
    """Words as a list in prose: `a`, `a and b`, `a, b and c`."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" and {words[-1]}"
