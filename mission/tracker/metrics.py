"""The figures a status is decided from, all about one judged point.

`measure` picks the judged point — the newest period (ending by the deadline, once the deadline has
passed) that every ADP reported, else the newest such period — and works out, for that point and
nothing later: whether it meets the target, where the straight-line path from the baseline says it
should be, the percent of the way, the recent trend, the projection to the deadline, and Open SDG's
grade. `mission.tracker.rules` turns these into a status.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from mission.stats import least_squares
from mission.targets import Direction
from mission.tracker import sdg
from mission.tracker.model import Method, Point, SdgGrade

__all__ = [
    "RECENT_POINTS",
    "Goal",
    "Metrics",
    "basis_point",
    "better_or_equal",
    "choose_judged",
    "measure",
    "whole",
]

RECENT_POINTS = 8
"""The trend is a least-squares line over at most this many periods, up to the judged one."""


@dataclass(frozen=True)
class Goal:
    """What a series is judged against, for Scotland or one ADP.

    `expects_target` says the national target has a number, so an area without one of its own
    (an apportioned share of 0) has no local target rather than no target at all.
    """

    direction: Direction
    target_value: float | None = None
    target_source: str | None = None
    expects_target: bool = False
    deadline: dt.date | None = None
    deadline_period: str | None = None
    """The period the deadline judges (the target's `target_period`, else the last period
    ending by the deadline): once it has passed, that period's figure decides, or none does."""
    baseline_value: float | None = None
    baseline_period: str | None = None
    baseline_end: dt.date | None = None


@dataclass(frozen=True)
class Metrics:
    """Everything the status rules read; every figure is about `judged`."""

    goal: Goal
    method: Method
    as_of: dt.date
    latest: Point | None
    judged: Point | None
    deadline_passed: bool
    meets_target: bool | None
    improving: bool | None
    wrong_way: bool
    expected_value: float | None
    on_path: bool | None
    percent_of_way: float | None
    trend_per_year: float | None
    projected_value: float | None
    will_reach: bool | None
    sdg: SdgGrade | None


def better_or_equal(a: float, b: float, direction: Direction) -> bool:
    """Whether `a` is at least as good as `b` for a target going `direction`."""
    return a >= b if direction is Direction.INCREASE else a <= b


def choose_judged(points: Sequence[Point], goal: Goal, as_of: dt.date) -> Point | None:
    """The point a status is judged on (see the module docstring), or None.

    Once the deadline has passed, the last period ending by it decides, and only when its
    figure is whole (every ADP reported, no quarter pro-rated): a part of it is no figure for the
    period. A count going up is the exception: what some ADPs sent can only grow as the others
    send theirs, so their sum, when it already meets the target, is judged.
    """
    deadline = goal.deadline
    passed = deadline is not None and as_of >= deadline
    if passed and goal.deadline_period is not None:
        return _deadline_point(points, goal)
    candidates = [p for p in points if deadline is None or not passed or p.end <= deadline]
    if passed and candidates and not whole(candidates[-1]):
        return _part_that_meets(candidates[-1], goal)
    complete = [p for p in candidates if p.coverage.complete]
    # A period some ADPs did not send is never judged: its sum would count them as zero.
    return complete[-1] if complete else None


def _deadline_point(points: Sequence[Point], goal: Goal) -> Point | None:
    """The point of the period the deadline judges, never another in its place (an earlier
    period is not what the target asked for): whole, or a part that already meets it."""
    point = next((p for p in points if p.period == goal.deadline_period), None)
    if point is None or whole(point):
        return point
    return _part_that_meets(point, goal)


def _part_that_meets(point: Point, goal: Goal) -> Point | None:
    """A period some ADPs have not sent yet, when what is in already meets a count going up.

    A pro-rated year is no such part: its figure is scaled, not what is in, and a year short of
    quarters after its end waits for them."""
    if point.prorated_from_quarters or point.numerator is not None:
        return None
    target = goal.target_value
    grows = goal.direction is Direction.INCREASE
    return point if grows and target is not None and point.value >= target else None


def basis_point(points: Sequence[Point], baseline_period: str | None) -> Point | None:
    """The period a national count target is apportioned by: the baseline's, else the first,
    of the periods every ADP reported (a share of a sum missing ADPs would be too large)."""
    complete = [p for p in points if p.coverage.complete]
    wanted = next((p for p in complete if p.period == baseline_period), None)
    return wanted or (complete[0] if complete else None)


def whole(point: Point) -> bool:
    """Whether a point's figure is the period's whole: every ADP reported, nothing pro-rated."""
    return point.coverage.complete and not point.prorated_from_quarters


def _trend(points: Sequence[Point], judged: Point) -> tuple[float, float] | None:
    """Least-squares slope (per day) and intercept over recent points up to the judged one."""
    upto = [p for p in points if p.end <= judged.end]
    complete = [p for p in upto if p.coverage.complete]
    recent = (complete if len(complete) >= 2 else upto)[-RECENT_POINTS:]
    return least_squares([p.end.toordinal() for p in recent], [p.value for p in recent])


def _path_value(goal: Goal, when: dt.date) -> float | None:
    """Where the straight line from the baseline to the target says the figure should be."""
    if (
        goal.target_value is None
        or goal.baseline_value is None
        or goal.baseline_end is None
        or goal.deadline is None
    ):
        return None
    span = (goal.deadline - goal.baseline_end).days
    done = min(max((when - goal.baseline_end).days / span, 0.0), 1.0) if span > 0 else 1.0
    return goal.baseline_value + (goal.target_value - goal.baseline_value) * done


def _percent_of_way(goal: Goal, value: float) -> float | None:
    """None when there is no way to go: no target or baseline, or a target equal to its baseline
    (a "hold the line" target), compared relative to their size so rounding never makes a way of
    1e-15 out of two equal figures."""
    target, baseline = goal.target_value, goal.baseline_value
    if target is None or baseline is None or math.isclose(target, baseline, rel_tol=1e-9):
        return None
    return 100 * (value - baseline) / (target - baseline)


def _sdg_base(goal: Goal, points: Sequence[Point]) -> Point:
    """The base Open SDG's growth is measured from: the baseline, else the first period."""
    if goal.baseline_value is not None and goal.baseline_end is not None:
        return points[0].model_copy(
            update={
                "period": goal.baseline_period or points[0].period,
                "end": goal.baseline_end,
                "value": goal.baseline_value,
            }
        )
    return points[0]


def _nothing_to_judge(
    points: Sequence[Point], goal: Goal, as_of: dt.date, method: Method, passed: bool
) -> Metrics:
    return Metrics(
        goal=goal,
        method=method,
        as_of=as_of,
        latest=points[-1] if points else None,
        judged=None,
        deadline_passed=passed,
        meets_target=None,
        improving=None,
        wrong_way=False,
        expected_value=None,
        on_path=None,
        percent_of_way=None,
        trend_per_year=None,
        projected_value=None,
        will_reach=None,
        sdg=None,
    )


def measure(points: Sequence[Point], goal: Goal, as_of: dt.date, method: Method) -> Metrics:
    """The metrics of a series (oldest first, all ended by `as_of`) against a goal."""
    judged = choose_judged(points, goal, as_of)
    passed = goal.deadline is not None and as_of >= goal.deadline
    if judged is None:
        return _nothing_to_judge(points, goal, as_of, method, passed)
    fit = _trend(points, judged)
    slope = fit[0] * 365.25 if fit else None
    projected = None
    if fit is not None and goal.deadline is not None and not passed:
        projected = fit[0] * goal.deadline.toordinal() + fit[1]
    target, direction = goal.target_value, goal.direction
    reference = goal.baseline_value if goal.baseline_value is not None else points[0].value
    expected = _path_value(goal, judged.end)
    grade = None
    if method == Method.SDG:
        grade = sdg.grade(
            judged,
            base=_sdg_base(goal, points),
            direction=direction,
            target=target,
            deadline=goal.deadline,
        )
    return Metrics(
        goal=goal,
        method=method,
        as_of=as_of,
        latest=points[-1],
        judged=judged,
        deadline_passed=passed,
        meets_target=None if target is None else better_or_equal(judged.value, target, direction),
        improving=better_or_equal(judged.value, reference, direction),
        wrong_way=slope is not None
        and (slope < 0 if direction is Direction.INCREASE else slope > 0),
        expected_value=expected,
        on_path=None if expected is None else better_or_equal(judged.value, expected, direction),
        percent_of_way=_percent_of_way(goal, judged.value),
        trend_per_year=slope,
        projected_value=projected,
        will_reach=(
            None
            if projected is None or target is None
            else better_or_equal(projected, target, direction)
        ),
        sdg=grade,
    )
