"""Years built from quarters: the rule that keeps publications of different dates safe together.

A yearly figure summed from quarters (rehab placements, naloxone kits) is published as the year
goes on: year to date after Q1, Q2 and Q3, then the whole year. Each publication is a table of
year-to-date counts, and the cells underneath all of them are the ADP × quarter counts: two
publications of the same year subtract to a quarter (Moray: 6 after Q2, 9 after Q3, so Q3 was 3).

The rule, a function of the quarters alone, so every publication of the year applies it alike:

- an ADP's year-to-date count is printed only if every quarter in it is 0 or at least 5 (once a
  quarter of 1–4 is in, the ADP stays `c` for the rest of the year, the whole year included);
  then any two printed figures of one ADP differ by a sum of quarters each 0 or 5 or more;
- the ADPs hidden at one date stay hidden at every later date of the year, and the hidden set
  always holds two ADPs or more whose counts to date add up to 5 or more and whose counts in
  each quarter add up to 0 or 5 or more (the smallest others are added, as secondary suppression
  would): Scotland's totals less the printed ADPs only ever give such sums over the hidden set,
  at one date or across dates, never one ADP's quarter;
- Scotland's year-to-date count is hidden once a quarter of Scotland's (the sum over ADPs) of
  1–4 is in, since two dates' totals subtract to it.

`mission.publish` hides these cells (and that total) in every year column built from quarters,
before the table's own suppression adds whatever its other figures need.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mission.disclosure.threshold import SMALLEST_SHOWN, is_small

__all__ = ["YearToDate", "year_to_date"]


@dataclass(frozen=True, slots=True)
class YearToDate:
    """What the rule hides at one date: the rows (ADPs) printed as `c`, and Scotland's total."""

    hidden: frozenset[str]
    total_hidden: bool


def _needs_company(hidden: set[str], quarters: Mapping[str, Sequence[int]], upto: int) -> bool:
    """One hidden row alone, or hidden rows whose counts to date add up to less than 5, or whose
    counts in one quarter add up to 1–4: Scotland's totals less the printed rows (at one date, or
    two dates apart) give those sums."""
    if not hidden:
        return False
    sums = [sum(quarters[r][k] for r in hidden) for k in range(upto)]
    return len(hidden) < 2 or sum(sums) < SMALLEST_SHOWN or any(is_small(s) for s in sums)


def _with_company(hidden: set[str], quarters: Mapping[str, Sequence[int]], upto: int) -> None:
    """Add the smallest other rows (by count to date) until the hidden set needs no more."""
    to_date = {row: sum(q[:upto]) for row, q in quarters.items()}
    others = sorted((v == 0, v, row) for row, v in to_date.items() if row not in hidden)
    while others and _needs_company(hidden, quarters, upto):
        hidden.add(others.pop(0)[2])


def year_to_date(quarters: Mapping[str, Sequence[int]], ended: int) -> YearToDate:
    """The rule at the end of quarter `ended` (1–4) of a year (see the module docstring).

    Args:
        quarters: each row's count per quarter, Q1 first (quarters not yet ended are ignored).
        ended: how many quarters of the year had ended at the publication's date.
    """
    hidden: set[str] = set()
    total_hidden = False
    for upto in range(1, ended + 1):
        hidden |= {row for row, q in quarters.items() if any(is_small(v) for v in q[:upto])}
        _with_company(hidden, quarters, upto)
        national = sum(q[upto - 1] for q in quarters.values() if len(q) >= upto)
        total_hidden = total_hidden or is_small(national)
    return YearToDate(frozenset(hidden), total_hidden)
