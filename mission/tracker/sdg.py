"""Open SDG's progress measure, as sdg-build computes it (`sdg/ProgressMeasure.py`).

Both methods use the compound annual growth rate between a base and the current value,
`CAGR = (current / base) ** (1 / years) - 1`:

- method 2, with a numeric target: the observed growth as a share of the growth the target needs
  by its year, `sign * direction * CAGR_observed / |CAGR_required|`, graded against 0.95 / 0.6 / 0
  (substantial / moderate / limited progress; below 0 deterioration). A target already met is
  `target_achieved` whatever the growth.
- method 1, with no numeric target: the observed growth itself, `sign * direction * CAGR`, graded
  against +1.5% / +0.5% / 0 a year (sdg-build's defaults; its first prototype used +1% / 0 / -1%).

`direction` is +1 for an upward target and -1 for a downward one; `sign` is -1 when the base is
negative. As in sdg-build, a zero base or target is taken as 0.001, a base and a current value of
opposite signs give `not_available`, and so does less than a year between base and current.
sdg-build counts whole years between year labels; we count the years between the ends of the two
periods to the nearest quarter of a year (days / 365.25, rounded to 0.25), which gives the same
whole years for yearly series and also serves quarters. The base is
the target's baseline when it has one, else the first period of the series (sdg-build: the first
year at or after the base year). Natural limits (sdg-build's optional `limit`) are not used.
"""

from __future__ import annotations

import datetime as dt

from mission.targets import Direction
from mission.tracker.model import Point, SdgCategory, SdgGrade

__all__ = ["WITHOUT_TARGET", "WITH_TARGET", "category", "grade", "growth"]

WITH_TARGET = (0.95, 0.6, 0.0)
"""Method 2 thresholds (high, medium, low) on the ratio of observed to required growth."""

WITHOUT_TARGET = (0.015, 0.005, 0.0)
"""Method 1 thresholds (high, medium, low) on the observed growth a year."""

_ZERO = 0.001


def growth(current: float, base: float, years: float) -> float:
    """The compound annual growth rate from `base` to `current` over `years`."""
    return float((current / base) ** (1 / years) - 1)


def category(value: float, thresholds: tuple[float, float, float]) -> SdgCategory:
    """sdg-build's `get_progress_status`: a progress value against (high, medium, low)."""
    high, medium, low = thresholds
    if value >= high:
        return SdgCategory.SUBSTANTIAL_PROGRESS
    if value >= medium:
        return SdgCategory.MODERATE_PROGRESS
    if value >= low:
        return SdgCategory.LIMITED_PROGRESS
    return SdgCategory.DETERIORATION


def _years(start: dt.date, end: dt.date) -> float:
    """Years from `start` to `end`, to the nearest quarter: period ends are quarter ends."""
    return round((end - start).days / 365.25 * 4) / 4


def _required_growth(
    base: Point, base_value: float, target: float, deadline: dt.date | None
) -> tuple[float | None, str]:
    """The growth a year the target needs from the base, or None and why it cannot be had."""
    years = _years(base.end, deadline) if deadline is not None else 0.0
    if years <= 0:
        return None, "no deadline after the base to need growth by"
    required = growth(target or _ZERO, base_value, years)
    if required == 0:
        return None, "the target equals the base value"
    return required, ""


def grade(
    judged: Point,
    *,
    base: Point,
    direction: Direction,
    target: float | None = None,
    deadline: dt.date | None = None,
) -> SdgGrade:
    """Open SDG's grade of the judged point: method 2 with a numeric target, else method 1."""
    method = 1 if target is None else 2
    d = 1 if direction is Direction.INCREASE else -1

    def graded(category: SdgCategory, value: float | None = None, note: str = "") -> SdgGrade:
        return SdgGrade(
            method=method,
            category=category,
            value=value,
            base_value=base.value,
            base_period=base.period,
            years=years if value is not None else None,
            note=note,
        )

    current = judged.value
    years = _years(base.end, judged.end)
    if target is not None and (current - target) * d >= 0:
        return graded(SdgCategory.TARGET_ACHIEVED)
    base_value = base.value or _ZERO
    if base_value * current < 0:
        return graded(
            SdgCategory.NOT_AVAILABLE, note="the base and the current value differ in sign"
        )
    if years < 1:
        return graded(
            SdgCategory.NOT_AVAILABLE,
            note="needs at least a year between the base and the judged period",
        )
    sign = -1 if base_value < 0 else 1
    observed = growth(current, base_value, years)
    if target is None:
        value = sign * d * observed
        note = _from_zero(base) or _without_target(base, judged)
        return graded(category(value, WITHOUT_TARGET), value, note)
    required, problem = _required_growth(base, base_value, target, deadline)
    if required is None:
        return graded(SdgCategory.NOT_AVAILABLE, note=problem)
    value = sign * d * observed / abs(required)
    return graded(category(value, WITH_TARGET), value, _from_zero(base))


def _without_target(base: Point, judged: Point) -> str:
    """What a grade without a numeric target rests on (the status under `--method sdg` comes
    from it, and would otherwise change beside the default method's without a word). The
    growth itself is `SdgGrade.value`: a note may be printed beside an ADP's suppressed counts,
    and a rate of growth between two of them would tell one from the other."""
    high, medium, _ = WITHOUT_TARGET
    return (
        f"no numeric target: graded on the growth a year from {base.period} to "
        f"{judged.period}, the right way (substantial from {high:+.1%} a year, moderate from "
        f"{medium:+.1%}, limited from 0)"
    )


def _from_zero(base: Point) -> str:
    """A word when the base is 0: sdg-build takes it as 0.001, and growth from so small a
    base is vast either way (a share that fell to 4% still grades as substantial progress)."""
    if base.value != 0:
        return ""
    return (
        f"the base ({base.period}) is 0, taken as {_ZERO} as sdg-build does: growth from it "
        "says little: judge by the figures beside the grade, or by the straight-line method "
        "(the default)"
    )
