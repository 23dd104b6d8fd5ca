"""The progress engine: each status on crafted series, coverage, apportionment, pro-rating, MAT."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mission.periods import Quarter
from mission.returns import load_returns
from mission.targets import Direction, load_targets
from mission.tracker import Coverage, Goal, Method, Point, Status, assess, progress

from .conftest import FIXTURES

WHOLE = Coverage(reported=30, expected=30)


def _series(
    values: list[float], first: str = "2022/23 Q1", coverage: Coverage = WHOLE
) -> list[Point]:
    quarter = Quarter.parse(first)
    points = []
    for value in values:
        points.append(
            Point(period=str(quarter), end=quarter.end_date, value=value, coverage=coverage)
        )
        quarter = quarter.next()
    return points


GOAL = Goal(
    direction=Direction.INCREASE,
    target_value=100.0,
    target_source="national",
    deadline=dt.date(2026, 3, 31),
    baseline_value=50.0,
    baseline_period="2021/22",
    baseline_end=dt.date(2022, 3, 31),
)


def _assess(points: list[Point], as_of: dt.date, goal: Goal = GOAL, **extra: object):  # type: ignore[no-untyped-def]
    return assess(points, area="scotland", name="Scotland", goal=goal, as_of=as_of, **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("values", "as_of", "status", "rule"),
    [
        ([60, 70, 80, 101], dt.date(2023, 4, 1), Status.ACHIEVED, "target-met"),
        ([56, 62, 68, 74], dt.date(2023, 4, 1), Status.ON_TRACK, "on-path"),
        ([51, 52, 53, 54], dt.date(2023, 4, 1), Status.OFF_TRACK, "off-path"),
        ([60, 58, 56, 54], dt.date(2023, 4, 1), Status.DETERIORATING, "wrong-way"),
        ([60, 70, 80, 90], dt.date(2027, 1, 1), Status.MISSED, "deadline-passed"),
        ([], dt.date(2023, 4, 1), Status.NO_DATA, "no-data"),
    ],
    ids=["achieved", "on-track", "off-track", "deteriorating", "missed", "no-data"],
)
def test_status(values: list[float], as_of: dt.date, status: Status, rule: str) -> None:
    """Each status comes from its own shape of series, and names the rule that gave it."""
    result = _assess(_series(values), as_of)
    assert (result.status, result.rule) == (status, rule)


def test_after_deadline_one_judged_point() -> None:
    """Past the deadline, status, value, period and percent all describe the last period by it."""
    points = _series([60, 70, 80, 90], first="2025/26 Q1") + _series([120], first="2026/27 Q1")
    result = _assess(points, dt.date(2027, 7, 1))
    assert result.status is Status.MISSED
    assert (result.judged_value, result.judged_period) == (90, "2025/26 Q4")
    assert result.percent_of_way == pytest.approx(80.0)
    assert (result.latest_value, result.latest_period) == (120, "2026/27 Q1")
    assert result.projected_value is None
    assert "judged on 2025/26 Q4" in " ".join(result.notes)


def test_path_projection_and_percent_are_about_the_judged_point() -> None:
    """The path value is at the judged period's end, not at the as-of date."""
    result = _assess(_series([56, 62, 68, 74]), dt.date(2024, 3, 31))
    assert result.judged_period == "2022/23 Q4"
    done = dt.date(2023, 3, 31) - dt.date(2022, 3, 31)
    share = done.days / (dt.date(2026, 3, 31) - dt.date(2022, 3, 31)).days
    assert result.expected_value == pytest.approx(50 + 50 * share)
    assert result.percent_of_way == pytest.approx(48.0)
    assert result.projected_value is not None
    assert result.projected_value > 100


def test_incomplete_newest_period_is_not_judged() -> None:
    """A national figure from 27 of 30 ADPs is shown as the latest, not judged; the notes say so."""
    short = Coverage(reported=27, expected=30, missing=("Orkney", "Shetland", "Moray"))
    points = _series([56, 62, 68]) + _series([40], first="2023/24 Q4", coverage=short)
    result = _assess(points, dt.date(2024, 4, 1))
    assert (result.judged_period, result.latest_period) == ("2022/23 Q3", "2023/24 Q4")
    assert not result.coverage.complete
    assert result.judged_coverage is not None
    assert result.judged_coverage.complete
    notes = " ".join(result.notes)
    assert "27 of 30 ADPs reported (Orkney, Shetland, Moray missing)" in notes
    assert "the newest period every ADP reported" in notes


def test_decreasing_direction_without_target() -> None:
    """With no numeric target, falling deaths below the baseline are on track; rising are not."""
    goal = Goal(
        direction=Direction.DECREASE,
        baseline_value=1330,
        baseline_period="2021",
        baseline_end=dt.date(2021, 12, 31),
    )
    falling = _assess(_series([1200, 1100, 1050]), dt.date(2024, 1, 1), goal)
    assert (falling.status, falling.rule) == (Status.ON_TRACK, "no-numeric-target")
    rising = _assess(_series([1000, 1100, 1200]), dt.date(2024, 1, 1), goal)
    assert rising.status is Status.DETERIORATING


def test_apportioned_target_of_zero_is_no_target() -> None:
    """An area whose share of the national target is 0 has no local target, never achieved."""
    goal = Goal(direction=Direction.INCREASE, expects_target=True, target_source="no local target")
    result = _assess(_series([0, 0, 0]), dt.date(2024, 1, 1), goal)
    assert (result.status, result.rule) == (Status.NO_TARGET, "no-target")


def test_sdg_method_names_open_sdg_category() -> None:
    """Open SDG's category is given beside our status, and decides it before the deadline."""
    result = _assess(_series([51, 52, 53, 54, 55]), dt.date(2023, 7, 1), method=Method.SDG)
    assert result.sdg is not None
    assert result.sdg.method == 2
    assert result.sdg.category.value == "limited_progress"
    assert (result.status, result.rule) == (Status.OFF_TRACK, "open-sdg")


OST_HEADER = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total\n"


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)


def test_crafted_returns_end_to_end(tmp_path: Path) -> None:
    """Coverage, local targets, apportionment, pro-rating and MAT shares from real files."""
    data = tmp_path / "returns"
    _write(
        data,
        "ost.csv",
        OST_HEADER + "Fife,2023/24 Q1,100,0,0,0,0,100\nAngus,2023/24 Q1,300,0,0,0,0,300\n"
        "Fife,2023/24 Q2,110,0,0,0,0,110\nAngus,2023/24 Q2,310,0,0,0,0,310\n",
    )
    _write(
        data,
        "rehab.csv",
        "adp,period,funding_source,placements_started\n"
        "Fife,2024/25 Q1,adp,10\nFife,2024/25 Q2,nhs,5\nFife,2024/25 Q2,self_funded,7\n"
        "Angus,2024/25 Q1,adp,4\n",
    )
    mat = "adp,year,standard,status\n" + "".join(f"Fife,2024/25,{s},green\n" for s in range(1, 11))
    mat += "".join(
        f"Angus,2024/25,{s},{'green' if s <= 5 else 'provisional_green'}\n" for s in range(1, 11)
    )
    _write(data, "mat.csv", mat)
    local = tmp_path / "targets"
    _write(local, "ost.toml", 'id = "ost"\n[[local_targets]]\nadp = "Fife"\ntarget_value = 150\n')
    result = progress(load_returns([data]), load_targets([local]), dt.date(2025, 4, 1))

    ost = result.target("ost")
    assert (ost.latest_value, ost.latest_period) == (420, "2023/24 Q2")
    assert (ost.coverage.reported, ost.coverage.expected, ost.coverage.complete) == (2, 30, False)
    by_adp = {a.area: a for a in ost.adps}
    assert (by_adp["fife"].target_value, by_adp["fife"].target_source) == (150, "local target")
    # Two of 30 ADPs reported: no period to share the national target by (Angus's share of
    # the two would be three quarters of it).
    assert by_adp["angus"].target_value is None
    assert by_adp["angus"].target_source == (
        "no local target: it is shared by each ADP's figure for 2023/24 Q1, and not every ADP "
        "has one (28 missing)"
    )

    rehab = result.target("rehab")
    assert rehab.latest_value == pytest.approx((10 + 5 + 4) * 4 / 2)
    assert "2024/25 is pro-rated from the 2 quarter(s)" in " ".join(rehab.notes)
    angus = {a.area: a for a in rehab.adps}["angus"]
    assert angus.coverage.details == ("no rows for 2024/25 Q2",)

    mat_1_5, mat_6_10 = result.target("mat-1-5"), result.target("mat-6-10")
    assert mat_1_5.latest_value == pytest.approx(100.0)
    assert mat_6_10.latest_value == pytest.approx(50.0)
    assert mat_6_10.related[0].latest_value == pytest.approx(50.0)
    figures = {a.area: a.latest_value for a in mat_6_10.adps if a.latest_value is not None}
    assert figures == {"fife": 100.0, "angus": 0.0}
    # Every other ADP has its row, said to have no return (never a zero, never left out).
    others = [a for a in mat_6_10.adps if a.area not in figures]
    assert len(others) == 28 and {(a.status.value, a.gap) for a in others} == {
        ("no_data", "no return")
    }
    assert result.target("naloxone").status is Status.NO_DATA


def test_demo_ost_row_is_the_acceptance_row() -> None:
    """The demo's OST row: judged 29,818 (2023/24 Q4), 12.7% of the way, missed; latest 30,005."""
    result = progress(load_returns([FIXTURES / "demo"]), as_of=dt.date(2026, 11, 25))
    ost = result.target("ost")
    assert (ost.status, ost.judged_value, ost.judged_period) == (
        Status.MISSED,
        29818,
        "2023/24 Q4",
    )
    assert ost.percent_of_way == pytest.approx(12.72)
    assert (ost.latest_value, ost.latest_period) == (30005, "2025/26 Q4")
    assert (ost.coverage.reported, ost.coverage.missing) == (29, ("Shetland",))
    shetland = {a.area: a for a in ost.adps}["shetland"]
    assert shetland.gap == "no return for 2025/26 Q4"


def test_an_adp_whose_return_was_left_out_is_never_said_to_have_sent_none(tmp_path: Path) -> None:
    """Found by a newcomer: one bad total in Highland's own OST file left it out, and every view
    then said Highland sent no return. It did: its row says `no valid return`; an ADP that sent
    nothing still says `no return`."""
    import csv
    import shutil

    folder = tmp_path / "returns"
    shutil.copytree(FIXTURES / "demo", folder)
    with (folder / "ost.csv").open(newline="") as source:
        rows = list(csv.reader(source))
    highland = [r for r in rows[1:] if r[0] == "Highland"]
    highland[0][-1] = str(int(highland[0][-1]) + 5)  # a total that does not add up
    with (folder / "ost.csv").open("w", newline="") as out:
        csv.writer(out).writerows([rows[0], *(r for r in rows[1:] if r[0] != "Highland")])
    with (folder / "ost-highland.csv").open("w", newline="") as out:
        csv.writer(out).writerows([rows[0], *highland])
    # Fife's latest quarter sent apart, and refused; Shetland's refused file is of an old quarter.
    fife = next(r for r in rows[1:] if r[0] == "Fife" and r[1] == "2025/26 Q4")
    shetland = next(r for r in rows[1:] if r[0] == "Shetland")
    with (folder / "ost.csv").open("w", newline="") as out:
        kept = (r for r in rows[1:] if r[0] != "Highland" and r is not fife and r is not shetland)
        csv.writer(out).writerows([rows[0], *kept])
    for name, row in (("fife-q4", fife), ("shetland-old", shetland)):
        with (folder / f"ost-{name}.csv").open("w", newline="") as out:
            csv.writer(out).writerows([rows[0], [*row[:-1], str(int(row[-1]) + 5)]])
    result = progress(load_returns([folder]), as_of=dt.date(2026, 11, 25))
    gaps = {a.area: a.gap for a in result.target("ost").adps}
    assert gaps["highland"] == "no valid return"
    assert gaps["fife"] == "no valid return for 2025/26 Q4"
    assert gaps["shetland"] == "no return for 2025/26 Q4"


def test_demo_shows_every_target() -> None:
    """The national demo set gives a status for every target and the all-ten MAT matrix."""
    result = progress(load_returns([FIXTURES / "demo"]), as_of=dt.date(2026, 11, 25))
    assert [t.id for t in result.targets] == [
        "ost",
        "rehab",
        "naloxone",
        "mat-1-5",
        "mat-6-10",
        "waiting-times",
        "deaths",
    ]
    assert all(t.status is not Status.NO_DATA for t in result.targets)
    assert result.mat_matrix is not None
    assert len(result.mat_matrix.rows) == 30
    assert all(len(row.statuses) == 10 for row in result.mat_matrix.rows)


def test_demo_no_return_only_when_nothing_was_sent() -> None:
    """An ADP with episodes but no completed waits is not 'no return'; zero shares are no target."""
    result = progress(load_returns([FIXTURES / "demo"]), as_of=dt.date(2026, 11, 25))
    waiting = {a.area: a for a in result.target("waiting-times").adps}
    assert waiting["orkney"].gap == "no completed waits in 2025/26 Q4"
    rehab = {a.area: a for a in result.target("rehab").adps}
    assert rehab["orkney"].status is Status.NO_TARGET
    assert rehab["orkney"].target_value is None


def test_progress_as_a_frame_is_its_rows_with_a_fixed_schema() -> None:
    """`Progress.to_polars()` holds exactly `rows()`, and keeps its columns and types when a
    narrowing leaves nothing (a notebook's code must not break on an empty result)."""
    import polars as pl

    result = progress(load_returns(FIXTURES / "demo"), as_of=dt.date(2026, 6, 30))
    frame = result.to_polars()
    assert frame.to_dicts() == result.rows()
    empty = result.only(adp="no-such-adp", target="no-such-target").to_polars()
    assert empty.height == 0
    assert empty.schema == frame.schema
    assert frame.schema["deadline"] == pl.Date
    assert frame.schema["latest_value"] == pl.Float64
