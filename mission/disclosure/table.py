"""The table model for publication: counts keyed by (row, column), and the figures shown with them.

A `CountTable` holds the true counts (never published as such) and declares every figure that a
publication of the table prints: its row, column and grand totals, and any other `Figure` — a
"Scotland" series, a board subtotal, a percentage, a rate, an apportioned target, a "percent of
the way", an interval.

Each figure is one of three kinds, and that is how derived figures enter the audit:

- `total`: a sum of cells, published exactly. A total is a count: shown unless it is 1–4, or
  unless hiding it is the only way left to protect a cell.
- `derived`: a ratio of two linear forms of the cells, `(Σ aᵢ·xᵢ + a₀) / (Σ bⱼ·xⱼ + b₀)`, printed
  rounded to `decimals` places. A percentage (`100·x / total`), a rate per 100,000 (`1e5·x / P` with
  a published population `P`), an apportioned target (`target·x / Σ basis`) and a percent of the way
  (`100·(latest − baseline) / (target − baseline)`) are all of this form. The reader learns
  `low ≤ N/D ≤ high` from the printed value, that is two *linear* inequalities on the cells
  (`N − high·D ≤ 0`, `N − low·D ≥ 0`, for a positive denominator), so the audit respects every
  derived figure that is shown. A derived figure names the cells it describes (`sources`) and is
  hidden whenever one of them is.
- `nonlinear`: anything else computed from cells (a Wilson interval, a chart point with its band).
  The audit assumes a shown nonlinear figure gives each of its `sources` away exactly, so it is
  hidden whenever one of them is, and then tells the reader nothing the table does not.

Constants inside a derived figure (a population, a national target, the factor of an apportioned
target) must be figures the reader knows: a published total, or reference data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

__all__ = [
    "CellKey",
    "CountTable",
    "Figure",
    "FigureKind",
    "apportioned",
    "interval",
    "of_the_way",
    "percent",
    "rate",
    "ratio",
    "total",
]

CellKey = tuple[str, str]
"""A cell: (row key, column key)."""

Term = tuple[CellKey, float]
FigureKind = Literal["total", "derived", "nonlinear"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Figure(_Frozen):
    """A figure printed with the table, computed from its cells (see the module docstring).

    Its value is `(Σ numerator + numerator_constant) / (Σ denominator + denominator_constant)`,
    rounded to `decimals` places (`None`: printed exactly). Build one with `total`, `percent`,
    `rate`, `apportioned`, `of_the_way`, `interval` or `ratio` rather than by hand.
    """

    name: str
    kind: FigureKind = "derived"
    numerator: tuple[Term, ...] = ()
    numerator_constant: float = 0.0
    denominator: tuple[Term, ...] = ()
    denominator_constant: float = 1.0
    decimals: int | None = None
    sources: tuple[CellKey, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Figure:
        if self.decimals is not None and self.decimals < 0:
            raise ValueError(f"{self.name!r}: decimals must be 0 or more, not {self.decimals}")
        if self.kind == "total":
            plain = all(coefficient == 1 for _, coefficient in self.numerator)
            if not plain or self.numerator_constant or self.denominator or self.sources:
                raise ValueError(f"{self.name!r}: a total is a plain sum of cells")
            if self.denominator_constant != 1 or self.decimals is not None:
                raise ValueError(f"{self.name!r}: a total is printed exactly")
        elif not self.sources:
            raise ValueError(f"{self.name!r}: a {self.kind} figure names the cells it describes")
        return self

    def cells(self) -> set[CellKey]:
        """Every cell the figure reads."""
        terms = (*self.numerator, *self.denominator)
        return {cell for cell, _ in terms} | set(self.sources)

    def parts(self, counts: Mapping[CellKey, int]) -> tuple[float, float]:
        """The numerator and the denominator at these counts."""
        numerator = self.numerator_constant + sum(a * counts[cell] for cell, a in self.numerator)
        denominator = self.denominator_constant + sum(
            b * counts[cell] for cell, b in self.denominator
        )
        return numerator, denominator

    def value(self, counts: Mapping[CellKey, int]) -> float | None:
        """The figure as printed; None where its denominator is zero (printed as a dash) and for a
        nonlinear figure, which the caller computes."""
        if self.kind == "nonlinear":
            return None
        numerator, denominator = self.parts(counts)
        if denominator == 0:
            return None
        exact = numerator / denominator
        return exact if self.decimals is None else round(exact, self.decimals)


class CountTable(_Frozen):
    """Non-negative counts keyed by (row, column), with the figures a publication prints.

    `counts[i][j]` is the count for `rows[i]` and `columns[j]`; `None` is no figure at all (an ADP
    that sent no return): it is in no total and never a zero. `row_totals`, `column_totals` and
    `grand_total` say which margins are printed; `figures` adds any other printed figure.
    """

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    counts: tuple[tuple[int | None, ...], ...]
    row_totals: bool = False
    column_totals: bool = False
    grand_total: bool = False
    figures: tuple[Figure, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> CountTable:
        for label, keys in (("row", self.rows), ("column", self.columns)):
            if len(set(keys)) != len(keys):
                raise ValueError(f"{label} keys must be unique: {keys!r}")
        if len(self.counts) != len(self.rows) or any(
            len(line) != len(self.columns) for line in self.counts
        ):
            raise ValueError("counts must have one line per row and one value per column")
        negative = [(key, v) for key, v in self.counts_by_cell.items() if v < 0]
        if negative:
            raise ValueError(f"counts cannot be negative: {negative[0]!r}")
        names = [figure.name for figure in self.published_figures]
        if len(set(names)) != len(names):
            raise ValueError("figure names must be unique (and not those of the margins)")
        for figure in self.figures:
            unknown = sorted(figure.cells() - set(self.counts_by_cell))
            if unknown:
                raise ValueError(f"{figure.name!r} reads cells with no count: {unknown!r}")
        return self

    @classmethod
    def from_mapping(
        cls,
        counts: Mapping[CellKey, int | None],
        *,
        row_totals: bool = False,
        column_totals: bool = False,
        grand_total: bool = False,
        figures: Iterable[Figure] = (),
    ) -> CountTable:
        """A table from `{(row, column): count}`; rows and columns keep first-seen order."""
        rows = tuple(dict.fromkeys(row for row, _ in counts))
        columns = tuple(dict.fromkeys(column for _, column in counts))
        grid = tuple(tuple(counts.get((row, column)) for column in columns) for row in rows)
        return cls(
            rows=rows,
            columns=columns,
            counts=grid,
            row_totals=row_totals,
            column_totals=column_totals,
            grand_total=grand_total,
            figures=tuple(figures),
        )

    @cached_property
    def counts_by_cell(self) -> dict[CellKey, int]:
        """Every cell that has a count, in row-major order."""
        return {
            (row, column): value
            for row, line in zip(self.rows, self.counts, strict=True)
            for column, value in zip(self.columns, line, strict=True)
            if value is not None
        }

    @cached_property
    def published_figures(self) -> tuple[Figure, ...]:
        """The margins the table prints (as `total` figures), then its other figures."""
        cells = self.counts_by_cell
        margins: list[Figure] = []
        if self.row_totals:
            for row in self.rows:
                margins.append(total(f"total of row {row}", [k for k in cells if k[0] == row]))
        if self.column_totals:
            for column in self.columns:
                keys = [k for k in cells if k[1] == column]
                margins.append(total(f"total of column {column}", keys))
        if self.grand_total:
            margins.append(total("grand total", list(cells)))
        return (*(m for m in margins if m.numerator), *self.figures)

    def value(self, row: str, column: str) -> int | None:
        """The count for one cell (None: no figure)."""
        return self.counts_by_cell.get((row, column))


def total(name: str, cells: Sequence[CellKey]) -> Figure:
    """A printed sum of cells: a "Scotland" series point, a board subtotal."""
    return Figure(name=name, kind="total", numerator=tuple((cell, 1.0) for cell in cells))


def ratio(
    name: str,
    numerator: Mapping[CellKey, float],
    denominator: Mapping[CellKey, float] | float,
    *,
    sources: Sequence[CellKey],
    scale: float = 1.0,
    offset: float = 0.0,
    decimals: int | None = 1,
) -> Figure:
    """`(scale·Σ numerator + offset) / denominator`, describing `sources`.

    `denominator` is a linear form of cells or a constant the reader knows.
    """
    terms = tuple((cell, scale * a) for cell, a in numerator.items())
    if isinstance(denominator, Mapping):
        below, constant = tuple(denominator.items()), 0.0
    else:
        below, constant = (), float(denominator)
    return Figure(
        name=name,
        numerator=terms,
        numerator_constant=offset,
        denominator=below,
        denominator_constant=constant,
        decimals=decimals,
        sources=tuple(dict.fromkeys(sources)),
    )


def percent(name: str, cell: CellKey, of: Sequence[CellKey], *, decimals: int = 1) -> Figure:
    """`100·cell / Σ of`: a share of a total, such as the percent seen within three weeks."""
    of_total = dict.fromkeys(of, 1.0)
    return ratio(name, {cell: 1.0}, of_total, sources=[cell], scale=100.0, decimals=decimals)


def rate(
    name: str,
    cells: Sequence[CellKey],
    population: float,
    *,
    per: float = 100_000,
    decimals: int = 1,
) -> Figure:
    """`per·Σ cells / population`: a rate with a published (reference) population."""
    summed = dict.fromkeys(cells, 1.0)
    return ratio(name, summed, population, sources=cells, scale=per, decimals=decimals)


def apportioned(
    name: str,
    cell: CellKey,
    basis: Sequence[CellKey] | float,
    target: float,
    *,
    decimals: int = 0,
) -> Figure:
    """`target·cell / Σ basis`: a national target shared out by the cell's share of the basis.

    `basis` is the cells of the basis period (their total is published) or that total itself.
    """
    below = basis if isinstance(basis, float | int) else dict.fromkeys(basis, 1.0)
    return ratio(name, {cell: 1.0}, below, sources=[cell], scale=target, decimals=decimals)


def of_the_way(
    name: str,
    latest: CellKey,
    baseline: CellKey,
    *,
    target: float | None = None,
    factor: float | None = None,
    decimals: int = 0,
) -> Figure:
    """`100·(latest − baseline) / (target − baseline)`: the percent of the way to a target.

    Give the `target` when it is a published number, or its `factor` when the target is
    `factor × baseline` (an apportioned target: factor = national target / published basis total).
    """
    if (target is None) == (factor is None):
        raise ValueError(f"{name!r}: give one of target or factor")
    above = {latest: 100.0, baseline: -100.0} if latest != baseline else {}
    if factor is not None:
        below, constant = {baseline: factor - 1.0}, 0.0
    else:
        below, constant = {baseline: -1.0}, float(target or 0.0)
    return Figure(
        name=name,
        numerator=tuple(above.items()),
        denominator=tuple(below.items()),
        denominator_constant=constant,
        decimals=decimals,
        sources=tuple(dict.fromkeys((latest, baseline))),
    )


def interval(name: str, cells: Sequence[CellKey]) -> Figure:
    """A figure the audit cannot express linearly (a Wilson interval, a chart point with a band).

    It is taken to give each of `cells` away, so it is shown only when all of them are.
    """
    return Figure(name=name, kind="nonlinear", sources=tuple(cells))
