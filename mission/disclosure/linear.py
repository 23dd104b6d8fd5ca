"""What a printed figure tells a reader, as linear bounds on the cells; the LP that bounds a cell.

Internal to `mission.disclosure`: `audit` and `suppression_pattern` share these.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from mission.disclosure.table import CellKey, CountTable, Figure, FigureKind

__all__ = [
    "Bound",
    "Infeasible",
    "Solved",
    "all_bounds",
    "bounds_of",
    "bounds_printed",
    "solve_range",
    "whole_range",
]


class Infeasible(RuntimeError):
    """No counts give everything printed: what a reader holds contradicts itself (two editions
    read together, one revised between them)."""


# A printed value is rounded: widen its interval by a hair so float error never cuts the truth off.
WIDEN = 1e-9
# LP solutions within this of an integer are that integer (cells are whole numbers).
INTEGER_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Bound:
    """`low ≤ Σ coefficients·cells ≤ high`: one thing a reader learns from one printed figure."""

    figure: str
    kind: FigureKind
    coefficients: Mapping[CellKey, float]
    low: float
    high: float


def _scaled(figure: Figure, terms: dict[CellKey, float], low: float, high: float) -> Bound:
    """A bound scaled so its largest coefficient is 1 (keeps the LPs well conditioned)."""
    terms = {cell: a for cell, a in terms.items() if a != 0}
    largest = max((abs(a) for a in terms.values()), default=1.0)
    return Bound(
        figure=figure.name,
        kind=figure.kind,
        coefficients={cell: a / largest for cell, a in terms.items()},
        low=low / largest,
        high=high / largest,
    )


def _linear_part(
    terms: Sequence[tuple[CellKey, float]], factor: float = 1.0
) -> dict[CellKey, float]:
    out: dict[CellKey, float] = {}
    for cell, a in terms:
        out[cell] = out.get(cell, 0.0) + factor * a
    return out


def _combine(*parts: dict[CellKey, float]) -> dict[CellKey, float]:
    out: dict[CellKey, float] = {}
    for part in parts:
        for cell, a in part.items():
            out[cell] = out.get(cell, 0.0) + a
    return out


def bounds_of(figure: Figure, counts: Mapping[CellKey, int]) -> list[Bound]:
    """The linear bounds a reader learns from `figure` printed at these counts.

    A nonlinear figure gives each of its sources away. A ratio `N/D` printed as `v` (rounded to
    `d` places, so the truth lies in `[v − h, v + h]` with `h = ½·10⁻ᵈ`) gives `N − (v+h)·D ≤ 0`
    and `N − (v−h)·D ≥ 0` for `D > 0` (the other way round for `D < 0`); printed exactly it gives
    `N − v·D = 0`. A ratio printed as a dash (zero denominator) gives `D = 0`.
    """
    if figure.kind == "nonlinear":
        return [_scaled(figure, {cell: 1.0}, counts[cell], counts[cell]) for cell in figure.sources]
    numerator, denominator = figure.parts(counts)
    if denominator == 0:
        return bounds_printed(figure, None)
    exact = numerator / denominator
    printed = exact if figure.decimals is None else round(exact, figure.decimals)
    return bounds_printed(figure, printed, negative=denominator < 0)


def bounds_printed(figure: Figure, printed: float | None, *, negative: bool = False) -> list[Bound]:
    """The linear bounds a reader learns from a total or derived `figure` printed as `printed`.

    `None` is a dash (a zero denominator). `negative` says the figure's denominator is below
    zero, which a reader knows from what the figure means (a target below its baseline).
    """
    if figure.kind == "nonlinear":
        raise ValueError(f"{figure.name!r}: a nonlinear figure gives its cells away, not bounds")
    a = _linear_part(figure.numerator)
    if printed is None:
        if not figure.denominator:
            return []
        constant = -figure.denominator_constant
        return [_scaled(figure, _linear_part(figure.denominator), constant, constant)]
    if figure.decimals is None:
        low = high = printed
    else:
        half = 0.5 * 10.0 ** (-figure.decimals)
        slack = WIDEN * max(1.0, abs(printed))
        low, high = printed - half - slack, printed + half + slack
    if negative:
        low, high = high, low
    a0, b0 = figure.numerator_constant, figure.denominator_constant

    def side(v: float) -> tuple[dict[CellKey, float], float]:
        # N − v·D as coefficients over cells, and the constant moved to the right-hand side.
        return _combine(a, _linear_part(figure.denominator, -v)), v * b0 - a0

    if low == high:
        terms, rhs = side(low)
        return [_scaled(figure, terms, rhs, rhs)]
    upper_terms, upper_rhs = side(high)
    lower_terms, lower_rhs = side(low)
    return [
        _scaled(figure, upper_terms, -math.inf, upper_rhs),
        _scaled(figure, lower_terms, lower_rhs, math.inf),
    ]


def all_bounds(table: CountTable) -> dict[str, list[Bound]]:
    """The bounds each of the table's figures gives, by figure name, were it printed."""
    counts = table.counts_by_cell
    return {figure.name: bounds_of(figure, counts) for figure in table.published_figures}


def _matrices(
    variables: Sequence[Hashable],
    constraints: Sequence[tuple[Mapping[Any, float], float, float]],
) -> dict[str, Any]:
    """`A_ub`, `b_ub`, `A_eq`, `b_eq` for linprog, as sparse matrices."""
    from scipy.sparse import csr_array

    index = {v: i for i, v in enumerate(variables)}
    rows: dict[str, tuple[list[float], list[int], list[int], list[float]]] = {
        "ub": ([], [], [], []),
        "eq": ([], [], [], []),
    }

    def add(kind: str, coefficients: Mapping[Any, float], sign: float, rhs: float) -> None:
        data, row_index, column_index, right = rows[kind]
        data.extend([sign * a for a in coefficients.values()])
        column_index.extend([index[variable] for variable in coefficients])
        row_index.extend([len(right)] * len(coefficients))
        right.append(sign * rhs)

    for coefficients, low, high in constraints:
        if low == high:
            add("eq", coefficients, 1.0, low)
            continue
        if high < math.inf:
            add("ub", coefficients, 1.0, high)
        if low > -math.inf:
            add("ub", coefficients, -1.0, low)
    out: dict[str, Any] = {}
    for kind, (data, row_index, column_index, right) in rows.items():
        if right:
            shape = (len(right), len(variables))
            out[f"A_{kind}"] = csr_array((data, (row_index, column_index)), shape=shape)
            out[f"b_{kind}"] = right
    return out


class Solved(NamedTuple):
    """An objective's least and greatest value, and the points of the LP that reached them."""

    low: float
    high: float
    points: list[dict[Hashable, float]]
    """Values of every variable that meet every constraint: what `Knowledge.protects` measures
    other objectives on before it solves an LP for them."""


def solve_range(
    objective: Mapping[Any, float],
    variables: Sequence[Hashable],
    constraints: Sequence[tuple[Mapping[Any, float], float, float]],
) -> Solved:
    """The least and greatest value of `objective` over non-negative `variables` (reals).

    Each constraint is `(coefficients, low, high)`: `low ≤ Σ coefficients·variables ≤ high`.
    The greatest value is `inf` when nothing bounds it.
    """
    import numpy as np
    from scipy.optimize import linprog

    matrices = _matrices(variables, constraints)
    c = np.array([objective.get(v, 0.0) for v in variables])
    ends: list[float] = []
    points: list[dict[Hashable, float]] = []
    for sign in (1.0, -1.0):
        result = linprog(sign * c, bounds=(0, None), method="highs", **matrices)
        if result.status == 2:
            # The truth is always feasible: HiGHS's presolve can call an unbounded problem
            # infeasible, so ask again without it.
            options = {"presolve": False}
            result = linprog(
                sign * c, bounds=(0, None), method="highs", options=options, **matrices
            )
        if result.status == 3:  # unbounded: only possible when maximising
            ends.append(math.inf)
        elif result.status == 2:
            raise Infeasible(f"no counts give everything printed: {result.message}")
        elif result.status != 0:
            raise RuntimeError(f"the disclosure LP failed: {result.message}")
        else:
            ends.append(sign * float(result.fun))
            points.append(dict(zip(variables, (float(v) for v in result.x), strict=True)))
    return Solved(ends[0], ends[1], points)


def whole_range(low: float, high: float) -> tuple[int, int | None]:
    """A real range narrowed to the whole numbers in it (`None`: no upper end)."""
    whole_low = max(0, math.ceil(low - INTEGER_TOLERANCE))
    if math.isinf(high):
        return whole_low, None
    return whole_low, math.floor(high + INTEGER_TOLERANCE)
