"""Which worksheet names a finding may say.

A sheet's name is typed content: a case-management export may name a sheet after the person
whose rows it holds (`QBZXKW`, `4821`, `John Smith`). Withholding by the run's ids finds only
ids that were read, and a hidden or unreadable sheet's never are; a rule for the shape of an
id lets through any that is shaped otherwise. So a name is said only when it is made of what
sheets of returns are named with (`ost`, `Data`, `Sheet1`, `Cover`, `OST Q1 2024/25`,
`Highland ADP`, `2025Q1`, `FY2024`, `Notes (2)`), and otherwise not at all: what may be shown
is decided, not what must be hidden.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from mission.adp_reference import ADPS, BOARDS, SCOTLAND

__all__ = ["may_say_sheet"]

_CHUNKS = re.compile(r"[^\W_]+")
"""A name's runs of letters (of any script) and digits: `Sheet1`, `2024`, `25`."""
_RUNS = re.compile(r"[^\W\d_]+|\d+")
"""A chunk's words and numbers: `Sheet`, `1`."""
_YEARS = re.compile(r"(?<![\d/-])(\d{4}|\d{2})\s*[/-]\s*(\d{4}|\d{2})(?!\d)(?!\s*[/-]\s*\d)")


def _one_year(found: re.Match[str]) -> bool:
    """Whether `_YEARS` found a financial year, its two years running on (`2024/25`,
    `2024-2025`, `24-25`), not a date (`2003-04-15`, `12/05`)."""
    first, second = found.group(1), found.group(2)
    return (int(first) + 1) % 100 == int(second) % 100 and (
        len(second) == 2 or int(second) == int(first) + 1
    )


def _has_financial_year(text: str) -> bool:
    return any(_one_year(found) for found in _YEARS.finditer(text))


def _first_years(text: str) -> str:
    """`text` with each financial year its first year alone (`2024/25` as `2024`)."""
    return _YEARS.sub(lambda f: f.group(1) if _one_year(f) else f.group(0), text)


_QUARTER = re.compile(r"(?i)(?<![^\W\d_])q\s*[1-4](?!\d)")

_SHEET_WORDS = """
    sheet data return returns cover front page notes note readme read me instructions guidance
    guide help lists list lookup lookups ref refs reference summary contents template info
    information about definitions definition glossary validation checks check totals total chart
    charts pivot table tables input inputs output outputs old new copy draft final backup archive
    previous last current latest this next quarter quarters quarterly year years annual yearly
    monthly month months week weeks submission submit submitted figures figure counts count
    numbers national local scotland scottish nhs board boards council area areas partnership
    partnerships adp adps alcohol drug drugs hidden do not use edit delete dont version rev
    revised revision updated update amended corrected fixed working work raw clean export import
    extract report reports dashboard overview detail details by of for and the to in on from all
    only part section blank example sample test staff contact contacts sign off signoff approval
    approved comments comment changes change log history dates date period periods source
    sources method methodology metadata meta dictionary codes code key keys values value main
    mission records record people services service team teams form forms response responses
    ost opioid substitution therapy rehab residential rehabilitation placements placement
    naloxone thn take home kits kit supplied mat standards standard assessment assessments
    episodes episode referrals referral waiting waits wait times time treatment treatments
    deaths death misuse population populations mid estimates estimate rates rate
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec spring summer autumn winter
    q qtr qtrs fy cy v ver wk pt demo set sets real census stats statistics results res resi
    result analysis analyses calc calcs calculation calculations workings working methadone
    buprenorphine diamorphine oral depot heroin opioid opioids drd drds nrs phs isd sg gov
    funding funded publicly first repeat supply supplies community pharmacy prison ambulance
    peer intranasal intramuscular numerical process experiential evidence rag status
    statuses blue green amber red provisional feuille tabelle hoja foglio blad arkusz
"""


_WORDS = frozenset(_SHEET_WORDS.split())
"""The words a sheet of a return may be named with: sheets' usual words, the contract's kinds
and what they count, months. Place names are not among them: they are taken whole (`_places`),
as `Angus Stirling` is a person's name made of two."""


@cache
def _places() -> re.Pattern[str]:
    """Every ADP's, board's and council area's name and alias, as whole words, longest first
    (`Perth and Kinross` before `Perth`; `&` for `and`)."""
    names = {SCOTLAND[0], *(board for board, _ in BOARDS)}
    for _code, name, board, aliases, areas in ADPS:
        names |= {name, board, *aliases, *(area for area, _, _ in areas)}
    # `and` is a word of its own (`Perth & Kinross`), never a part of one (`Highland`).
    words = ((("(?:and|&)" if w == "and" else re.escape(w)) for w in n.split()) for n in names)
    spelt = sorted((r"\s+".join(name) for name in words), key=len, reverse=True)
    return re.compile(rf"(?i)(?<![^\W_])(?:{'|'.join(spelt)})(?![^\W_])")


@cache
def may_say_sheet(name: str) -> bool:
    """Whether a finding may say a sheet's name: one place at most (an ADP's, board's or council
    area's name, whole), and each other run of letters and digits one of words and numbers
    (`_said`), with a word or a place among them (`Q3`, `Sheet 2`, `Highland ADP`; never `2020`,
    `AB`, `H7` or `QQ 12 34 56 C` alone), and no more than two digits outside its years (an id
    is often short runs of digits: `AB-12-34`, a birth date). A name with no letter or digit
    (`---`) is said too: it holds nothing typed that could be an id."""
    if not _CHUNKS.findall(name):
        return True
    places = len(_places().findall(name))
    if places > 1:  # `Angus Stirling`: a person's name as much as two places
        return False
    # A financial year's second part and a quarter's number are no stray digits.
    plain = _QUARTER.sub("Q", _first_years(_places().sub(" ", name)))
    chunks = _CHUNKS.findall(plain)
    runs = [run for chunk in chunks for run in _RUNS.findall(chunk)]
    stray = sum(len(r) for r in runs if r.isdigit() and not _year(r))
    worded = (
        places == 1
        or _has_financial_year(name)  # `2024/25`: no id is written so
        or any(r.casefold() in _WORDS for r in runs)
    )
    return worded and stray <= 2 and all(_said(chunk) for chunk in chunks)


def _said(chunk: str) -> bool:
    """A run of letters and digits that may be said: a word sheets are named with (`_WORDS`), a
    year (`_year`) or a number of one or two digits (`Sheet2`, `2024/25`), or up to three
    of these run together (`Sheet1`, `2025Q1`, `FY2024`); a word alone may also be one or two
    letters. Anything else (`QBZXKW`, `4821`, `7F3A91C2`, `AB12CD`) is not said."""
    runs = _RUNS.findall(chunk)
    if len(runs) == 1 and not chunk.isdigit() and len(chunk) <= 2:
        return True
    return len(runs) <= 3 and all(_known(run) for run in runs)


def _known(run: str) -> bool:
    if run.isdigit():
        return len(run) <= 2 or _year(run)
    return run.casefold() in _WORDS


def _year(run: str) -> bool:
    """A year a return's sheet may be named after: from 1990 to five years from now (`2045`
    alone may be an id's digits)."""
    return len(run) == 4 and run.isdigit() and 1990 <= int(run) <= _LAST_YEAR


_LAST_YEAR = dt.date.today().year + 5
