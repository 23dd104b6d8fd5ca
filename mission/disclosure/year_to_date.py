"""Years built from quarters: the rule that keeps publications of different dates safe together.

A yearly figure summed from quarters (rehab placements, naloxone kits) is published as the year
goes on: year to date after Q1, Q2 and Q3, then the whole year. Each publication is a table of
year-to-date counts, and the cells underneath all of them are the ADP × quarter counts: two
publications of the same year subtract to a quarter (Moray: 6 after Q2, 9 after Q3, so Q3 was 3).

The rule, a function of the quarters alone, so every publication of the year applies it alike:

- while the year is in progress, no row's year-to-date count is printed (every row is `c`): a
  row's figures at two dates would subtract to its quarter. Once the year is complete, each
  row's count for the year is printed under the usual rule (hidden if 1–4), the hidden set
  given company as secondary suppression would (two rows or more, adding up to 5 or more, and
  0 or 5 or more in each quarter), since no partial figure of a row was ever printed to subtract
  it from;
- Scotland's year-to-date count is hidden once a quarter of Scotland's (the sum over rows) of
  1–4 is in, since two dates' totals subtract to it; and then, at the year's end, at least one
  row (with company) is hidden too, or the rows would add up to Scotland's year again.

A yearly figure is the official measure (1,000 placements a year), so the whole year is what an
ADP's row shows; in the year, its progress is Scotland's. (The earlier rule printed a row's year
to date while every quarter was 0 or 5 or more, which hid small ADPs' complete years for good.)

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
    total_hidden = any(
        is_small(sum(q[k] for q in quarters.values() if len(q) > k)) for k in range(ended)
    )
    if ended < 4:
        return YearToDate(frozenset(quarters), total_hidden)
    hidden = {row for row, q in quarters.items() if is_small(sum(q[:4]))}
    if total_hidden and not hidden:
        # Every row printed would add up to Scotland's year, and with its year to date printed
        # before the small quarter, to that quarter: one row at least stays hidden.
        to_date = {row: sum(q[:4]) for row, q in quarters.items()}
        hidden.add(min(to_date, key=lambda row: (to_date[row] == 0, to_date[row], row)))
    _with_company(hidden, quarters, 4)
    return YearToDate(frozenset(hidden), total_hidden)
