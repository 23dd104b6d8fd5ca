"""A suppression pattern: which cells and figures of one table are printed as `c`.

A pattern is decided once per table and every view of the table (national, single ADP, chart,
Markdown, HTML, CSV) prints through it. Two views that hide different cells of the same figures
give each other away: `Pattern.revealing` is what a reader holding both knows.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from mission.disclosure.table import CellKey, CountTable
from mission.disclosure.threshold import SMALLEST_SHOWN, SUPPRESSED

__all__ = ["Pattern", "Published", "publish"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Pattern(_Frozen):
    """The cells and figures of one table that are hidden, and the protection they were given.

    `primary` are the cells hidden because they are 1–4; `hidden` holds them and every secondary
    cell; `hidden_figures` names the hidden figures (margins and others, see
    `CountTable.published_figures`).
    """

    hidden: frozenset[CellKey] = frozenset()
    primary: frozenset[CellKey] = frozenset()
    hidden_figures: frozenset[str] = frozenset()
    protection: int = SMALLEST_SHOWN

    def hides(self, row: str, column: str) -> bool:
        """The cell is printed as `c`."""
        return (row, column) in self.hidden

    def shows(self, figure: str) -> bool:
        """The named figure is printed."""
        return figure not in self.hidden_figures

    def hiding(self, cells: Iterable[CellKey] = (), figures: Iterable[str] = ()) -> Pattern:
        """This pattern with more cells and figures hidden."""
        return Pattern(
            hidden=self.hidden | frozenset(cells),
            primary=self.primary,
            hidden_figures=self.hidden_figures | frozenset(figures),
            protection=self.protection,
        )

    def revealing(self, cells: Iterable[CellKey] = (), figures: Iterable[str] = ()) -> Pattern:
        """What a reader knows who also holds another view that prints these cells and figures.

        A view that prints a cell this pattern hides gives it away (the issue's single-ADP view
        printed the national table's secondary cell): audit the result to see what follows.
        """
        hidden = self.hidden - frozenset(cells)
        return Pattern(
            hidden=hidden,
            primary=self.primary & hidden,
            hidden_figures=self.hidden_figures - frozenset(figures),
            protection=self.protection,
        )

    def shown_cells(self, table: CountTable) -> frozenset[CellKey]:
        """The cells of `table` printed as numbers through this pattern."""
        return frozenset(table.counts_by_cell) - self.hidden


class Published(_Frozen):
    """A table as printed: counts with `c` for hidden ones (`None`: no figure), and its figures.

    A figure is its printed value, `c`, or None (a dash, or a nonlinear figure the caller draws).
    """

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[int | str | None, ...], ...]
    figures: dict[str, int | float | str | None]

    def cell(self, row: str, column: str) -> int | str | None:
        """One printed cell."""
        return self.cells[self.rows.index(row)][self.columns.index(column)]


def publish(table: CountTable, pattern: Pattern) -> Published:
    """The table as a reader sees it through `pattern` (figures with a zero denominator: None)."""
    counts = table.counts_by_cell
    cells = tuple(
        tuple(
            SUPPRESSED if (row, column) in pattern.hidden and value is not None else value
            for column, value in zip(table.columns, line, strict=True)
        )
        for row, line in zip(table.rows, table.counts, strict=True)
    )
    figures: dict[str, int | float | str | None] = {}
    for figure in table.published_figures:
        value = figure.value(counts)
        if figure.name in pattern.hidden_figures:
            figures[figure.name] = SUPPRESSED
        elif figure.kind == "total" and value is not None:
            figures[figure.name] = round(value)
        else:
            figures[figure.name] = value
    return Published(rows=table.rows, columns=table.columns, cells=cells, figures=figures)
