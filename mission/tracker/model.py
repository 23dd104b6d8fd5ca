"""The progress models: what `mission progress --format json` prints, field by field.

`docs/progress-json.md` documents every field; a test keeps the two in step. Each assessment
describes ONE judged point (`judged_value`/`judged_period`: the status, the percent of the way and
the path value are all about it) and, separately, the newest period up to the as-of date
(`latest_value`/`latest_period`, with its `coverage`).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import Field, computed_field

from mission.kinds import Kind
from mission.models import Frozen, SafeText
from mission.standards import MatStatus
from mission.targets import Direction

if TYPE_CHECKING:
    import polars as pl

__all__ = [
    "Assessment",
    "Coverage",
    "MatMatrix",
    "MatRow",
    "Method",
    "Point",
    "Progress",
    "Related",
    "SdgCategory",
    "SdgGrade",
    "Status",
    "TargetProgress",
]


class Status(StrEnum):
    """Our judgement of a series against its target (see `mission.tracker.rules`)."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    OFF_TRACK = "off_track"
    MISSED = "missed"
    DETERIORATING = "deteriorating"
    NO_TARGET = "no_target"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class Method(StrEnum):
    """How a target that is not yet met or missed is judged."""

    STRAIGHT_LINE = "straight-line"
    SDG = "sdg"


class SdgCategory(StrEnum):
    """Open SDG's progress categories, as sdg-build names them."""

    TARGET_ACHIEVED = "target_achieved"
    SUBSTANTIAL_PROGRESS = "substantial_progress"
    MODERATE_PROGRESS = "moderate_progress"
    LIMITED_PROGRESS = "limited_progress"
    DETERIORATION = "deterioration"
    NOT_AVAILABLE = "not_available"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class SdgGrade(Frozen):
    """Open SDG's progress measure for one judged point.

    `method` 2 (a numeric target): `value` is the observed compound annual growth as a share of
    the growth the target needs. `method` 1 (no numeric target): `value` is the observed compound
    annual growth itself, its sign turned for a downward target.
    """

    method: int
    category: SdgCategory
    value: float | None = None
    base_value: float | None = None
    base_period: str | None = None
    years: float | None = None
    note: SafeText = ""


class Coverage(Frozen):
    """Which ADPs a figure is built from.

    `reported` ADPs sent a valid return for the period; `missing` names the ones that sent
    nothing, and `refused` the ones whose return for it was left out as invalid (neither is ever
    counted as zero). `details` says what else is missing from ADPs that did return: a quarter
    with no rows, or no completed waits.
    """

    reported: int
    expected: int
    missing: tuple[SafeText, ...] = ()
    details: tuple[SafeText, ...] = ()
    refused: tuple[SafeText, ...] = ()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def complete(self) -> bool:
        return self.reported >= self.expected


class Point(Frozen):
    """One period of a series; only periods that ended by the as-of date are ever points."""

    period: str
    end: dt.date
    value: float
    coverage: Coverage
    numerator: float | None = None
    denominator: float | None = None
    low: float | None = None
    high: float | None = None
    prorated_from_quarters: int | None = None
    quarters: tuple[int, ...] = Field(default=(), exclude=True)
    """An ADP's yearly sum of quarters: its count in each quarter, Q1 first (not printed: what
    publication needs to keep year-to-date figures of different dates safe together)."""


class Related(Frozen):
    """A series shown beside a target's own (MAT's provisional green, naloxone's first supplies).

    It has no target and no status: only its points and its newest one.
    """

    name: str
    title: str
    unit: str
    latest_value: float | None = None
    latest_period: str | None = None
    coverage: Coverage
    series: tuple[Point, ...] = ()


class Assessment(Frozen):
    """A series judged against a target, for Scotland or one ADP."""

    area: str
    name: str
    status: Status
    rule: str
    sdg: SdgGrade | None = None
    judged_value: float | None = None
    judged_period: str | None = None
    judged_coverage: Coverage | None = None
    percent_of_way: float | None = None
    expected_value: float | None = None
    projected_value: float | None = None
    trend_per_year: float | None = None
    latest_value: float | None = None
    latest_period: str | None = None
    coverage: Coverage
    gap: SafeText | None = None
    baseline_value: float | None = None
    baseline_period: str | None = None
    baseline_end: dt.date | None = None
    target_value: float | None = None
    target_source: str | None = None
    deadline: dt.date | None = None
    interval: tuple[float, float] | None = None
    comparison: str | None = None
    series: tuple[Point, ...] = ()
    related: tuple[Related, ...] = ()
    notes: tuple[SafeText, ...] = ()


class TargetProgress(Assessment):
    """A target's national assessment and every ADP's."""

    id: str
    title: str
    kind: Kind
    unit: str
    direction: Direction
    standards: tuple[int, ...] = ()
    adps: tuple[Assessment, ...] = ()


class MatRow(Frozen):
    """One ADP's statuses on the ten standards."""

    adp: str
    name: str
    statuses: tuple[MatStatus, ...]
    """Standards 1 to 10, in order; not_assessed where the return has no row."""


class MatMatrix(Frozen):
    """The newest year's MAT statuses (a year that ended by the as-of date), ADP by standard."""

    year: str
    rows: tuple[MatRow, ...]


class Progress(Frozen):
    """Progress on every target, as of a date."""

    as_of: dt.date
    method: Method
    targets: tuple[TargetProgress, ...]
    mat_matrix: MatMatrix | None = None
    notes: tuple[SafeText, ...] = ()

    def target(self, target_id: str) -> TargetProgress:
        """The progress towards one target, by id (`ost`).

        Raises:
            UnknownTarget: no target of this progress has that id (a `KeyError` too).
        """
        from mission.targets import UnknownTarget

        found = next((t for t in self.targets if t.id == target_id), None)
        if found is None:
            raise UnknownTarget(target_id, (t.id for t in self.targets))
        return found

    def only(self, *, target: str | None = None, adp: str | None = None) -> Progress:
        """The same progress narrowed to one target and/or one ADP (by code)."""
        chosen = tuple(t for t in self.targets if target is None or t.id == target)
        matrix = self.mat_matrix if any(t.kind is Kind.MAT for t in chosen) else None
        if adp is not None:
            chosen = tuple(
                t.model_copy(update={"adps": tuple(a for a in t.adps if a.area == adp)})
                for t in chosen
            )
        return self.model_copy(update={"targets": chosen, "mat_matrix": matrix})

    def rows(self) -> list[dict[str, object]]:
        """One flat row per target, series and area (Scotland first, then each ADP): the CSV."""
        from mission.tracker.output import progress_rows

        return progress_rows(self)

    def to_polars(self) -> pl.DataFrame:
        """`rows()` as a frame, with the same columns and types whatever the data: judged and
        latest figures as floats, coverage counts as integers, the deadline as a date."""
        from mission.tracker.output import progress_frame

        return progress_frame(self)
