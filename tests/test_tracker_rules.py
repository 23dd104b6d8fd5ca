"""The status rule table: each rule on its own, and the order in which they are tried."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from mission.targets import Direction
from mission.tracker import Coverage, Goal, Method, Point, SdgCategory, SdgGrade, Status
from mission.tracker.metrics import Metrics
from mission.tracker.rules import (
    RULES,
    SDG_STATUS,
    deadline_passed,
    decide,
    no_data,
    no_numeric_target,
    no_target,
    off_path,
    on_path,
    open_sdg,
    standing_standard,
    target_met,
    wrong_way,
)

POINT = Point(
    period="2023/24 Q4",
    end=dt.date(2024, 3, 31),
    value=50.0,
    coverage=Coverage(reported=30, expected=30),
)
GOAL = Goal(direction=Direction.INCREASE, target_value=100.0, deadline=dt.date(2026, 3, 31))
BASE = Metrics(
    goal=GOAL,
    method=Method.STRAIGHT_LINE,
    as_of=dt.date(2024, 6, 1),
    latest=POINT,
    judged=POINT,
    deadline_passed=False,
    meets_target=False,
    improving=True,
    wrong_way=False,
    expected_value=60.0,
    on_path=False,
    percent_of_way=10.0,
    trend_per_year=1.0,
    projected_value=70.0,
    will_reach=False,
    sdg=None,
)


def _with(**changes: object) -> Metrics:
    return dataclasses.replace(BASE, **changes)  # type: ignore[arg-type]


def _goal(**changes: object) -> Goal:
    return dataclasses.replace(GOAL, **changes)  # type: ignore[arg-type]


def test_no_data() -> None:
    """No judged point is no data; any judged point is left to the other rules."""
    assert no_data(_with(judged=None)) is Status.NO_DATA
    assert no_data(BASE) is None


def test_no_target() -> None:
    """An area expected to have a target but given a share of 0 (or none) has no target."""
    assert no_target(_with(goal=_goal(expects_target=True, target_value=0.0))) is Status.NO_TARGET
    assert no_target(_with(goal=_goal(expects_target=True, target_value=None))) is Status.NO_TARGET
    assert no_target(_with(goal=_goal(expects_target=True))) is None
    assert no_target(_with(goal=_goal(target_value=None))) is None


def test_deadline_passed() -> None:
    """After the deadline the judged value is achieved or missed; before it, nothing."""
    assert deadline_passed(_with(deadline_passed=True, meets_target=True)) is Status.ACHIEVED
    assert deadline_passed(_with(deadline_passed=True, meets_target=False)) is Status.MISSED
    assert deadline_passed(_with(deadline_passed=True, meets_target=None)) is None
    assert deadline_passed(BASE) is None


def test_target_met() -> None:
    """A judged value that meets the target is achieved."""
    assert target_met(_with(meets_target=True)) is Status.ACHIEVED
    assert target_met(BASE) is None


@pytest.mark.parametrize(("category", "status"), list(SDG_STATUS.items()))
def test_open_sdg(category: SdgCategory, status: Status | None) -> None:
    """With --method sdg each Open SDG category gives its status; not available gives none."""
    grade = SdgGrade(method=2, category=category)
    assert open_sdg(_with(method=Method.SDG, sdg=grade)) is status
    assert open_sdg(_with(sdg=grade)) is None


def test_no_numeric_target() -> None:
    """Without a number, better than the baseline and not trending wrong is on track."""
    none = _goal(target_value=None)
    assert no_numeric_target(_with(goal=none)) is Status.ON_TRACK
    assert no_numeric_target(_with(goal=none, improving=False)) is Status.DETERIORATING
    assert no_numeric_target(_with(goal=none, wrong_way=True)) is Status.DETERIORATING
    assert no_numeric_target(BASE) is None


def test_wrong_way() -> None:
    """A trend away from the target is deteriorating."""
    assert wrong_way(_with(wrong_way=True)) is Status.DETERIORATING
    assert wrong_way(BASE) is None


def test_standing_standard() -> None:
    """A standard with no deadline that is not met is off track."""
    assert standing_standard(_with(goal=_goal(deadline=None))) is Status.OFF_TRACK
    assert standing_standard(BASE) is None


def test_on_path() -> None:
    """On the straight-line path, or projected to reach the target, is on track."""
    assert on_path(_with(on_path=True)) is Status.ON_TRACK
    assert on_path(_with(will_reach=True)) is Status.ON_TRACK
    assert on_path(BASE) is None


def test_off_path() -> None:
    """The last rule always decides: off track."""
    assert off_path(BASE) is Status.OFF_TRACK


@pytest.mark.parametrize(
    ("metrics", "expected"),
    [
        (_with(judged=None, deadline_passed=True), (Status.NO_DATA, "no-data")),
        (
            _with(goal=_goal(expects_target=True, target_value=0.0), meets_target=True),
            (Status.NO_TARGET, "no-target"),
        ),
        (
            _with(deadline_passed=True, meets_target=False, on_path=True),
            (Status.MISSED, "deadline-passed"),
        ),
        (_with(meets_target=True, wrong_way=True), (Status.ACHIEVED, "target-met")),
        (
            _with(
                method=Method.SDG,
                sdg=SdgGrade(method=2, category=SdgCategory.DETERIORATION),
                on_path=True,
            ),
            (Status.DETERIORATING, "open-sdg"),
        ),
        (
            _with(
                method=Method.SDG,
                sdg=SdgGrade(method=2, category=SdgCategory.NOT_AVAILABLE),
                on_path=True,
            ),
            (Status.ON_TRACK, "on-path"),
        ),
        (_with(wrong_way=True, on_path=True), (Status.DETERIORATING, "wrong-way")),
        (_with(goal=_goal(deadline=None), on_path=True), (Status.OFF_TRACK, "standing-standard")),
        (BASE, (Status.OFF_TRACK, "off-path")),
    ],
    ids=[
        "no-data-first",
        "no-target-before-met",
        "deadline-before-path",
        "met-before-trend",
        "sdg-before-path",
        "sdg-unavailable-falls-through",
        "trend-before-path",
        "standing-before-path",
        "off-path-last",
    ],
)
def test_decide_tries_rules_in_order(metrics: Metrics, expected: tuple[Status, str]) -> None:
    """The first rule that speaks decides, and its name is returned with the status."""
    assert decide(metrics) == expected


def test_every_rule_is_named_and_explained() -> None:
    """Each row of the table has a unique kebab-case name and a meaning in words."""
    names = [rule.name for rule in RULES]
    assert len(set(names)) == len(names)
    assert all(rule.meaning and rule.name == rule.name.lower() for rule in RULES)
    assert RULES[-1].decide(BASE) is not None
