"""Secondary suppression: hide enough further cells that every hidden count is protected.

Primary suppression hides counts of 1–4 (cells and totals) and every derived figure of a hidden
cell. Then, while the audit finds a hidden count narrower than the protection, we repair it. An LP
(a heuristic after the attacker's upper and lower problems of Fischetti and Salazar-González's
cell suppression model, which tau-ARGUS's optimal method solves exactly) looks for two changes to
the table, one raising the count and one lowering it, `protection` apart in all, that keep every
printed figure true. Changing a hidden cell is free, a shown cell costs
1 + its value per unit (so small cells are preferred), a shown derived figure a little, and a
total a great deal (so a total is hidden only when nothing else will do). Every shown cell and
figure the cheapest change touches is hidden. Hiding more only widens ranges, so a count found
protected stays protected and the loop ends; the audit, not the heuristic, has the last word.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mission.disclosure.audit import Knowledge, Sensitive, Witnesses, sensitive_items
from mission.disclosure.linear import Bound, all_bounds
from mission.disclosure.pattern import Pattern
from mission.disclosure.table import CellKey, CountTable
from mission.disclosure.threshold import SMALLEST_SHOWN, is_small

__all__ = ["suppression_pattern"]

DERIVED_COST = 1.0  # per unit of a shown derived figure's error: hiding it is cheap
TOTAL_COST = 1e6  # per unit of a shown total's error: a total is the last thing to hide
NOISE = 1e-7  # an LP change smaller than this is rounding noise


def suppression_pattern(
    table: CountTable,
    *,
    protection: int = SMALLEST_SHOWN,
    hidden: Iterable[CellKey] = (),
    hidden_figures: Iterable[str] = (),
) -> Pattern:
    """The pattern to print `table` through: primary and secondary cells, and hidden figures.

    Deterministic: the same table always gives the same pattern.

    Args:
        table: the true counts and every figure printed with them.
        protection: the least width of the range a reader can put on any hidden count.
        hidden: cells hidden whatever their count, by a rule beyond this one table (the quarters
            of a year, `mission.disclosure.year_to_date`); protected like any hidden cell.
        hidden_figures: totals hidden likewise, never shown again.
    """
    counts = table.counts_by_cell
    primary = frozenset(cell for cell, value in counts.items() if is_small(value))
    small_totals = frozenset(
        f.name for f in table.published_figures if f.kind == "total" and is_small(f.value(counts))
    ) | frozenset(hidden_figures)
    pattern = Pattern(
        hidden=primary | (frozenset(hidden) & frozenset(counts)),
        primary=primary,
        hidden_figures=small_totals,
        protection=protection,
    )
    pattern = _cascade(table, pattern)
    settled: set[tuple[CellKey | None, str]] = set()
    bounds = all_bounds(table)
    witnesses = Witnesses()  # kept through the repairs: each hides more
    while failing := _first_unprotected(table, pattern, bounds, settled, witnesses):
        cells, figures = _perturbation(table, pattern, bounds, failing)
        if not cells and not figures:
            cells, figures = _fallback(table, pattern, failing)
        pattern = _cascade(table, pattern.hiding(cells, figures))
    return _show_again(table, pattern, bounds, small_totals)


def _show_again(
    table: CountTable,
    pattern: Pattern,
    bounds: Mapping[str, list[Bound]],
    small_totals: frozenset[str],
) -> Pattern:
    """Print again each figure hidden on the way that the final pattern no longer needs hidden.

    The repairs run one hidden count at a time, so a total hidden early can become unnecessary
    once later cells are hidden: show it again if every hidden count stays protected.
    """
    derived = _cascade(table, Pattern(hidden=pattern.hidden)).hidden_figures
    for figure in table.published_figures:
        name = figure.name
        if name not in pattern.hidden_figures or name in small_totals or name in derived:
            continue
        candidate = Pattern(
            hidden=pattern.hidden,
            primary=pattern.primary,
            hidden_figures=pattern.hidden_figures - {name},
            protection=pattern.protection,
        )
        if _first_unprotected(table, candidate, bounds, set()) is None:
            pattern = candidate
    return pattern


def _cascade(table: CountTable, pattern: Pattern) -> Pattern:
    """Hide every derived and nonlinear figure that describes a hidden cell."""
    derived = {
        f.name
        for f in table.published_figures
        if f.kind != "total" and any(cell in pattern.hidden for cell in f.sources)
    }
    return pattern.hiding(figures=derived) if derived - pattern.hidden_figures else pattern


def _first_unprotected(
    table: CountTable,
    pattern: Pattern,
    bounds: Mapping[str, list[Bound]],
    settled: set[tuple[CellKey | None, str]],
    witnesses: Witnesses | None = None,
) -> Sensitive | None:
    knowledge = Knowledge(table, pattern, bounds, witnesses)
    for item in sensitive_items(table, pattern):
        key = (item.cell, item.item)
        if key in settled:
            continue
        if not knowledge.protects(item.coefficients, pattern.protection):
            return item
        settled.add(key)
    return None


@dataclass
class _Program:
    """A sparse LP being built: variables with costs and bounds, and rows of constraints."""

    costs: list[float]
    bounds: list[tuple[float, float | None]]
    upper: list[tuple[dict[int, float], float]]
    equal: list[tuple[dict[int, float], float]]

    def variable(self, cost: float, high: float | None = None) -> int:
        self.costs.append(cost)
        self.bounds.append((0.0, high))
        return len(self.costs) - 1

    def between(self, row: dict[int, float], low: float, high: float) -> None:
        if low == high:
            self.equal.append((row, low))
            return
        if high != float("inf"):
            self.upper.append((row, high))
        if low != float("-inf"):
            self.upper.append(({k: -a for k, a in row.items()}, -low))

    def solve(self) -> list[float] | None:
        from scipy.optimize import linprog
        from scipy.sparse import csr_array

        def matrix(rows: list[tuple[dict[int, float], float]]) -> dict[str, Any]:
            if not rows:
                return {}
            data: list[float] = []
            row_index: list[int] = []
            column_index: list[int] = []
            for r, (row, _) in enumerate(rows):
                data.extend(row.values())
                column_index.extend(row.keys())
                row_index.extend([r] * len(row))
            shape = (len(rows), len(self.costs))
            array = csr_array((data, (row_index, column_index)), shape=shape)
            return {"A": array, "b": [rhs for _, rhs in rows]}

        upper, equal = matrix(self.upper), matrix(self.equal)
        result = linprog(
            self.costs,
            A_ub=upper.get("A"),
            b_ub=upper.get("b"),
            A_eq=equal.get("A"),
            b_eq=equal.get("b"),
            bounds=self.bounds,
            method="highs",
        )
        return [float(v) for v in result.x] if result.status == 0 else None


def _shown_bounds(
    table: CountTable, pattern: Pattern, bounds: Mapping[str, list[Bound]]
) -> list[Bound]:
    return [
        bound
        for figure in table.published_figures
        if figure.name not in pattern.hidden_figures and figure.kind != "nonlinear"
        for bound in bounds[figure.name]
    ]


def _direction(
    program: _Program,
    table: CountTable,
    pattern: Pattern,
    bounds: Sequence[Bound],
    target: Sensitive,
) -> tuple[dict[int, float], dict[CellKey, tuple[int, int]], dict[int, str]]:
    """One change of the table: its variables, and the target's change as a row."""
    counts = table.counts_by_cell
    changes: dict[CellKey, tuple[int, int]] = {}
    for cell, value in counts.items():
        cost = 0.0 if cell in pattern.hidden else 1.0 + value
        changes[cell] = (program.variable(cost), program.variable(cost, float(value)))
    slacks: dict[int, str] = {}
    for bound in bounds:
        cost = TOTAL_COST if bound.kind == "total" else DERIVED_COST
        over, under = program.variable(cost), program.variable(cost)
        slacks[over] = slacks[under] = bound.figure
        row = {over: -1.0, under: 1.0}
        for cell, a in bound.coefficients.items():
            up, down = changes[cell]
            row[up], row[down] = a, -a
        now = sum(a * counts[cell] for cell, a in bound.coefficients.items())
        program.between(row, bound.low - now, bound.high - now)
    target_row: dict[int, float] = {}
    for cell, a in target.coefficients.items():
        up, down = changes[cell]
        target_row[up], target_row[down] = a, -a
    return target_row, changes, slacks


def _perturbation(
    table: CountTable,
    pattern: Pattern,
    bounds: Mapping[str, list[Bound]],
    target: Sensitive,
) -> tuple[set[CellKey], set[str]]:
    """The shown cells and figures that the cheapest protecting change of the table touches."""
    program = _Program([], [], [], [])
    shown = _shown_bounds(table, pattern, bounds)
    rise, rise_changes, rise_slacks = _direction(program, table, pattern, shown, target)
    fall, fall_changes, fall_slacks = _direction(program, table, pattern, shown, target)
    up, down = program.variable(0.0), program.variable(0.0)
    program.between({**rise, up: -1.0}, 0.0, 0.0)
    program.between({**fall, down: 1.0}, 0.0, 0.0)
    program.between({up: 1.0, down: 1.0}, float(pattern.protection), float("inf"))
    solution = program.solve()
    if solution is None:
        return set(), set()
    cells = {
        cell
        for changes in (rise_changes, fall_changes)
        for cell, (plus, minus) in changes.items()
        if cell not in pattern.hidden and solution[plus] + solution[minus] > NOISE
    }
    figures = {
        name
        for slacks in (rise_slacks, fall_slacks)
        for index, name in slacks.items()
        if solution[index] > NOISE
    }
    return cells, figures


def _fallback(
    table: CountTable, pattern: Pattern, target: Sensitive
) -> tuple[set[CellKey], set[str]]:
    """One more thing to hide, when the LP proposes nothing new: a cell, else a figure."""
    counts = table.counts_by_cell
    touching = [
        f
        for f in table.published_figures
        if f.name not in pattern.hidden_figures and f.cells() & set(target.coefficients)
    ]
    order = {cell: i for i, cell in enumerate(counts)}
    cells = sorted(
        {c for f in touching for c in f.cells() if c not in pattern.hidden},
        key=lambda c: (counts[c], order[c]),
    )
    if cells:
        return {cells[0]}, set()
    for kind in ("nonlinear", "derived", "total"):
        names = [f.name for f in touching if f.kind == kind]
        if names:
            return set(), {names[0]}
    raise RuntimeError(f"nothing left to hide that would protect {target.item!r}")
