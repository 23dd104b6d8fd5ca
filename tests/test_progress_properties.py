"""Properties of the progress engine, over generated returns (hypothesis)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mission.adps import adp_by_code
from mission.kinds import Kind
from mission.periods import Quarter
from mission.returns import Returns
from mission.targets import load_targets
from mission.tracker import Progress, progress

ADPS = ("fife", "angus", "moray", "orkney")
OST = {"adp": pl.String, "period": pl.String, "total": pl.Int64}
REHAB = {
    "adp": pl.String,
    "period": pl.String,
    "funding_source": pl.String,
    "placements_started": pl.Int64,
}
FIRST = Quarter.parse("2021/22 Q1")
TARGETS = load_targets()


@st.composite
def returns_and_day(draw: st.DrawFn) -> tuple[dict[Kind, pl.DataFrame], dt.date]:
    """OST and rehab rows for some ADPs and quarters, and an as-of date among them."""
    quarters = [Quarter.from_index(FIRST.index + i) for i in range(draw(st.integers(2, 16)))]
    ost_rows, rehab_rows = [], []
    for quarter in quarters:
        for adp in ADPS:
            if draw(st.booleans()) or adp == "fife":
                ost_rows.append((adp, str(quarter), draw(st.integers(0, 5000))))
            if draw(st.booleans()):
                source = draw(st.sampled_from(["adp", "nhs", "self_funded"]))
                rehab_rows.append((adp, str(quarter), source, draw(st.integers(0, 40))))
    first, last = quarters[0].start_date, quarters[-1].end_date
    day = first + dt.timedelta(days=draw(st.integers(0, (last - first).days + 200)))
    frames = {
        Kind.OST: pl.DataFrame(ost_rows, schema=OST, orient="row"),
        Kind.REHAB: pl.DataFrame(
            rehab_rows,
            schema=REHAB,
            orient="row",
        ),
    }
    return frames, day


def _later(frames: dict[Kind, pl.DataFrame], day: dt.date, seed: int) -> dict[Kind, pl.DataFrame]:
    """The same returns with rows added for quarters ending after `day`, with other values."""
    start = Quarter.containing(day)
    extra = [Quarter.from_index(start.index + i) for i in range(3)]
    ost = pl.DataFrame(
        [(adp, str(q), 100 + seed + i) for i, q in enumerate(extra) for adp in ADPS],
        schema=OST,
        orient="row",
    )
    rehab = pl.DataFrame(
        [(adp, str(q), "adp", seed % 7 + i) for i, q in enumerate(extra) for adp in ADPS],
        schema=REHAB,
        orient="row",
    )
    return {
        Kind.OST: pl.concat(
            [
                frames[Kind.OST],
                ost.filter(
                    pl.col("period").map_elements(
                        lambda p: Quarter.parse(p).end_date > day, return_dtype=pl.Boolean
                    )
                ),
            ]
        ),
        Kind.REHAB: pl.concat(
            [
                frames[Kind.REHAB],
                rehab.filter(
                    pl.col("period").map_elements(
                        lambda p: Quarter.parse(p).end_date > day, return_dtype=pl.Boolean
                    )
                ),
            ]
        ),
    }


def _run(frames: dict[Kind, pl.DataFrame], day: dt.date) -> Progress:
    return progress(Returns.from_frames(frames), TARGETS, day)


@given(returns_and_day(), st.integers(0, 1000))
def test_a_later_period_never_changes_an_earlier_judgement(
    case: tuple[dict[Kind, pl.DataFrame], dt.date], seed: int
) -> None:
    """Adding rows for periods that end after the as-of date changes nothing as of that date."""
    frames, day = case
    assert _run(_later(frames, day, seed), day) == _run(frames, day)


@given(returns_and_day())
def test_nothing_after_the_as_of_date_is_used(
    case: tuple[dict[Kind, pl.DataFrame], dt.date],
) -> None:
    """Every point ended by the as-of date; the judged point ended by the deadline once it passed."""
    frames, day = case
    result = _run(frames, day)
    for target in result.targets:
        for area in (target, *target.adps):
            assert all(p.end <= day or p.prorated_from_quarters for p in area.series)
            judged = next((p for p in area.series if p.period == area.judged_period), None)
            if judged is not None and area.deadline is not None and day >= area.deadline:
                assert judged.end <= area.deadline


@given(returns_and_day())
def test_coverage_counts_and_names_every_adp(
    case: tuple[dict[Kind, pl.DataFrame], dt.date],
) -> None:
    """Each national point: reported + missing = 30, and the missing are those with no rows."""
    frames, day = case
    result = _run(frames, day)
    ost = frames[Kind.OST]
    for point in result.target("ost").series:
        sent = set(ost.filter(pl.col("period") == point.period)["adp"].to_list())
        assert point.coverage.reported == len(sent)
        assert point.coverage.reported + len(point.coverage.missing) == 30
        assert not {adp_by_code(code).name for code in sent} & set(point.coverage.missing)
        assert point.value == ost.filter(pl.col("period") == point.period)["total"].sum()


@given(returns_and_day())
def test_a_year_in_progress_is_pro_rated_from_its_ended_quarters(
    case: tuple[dict[Kind, pl.DataFrame], dt.date],
) -> None:
    """A rehab year is its publicly funded placements times 4 / the quarters with rows."""
    frames, day = case
    rehab = frames[Kind.REHAB].filter(
        pl.col("period").map_elements(
            lambda p: Quarter.parse(p).end_date <= day, return_dtype=pl.Boolean
        )
    )
    for point in _run(frames, day).target("rehab").series:
        rows = rehab.filter(pl.col("period").str.starts_with(point.period))
        quarters = rows["period"].n_unique()
        public = rows.filter(pl.col("funding_source") != "self_funded")["placements_started"].sum()
        assert point.value == pytest.approx(public * 4 / quarters)
        assert point.prorated_from_quarters == (None if quarters == 4 else quarters)


@given(returns_and_day())
def test_status_and_figures_describe_one_point(
    case: tuple[dict[Kind, pl.DataFrame], dt.date],
) -> None:
    """Percent of the way and the judged value are the judged point's, for Scotland and each ADP."""
    frames, day = case
    for target in _run(frames, day).targets:
        for area in (target, *target.adps):
            if area.judged_period is None:
                assert area.percent_of_way is None
                continue
            judged = next(p for p in area.series if p.period == area.judged_period)
            assert area.judged_value == judged.value
            if area.percent_of_way is not None:
                assert area.target_value is not None
                assert area.baseline_value is not None
                gap = area.target_value - area.baseline_value
                expected = 100 * (judged.value - area.baseline_value) / gap
                assert area.percent_of_way == pytest.approx(expected)
