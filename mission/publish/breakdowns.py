"""The national breakdowns the report's charts stack: OST by medication, naloxone by supply
source, rehab by funding source — each a table of counts (category by period) with its pattern.

Periods are those that had ended by the as-of date; a financial year still in progress holds the
quarters that had ended (its label says how many).

Rehab by funding is tied to the rehab target's table: the publicly funded sources add up to
Scotland's figure there. So the breakdown prints that subtotal too (one more figure its own
audit sees), hides it wherever the target's table hides Scotland, and applies the year-to-date
rule to the publicly funded and the other sources apart as well as together, since the total
less Scotland's figure is the other sources' sum.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from mission.disclosure import CellKey, Figure, total
from mission.kinds import Kind
from mission.publish.editions import Quarters, rule_hides
from mission.publish.tables import PublicationTable, breakdown_table, figure_names
from mission.rules.ost import MEDICATIONS
from mission.tracker import PUBLICLY_FUNDED, returns_as_of

if TYPE_CHECKING:
    import polars as pl

    from mission.returns import Returns

__all__ = ["BREAKDOWNS", "breakdown_tables"]

BREAKDOWNS = {
    "ost-by-medication": "People on OST by medication (Scotland)",
    "naloxone-by-source": "Take-home naloxone kits by supply source (Scotland)",
    "rehab-by-funding": "Residential rehab placements started, by funding source (Scotland)",
}


def _cells(frame: pl.DataFrame, by: str, period: Any, value: Any) -> dict[CellKey, int]:
    table = frame.group_by(period.alias("p"), by).agg(v=value.sum())
    return {
        (str(category), str(p)): int(v)
        for p, category, v in table.sort("p", by).select("p", by, "v").iter_rows()
    }


def _ordered(cells: dict[CellKey, int], rows: list[str]) -> dict[CellKey, int]:
    """Rows in a fixed order, every period in each (a category with none that period: 0)."""
    periods = sorted({p for _, p in cells})
    present = [r for r in rows if any(k[0] == r for k in cells)]
    return {(r, p): cells.get((r, p), 0) for r in present for p in periods}


def _year_label(frame: pl.DataFrame) -> tuple[Any, dict[str, int]]:
    """The financial year of each quarterly row, and how many of its quarters the rows hold."""
    import polars as pl

    year = pl.col("period").str.slice(0, 7)
    quarters = frame.group_by(year.alias("y")).agg(pl.col("period").n_unique().alias("n"))
    return year, {str(y): int(n) for y, n in quarters.iter_rows()}


def _year_to_date(
    frame: pl.DataFrame,
    by: str,
    value: Any,
    held: dict[str, int],
    public: frozenset[str] | None = None,
) -> tuple[set[CellKey], set[str]]:
    """The cells and totals of each year the year-to-date rule hides, from the quarters
    (`mission.disclosure.year_to_date`): the same in a publication of any date. With `public`
    (rehab's publicly funded sources), the rule also runs on those sources and on the others
    apart: a small quarter of the first hides the publicly funded subtotal, of the second the
    total (which less that subtotal gives the others' sum)."""
    import polars as pl

    year = pl.col("period").str.slice(0, 7)
    quarter = pl.col("period").str.slice(-1).cast(pl.Int64)
    sums = frame.group_by(year.alias("y"), by, quarter.alias("q")).agg(v=value.sum())
    quarters: dict[str, dict[str, list[int]]] = {}
    for y, category, q, v in sums.select("y", by, "q", "v").iter_rows():
        row = quarters.setdefault(str(y), {}).setdefault(str(category), [0, 0, 0, 0])
        row[int(q) - 1] += int(v or 0)
    cells: set[CellKey] = set()
    totals: set[str] = set()
    for y, rows in quarters.items():
        groups: list[tuple[Quarters, str]] = [(rows, figure_names.column_total(y))]
        if public is not None:
            groups += [
                ({c: q for c, q in rows.items() if c in public}, figure_names.publicly_funded(y)),
                ({c: q for c, q in rows.items() if c not in public}, figure_names.column_total(y)),
            ]
        more_cells, more_totals = rule_hides(groups, y, held.get(y, 4))
        cells |= more_cells
        totals |= more_totals
    return cells, totals


def breakdown_tables(
    returns: Returns, as_of: dt.date, targets: Mapping[Kind, PublicationTable] | None = None
) -> dict[str, PublicationTable]:
    """Each breakdown that has returns, by name. `targets` are the target tables of the same
    publication by kind: a breakdown adds up to Scotland's figure there (OST and naloxone:
    its total; rehab: its publicly funded sources), so it hides that figure alike."""
    targets = targets or {}
    import polars as pl

    ended = returns_as_of(returns, as_of)
    tables: dict[str, PublicationTable] = {}
    ost = ended.get(Kind.OST)
    if ost is not None and ost.height:
        sums = ost.group_by("period").agg(pl.col(m).fill_null(0).sum() for m in MEDICATIONS)
        cells: dict[CellKey, int] = {
            (m, str(row["period"])): int(row[m])
            for row in sums.iter_rows(named=True)
            for m in MEDICATIONS
        }
        tables["ost-by-medication"] = _linked(
            "ost-by-medication",
            _ordered(cells, list(MEDICATIONS)),
            targets.get(Kind.OST),
            figure_names.column_total,
        )
    naloxone = ended.get(Kind.NALOXONE)
    if naloxone is not None and naloxone.height:
        year, held = _year_label(naloxone)
        kits = pl.col("first_supply") + pl.col("repeat_supply")
        sources = list(Kind.NALOXONE.spec.column("supply_source").choices)
        cells = _cells(naloxone, "supply_source", year, kits)
        hidden, totals = _year_to_date(naloxone, "supply_source", kits, held)
        tables["naloxone-by-source"] = _linked(
            "naloxone-by-source",
            _ordered(cells, sources),
            targets.get(Kind.NALOXONE),
            figure_names.column_total,
            hidden=hidden,
            hidden_figures=totals,
        )
    rehab = ended.get(Kind.REHAB)
    if rehab is not None and rehab.height:
        tables["rehab-by-funding"] = _rehab_by_funding(rehab, targets.get(Kind.REHAB))
    return tables


Tie = Callable[[str], str]
"""The name of the breakdown's figure, for a column, that the target's Scotland figure equals."""


def _linked(
    name: str,
    cells: dict[CellKey, int],
    target: PublicationTable | None,
    tie: Tie,
    *,
    hidden: set[CellKey] | None = None,
    hidden_figures: set[str] | None = None,
    figures: Sequence[Figure] = (),
) -> PublicationTable:
    """A breakdown whose `tie` figure of each column is the target's Scotland figure there.

    Where the target hides Scotland's figure, nothing of the period is printed here: its parts
    would add up to it, and an edition short of an ADP would, beside the next, give the ADP's
    split (never printed) away. Where this table would hide its `tie` figure but the target
    prints it, nothing of the period is printed either (the reader has it from there; this
    table's audit did not).
    """
    columns = list(dict.fromkeys(column for _, column in cells))
    there = set() if target is None else _hidden_there(target, columns)
    table = breakdown_table(
        name,
        BREAKDOWNS[name],
        cells,
        hidden=(hidden or set()) | _cells_of(cells, there),
        hidden_figures=(hidden_figures or set()) | _figures_of(there, tie),
        figures=figures,
    )
    if target is None:
        return table
    clash = {y for y in columns if y not in there and not table.pattern.shows(tie(y))}
    if not clash:
        return table
    pattern = table.pattern.hiding(cells=_cells_of(cells, clash), figures=_figures_of(clash, tie))
    return PublicationTable(name=name, title=table.title, table=table.table, pattern=pattern)


def _hidden_there(target: PublicationTable, columns: Sequence[str]) -> set[str]:
    return {y for y in columns if not target.pattern.shows(figure_names.column_total(y))}


def _cells_of(cells: Mapping[CellKey, int], columns: set[str]) -> set[CellKey]:
    return {k for k in cells if k[1] in columns}


def _figures_of(columns: set[str], tie: Tie) -> set[str]:
    return {f(y) for y in columns for f in (figure_names.column_total, tie)}


def _rehab_by_funding(rehab: pl.DataFrame, target: PublicationTable | None) -> PublicationTable:
    import polars as pl

    year, held = _year_label(rehab)
    funding = list(Kind.REHAB.spec.column("funding_source").choices)
    order = sorted(funding, key=lambda k: (k not in PUBLICLY_FUNDED, funding.index(k)))
    placements = pl.col("placements_started")
    cells = _ordered(_cells(rehab, "funding_source", year, placements), order)
    public = frozenset(PUBLICLY_FUNDED)
    hidden, totals = _year_to_date(rehab, "funding_source", placements, held, public)
    columns = list(dict.fromkeys(column for _, column in cells))
    subtotals = [
        total(figure_names.publicly_funded(y), [k for k in cells if k[1] == y and k[0] in public])
        for y in columns
    ]
    return _linked(
        "rehab-by-funding",
        cells,
        target,
        figure_names.publicly_funded,
        hidden=hidden,
        hidden_figures=totals,
        figures=[f for f in subtotals if f.numerator],
    )


def quarters_held(returns: Returns, kind: Kind, as_of: dt.date) -> dict[str, int]:
    """For a quarterly kind summed by financial year: how many quarters each year holds."""
    frame = returns_as_of(returns, as_of).get(kind)
    if frame is None:
        return {}
    return _year_label(frame)[1]
