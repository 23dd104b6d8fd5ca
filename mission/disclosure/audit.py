"""The disclosure audit: for every hidden count, the values a reader cannot rule out.

Like tau-ARGUS's and sdcTable's audit (the "attacker's problem"), for each hidden count we find the
least and greatest value consistent with everything the publication prints: every shown cell,
every shown total and derived figure (as the linear bounds of `mission.disclosure.table`), and
counts being zero or more. The LP runs over real numbers and its ends are then narrowed to whole
numbers, which is what a reader with a pencil would do.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, computed_field

from mission.disclosure.linear import Bound, all_bounds, solve_range, whole_range
from mission.disclosure.pattern import Pattern
from mission.disclosure.table import CellKey, CountTable
from mission.disclosure.threshold import is_small

__all__ = [
    "AuditResult",
    "HiddenRange",
    "Knowledge",
    "Sensitive",
    "audit",
    "is_protected",
    "sensitive_items",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class HiddenRange(_Frozen):
    """The values a reader cannot rule out for one hidden count (a cell or a total).

    `high` is None when nothing bounds the count from above. The true value is not recorded: an
    audit result may be logged, and must not leak what it checks.
    """

    item: str
    cell: CellKey | None = None
    low: int
    high: int | None
    protected: bool

    @computed_field  # type: ignore[prop-decorator]
    @property
    def width(self) -> int | None:
        """`high − low` (None: unbounded)."""
        return None if self.high is None else self.high - self.low


class AuditResult(_Frozen):
    """Every hidden count's range, and the counts of 1–4 printed as they are (`exposed`)."""

    protection: int
    ranges: tuple[HiddenRange, ...]
    exposed: tuple[str, ...] = ()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        """No count of 1–4 is printed and every hidden count is protected."""
        return not self.exposed and all(r.protected for r in self.ranges)

    @property
    def leaks(self) -> tuple[HiddenRange, ...]:
        """The hidden counts a reader can narrow below the protection."""
        return tuple(r for r in self.ranges if not r.protected)


@dataclass(frozen=True)
class Sensitive:
    """A hidden count the audit bounds: a cell, or a hidden total (a sum of cells)."""

    item: str
    cell: CellKey | None
    coefficients: Mapping[CellKey, float]


def cell_label(cell: CellKey) -> str:
    return f"{cell[0]} × {cell[1]}"


def sensitive_items(table: CountTable, pattern: Pattern) -> Iterator[Sensitive]:
    """The hidden cells in table order, then the hidden totals."""
    for cell in table.counts_by_cell:
        if cell in pattern.hidden:
            yield Sensitive(cell_label(cell), cell, {cell: 1.0})
    for figure in table.published_figures:
        if figure.kind == "total" and figure.name in pattern.hidden_figures:
            yield Sensitive(figure.name, None, dict(figure.numerator))


def is_protected(low: int, high: int | None, protection: int) -> bool:
    """The rule: a reader cannot narrow a hidden count to a range narrower than `protection`."""
    return high is None or high - low >= protection


def _constraints(
    table: CountTable,
    pattern: Pattern,
    bounds: Mapping[str, Sequence[Bound]],
    hidden: set[CellKey],
) -> list[tuple[dict[CellKey, float], float, float]]:
    """Each shown figure's bounds as a constraint on the hidden cells it reads (the shown cells'
    part moved to the bounds); a bound on shown cells alone tells nothing hidden."""
    counts = table.counts_by_cell
    found = []
    for figure in table.published_figures:
        if figure.name in pattern.hidden_figures:
            continue
        for bound in bounds[figure.name]:
            unknown = {c: a for c, a in bound.coefficients.items() if c in hidden}
            if unknown:
                known = sum(a * counts[c] for c, a in bound.coefficients.items() if c not in hidden)
                found.append((unknown, bound.low - known, bound.high - known))
    return found


class Knowledge:
    """What a reader of `table` printed through `pattern` knows about its hidden cells.

    Shown cells are known numbers; each shown figure's bounds become a constraint on the hidden
    cells it reads. Constraints are grouped by the hidden cells they link, so bounding a cell
    solves only the LP of its own group.
    """

    def __init__(
        self,
        table: CountTable,
        pattern: Pattern,
        bounds: Mapping[str, Sequence[Bound]] | None = None,
        witnesses: Witnesses | None = None,
    ) -> None:
        counts = table.counts_by_cell
        bounds = all_bounds(table) if bounds is None else bounds
        self._counts = counts
        self._hidden = {cell for cell in counts if cell in pattern.hidden}
        self._constraints = _constraints(table, pattern, bounds, self._hidden)
        self._witnesses = Witnesses() if witnesses is None else witnesses
        self._parent = {cell: cell for cell in self._hidden}
        for unknown, _, _ in self._constraints:
            first, *rest = unknown
            for cell in rest:
                self._parent[self._root(cell)] = self._root(first)

    def _root(self, cell: CellKey) -> CellKey:
        while self._parent[cell] != cell:
            self._parent[cell] = self._parent[self._parent[cell]]
            cell = self._parent[cell]
        return cell

    def range_of(self, coefficients: Mapping[CellKey, float]) -> tuple[int, int | None]:
        """The whole-number range a reader can put on `Σ coefficients·cells`."""
        known = sum(a * self._counts[c] for c, a in coefficients.items() if c not in self._hidden)
        unknown = {c: a for c, a in coefficients.items() if c in self._hidden}
        groups = {self._root(cell) for cell in unknown}
        constraints = [
            constraint
            for constraint in self._constraints
            if self._root(next(iter(constraint[0]))) in groups
        ]
        variables = sorted(
            {cell for constraint in constraints for cell in constraint[0]} | set(unknown)
        )
        if not unknown:
            return whole_range(known, known)
        solved = solve_range(unknown, variables, constraints)
        for point in solved.points:
            self._witnesses.add(point)
        return whole_range(solved.low + known, solved.high + known)

    def protects(self, coefficients: Mapping[CellKey, float], protection: int) -> bool:
        """Whether a reader cannot narrow `Σ coefficients·cells` below `protection` (`range_of`,
        then `is_protected`); no LP is solved where points known to meet every constraint
        (`Witnesses`, the true counts among them) already span it, as the true range then does
        too."""
        values = self._witnesses.values(coefficients, self._counts)
        if is_protected(*whole_range(min(values), max(values)), protection):
            return True
        return is_protected(*self.range_of(coefficients), protection)


class Witnesses:
    """Points that meet every constraint a reader has: each LP's optimum, and the true counts.

    A point stays one as a pattern hides more: a newly hidden cell at its true count keeps every
    constraint left true (hiding a cell or a figure only takes constraints away or loosens
    them). So `suppression_pattern` keeps one `Witnesses` through its repairs; a cell a point
    does not give is at its true count. Never for a pattern that shows more (`_show_again`).
    """

    def __init__(self) -> None:
        self._points: list[dict[Hashable, float]] = []
        self._by_cell: dict[Hashable, list[int]] = {}

    def add(self, point: dict[Hashable, float]) -> None:
        for cell in point:
            self._by_cell.setdefault(cell, []).append(len(self._points))
        self._points.append(point)

    def values(
        self, coefficients: Mapping[CellKey, float], counts: Mapping[CellKey, int]
    ) -> list[float]:
        """`Σ coefficients·cells` at the true counts and at each point that gives any cell."""
        truth = sum(a * counts[c] for c, a in coefficients.items())
        found = sorted({i for c in coefficients for i in self._by_cell.get(c, ())})
        return [truth] + [
            sum(a * self._points[i].get(c, counts[c]) for c, a in coefficients.items())
            for i in found
        ]


def audit(table: CountTable, pattern: Pattern, protection: int | None = None) -> AuditResult:
    """Bound every hidden count of `table` as printed through `pattern`.

    Args:
        table: the true counts and the figures printed with them.
        pattern: what is hidden, in every view of the table printed together (see
            `Pattern.revealing`).
        protection: the least width a hidden count's range must have (default: the pattern's).

    Returns:
        Each hidden count's range; `ok` is False if any is narrower than the protection or a
        count of 1–4 (cell or total) is printed.
    """
    protection = pattern.protection if protection is None else protection
    knowledge = Knowledge(table, pattern)
    ranges = []
    for item in sensitive_items(table, pattern):
        low, high = knowledge.range_of(item.coefficients)
        protected = is_protected(low, high, protection)
        ranges.append(
            HiddenRange(item=item.item, cell=item.cell, low=low, high=high, protected=protected)
        )
    counts = table.counts_by_cell
    exposed = [cell_label(c) for c, v in counts.items() if c not in pattern.hidden and is_small(v)]
    exposed += [
        f.name
        for f in table.published_figures
        if f.kind == "total" and f.name not in pattern.hidden_figures and is_small(f.value(counts))
    ]
    return AuditResult(protection=protection, ranges=tuple(ranges), exposed=tuple(exposed))
