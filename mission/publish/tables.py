"""The tables a publication prints, built once from `Progress`, each with its one pattern.

Every count a report, a board paper, a chart, the Markdown or the workbook prints is a cell of one
of these tables, and every figure computed from counts is declared on it (`mission.disclosure`):

- a count target (OST, rehab, naloxone, deaths): rows are ADPs, columns are periods, a cell is the
  ADP's count for the period (for a year still in progress, the quarters that had ended: the
  pro-rated figure printed is a fixed multiple of it), the column totals are Scotland's series.
  Declared with it: each ADP's apportioned target and "percent of the way", its rates per 100,000
  and their intervals, its share of naloxone kits that were first supplies (the first supplies
  are cells of their own columns), and for deaths its total over the last five years (printed as
  a five-year average).
- waiting times, one table per quarter: rows are ADPs, columns are completed waits within and over
  three weeks; each ADP's number of waits, percent within three weeks and Wilson interval.
- the national breakdowns the charts stack (OST by medication, naloxone by source, rehab by
  funding), with their column totals.

A figure computed only from Scotland's totals and reference data (Scotland's rate, percent or
interval) adds nothing to the totals, and is printed only when they are. MAT shares count
standards, not people, and are not suppressed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from mission.disclosure import (
    CellKey,
    CountTable,
    Figure,
    Pattern,
    interval,
    percent,
    ratio,
    suppression_pattern,
    total,
)
from mission.errors import MissionError
from mission.kinds import Kind
from mission.publish.editions import hidden_in_every_edition
from mission.publish.names import figure_names, first_column
from mission.rates import PER, Population, population_year
from mission.tracker import Assessment, Point, Progress, TargetProgress
from mission.tracker.metrics import RECENT_POINTS, basis_point

__all__ = [
    "COUNT_KINDS",
    "RATE_KINDS",
    "ModelMismatch",
    "PublicationTable",
    "count_table",
    "figure_names",
    "in_waiting_table",
    "rate_period",
    "rate_periods",
    "status_periods",
    "waiting_rows",
    "waiting_tables",
]

COUNT_KINDS = (Kind.OST, Kind.REHAB, Kind.NALOXONE, Kind.DEATHS)
RATE_KINDS = (Kind.OST, Kind.REHAB, Kind.DEATHS)
"""The counts that gain rates per 100,000 where population estimates are given."""
FIVE_YEARS = 5
WITHIN, OVER = "within", "over"


@dataclass(frozen=True)
class PublicationTable:
    """One table of a publication, its one pattern, and how to print its figures.

    `scale` turns a column's count into the figure printed for it (a year in progress is
    pro-rated: 4 / quarters ended); `negative` names figures whose denominator is below zero.
    `periods` maps a column to the period it is (waiting-times and breakdown tables: empty).
    """

    name: str
    title: str
    table: CountTable
    pattern: Pattern
    scale: Mapping[str, float] = field(default_factory=dict)
    negative: frozenset[str] = frozenset()
    years: Mapping[str, int] = field(default_factory=dict)
    """The calendar year of each column's population estimate (rate tables only)."""


def _raw(point: Point) -> int:
    """The count a point is built from (a pro-rated year: the quarters that had ended)."""
    quarters = point.prorated_from_quarters
    return round(point.value * quarters / 4) if quarters else round(point.value)


def _scale(point: Point) -> float:
    quarters = point.prorated_from_quarters
    return 4 / quarters if quarters else 1.0


def _basis_period(target: TargetProgress) -> str | None:
    """The period a count target is apportioned by, as progress chose it (`basis_point`)."""
    basis = basis_point(target.series, target.baseline_period)
    return basis.period if basis else None


@dataclass
class _Linear:
    terms: dict[CellKey, float] = field(default_factory=dict)
    constant: float = 0.0

    def value(self, counts: Mapping[CellKey, int]) -> float:
        return self.constant + sum(a * counts[cell] for cell, a in self.terms.items())

    def minus(self, other: _Linear) -> _Linear:
        terms = dict(self.terms)
        for cell, a in other.terms.items():
            terms[cell] = terms.get(cell, 0.0) - a
        return _Linear({c: a for c, a in terms.items() if a}, self.constant - other.constant)


def _goal_forms(
    target: TargetProgress, a: Assessment, counts: Mapping[CellKey, int], scale: Mapping[str, float]
) -> tuple[_Linear, _Linear] | None:
    """An ADP's baseline and target as linear forms of the cells (see `tracker.assemble`)."""
    basis = _basis_period(target)
    if basis is None or a.target_value is None or a.baseline_value is None:
        return None
    basis_total = sum(v for (row, col), v in counts.items() if col == basis)
    share_cell = (a.area, basis)
    own_cell = (a.area, target.baseline_period or "")
    candidates = []
    if own_cell in counts:
        candidates.append(_Linear({own_cell: scale[own_cell[1]]}))
    if target.baseline_value is not None and a.target_source != "local target":
        candidates.append(_Linear({share_cell: target.baseline_value / basis_total}))
    # The first form that gives the baseline progress used: a form reading a cell ties the
    # baseline to that count (more to protect), so it is preferred to a bare constant.
    baseline = next(
        (f for f in candidates if _close(f.value(counts), a.baseline_value)),
        _Linear(constant=a.baseline_value),
    )
    source = a.target_source or ""
    if source.startswith("apportioned") and target.target_value is not None:
        goal = _Linear({share_cell: target.target_value / basis_total})
    else:
        goal = _Linear(constant=a.target_value)
    return baseline, goal


def _way_figure(
    target: TargetProgress, a: Assessment, counts: Mapping[CellKey, int], scale: Mapping[str, float]
) -> Figure | None:
    """`100·(judged − baseline) / (target − baseline)` as a figure of the cells."""
    forms = _goal_forms(target, a, counts, scale)
    judged = (a.area, a.judged_period or "")
    if forms is None or a.percent_of_way is None or judged not in counts:
        return None
    baseline, goal = forms
    above = _Linear({judged: scale[judged[1]]}).minus(baseline)
    below = goal.minus(baseline)
    sources = dict.fromkeys([judged, *above.terms, *below.terms])
    return Figure(
        name=figure_names.of_the_way(a.area),
        numerator=tuple((c, 100 * v) for c, v in above.terms.items()),
        numerator_constant=100 * above.constant,
        denominator=tuple(below.terms.items()),
        denominator_constant=below.constant,
        decimals=0,
        sources=tuple(sources),
    )


def _target_figure(
    target: TargetProgress, a: Assessment, counts: Mapping[CellKey, int]
) -> Figure | None:
    """An apportioned target: the national target times the ADP's share of the basis period."""
    basis = _basis_period(target)
    if not (a.target_source or "").startswith("apportioned") or target.target_value is None:
        return None
    cell = (a.area, basis or "")
    basis_total = sum(v for (row, col), v in counts.items() if col == basis)
    if cell not in counts or not basis_total:
        return None
    return ratio(
        figure_names.target(a.area),
        {cell: target.target_value},
        float(basis_total),
        sources=[cell],
        decimals=0,
    )


STATUS_FROM_TARGET = ("deadline-passed", "target-met")
"""Rules that judge the figure against its target alone; the later rules read the baseline, the
path and the trend too (`mission.tracker.rules`)."""


def status_periods(a: Assessment) -> list[str]:
    """The periods of an ADP's own series its status is worked out from: the judged period, and
    for a status past the target rules the recent periods its trend is fitted to."""
    judged = next((p for p in a.series if p.period == a.judged_period), None)
    if judged is None or a.rule in ("no-data", "no-target"):
        return []
    if a.rule in STATUS_FROM_TARGET:
        return [judged.period]
    upto = [p.period for p in a.series if p.end <= judged.end]
    return upto[-RECENT_POINTS:]


def _status_figure(
    target: TargetProgress, a: Assessment, counts: Mapping[CellKey, int]
) -> Figure | None:
    """An ADP's status as a figure: it reads the judged count, the cells its target and baseline
    come from and (past the target rules) the counts its trend is fitted to.

    A status is an inequality between those cells and the target or path, which the audit does
    not model: it is declared nonlinear, so it is printed only when every cell it reads is, and
    then tells a reader nothing the table does not (`mission audit` checks exactly that).
    """
    cells = [(a.area, p) for p in status_periods(a)]
    if cells and a.rule not in STATUS_FROM_TARGET:
        cells.append((a.area, target.baseline_period or ""))
    if cells and (a.target_source or "").startswith("apportioned"):
        cells.append((a.area, _basis_period(target) or ""))
    sources = [c for c in dict.fromkeys(cells) if c in counts]
    return interval(figure_names.status(a.area), sources) if sources else None


def _rate_figures(
    target: TargetProgress,
    a: Assessment,
    counts: Mapping[CellKey, int],
    scale: Mapping[str, float],
    ends: Mapping[str, Point],
    population: Population | None,
) -> list[Figure]:
    """Rates per 100,000 (and their intervals) for the periods a publication shows them."""
    if population is None or target.kind not in RATE_KINDS:
        return []
    periods = rate_periods(target, a)
    figures = []
    for period in periods:
        cell = (a.area, period)
        estimate = population.estimate(a.area, population_year(ends[period].end))
        if cell not in counts or estimate is None:
            continue
        figures.append(
            ratio(
                figure_names.rate(a.area, period),
                {cell: scale[period] * PER},
                float(estimate.population),
                sources=[cell],
                decimals=1,
            )
        )
        figures.append(interval(figure_names.rate_interval(a.area, period), [cell]))
    return figures


def rate_period(target: TargetProgress) -> str | None:
    """The period a publication compares rates in: the newest that every ADP reported."""
    complete = [p.period for p in target.series if p.coverage.complete]
    return complete[-1] if complete else (target.series[-1].period if target.series else None)


def rate_periods(target: TargetProgress, a: Assessment) -> list[str]:
    """The periods an ADP's rates are printed for: every year of deaths; otherwise the judged,
    the latest and the comparison period."""
    if target.kind is Kind.DEATHS:
        return [p.period for p in a.series]
    wanted = (a.judged_period, a.latest_period, rate_period(target))
    return list(dict.fromkeys(p for p in wanted if p))


def _five_years(
    target: TargetProgress, a: Assessment, counts: Mapping[CellKey, int]
) -> list[Figure]:
    if target.kind is not Kind.DEATHS:
        return []
    periods = [p.period for p in target.series][-FIVE_YEARS:]
    cells = [(a.area, p) for p in periods]
    if len(periods) < FIVE_YEARS or any(c not in counts for c in cells):
        return []
    return [total(figure_names.five_years(a.area), cells)]


def _first_supplies(target: TargetProgress, counts: dict[CellKey, int | None]) -> list[Figure]:
    """Naloxone: each ADP's first supplies per year as cells, and its share as a figure."""
    figures: list[Figure] = []
    for a in target.adps:
        for related in a.related:
            if related.name != "first_supply_share":
                continue
            for point in related.series:
                if point.numerator is None or (a.area, point.period) not in counts:
                    continue
                cell = (a.area, first_column(point.period))
                counts[cell] = round(point.numerator)
                figures.append(
                    ratio(
                        figure_names.first_share(a.area, point.period),
                        {cell: 1.0},
                        {(a.area, point.period): 1.0},
                        sources=[cell, (a.area, point.period)],
                        scale=100.0,
                        decimals=1,
                    )
                )
    return figures


def _counts(target: TargetProgress) -> dict[CellKey, int | None]:
    """Each ADP's count per period of Scotland's series (None: no figure)."""
    periods = [p.period for p in target.series]
    counts: dict[CellKey, int | None] = {}
    for a in target.adps:
        own = {p.period: p for p in a.series}
        for period in periods:
            counts[(a.area, period)] = _raw(own[period]) if period in own else None
    return counts


def _adp_figures(
    target: TargetProgress,
    known: Mapping[CellKey, int],
    scale: Mapping[str, float],
    population: Population | None,
) -> tuple[list[Figure], set[str]]:
    """Every ADP's declared figures, and which of them have a negative denominator."""
    ends = {p.period: p for p in target.series}
    figures: list[Figure] = []
    negative: set[str] = set()
    for a in target.adps:
        way = _way_figure(target, a, known, scale)
        status = _status_figure(target, a, known)
        figures += [f for f in (_target_figure(target, a, known), way, status) if f is not None]
        if way is not None and way.parts(known)[1] < 0:
            negative.add(way.name)
        figures += _rate_figures(target, a, known, scale, ends, population)
    return figures, negative


def count_table(target: TargetProgress, population: Population | None) -> PublicationTable:
    """A count target's table (see the module docstring), with its pattern."""
    scale = {p.period: _scale(p) for p in target.series}
    counts = _counts(target)
    known = {cell: value for cell, value in counts.items() if value is not None}
    figures, negative = _adp_figures(target, known, scale, population)
    if target.kind is Kind.NALOXONE:
        figures += _first_supplies(target, counts)
    table = CountTable.from_mapping(counts, column_totals=True, figures=figures)
    cells, totals = hidden_in_every_edition(target)
    pattern = suppression_pattern(table, hidden=cells, hidden_figures=totals)
    # A five-year total is printed only where it spans no hidden count. The window slides as
    # years are added, so a total over a hidden count would tie it to cells that a later
    # publication, no longer needing them hidden, prints (two dates' totals subtracted to it).
    # Over printed counts only, it adds nothing a reader could not add up.
    five = [
        f
        for a in target.adps
        for f in _five_years(target, a, known)
        if not any(cell in pattern.hidden for cell in f.cells())
    ]
    if five:
        table = CountTable.from_mapping(counts, column_totals=True, figures=[*figures, *five])
    _check_against_progress(target, table, scale)
    return PublicationTable(
        name=target.id,
        title=target.title,
        table=table,
        pattern=pattern,
        scale=scale,
        negative=frozenset(negative),
        years={p.period: population_year(p.end) for p in target.series},
    )


def _close(a: float, b: float, places: float = 1e-6) -> bool:
    """Equal to within rounding: `places` absolute, or a relative 1e-9 for large figures."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=places)


class ModelMismatch(MissionError):
    """A declared figure does not print what progress says, so it cannot be audited: nothing is
    published (a wrong model would audit a figure other than the one printed).

    Attributes:
        table: the table's name.
        figure: the figure (or the period) that disagrees.
    """

    def __init__(self, table: str, figure: str, detail: str) -> None:
        self.table = table
        self.figure = figure
        super().__init__(
            f"{table}: {figure} cannot be checked for disclosure ({detail}), so nothing is "
            "published; the figures are too large or too odd to model exactly"
        )


def _check_against_progress(
    target: TargetProgress, table: CountTable, scale: Mapping[str, float]
) -> None:
    """Every declared figure prints what progress says, to within rounding relative to its size.

    Raises:
        ModelMismatch: a figure's model disagrees with progress.
    """
    counts = table.counts_by_cell
    values = {f.name: f.value(counts) for f in table.figures}
    for a in target.adps:
        for name, expected in (
            (figure_names.of_the_way(a.area), a.percent_of_way),
            (figure_names.target(a.area), a.target_value),
        ):
            if name in values and expected is not None:
                printed = values[name]
                if printed is None or not _close(printed, round(expected), 1.0):
                    raise ModelMismatch(target.id, name, f"{printed} against {expected}")
    for point in target.series:
        column = sum(v for (row, col), v in counts.items() if col == point.period)
        if not _close(column * scale[point.period], point.value, 0.5):
            raise ModelMismatch(target.id, point.period, f"{column} against {point.value}")


def waiting_rows(target: TargetProgress, quarter: Point) -> list[Assessment]:
    """The ADPs a quarter's waiting-times table has a row for (`in_waiting_table`)."""
    return [a for a in target.adps if in_waiting_table(a, quarter)]


def in_waiting_table(a: Assessment, quarter: Point) -> bool:
    """Whether the ADP is a row of the quarter's waiting-times table: it sent a return covering
    the quarter, whether or not it had a completed wait in it."""
    return a.name not in quarter.coverage.missing + quarter.coverage.refused


def _waits(a: Assessment, quarter: str) -> tuple[int, int]:
    """An ADP's completed waits within and over three weeks in a quarter (0 and 0: none)."""
    point = next((p for p in a.series if p.period == quarter), None)
    if point is None or point.numerator is None or point.denominator is None:
        return 0, 0
    within = round(point.numerator)
    return within, round(point.denominator) - within


def waiting_tables(target: TargetProgress) -> list[PublicationTable]:
    """Waiting times: one table per quarter of completed waits within and over three weeks.

    An ADP that returned but had no completed wait in the quarter is a row of zeros like any
    other, so the pattern decides whether its zero is printed and the audit knows it: no word
    ("no completed waits") ever tells a reader that a hidden count is zero, or that it is not.
    """
    tables = []
    for point in target.series:
        quarter = point.period
        counts: dict[CellKey, int | None] = {}
        figures: list[Figure] = []
        for a in waiting_rows(target, point):
            within, over = (a.area, WITHIN), (a.area, OVER)
            counts[within], counts[over] = _waits(a, quarter)
            figures += [
                total(figure_names.waits(a.area), [within, over]),
                percent(figure_names.within_percent(a.area), within, [within, over]),
                interval(figure_names.wait_interval(a.area), [within, over]),
            ]
        if not counts:
            continue
        table = CountTable.from_mapping(counts, column_totals=True, figures=figures)
        # A row of zeros is hidden as a small count is: were zeros always printed, every `c`
        # of the table would be known to be 1 or more, and a few islands' waits adding up to
        # Scotland's 5 would each be pinned to 1-3 (the audit takes 0 as possible for a `c`).
        zeros = [row for row, _ in counts if not counts[(row, WITHIN)] and not counts[(row, OVER)]]
        pattern = suppression_pattern(
            table,
            hidden=[(row, column) for row in zeros for column in (WITHIN, OVER)],
            hidden_figures=[figure_names.waits(row) for row in zeros],
        )
        tables.append(
            PublicationTable(
                name=f"{target.id} {quarter}",
                title=f"{target.title}, {quarter}",
                table=table,
                pattern=pattern,
            )
        )
    return tables


def breakdown_table(
    name: str,
    title: str,
    cells: Mapping[CellKey, int],
    *,
    hidden: set[CellKey] | frozenset[CellKey] = frozenset(),
    hidden_figures: set[str] | frozenset[str] = frozenset(),
    figures: Sequence[Figure] = (),
) -> PublicationTable:
    """A national breakdown (rows: categories, columns: periods) with its column totals and any
    other `figures` it prints; `hidden` and `hidden_figures` are hidden whatever the table needs
    (by the year-to-date rule, or because another table hides the same figure)."""
    table = CountTable.from_mapping(dict(cells), column_totals=True, figures=figures)
    pattern = suppression_pattern(table, hidden=hidden, hidden_figures=hidden_figures)
    return PublicationTable(name=name, title=title, table=table, pattern=pattern)


def progress_tables(result: Progress, population: Population | None) -> dict[str, PublicationTable]:
    """Every target table of a progress result, by name."""
    tables: dict[str, PublicationTable] = {}
    for target in result.targets:
        if not target.adps:
            continue
        if target.kind in COUNT_KINDS:
            tables[target.id] = count_table(target, population)
        elif target.kind is Kind.EPISODES:
            tables.update((t.name, t) for t in waiting_tables(target))
    return tables


def rows_of(table: CountTable, column: str) -> Sequence[str]:
    """The rows with a count in `column`."""
    return [row for (row, col) in table.counts_by_cell if col == column]
