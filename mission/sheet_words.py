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

import re
from functools import cache

from mission.adp_reference import ADPS, BOARDS, SCOTLAND

__all__ = ["may_say_sheet"]

_CHUNKS = re.compile(r"[^\W_]+")
"""A name's runs of letters (of any script) and digits: `Sheet1`, `2024`, `25`."""
_RUNS = re.compile(r"[^\W\d_]+|\d+")
"""A chunk's words and numbers: `Sheet`, `1`."""

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
    q fy cy v h wk pt demo set sets real
"""


@cache
def _words() -> frozenset[str]:
    """The words a sheet of a return may be named with: sheets' usual words, the contract's
    kinds and what they count, months, and every ADP's, board's and council area's name."""
    names = [SCOTLAND[0], *(board for board, _ in BOARDS)]
    for _code, name, board, aliases, areas in ADPS:
        names += [name, board, *aliases, *(area for area, _, _ in areas)]
    words = set(_SHEET_WORDS.split())
    for name in names:
        words.update(w.casefold() for w in _RUNS.findall(name))
    return frozenset(words)


@cache
def may_say_sheet(name: str) -> bool:
    """Whether a finding may say a sheet's name: each run of letters and digits in it one of
    words and numbers (`_said`), or a word of one or two letters alone (`Q`, `AB`). A name with
    neither (`---`) is said too: it holds nothing typed that could be an id."""
    return all(_said(chunk) for chunk in _CHUNKS.findall(name))


def _said(chunk: str) -> bool:
    """A run of letters and digits that may be said: a word sheets are named with (`_words`), a
    year from 1990 to 2100 or a number of one or two digits (`Sheet2`, `2024/25`), or up to three
    of these run together (`Sheet1`, `2025Q1`, `FY2024`); a word alone may also be one or two
    letters. Anything else (`QBZXKW`, `4821`, `7F3A91C2`, `AB12CD`) is not said."""
    runs = _RUNS.findall(chunk)
    if len(runs) == 1 and not chunk.isdigit() and len(chunk) <= 2:
        return True
    return len(runs) <= 3 and all(_known(run) for run in runs)


def _known(run: str) -> bool:
    if run.isdigit():
        return len(run) <= 2 or (len(run) == 4 and 1990 <= int(run) <= 2100)
    return run.casefold() in _words()
