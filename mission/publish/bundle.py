"""A publication: its tables built once, and every output printing through them.

`Publication` holds the tables of one progress result (`mission.publish.tables`), each with its
one suppression pattern. An output (a page, a chart, a sheet) reads counts and figures through a
`Printer`, which hands back `c` for what the pattern hides and records everything it printed.
What a run writes is then known exactly: `printed()` gives each table as the reader of those
outputs sees it (`published.json` keeps it), and `audit()` checks it before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mission.disclosure import SUPPRESSED, CellKey
from mission.disclosure.printed import PrintedTable, printed_table
from mission.publish.tables import PublicationTable, figure_names, progress_tables
from mission.rates import Population, population_of
from mission.tracker import Progress, TargetProgress
from mission.tracker.wording import number

if TYPE_CHECKING:
    from mission.dataset import Dataset
    from mission.disclosure import AuditResult
    from mission.returns import Returns
    from mission.targets import TargetSet

__all__ = ["Drawn", "Printer", "Publication", "Shown", "build_publication"]


@dataclass(frozen=True)
class Shown:
    """A figure as an output may print it: its value, or hidden (printed as `c`).

    `value` is None for no figure at all (printed as a dash); a hidden figure has no value.
    """

    value: float | None
    hidden: bool = False

    @property
    def known(self) -> float | None:
        """The value, when it may be printed."""
        return None if self.hidden else self.value

    def text(self, unit: str = "") -> str:
        """`c`, `—`, `1,234` or `95.8%` (a unit with "percent" in it)."""
        return SUPPRESSED if self.hidden else number(self.value, unit)


HIDDEN = Shown(None, hidden=True)
NOTHING = Shown(None)

Drawn = tuple[str, str, tuple[str, ...]]
"""What an output printed: (table, "cell" or "figure", the cell's row and column or the name)."""


@dataclass
class Publication:
    """One progress result's tables and patterns, and what each output printed from them."""

    progress: Progress
    targets: TargetSet
    tables: Mapping[str, PublicationTable]
    population: Population | None = None
    dataset: Dataset | None = None
    returns: Returns | None = None
    printed_by: dict[str, set[Drawn]] = field(default_factory=dict)

    @property
    def synthetic(self) -> bool:
        return self.dataset is not None and self.dataset.synthetic

    @property
    def as_of(self) -> dt.date:
        return self.progress.as_of

    def printer(self, output: str) -> Printer:
        """A printer for one output (a file name, or `charts/NAME.png`)."""
        return Printer(self, self.printed_by.setdefault(output, set()))

    def target(self, target_id: str) -> TargetProgress | None:
        return next((t for t in self.progress.targets if t.id == target_id), None)

    def printed(self, outputs: Iterable[str] | None = None) -> dict[str, PrintedTable]:
        """Each table as a reader of `outputs` (default: every output) sees it."""
        chosen = self.printed_by if outputs is None else {o: self.printed_by[o] for o in outputs}
        cells: dict[str, set[CellKey]] = {}
        figures: dict[str, set[str]] = {}
        for drawn in chosen.values():
            for table, what, key in drawn:
                if what == "cell":
                    cells.setdefault(table, set()).add((key[0], key[1]))
                else:
                    figures.setdefault(table, set()).add(key[0])
        out = {}
        for name in sorted(cells.keys() | figures.keys()):
            entry = self.tables[name]
            out[name] = printed_table(
                name,
                entry.table,
                entry.pattern,
                cells=cells.get(name, set()),
                figures=figures.get(name, set()),
                negative=entry.negative,
            )
        return out

    def drawn_by(self, output: str) -> list[list[object]]:
        """What one output (a chart) actually drew: the cells and figures it read that the
        patterns show, as `[table, "cell" or "figure", [row, column] or [name]]`."""
        shown: list[list[object]] = []
        for table, what, key in sorted(self.printed_by.get(output, set())):
            entry = self.tables[table]
            hidden = (
                entry.pattern.hides(key[0], key[1])
                if what == "cell"
                else not entry.pattern.shows(key[0])
            )
            if not hidden:
                shown.append([table, what, list(key)])
        return shown

    def audit(self, outputs: Iterable[str] | None = None) -> dict[str, AuditResult]:
        """The disclosure audit of what `outputs` print, table by table."""
        from mission.disclosure.printed import audit_printed

        return {name: audit_printed(table) for name, table in self.printed(outputs).items()}


class Printer:
    """Reads counts and figures for one output through the patterns, recording what it prints."""

    def __init__(self, publication: Publication, drawn: set[Drawn]) -> None:
        self.publication = publication
        self._drawn = drawn

    def _entry(self, table: str) -> PublicationTable | None:
        return self.publication.tables.get(table)

    def has(self, table: str) -> bool:
        return table in self.publication.tables

    def count(self, table: str, row: str, column: str) -> Shown:
        """A cell's count as it is (not pro-rated)."""
        entry = self._entry(table)
        if entry is None:
            return NOTHING
        value = entry.table.value(row, column)
        if value is None:
            return NOTHING
        self._drawn.add((table, "cell", (row, column)))
        return HIDDEN if entry.pattern.hides(row, column) else Shown(float(value))

    def cell(self, table: str, row: str, column: str) -> Shown:
        """A cell as printed: a year in progress pro-rated."""
        shown = self.count(table, row, column)
        entry = self._entry(table)
        if shown.known is None or entry is None:
            return shown
        return Shown(shown.known * entry.scale.get(column, 1.0))

    def figure(self, table: str, name: str) -> Shown:
        """A declared figure: its value, or `c`; a nonlinear figure shown has value None."""
        entry = self._entry(table)
        if entry is None:
            return NOTHING
        figure = next((f for f in entry.table.published_figures if f.name == name), None)
        if figure is None:
            return NOTHING
        self._drawn.add((table, "figure", (name,)))
        if not entry.pattern.shows(name):
            return HIDDEN
        if figure.kind == "nonlinear":
            for row, column in figure.sources:
                self._drawn.add((table, "cell", (row, column)))
            return NOTHING
        return Shown(figure.value(entry.table.counts_by_cell))

    def shows(self, table: str, name: str) -> bool:
        """Whether a (nonlinear) figure may be drawn; recorded like any figure."""
        entry = self._entry(table)
        if entry is None or not any(f.name == name for f in entry.table.published_figures):
            return False
        return not self.figure(table, name).hidden

    def total(self, table: str, column: str) -> Shown:
        """Scotland's figure for a column, as printed (a year in progress pro-rated)."""
        shown = self.figure(table, figure_names.column_total(column))
        entry = self._entry(table)
        if shown.known is None or entry is None:
            return shown
        return Shown(shown.known * entry.scale.get(column, 1.0))

    def drawn(self) -> frozenset[Drawn]:
        return frozenset(self._drawn)


def build_publication(
    result: Progress,
    targets: TargetSet,
    returns: Returns | None = None,
) -> Publication:
    """The publication of a progress result: every table and its pattern, decided once.

    `returns` (the same the progress came from) adds the population estimates for rates, the
    data set's description and the national breakdowns. The views read the progress as a
    publication speaks of it (`waits.published_progress`: no zero told in words).
    """
    from mission.publish.breakdowns import breakdown_tables
    from mission.publish.waits import published_progress

    population = population_of(returns) if returns is not None else None
    tables = dict(progress_tables(result, population))
    if returns is not None:
        by_kind = {t.kind: tables[t.id] for t in result.targets if t.id in tables}
        tables.update(breakdown_tables(returns, result.as_of, by_kind))
    return Publication(
        progress=published_progress(result),
        targets=targets,
        tables=tables,
        population=population,
        dataset=returns.dataset if returns is not None else None,
        returns=returns,
    )
