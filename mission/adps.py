"""The 30 Alcohol and Drug Partnerships, and the resolver that turns what officers write into one.

Returns name ADPs in many ways: codes, display names, council names, S12 codes (old and new),
"Glasgow City ADP", "Perth & Kinross". `resolve_adp` accepts all of them, insensitive to case,
spacing and punctuation, and refuses — with suggestions — anything it cannot pin to one ADP.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

from mission.errors import MissionError
from mission.text import safe_text

__all__ = [
    "Adp",
    "AdpMatch",
    "AmbiguousAdp",
    "CouncilArea",
    "InvalidAdp",
    "NhsBoard",
    "UnknownAdp",
    "adp_by_code",
    "all_adps",
    "all_boards",
    "council_area_code",
    "match_adp",
    "normalise_name",
    "resolve_adp",
]

SCOTLAND_CODE = "S92000003"
_SUFFIXES = ("alcoholanddrugspartnership", "alcoholanddrugpartnership", "council", "adp")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


# Reference data the library ships, never parsed from a stranger: plain frozen dataclasses, so
# resolving an ADP (on every validation) costs no model machinery at start-up.


@dataclass(frozen=True, slots=True)
class NhsBoard:
    """An NHS board (S08 code): the health geography ADPs report within."""

    name: str
    code: str

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "code": self.code}


@dataclass(frozen=True, slots=True)
class CouncilArea:
    """A council area (S12 code); `old_codes` are codes retired by boundary changes."""

    name: str
    code: str
    old_codes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "code": self.code, "old_codes": list(self.old_codes)}


@dataclass(frozen=True, slots=True)
class Adp:
    """One Alcohol and Drug Partnership."""

    code: str
    name: str
    board: NhsBoard
    council_areas: tuple[CouncilArea, ...]
    aliases: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "board": self.board.to_dict(),
            "council_areas": [c.to_dict() for c in self.council_areas],
            "aliases": list(self.aliases),
        }


@dataclass(frozen=True, slots=True)
class AdpMatch:
    """How a piece of text resolved: the ADP, and a note when the mapping is worth telling."""

    adp: Adp
    text: str
    note: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"adp": self.adp.to_dict(), "text": safe_text(self.text), "note": self.note}


class InvalidAdp(MissionError, ValueError):
    """Text that does not name exactly one ADP.

    Attributes:
        value: the text as given.
        candidates: display names the user may have meant.
    """

    def __init__(self, value: str, message: str, candidates: tuple[str, ...]) -> None:
        self.value = value
        self.candidates = candidates
        super().__init__(message)


class UnknownAdp(InvalidAdp):
    """Text that names no ADP; `candidates` holds up to three nearest names, `reason` what the
    text is instead when that is known (Scotland, a code of another kind)."""

    def __init__(self, value: str, candidates: tuple[str, ...], reason: str | None = None) -> None:
        self.reason = reason
        hint = f": did you mean {_or_list(candidates)}?" if candidates else ""
        hint = f": {reason}" if reason else hint
        super().__init__(value, f"{value!r} is not a known ADP{hint}", candidates)


class AmbiguousAdp(InvalidAdp):
    """Text that could mean several ADPs (`Lanarkshire`); `candidates` lists them all."""

    def __init__(self, value: str, candidates: tuple[str, ...]) -> None:
        super().__init__(
            value,
            f"{value!r} could mean more than one ADP: {_or_list(candidates)}; name one",
            candidates,
        )


_GSS_CODE = re.compile(r"S\d{8}")
"""The shape of a statistical area code (S12 council, S08 board, S92 Scotland)."""


def _or_list(names: tuple[str, ...]) -> str:
    quoted = [repr(n) for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def normalise_name(text: str) -> str:
    """The key names are compared on: lower case, `&` as `and`, no punctuation or spacing."""
    key = _NON_ALNUM.sub("", str(text).lower().replace("&", "and"))
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key[: -len(suffix)]
    return key


class _Index(NamedTuple):
    adps: tuple[Adp, ...]
    boards: tuple[NhsBoard, ...]
    exact: dict[str, AdpMatch]
    ambiguous: dict[str, tuple[str, ...]]
    national: frozenset[str]


@cache
def _index() -> _Index:
    from mission.adp_reference import ADPS, AMBIGUOUS, BOARDS, SCOTLAND

    boards = {name: NhsBoard(name, code) for name, code in BOARDS}
    adps = tuple(
        Adp(
            code=code,
            name=name,
            board=boards[board],
            council_areas=tuple(CouncilArea(*area) for area in areas),
            aliases=aliases,
        )
        for code, name, board, aliases, areas in ADPS
    )
    exact = _names(adps)
    ambiguous = {normalise_name(k): v for k, v in AMBIGUOUS.items()}
    for board in boards.values():
        covered = [a for a in adps if a.board == board]
        if len(covered) == 1:
            exact.setdefault(normalise_name(board.name), AdpMatch(covered[0], board.name))
        else:
            ambiguous.setdefault(normalise_name(board.name), tuple(a.code for a in covered))
    national = frozenset(normalise_name(t) for t in SCOTLAND)
    return _Index(adps, tuple(boards.values()), exact, ambiguous, national)


def _names(adps: tuple[Adp, ...]) -> dict[str, AdpMatch]:
    """Every name an ADP is known by: code, name and aliases first, then its council areas
    (noting, for an ADP of several areas, which one was named)."""
    exact: dict[str, AdpMatch] = {}
    for adp in adps:
        for name in (adp.code, adp.name, *adp.aliases):
            exact.setdefault(normalise_name(name), AdpMatch(adp=adp, text=name))
    for adp in adps:
        combined = len(adp.council_areas) > 1
        for area in adp.council_areas:
            note = f"{area.name} is part of the {adp.name} ADP" if combined else None
            for text in (area.name, area.code, *area.old_codes):
                exact.setdefault(normalise_name(text), AdpMatch(adp=adp, text=text, note=note))
    return exact


@cache
def _council_area_codes() -> dict[str, str]:
    """Every way a council area of a shared ADP is named (name, code, old codes), normalised,
    to its code."""
    return {
        normalise_name(text): area.code
        for adp in all_adps()
        if len(adp.council_areas) > 1
        for area in adp.council_areas
        for text in (area.name, area.code, *area.old_codes)
    }


def council_area_code(text: str) -> str | None:
    """The code of the council area of a shared ADP that `text` names (Midlothian, S12000019),
    or None: a whole ADP, a council area that is an ADP on its own, or no area at all."""
    return _council_area_codes().get(normalise_name(text))


def all_adps() -> tuple[Adp, ...]:
    """The 30 ADPs, in the order of the reference list."""
    return _index().adps


def all_boards() -> tuple[NhsBoard, ...]:
    """The 14 NHS boards."""
    return _index().boards


def adp_by_code(code: str) -> Adp:
    """The ADP with this exact kebab-case code.

    Raises:
        UnknownAdp: no ADP has that code.
    """
    for adp in all_adps():
        if adp.code == code:
            return adp
    raise UnknownAdp(code, _suggest(code))


_STOP_WORDS = frozenset({"and", "adp", "city", "of", "the", "council", "partnership", "area"})
_WORD = re.compile(r"[0-9a-z]+")


def _words(text: str) -> tuple[str, ...]:
    words = _WORD.findall(str(text).lower().replace("&", " and "))
    return tuple(w for w in words if w not in _STOP_WORDS)


def _word_score(typed: tuple[str, ...], name: tuple[str, ...]) -> float:
    """How well the typed words fit a name's words: each typed word against its best match
    (`e` fits `east`, `lanark` fits `lanarkshire`, `edinbrugh` fits `edinburgh`)."""
    if not typed or not name or max(len(w) for w in typed) < 3:
        return 0.0
    total = 0.0
    for word in typed:
        best = 0.0
        for other in name:
            if word == other:
                best = 1.0
                break
            if other.startswith(word):
                best = max(best, 0.9)
            elif len(word) >= 4:
                best = max(best, difflib.SequenceMatcher(None, word, other).ratio())
        total += best
    return total / len(typed)


@lru_cache(maxsize=1024)
def _suggest(text: str) -> tuple[str, ...]:
    """Up to three ADP names the text most likely means, nearest first (remembered: a fuzzy
    match against every spelling of every ADP costs a millisecond or two, and a bad name is
    asked about for its hint and again for whether a finding may quote it).

    A name scores by the closest of its spellings (code, name, aliases, council areas): as a
    whole (`Glasgo`), as a start (`Clackmannan`), or word by word (`E Lothian`, `Lanark`). Only
    names within reach of the best are offered, so a near miss is not padded with strangers.
    """
    index = _index()
    text = text[:200]
    key = normalise_name(text)
    typed = _words(text)
    if not key:
        return ()
    scores: dict[str, float] = {}
    matcher = difflib.SequenceMatcher(None, "", key)
    for alias_key, found in index.exact.items():
        matcher.set_seq1(alias_key)
        score = (
            matcher.ratio() if matcher.real_quick_ratio() >= 0.6 <= matcher.quick_ratio() else 0.0
        )
        if len(key) >= 3 and alias_key.startswith(key):
            score = max(score, 0.95)
        elif len(key) >= 4 and key in alias_key:
            score = max(score, 0.85)
        score = max(score, _word_score(typed, _words(found.text)))
        name = found.adp.name
        scores[name] = max(scores.get(name, 0.0), score)
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] < 0.6:
        return ()
    best = ranked[0][1]
    return tuple(name for name, score in ranked[:3] if score >= max(0.6, best - 0.1))


def match_adp(text: str, *, suggest: bool = True) -> AdpMatch:
    """Resolve text to an ADP and say how (a note when a council maps into a combined ADP).

    Args:
        text: what was written.
        suggest: work out the nearest names when nothing matches (it costs a fuzzy match against
            every spelling of every ADP; a file with thousands of bad names asks for a few).

    Raises:
        UnknownAdp: nothing matches; up to three suggestions are attached.
        AmbiguousAdp: the text could mean several ADPs, all listed.
    """
    if not isinstance(text, str):
        raise UnknownAdp(repr(text), (), "an ADP is named by text (a code, name or alias)")
    index = _index()
    value = text.strip()
    key = normalise_name(value)
    found = index.exact.get(key)
    if found is not None:
        return dataclasses.replace(found, text=value)
    if key in index.ambiguous:
        names = tuple(adp_by_code(code).name for code in index.ambiguous[key])
        raise AmbiguousAdp(value, names)
    if key in index.national:
        raise UnknownAdp(
            value,
            (),
            "Scotland is the national total, not an ADP: leave its row out (mission adds "
            "the ADPs up itself)",
        )
    board = next((b for b in index.boards if b.code == value.upper()), None)
    if board is not None:
        names = tuple(a.name for a in index.adps if a.board == board)
        raise UnknownAdp(
            value,
            (),
            f"it is NHS {board.name}'s board code; a return names the ADP "
            f"({_or_list(names)}) or its council area",
        )
    if _GSS_CODE.fullmatch(value.upper()):
        # A statistical code is never a typo of a name: no guess at one.
        raise UnknownAdp(value, (), "no ADP, council area (S12) or NHS board (S08) has this code")
    raise UnknownAdp(value, _suggest(value) if suggest else ())


def resolve_adp(text: str) -> Adp:
    """The ADP that text names: a code, name, alias, council name or S12 code.

    Raises:
        UnknownAdp: nothing matches; up to three suggestions are attached.
        AmbiguousAdp: the text could mean several ADPs, all listed.
    """
    return match_adp(text).adp
