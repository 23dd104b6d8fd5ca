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

__all__ = ["Quarters", "hidden_in_every_edition", "rule_hides"]

Quarters = Mapping[str, Sequence[int]]
"""Each row's count per quarter of one year, Q1 first."""


def hidden_in_every_edition(target: TargetProgress) -> tuple[set[CellKey], set[str]]:
    """The cells and totals of a count target's table that every edition hides alike: those of
    years built from quarters that the year-to-date rule hides, on the kits (or placements) and,
    for naloxone, on the first and the repeat supplies."""
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
        groups = [(quarters, figure_names.column_total(point.period))]
        more_cells, more_totals = rule_hides(groups, point.period, ended)
        cells |= more_cells
        totals |= more_totals
        more_cells, more_totals = _first_supplies_to_date(target, point.period, quarters, ended)
        cells |= more_cells
        totals |= more_totals
    return cells, totals


def rule_hides(
    groups: Sequence[tuple[Quarters, str]], column: str, ended: int
) -> tuple[set[CellKey], set[str]]:
    """The year-to-date rule on each group of rows of one year's `column`, at the end of quarter
    `ended`: the rows it hides, as cells, and for a group whose sum it hides, that group's total
    (the figure named beside it)."""
    cells: set[CellKey] = set()
    totals: set[str] = set()
    for group, total in groups:
        if not group:
            continue
        rule = year_to_date(group, ended)
        cells |= {(row, column) for row in rule.hidden}
        if rule.total_hidden:
            totals.add(total)
    return cells, totals


def _first_supplies_to_date(
    target: TargetProgress, period: str, kits: Quarters, ended: int
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
    column = first_column(period)
    total = figure_names.column_total(column)
    return rule_hides([(first, total), (repeat, total)], column, ended)
