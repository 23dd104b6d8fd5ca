"""What every edition of a publication hides alike, whatever its date.

Publications of different as-of dates are read together: a year built from quarters is a
different sum in each, so the year-to-date rule (`mission.disclosure.year_to_date`) decides what
is hidden from the quarters alone, and every edition applies it alike.

Not covered here: a late return. An edition printed before an ADP's late return and one after
it differ by that ADP's figures. `mission audit` read across the two finds it (a count a reader
can narrow) or refuses them (a count printed two ways); a publication run, which sees only its
own edition, cannot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mission.disclosure import CellKey
from mission.disclosure.year_to_date import year_to_date
from mission.publish.names import figure_names, first_column
from mission.tracker import TargetProgress

__all__ = ["hidden_in_every_edition"]


def hidden_in_every_edition(target: TargetProgress) -> tuple[set[CellKey], set[str]]:
    """The cells and totals of a count target's table that every edition hides alike: the
    year-to-date rule's, on the kits (or placements) and, for naloxone, on the first and the
    repeat supplies."""
    return _year_to_date(target)


def _year_to_date(target: TargetProgress) -> tuple[set[CellKey], set[str]]:
    """The cells and totals of years built from quarters that the year-to-date rule hides
    (`mission.disclosure.year_to_date`): the same in a publication of any date."""
    cells: set[CellKey] = set()
    totals: set[str] = set()
    for point in target.series:
        quarters = {
            a.area: own.quarters
            for a in target.adps
            for own in a.series
            if own.period == point.period and own.quarters
        }
        if not quarters:
            continue
        ended = point.prorated_from_quarters or 4
        rule = year_to_date(quarters, ended)
        cells |= {(area, point.period) for area in rule.hidden}
        if rule.total_hidden:
            totals.add(figure_names.column_total(point.period))
        more_cells, more_totals = _first_supplies_to_date(target, point.period, quarters, ended)
        cells |= more_cells
        totals |= more_totals
    return cells, totals


def _first_supplies_to_date(
    target: TargetProgress, period: str, kits: Mapping[str, Sequence[int]], ended: int
) -> tuple[set[CellKey], set[str]]:
    """Naloxone's first supplies of a year from quarters: the year-to-date rule on them, and on
    the repeat supplies (kits less first supplies, which the printed kits give away) alike."""
    first = {
        a.area: own.quarters
        for a in target.adps
        for related in a.related
        if related.name == "first_supply_share"
        for own in related.series
        if own.period == period and own.quarters and a.area in kits
    }
    if not first:
        return set(), set()
    repeat = {a: [k - f for k, f in zip(kits[a], q, strict=True)] for a, q in first.items()}
    cells: set[CellKey] = set()
    totals: set[str] = set()
    column = first_column(period)
    for rule in (year_to_date(first, ended), year_to_date(repeat, ended)):
        cells |= {(area, column) for area in rule.hidden}
        if rule.total_hidden:
            totals.add(figure_names.column_total(column))
    return cells, totals
