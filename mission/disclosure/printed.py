"""A table as a publication printed it, kept beside the publication, and its audit from that alone.

`PrintedTable` is what a reader of one publication holds: each cell as printed (a count, `c`, or
not printed at all), and each figure with its definition and its printed value. It is written
into a report folder (`published.json`), so `audit_printed` can check a publication without the
true counts: for every cell printed as `c` (and every total printed as `c`), the range of values
consistent with everything printed must be at least `protection` wide, and no count of 1–4 may
be printed. Views printed together are merged first (`PrintedTable.merged`): a count printed in
either is known.

A cell the publication does not print at all is an unknown, not a suppressed count: the audit
bounds the counts printed as `c`. Printing less never narrows a range, so any part of an audited
publication passes too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator

from mission.disclosure.audit import (
    AuditResult,
    HiddenRange,
    Knowledge,
    cell_label,
    is_protected,
    sensitive_items,
)
from mission.disclosure.linear import WIDEN, Bound, bounds_printed
from mission.disclosure.pattern import Pattern
from mission.disclosure.table import CellKey, CountTable, Figure
from mission.disclosure.threshold import SMALLEST_SHOWN, SUPPRESSED, is_small

__all__ = [
    "DASH",
    "SHOWN",
    "PrintedCell",
    "PrintedFigure",
    "PrintedTable",
    "audit_printed",
    "printed_table",
]

DASH = "—"
"""A ratio printed as a dash: its denominator is zero."""
SHOWN = "shown"
"""A nonlinear figure drawn or printed (an interval): it gives its cells away."""

CellPrint = int | Literal["c"] | None
FigurePrint = float | Literal["c", "—", "shown"] | None


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PrintedCell(_Frozen):
    """One cell as printed: its count, `c`, or None (not printed in this publication)."""

    row: str
    column: str
    printed: CellPrint = None


class PrintedFigure(_Frozen):
    """One figure as printed: a number, `c`, a dash, `shown` (nonlinear), or None (not printed).

    `negative` says the figure's denominator is below zero (the reader knows this from what the
    figure means), which turns its bounds round.
    """

    figure: Figure
    printed: FigurePrint = None
    negative: bool = False

    @model_validator(mode="after")
    def _finite(self) -> PrintedFigure:
        f = self.figure
        numbers = [a for _, a in (*f.numerator, *f.denominator)]
        numbers += [f.numerator_constant, f.denominator_constant]
        if isinstance(self.printed, float | int):
            numbers.append(float(self.printed))
        if not all(math.isfinite(n) for n in numbers):
            raise ValueError(f"{f.name!r}: every number of a printed figure is finite")
        return self


class PrintedTable(_Frozen):
    """A table as a publication printed it (see the module docstring)."""

    name: str
    protection: int = SMALLEST_SHOWN
    cells: tuple[PrintedCell, ...]
    figures: tuple[PrintedFigure, ...] = ()

    def merged(self, other: PrintedTable) -> PrintedTable:
        """What a reader of both publications knows: a value printed in either is known.

        Raises:
            ValueError: the two are not the same table (other cells, or other figures).
        """
        mine_keys = [(c.row, c.column) for c in self.cells]
        their_keys = [(c.row, c.column) for c in other.cells]
        if mine_keys != their_keys:
            only = sorted(set(mine_keys) ^ set(their_keys), key=str)
            said = f": {cell_label(only[0])} is printed in one and not the other" if only else ""
            raise ValueError(
                f"{self.name!r}: the two publications print different tables{said} (a late "
                "return?); audit each on its own"
            )
        mine = {f.figure.name: f for f in self.figures}
        theirs = {f.figure.name: f for f in other.figures}
        for name in mine.keys() & theirs.keys():
            if mine[name].figure != theirs[name].figure:
                raise ValueError(f"{self.name!r}: figure {name!r} is defined two ways")
        cells = tuple(
            c.model_copy(update={"printed": same_count(self.name, _label(c), c.printed, o.printed)})
            for c, o in zip(self.cells, other.cells, strict=True)
        )
        figures = [
            f.model_copy(update={"printed": same_count(self.name, n, f.printed, theirs[n].printed)})
            if n in theirs
            else f
            for n, f in mine.items()
        ]
        figures += [f for n, f in theirs.items() if n not in mine]
        protection = max(self.protection, other.protection)
        return PrintedTable(
            name=self.name, protection=protection, cells=cells, figures=tuple(figures)
        )


def same_count(table: str, item: str, a: Any, b: Any) -> Any:
    """Of two printings of one count, the one that tells the reader more. A count printed as
    two numbers was revised in between (a late return): the publications are not of the same
    counts, and reading them as one would be wrong.

    Raises:
        ValueError: it was, naming the count.
    """
    numbers = [n for n in (_number(a), _number(b)) if n is not None]
    if len(numbers) == 2 and numbers[0] != numbers[1]:
        raise ValueError(
            f"{table}: {item} is {numbers[0]:g} in one edition and {numbers[1]:g} in another "
            "(revised in between): editions of revised counts cannot be audited together; audit "
            "each on its own"
        )
    return known_of(a, b)


def _label(cell: PrintedCell) -> str:
    return cell_label((cell.row, cell.column))


def known_of(a: Any, b: Any) -> Any:
    """Of two printings of one value, the one that tells the reader more."""
    for value in (a, b):
        if value is not None and value not in (SUPPRESSED, SHOWN, DASH):
            return value
    return next((marker for marker in (SHOWN, DASH, SUPPRESSED) if marker in (a, b)), None)


def printed_table(
    name: str,
    table: CountTable,
    pattern: Pattern,
    *,
    cells: Iterable[CellKey] | None = None,
    figures: Iterable[str] | None = None,
    negative: Iterable[str] = (),
) -> PrintedTable:
    """`table` as printed through `pattern`: every cell and figure, or only those named.

    A figure named in `negative` has a denominator below zero.
    """
    counts = table.counts_by_cell
    wanted = set(counts) if cells is None else set(cells)
    shown_figures = None if figures is None else set(figures)
    below = set(negative)
    printed_cells = tuple(
        PrintedCell(
            row=row,
            column=column,
            printed=(SUPPRESSED if pattern.hides(row, column) else value)
            if (row, column) in wanted
            else None,
        )
        for (row, column), value in counts.items()
    )
    printed_figures = []
    for figure in table.published_figures:
        printed: FigurePrint = None
        if shown_figures is None or figure.name in shown_figures:
            printed = _figure_print(figure, table, pattern)
        printed_figures.append(
            PrintedFigure(figure=figure, printed=printed, negative=figure.name in below)
        )
    return PrintedTable(
        name=name,
        protection=pattern.protection,
        cells=printed_cells,
        figures=tuple(printed_figures),
    )


def _figure_print(figure: Figure, table: CountTable, pattern: Pattern) -> FigurePrint:
    if not pattern.shows(figure.name):
        return "c"
    if figure.kind == "nonlinear":
        return "shown"
    value = figure.value(table.counts_by_cell)
    if value is None:
        return "—"
    return round(value) if figure.kind == "total" else value


def _bounds(printed: PrintedTable) -> dict[str, list[Bound]]:
    bounds: dict[str, list[Bound]] = {}
    for item in printed.figures:
        value = item.printed
        if item.figure.kind == "nonlinear" or value in (SUPPRESSED, SHOWN, None):
            bounds[item.figure.name] = []
        elif value == DASH:
            bounds[item.figure.name] = bounds_printed(item.figure, None)
        else:
            assert isinstance(value, int | float)
            bounds[item.figure.name] = bounds_printed(
                item.figure, float(value), negative=item.negative
            )
    return bounds


def _as_table(printed: PrintedTable) -> tuple[CountTable, Pattern]:
    """The table with the printed counts (0 where unknown), and what the reader does not know."""
    counts = {
        (c.row, c.column): c.printed if isinstance(c.printed, int) else 0 for c in printed.cells
    }
    unknown = frozenset((c.row, c.column) for c in printed.cells if not isinstance(c.printed, int))
    table = CountTable.from_mapping(counts, figures=[item.figure for item in printed.figures])
    silent = frozenset(
        item.figure.name
        for item in printed.figures
        if item.printed in (SUPPRESSED, None) or item.figure.kind == "nonlinear"
    )
    return table, Pattern(hidden=unknown, hidden_figures=silent, protection=printed.protection)


def audit_printed(printed: PrintedTable) -> AuditResult:
    """Bound every count printed as `c` from what `printed` shows (see the module docstring).

    `exposed` names each count of 1–4 printed as it is (a cell or a total) and each cell a shown
    nonlinear figure gives away while the table prints it as `c`.
    """
    contradiction = _contradiction(printed)
    if contradiction is not None:
        raise ValueError(
            f"{contradiction}: the publications read together are of different counts (one "
            "revised in between); audit each on its own"
        )
    table, pattern = _as_table(printed)
    suppressed = frozenset((c.row, c.column) for c in printed.cells if c.printed == SUPPRESSED)
    knowledge = Knowledge(table, pattern, _bounds(printed))
    suppressed_totals = {f.figure.name for f in printed.figures if f.printed == SUPPRESSED}
    ranges = []
    for item in sensitive_items(table, pattern):
        # A cell not printed at all is an unknown, not a suppressed count: only `c` is bounded.
        wanted = (
            item.cell in suppressed if item.cell is not None else (item.item in suppressed_totals)
        )
        if not wanted:
            continue
        low, high = knowledge.range_of(item.coefficients)
        protected = is_protected(low, high, printed.protection)
        ranges.append(
            HiddenRange(item=item.item, cell=item.cell, low=low, high=high, protected=protected)
        )
    return AuditResult(
        protection=printed.protection, ranges=tuple(ranges), exposed=_exposed(printed)
    )


def _contradiction(printed: PrintedTable) -> str | None:
    """A figure printed as a number (a total, a percent, a rate) whose cells are all printed as
    numbers that do not give it. One publication never prints that; two read together do when a
    count was revised between them and each printed a different part of it (one the cell, one
    the figure), and the pair can then give the revised count away."""
    known = {(c.row, c.column): n for c in printed.cells if (n := _number(c.printed)) is not None}
    for item in printed.figures:
        figure, shown = item.figure, _number(item.printed)
        cells = [cell for cell, _ in (*figure.numerator, *figure.denominator)]
        if figure.kind == "nonlinear" or shown is None or not all(c in known for c in cells):
            continue
        numerator, denominator = figure.parts(known)  # type: ignore[arg-type]
        half = 0.0 if figure.decimals is None else 0.5 * 10.0 ** (-figure.decimals)
        slack = half + WIDEN * max(1.0, abs(shown))
        if denominator == 0 or abs(numerator / denominator - shown) > slack:
            gives = "no figure" if denominator == 0 else f"{numerator / denominator:g}"
            return (
                f"{printed.name}: {figure.name} is printed as {shown:g} but its cells, as "
                f"printed, give {gives}"
            )
    return None


def _number(value: object) -> float | None:
    """A printed number, or None for `c`, a dash, `shown` or nothing printed."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _exposed(printed: PrintedTable) -> tuple[str, ...]:
    found = [
        cell_label((c.row, c.column))
        for c in printed.cells
        if isinstance(c.printed, int) and is_small(c.printed)
    ]
    states = {(c.row, c.column): c.printed for c in printed.cells}
    for item in printed.figures:
        figure, value = item.figure, item.printed
        if figure.kind == "total" and isinstance(value, int | float) and is_small(value):
            found.append(figure.name)
        if figure.kind == "nonlinear" and value == SHOWN:
            found += [
                f"{figure.name} gives away {cell_label(cell)}"
                for cell in figure.sources
                if states.get(cell) == SUPPRESSED
            ]
    return tuple(found)
