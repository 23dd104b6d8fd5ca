"""Progress against the targets, nationally and per ADP: pure, typed, and honest about gaps.

For each target the engine builds a series per ADP from the validated returns, adds ADPs up per
period (a missing ADP is never a zero: the national point says how many reported), and assesses
the series against the target: the straight-line path from baseline to deadline, the percent of
the way, a least-squares projection to the deadline, and a status. Open SDG's compound-growth
method is available for comparison.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import computed_field

from mission.adps import adp_by_code, all_adps
from mission.kinds import Kind
from mission.models import Frozen, SafeText
from mission.periods import FinancialYear, Quarter
from mission.returns import Returns
from mission.standards import MatStatus
from mission.stats import compare_with_reference, least_squares, wilson_interval
from mission.targets import Direction, Target, TargetSet, load_targets

if TYPE_CHECKING:
    import polars as pl

__all__ = [
    "Assessment",
    "Coverage",
    "MatMatrix",
    "Method",
    "Point",
    "Progress",
    "Status",
    "TargetProgress",
    "assess",
    "mat_matrix",
    "progress",
]

PUBLICLY_FUNDED = ("adp", "local_authority", "nhs", "scottish_government")
RECENT_POINTS = 8
SCOTLAND = "scotland"


class Status(StrEnum):
    """Where a target stands: the verdict beside every figure of progress."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    OFF_TRACK = "off_track"
    MISSED = "missed"
    DETERIORATING = "deteriorating"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class Method(StrEnum):
    STRAIGHT_LINE = "straight-line"
    SDG = "sdg"


class Coverage(Frozen):
    """How many ADPs a figure is built from; `missing` names the others."""

    reported: int
    expected: int
    missing: tuple[str, ...] = ()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def complete(self) -> bool:
        return self.reported >= self.expected


class Point(Frozen):
    """One period of a series."""

    period: str
    end: dt.date
    value: float
    reported: int = 1
    expected: int = 1
    numerator: float | None = None
    denominator: float | None = None
    low: float | None = None
    high: float | None = None
    prorated_from_quarters: int | None = None


class Assessment(Frozen):
    """A series judged against a target, for Scotland or one ADP."""

    area: str
    name: str
    status: Status
    method_label: str | None = None
    baseline_value: float | None = None
    baseline_period: str | None = None
    latest_value: float | None = None
    latest_period: str | None = None
    target_value: float | None = None
    target_source: str | None = None
    deadline: dt.date | None = None
    expected_value_now: float | None = None
    percent_of_way: float | None = None
    projected_value: float | None = None
    coverage: Coverage
    interval: tuple[float, float] | None = None
    comparison: str | None = None
    series: tuple[Point, ...] = ()
    notes: tuple[str, ...] = ()


class TargetProgress(Assessment):
    """A target's national assessment, its parts (MAT 1–5 / 6–10) and every ADP's."""

    id: str
    title: str
    kind: Kind
    unit: str
    direction: Direction
    parts: tuple[Assessment, ...] = ()
    adps: tuple[Assessment, ...] = ()


class MatRow(Frozen):
    adp: str
    name: str
    statuses: tuple[MatStatus, ...]
    """Standards 1 to 10, in order; not_assessed where the return has no row."""


class MatMatrix(Frozen):
    """The latest year's MAT statuses, ADP by standard."""

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
        return next(t for t in self.targets if t.id == target_id)

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
        """One flat row per target and area (Scotland first, then each ADP): the CSV view."""
        return [
            {
                "target": t.id,
                "area": a.area,
                "name": a.name,
                "status": a.status.value,
                "latest_value": a.latest_value,
                "latest_period": a.latest_period,
                "target_value": a.target_value,
                "target_source": a.target_source,
                "deadline": a.deadline,
                "expected_value_now": a.expected_value_now,
                "projected_value": a.projected_value,
                "percent_of_way": a.percent_of_way,
                "reported": a.coverage.reported,
                "expected": a.coverage.expected,
                "comparison": a.comparison,
            }
            for t in self.targets
            for a in (t, *t.adps)
        ]


# --- series from returns ---------------------------------------------------------------------


def _period_end(label: str) -> dt.date:
    if label.isdigit():
        return dt.date(int(label), 12, 31)
    if "Q" in label:
        return Quarter.parse(label).end_date
    return FinancialYear.parse(label).end_date


def _period_start(label: str) -> dt.date:
    if label.isdigit():
        return dt.date(int(label), 1, 1)
    if "Q" in label:
        return Quarter.parse(label).start_date
    return FinancialYear.parse(label).start_date


def _year_of(period: pl.Expr) -> pl.Expr:
    """`2023/24 Q1` -> `2023/24`, vectorised."""
    return period.str.slice(0, 7)


def _quarterly_sum(frame: pl.DataFrame, value: pl.Expr) -> pl.DataFrame:
    import polars as pl

    return frame.group_by("adp", "period").agg(value=value.sum().cast(pl.Float64))


def _yearly_sum(frame: pl.DataFrame, value: pl.Expr) -> pl.DataFrame:
    """Sum quarters within a financial year; a year in progress is pro-rated.

    A year counts as in progress when the returns hold fewer than four of its quarters for any
    ADP: an ADP with no placements in a quarter may send no row, so quarters are counted across
    all ADPs, not per ADP.
    """
    import polars as pl

    with_year = frame.with_columns(year=_year_of(pl.col("period")))
    quarters = with_year.group_by("year").agg(quarters=pl.col("period").n_unique())
    by_year = with_year.group_by("adp", "year").agg(value=value.sum().cast(pl.Float64))
    return by_year.join(quarters, on="year").select(
        "adp",
        pl.col("year").alias("period"),
        (pl.col("value") * 4 / pl.col("quarters")).alias("value"),
        pl.when(pl.col("quarters") < 4).then(pl.col("quarters")).alias("prorated"),
    )


def _ost(returns: Returns, target: Target) -> pl.DataFrame | None:
    import polars as pl

    frame = returns.get(Kind.OST)
    return None if frame is None else _quarterly_sum(frame, pl.col("total"))


def _rehab(returns: Returns, target: Target) -> pl.DataFrame | None:
    import polars as pl

    frame = returns.get(Kind.REHAB)
    if frame is None:
        return None
    public = pl.when(pl.col("funding_source").is_in(PUBLICLY_FUNDED)).then(
        pl.col("placements_started")
    )
    return _yearly_sum(frame, public.fill_null(0))


def _naloxone(returns: Returns, target: Target) -> pl.DataFrame | None:
    import polars as pl

    frame = returns.get(Kind.NALOXONE)
    return (
        None
        if frame is None
        else _yearly_sum(frame, pl.col("first_supply") + pl.col("repeat_supply"))
    )


def _deaths(returns: Returns, target: Target) -> pl.DataFrame | None:
    import polars as pl

    frame = returns.get(Kind.DEATHS)
    if frame is None:
        return None
    return (
        frame.group_by("adp", "calendar_year")
        .agg(value=pl.col("drug_misuse_deaths").sum().cast(pl.Float64))
        .select("adp", pl.col("calendar_year").cast(pl.String).alias("period"), "value")
    )


def _mat_share(standards: Sequence[int]) -> Callable[[Returns, Target], pl.DataFrame | None]:
    def build(returns: Returns, target: Target) -> pl.DataFrame | None:
        import polars as pl

        frame = returns.get(Kind.MAT)
        if frame is None:
            return None
        chosen = frame.filter(pl.col("standard").is_in(list(standards)))
        return chosen.group_by("adp", pl.col("year").alias("period")).agg(
            numerator=pl.col("status").is_in(["green", "blue"]).sum().cast(pl.Float64),
            denominator=pl.len().cast(pl.Float64),
        )

    return build


def _waiting(returns: Returns, target: Target) -> pl.DataFrame | None:
    import polars as pl

    from mission.measures import episode_measures

    frame = returns.get(Kind.EPISODES)
    if frame is None:
        return None
    measures = episode_measures(frame, "adp")
    return measures.filter(pl.col("completed") > 0).select(
        pl.col("area").alias("adp"),
        pl.col("quarter").alias("period"),
        pl.col("within_21_days").cast(pl.Float64).alias("numerator"),
        pl.col("completed").cast(pl.Float64).alias("denominator"),
    )


_BUILDERS: dict[str, Callable[[Returns, Target], pl.DataFrame | None]] = {
    "ost/latest_quarter_total": _ost,
    "rehab/yearly_sum": _rehab,
    "naloxone/yearly_sum": _naloxone,
    "deaths/yearly_sum": _deaths,
    "mat/share_fully_implemented": _mat_share(range(1, 11)),
    "episodes/share_within_21_days": _waiting,
}


# --- assessment ------------------------------------------------------------------------------


def _better_or_equal(a: float, b: float, direction: Direction) -> bool:
    return a >= b if direction is Direction.INCREASE else a <= b


def _points(frame: pl.DataFrame, expected: int, as_of: dt.date) -> list[Point]:
    """Rows of (period, value | numerator+denominator, reported) as points, oldest first."""
    points = []
    for row in frame.iter_rows(named=True):
        period = str(row["period"])
        if _period_start(period) > as_of:
            continue
        numerator, denominator = row.get("numerator"), row.get("denominator")
        low = high = None
        if numerator is not None and denominator:
            value = 100 * numerator / denominator
            interval = wilson_interval(int(numerator), int(denominator))
            if interval:
                low, high = 100 * interval[0], 100 * interval[1]
        else:
            value = float(row["value"])
        prorated = row.get("prorated")
        points.append(
            Point(
                period=period,
                end=_period_end(period),
                value=value,
                reported=int(row.get("reported", 1)),
                expected=expected,
                numerator=numerator,
                denominator=denominator,
                low=low,
                high=high,
                prorated_from_quarters=int(prorated) if prorated is not None else None,
            )
        )
    return sorted(points, key=lambda p: p.end)


def _projection(points: Sequence[Point], when: dt.date) -> tuple[float | None, float | None]:
    """Least-squares slope (per year) over recent points, and the projected value at `when`."""
    recent = list(points)[-RECENT_POINTS:]
    fit = least_squares([p.end.toordinal() for p in recent], [p.value for p in recent])
    if fit is None:
        return None, None
    slope, intercept = fit
    return slope * 365.25, slope * when.toordinal() + intercept


def _sdg(
    baseline: float, baseline_end: dt.date, latest: Point, target: float, deadline: dt.date
) -> tuple[Status, str]:
    """Open SDG's method: actual compound growth as a share of the growth the target needs."""
    if _better_or_equal(
        latest.value, target, Direction.INCREASE if target >= baseline else Direction.DECREASE
    ):
        return Status.ACHIEVED, "target achieved"
    years_done = (latest.end - baseline_end).days / 365.25
    years_all = (deadline - baseline_end).days / 365.25
    if baseline <= 0 or latest.value <= 0 or years_done <= 0 or years_all <= 0:
        return Status.NO_DATA, "not computable (needs positive values after the baseline)"
    needed = (target / baseline) ** (1 / years_all) - 1
    actual = (latest.value / baseline) ** (1 / years_done) - 1
    ratio = actual / needed if needed else 0.0
    if ratio >= 0.95:
        return Status.ON_TRACK, f"substantial progress ({ratio:.2f} of the growth needed)"
    if ratio >= 0.5:
        return Status.OFF_TRACK, f"moderate progress ({ratio:.2f} of the growth needed)"
    if ratio >= 0:
        return Status.OFF_TRACK, f"limited progress ({ratio:.2f} of the growth needed)"
    return Status.DETERIORATING, f"deterioration ({ratio:.2f} of the growth needed)"


def assess(
    points: Sequence[Point],
    *,
    area: str,
    name: str,
    direction: Direction,
    as_of: dt.date,
    target_value: float | None = None,
    deadline: dt.date | None = None,
    baseline_value: float | None = None,
    baseline_period: str | None = None,
    method: Method = Method.STRAIGHT_LINE,
    coverage: Coverage | None = None,
    target_source: str | None = None,
    notes: Sequence[str] = (),
) -> Assessment:
    """Judge a series against a target; see the module docstring for the rules."""
    notes = list(notes)
    coverage = coverage or Coverage(reported=1 if points else 0, expected=1)
    common = {
        "area": area,
        "name": name,
        "baseline_value": baseline_value,
        "baseline_period": baseline_period,
        "target_value": target_value,
        "target_source": target_source,
        "deadline": deadline,
        "coverage": coverage,
        "series": tuple(points),
    }
    if not points:
        return Assessment(
            status=Status.NO_DATA, notes=(*notes, "no returns for this target"), **common
        )
    complete = [p for p in points if p.reported >= p.expected]
    trend_points = complete if len(complete) >= 2 else list(points)
    latest = points[-1]
    slope, projected = _projection(trend_points, deadline or latest.end)
    wrong_way = slope is not None and (slope < 0 if direction is Direction.INCREASE else slope > 0)
    baseline_end = _period_end(baseline_period) if baseline_period else None
    expected_now = percent = None
    if (
        target_value is not None
        and baseline_value is not None
        and deadline is not None
        and baseline_end is not None
    ):
        span = (deadline - baseline_end).days
        done = min(max((as_of - baseline_end).days / span, 0.0), 1.0) if span > 0 else 1.0
        expected_now = baseline_value + (target_value - baseline_value) * done
    if target_value is not None and baseline_value is not None and target_value != baseline_value:
        percent = 100 * (latest.value - baseline_value) / (target_value - baseline_value)
    label = None
    if target_value is None:
        reference = baseline_value if baseline_value is not None else points[0].value
        improving = _better_or_equal(latest.value, reference, direction)
        status = Status.ON_TRACK if improving and not wrong_way else Status.DETERIORATING
        notes.append("no numeric target: judged against the baseline and the recent trend")
    elif deadline is not None and as_of >= deadline:
        at_deadline = [p for p in points if p.end <= deadline]
        if not at_deadline:
            status = Status.NO_DATA
            notes.append(f"no figure for a period ending by the deadline ({deadline})")
        else:
            final = at_deadline[-1]
            met = _better_or_equal(final.value, target_value, direction)
            status = Status.ACHIEVED if met else Status.MISSED
            notes.append(f"deadline passed: judged on {final.period} ({final.value:,.0f})")
    elif _better_or_equal(latest.value, target_value, direction):
        status = Status.ACHIEVED
    elif method is Method.SDG and baseline_value is not None and baseline_end and deadline:
        status, label = _sdg(baseline_value, baseline_end, latest, target_value, deadline)
    elif wrong_way:
        status = Status.DETERIORATING
    elif deadline is None:
        status = Status.OFF_TRACK
    else:
        on_path = expected_now is not None and _better_or_equal(
            latest.value, expected_now, direction
        )
        will_reach = projected is not None and _better_or_equal(projected, target_value, direction)
        status = Status.ON_TRACK if on_path or will_reach else Status.OFF_TRACK
    if latest.prorated_from_quarters:
        notes.append(
            f"{latest.period} is pro-rated from {latest.prorated_from_quarters} quarter(s)"
        )
    if not coverage.complete:
        notes.append(
            f"{latest.period}: {coverage.reported} of {coverage.expected} ADPs reported; "
            "missing ADPs are not counted as zero"
        )
    return Assessment(
        status=status,
        method_label=label,
        latest_value=latest.value,
        latest_period=latest.period,
        expected_value_now=expected_now,
        percent_of_way=percent,
        projected_value=projected if deadline and as_of < deadline else None,
        interval=(latest.low, latest.high)
        if latest.low is not None and latest.high is not None
        else None,
        notes=tuple(notes),
        **common,
    )


# --- national and per ADP --------------------------------------------------------------------


def _national(frame: pl.DataFrame) -> pl.DataFrame:
    import polars as pl

    aggregations = [pl.col("adp").n_unique().alias("reported"), pl.col("adp").alias("adps")]
    if "numerator" in frame.columns:
        aggregations += [pl.col("numerator").sum(), pl.col("denominator").sum()]
    else:
        aggregations += [pl.col("value").sum()]
        if "prorated" in frame.columns:
            aggregations.append(pl.col("prorated").min())
    return frame.group_by("period").agg(*aggregations)


def _apportion(series: pl.DataFrame, national: pl.DataFrame, basis: str, adp: str) -> float | None:
    import polars as pl

    mine = series.filter((pl.col("adp") == adp) & (pl.col("period") == basis))
    total = national.filter(pl.col("period") == basis)
    if mine.height == 0 or total.height == 0 or not total["value"][0]:
        return None
    return float(mine["value"][0]) / float(total["value"][0])


def _target_progress(
    target: Target, series: pl.DataFrame | None, as_of: dt.date, method: Method
) -> TargetProgress:
    import polars as pl

    adps = all_adps()
    expected = len(adps)
    head = {
        "id": target.id,
        "title": target.title,
        "kind": target.measure.kind,
        "unit": target.unit,
        "direction": target.direction,
    }
    baseline_value = target.baseline.value if target.baseline else None
    baseline_period = target.baseline.period if target.baseline else None
    points: list[Point] = []
    national_frame = None
    reported_latest: set[str] = set()
    if series is not None and series.height:
        national_frame = _national(series).sort("period")
        points = _points(national_frame, expected, as_of)
        if points:
            latest = series.filter(pl.col("period") == points[-1].period)
            reported_latest = set(latest["adp"].unique().to_list())
    missing = tuple(a.name for a in adps if a.code not in reported_latest)
    coverage = Coverage(reported=len(reported_latest), expected=expected, missing=missing)
    national = assess(
        points,
        area=SCOTLAND,
        name="Scotland",
        direction=target.direction,
        as_of=as_of,
        target_value=target.target_value,
        deadline=target.deadline,
        baseline_value=baseline_value,
        baseline_period=baseline_period,
        method=method,
        coverage=coverage,
        target_source="national",
    )
    if series is None or national_frame is None:
        return TargetProgress(**head, **dict(national))
    share_target = "numerator" in series.columns
    periods = [p.period for p in points]
    basis = baseline_period if baseline_period in periods else (periods[0] if periods else None)
    per_adp: list[Assessment] = []
    for adp_code in sorted(series["adp"].unique().to_list()):
        adp = adp_by_code(adp_code)
        own = series.filter(pl.col("adp") == adp_code).with_columns(reported=pl.lit(1))
        adp_points = _points(own.sort("period"), 1, as_of)
        notes: list[str] = []
        adp_target, adp_baseline = target.target_value, baseline_value
        source = "national standard" if target.target_value is not None else None
        local = target.local_target(adp_code)
        if not share_target and basis is not None:
            share = _apportion(series, national_frame, basis, adp_code)
            own_baseline = [p.value for p in adp_points if p.period == baseline_period]
            adp_baseline = (
                own_baseline[0]
                if own_baseline
                else (
                    baseline_value * share
                    if baseline_value is not None and share is not None
                    else None
                )
            )
            if local is not None:
                adp_target, source = local.target_value, "local target"
                if local.baseline_value is not None:
                    adp_baseline = local.baseline_value
            elif target.target_value is not None:
                adp_target = target.target_value * share if share is not None else None
                source = f"apportioned by share of {basis}"
        elif local is not None:
            adp_target, source = local.target_value, "local target"
        comparison = None
        compare = target.measure.kind is Kind.EPISODES
        if compare and adp_points and national.latest_value is not None:
            last = adp_points[-1]
            interval = (
                (last.low, last.high) if last.low is not None and last.high is not None else None
            )
            comparison = compare_with_reference(
                interval, national.latest_value, target.direction is Direction.INCREASE
            )
        assessed = assess(
            adp_points,
            area=adp.code,
            name=adp.name,
            direction=target.direction,
            as_of=as_of,
            target_value=adp_target,
            deadline=target.deadline,
            baseline_value=adp_baseline,
            baseline_period=baseline_period,
            method=method,
            target_source=source,
            coverage=Coverage(reported=int(adp_code in reported_latest), expected=1),
            notes=notes,
        )
        per_adp.append(assessed.model_copy(update={"comparison": comparison}))
    return TargetProgress(**head, **dict(national), adps=tuple(per_adp))


def _mat_parts(
    target: Target, returns: Returns, as_of: dt.date, method: Method
) -> tuple[Assessment, ...]:
    parts = []
    for milestone in target.milestones:
        series = _mat_share(milestone.standards)(returns, target)
        if series is None:
            continue
        points = _points(_national(series).sort("period"), len(all_adps()), as_of)
        parts.append(
            assess(
                points,
                area=SCOTLAND,
                name=milestone.label,
                direction=target.direction,
                as_of=as_of,
                target_value=milestone.target_value,
                deadline=milestone.deadline,
                method=method,
                coverage=Coverage(
                    reported=points[-1].reported if points else 0, expected=len(all_adps())
                ),
            )
        )
    return tuple(parts)


def progress(
    returns: Returns,
    targets: TargetSet | None = None,
    as_of: dt.date | None = None,
    *,
    method: Method = Method.STRAIGHT_LINE,
) -> Progress:
    """Progress on every target from validated returns.

    Args:
        returns: from `load_returns` (or the store).
        targets: the targets in force; the shipped ones by default.
        as_of: the date to judge at; today by default. Periods starting after it are ignored.
        method: straight-line (default) or Open SDG's compound growth.
    """
    targets = targets if targets is not None else load_targets()
    as_of = as_of or dt.date.today()
    results = []
    for target in targets.values():
        key = f"{target.measure.kind}/{target.measure.statistic}"
        builder = _BUILDERS.get(key)
        if builder is None:
            result = _target_progress(target, None, as_of, method)
            unknown = f"the measure {key!r} is not one mission computes"
            result = result.model_copy(update={"notes": (*result.notes, unknown)})
        else:
            result = _target_progress(target, builder(returns, target), as_of, method)
        if target.milestones and target.measure.kind is Kind.MAT:
            parts = _mat_parts(target, returns, as_of, method)
            result = result.model_copy(update={"parts": parts})
        results.append(result)
    return Progress(
        as_of=as_of,
        method=method,
        targets=tuple(results),
        mat_matrix=mat_matrix(returns, as_of),
        notes=tuple(returns.notes),
    )


def mat_matrix(returns: Returns, as_of: dt.date) -> MatMatrix | None:
    """The latest assessed year (starting by `as_of`): each ADP's status on each standard."""
    import polars as pl

    frame = returns.get(Kind.MAT)
    if frame is None:
        return None
    years = [y for y in frame["year"].unique().to_list() if _period_start(y) <= as_of]
    if not years:
        return None
    year = max(years, key=_period_start)
    latest = frame.filter(pl.col("year") == year)
    rows = []
    for code in latest["adp"].unique().to_list():
        statuses = dict(
            latest.filter(pl.col("adp") == code).select("standard", "status").iter_rows()
        )
        ordered = tuple(MatStatus(statuses.get(n, "not_assessed")) for n in range(1, 11))
        rows.append(MatRow(adp=code, name=adp_by_code(code).name, statuses=ordered))
    return MatMatrix(year=year, rows=tuple(sorted(rows, key=lambda r: r.name)))
