"""The status decision: a small table of rules, tried in order; the first that speaks decides.

Each rule is a named function of the `Metrics` (all about the judged point) that returns a
`Status` or None. The rule that decided is kept in the assessment (`rule`), so an analyst can see
why a status was given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mission.tracker.metrics import Metrics
from mission.tracker.model import Method, SdgCategory, Status

__all__ = ["RULES", "SDG_STATUS", "Rule", "decide"]

SDG_STATUS: dict[SdgCategory, Status | None] = {
    SdgCategory.TARGET_ACHIEVED: Status.ACHIEVED,
    SdgCategory.SUBSTANTIAL_PROGRESS: Status.ON_TRACK,
    SdgCategory.MODERATE_PROGRESS: Status.OFF_TRACK,
    SdgCategory.LIMITED_PROGRESS: Status.OFF_TRACK,
    SdgCategory.DETERIORATION: Status.DETERIORATING,
    SdgCategory.NOT_AVAILABLE: None,
}
"""Our status for each of Open SDG's categories; `not_available` leaves it to the next rules."""


@dataclass(frozen=True)
class Rule:
    """One row of the status table."""

    name: str
    decide: Callable[[Metrics], Status | None]
    meaning: str


def no_data(m: Metrics) -> Status | None:
    """Nothing to judge: no period at all, or none ending by a deadline that has passed."""
    return Status.NO_DATA if m.judged is None else None


def no_target(m: Metrics) -> Status | None:
    """The national target has a number, but this area's share of it is 0 or unknown."""
    return Status.NO_TARGET if m.goal.expects_target and not m.goal.target_value else None


def deadline_passed(m: Metrics) -> Status | None:
    """After the deadline: achieved or missed on the period it judges (`choose_judged`)."""
    if not m.deadline_passed or m.meets_target is None:
        return None
    return Status.ACHIEVED if m.meets_target else Status.MISSED


def target_met(m: Metrics) -> Status | None:
    """Before the deadline (or with none), the judged value meets the target; a year still in
    progress, pro-rated, is a projection: it is on or off track, never achieved."""
    if m.judged is not None and m.judged.prorated_from_quarters:
        return None
    return Status.ACHIEVED if m.meets_target else None


def open_sdg(m: Metrics) -> Status | None:
    """With `--method sdg`, Open SDG's category decides, when it can be computed."""
    if m.method != Method.SDG or m.sdg is None:
        return None
    status = SDG_STATUS[m.sdg.category]
    if status is Status.ACHIEVED and m.judged is not None and m.judged.prorated_from_quarters:
        return Status.ON_TRACK  # a year in progress is a projection, never achieved
    return status


def no_numeric_target(m: Metrics) -> Status | None:
    """No numeric target: on track if better than the baseline and not trending the wrong way."""
    if m.goal.target_value is not None:
        return None
    return Status.ON_TRACK if m.improving and not m.wrong_way else Status.DETERIORATING


def wrong_way(m: Metrics) -> Status | None:
    """The recent trend runs away from the target."""
    return Status.DETERIORATING if m.wrong_way else None


def standing_standard(m: Metrics) -> Status | None:
    """A standard with no deadline that is not met is off track."""
    return Status.OFF_TRACK if m.goal.deadline is None else None


def on_path(m: Metrics) -> Status | None:
    """On or above the straight-line path at the judged point, or projected to reach the target."""
    return Status.ON_TRACK if m.on_path or m.will_reach else None


def off_path(m: Metrics) -> Status | None:
    """Otherwise: below the path and not projected to reach the target."""
    return Status.OFF_TRACK


RULES: tuple[Rule, ...] = (
    Rule("no-data", no_data, "nothing to judge"),
    Rule("no-target", no_target, "no local target: the apportioned share is 0 or unknown"),
    Rule("deadline-passed", deadline_passed, "judged on the last period ending by the deadline"),
    Rule("target-met", target_met, "the judged value meets the target"),
    Rule("open-sdg", open_sdg, "Open SDG's progress category"),
    Rule("no-numeric-target", no_numeric_target, "judged against the baseline and the trend"),
    Rule("wrong-way", wrong_way, "the recent trend runs away from the target"),
    Rule("standing-standard", standing_standard, "a standard with no deadline, not met"),
    Rule("on-path", on_path, "on the straight-line path, or projected to reach the target"),
    Rule("off-path", off_path, "below the path and not projected to reach the target"),
)


def decide(m: Metrics) -> tuple[Status, str]:
    """The status and the name of the rule that decided it."""
    for rule in RULES:
        status = rule.decide(m)
        if status is not None:
            return status, rule.name
    raise AssertionError("the last rule always decides")  # pragma: no cover
