"""The progress engine: each status on crafted series, coverage, apportionment, pro-rating, MAT."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mission.periods import Quarter
from mission.returns import load_returns
from mission.targets import Direction, load_targets
from mission.tracker import Coverage, Method, Point, Status, assess, progress

from .conftest import FIXTURES


def _series(values: list[float], first: str = "2022/23 Q1") -> list[Point]:
    quarter = Quarter.parse(first)
    points = []
    for value in values:
        points.append(Point(period=str(quarter), end=quarter.end_date, value=value))
        quarter = quarter.next()
    return points


COMMON = {
    "area": "scotland",
    "name": "Scotland",
    "direction": Direction.INCREASE,
    "target_value": 100.0,
    "deadline": dt.date(2026, 3, 31),
    "baseline_value": 50.0,
    "baseline_period": "2021/22",
}


@pytest.mark.parametrize(
    ("values", "as_of", "status"),
    [
        ([60, 70, 80, 101], dt.date(2023, 4, 1), Status.ACHIEVED),
        ([56, 62, 68, 74], dt.date(2023, 4, 1), Status.ON_TRACK),
        ([51, 52, 53, 54], dt.date(2023, 4, 1), Status.OFF_TRACK),
        ([60, 58, 56, 54], dt.date(2023, 4, 1), Status.DETERIORATING),
        ([60, 70, 80, 90], dt.date(2027, 1, 1), Status.MISSED),
        ([], dt.date(2023, 4, 1), Status.NO_DATA),
    ],
    ids=["achieved", "on-track", "off-track", "deteriorating", "missed", "no-data"],
)
def test_status(values: list[float], as_of: dt.date, status: Status) -> None:
    """Each status comes from its own shape of series."""
    result = assess(_series(values), as_of=as_of, **COMMON)  # type: ignore[arg-type]
    assert result.status is status


def test_after_deadline_uses_the_value_at_the_deadline() -> None:
    """Past the deadline, a later recovery does not turn a miss into an achievement."""
    points = _series([60, 70, 80, 90], first="2025/26 Q1") + _series([120], first="2026/27 Q1")
    result = assess(points, as_of=dt.date(2027, 1, 1), **COMMON)  # type: ignore[arg-type]
    assert result.status is Status.MISSED
    assert "judged on 2025/26 Q4" in " ".join(result.notes)


def test_path_projection_and_percent() -> None:
    """Expected value on the straight line, percent of the way and projection are computed."""
    result = assess(_series([56, 62, 68, 74]), as_of=dt.date(2024, 3, 31), **COMMON)  # type: ignore[arg-type]
    assert result.expected_value_now == pytest.approx(75.0, abs=0.1)
    assert result.percent_of_way == pytest.approx(48.0)
    assert result.projected_value is not None
    assert result.projected_value > 100


def test_decreasing_direction_without_target() -> None:
    """With no numeric target, falling deaths below the baseline are on track."""
    points = _series([1200, 1100, 1050])
    result = assess(
        points,
        area="scotland",
        name="Scotland",
        direction=Direction.DECREASE,
        as_of=dt.date(2024, 1, 1),
        baseline_value=1330,
        baseline_period="2021",
    )
    assert result.status is Status.ON_TRACK
    rising = assess(
        _series([1000, 1100, 1200]),
        area="s",
        name="S",
        direction=Direction.DECREASE,
        as_of=dt.date(2024, 1, 1),
        baseline_value=1330,
        baseline_period="2021",
    )
    assert rising.status is Status.DETERIORATING


def test_incomplete_coverage_is_said() -> None:
    """A national figure from 27 of 30 ADPs says so and is not treated as complete."""
    coverage = Coverage(reported=27, expected=30, missing=("Orkney", "Shetland", "Moray"))
    result = assess(_series([60, 70]), as_of=dt.date(2023, 1, 1), coverage=coverage, **COMMON)  # type: ignore[arg-type]
    assert not result.coverage.complete
    assert "27 of 30 ADPs reported" in " ".join(result.notes)


def test_sdg_method() -> None:
    """Open SDG's method labels the growth achieved as a share of the growth needed."""
    result = assess(
        _series([51, 52, 53, 54]), as_of=dt.date(2023, 4, 1), method=Method.SDG, **COMMON
    )  # type: ignore[arg-type]
    assert result.status is Status.OFF_TRACK
    assert result.method_label is not None
    assert "limited progress" in result.method_label


OST_HEADER = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total\n"


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)


def test_crafted_returns_end_to_end(tmp_path: Path) -> None:
    """Coverage, local targets, apportionment, pro-rating and MAT counts from real files."""
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
        "Fife,2024/25 Q1,adp,10\nFife,2024/25 Q2,nhs,5\nFife,2024/25 Q2,self_funded,7\n",
    )
    mat = "adp,year,standard,status\n" + "".join(f"Fife,2024/25,{s},green\n" for s in range(1, 11))
    mat += "".join(f"Angus,2024/25,{s},{'green' if s <= 5 else 'amber'}\n" for s in range(1, 11))
    _write(data, "mat.csv", mat)
    local = tmp_path / "targets"
    _write(local, "ost.toml", 'id = "ost"\n[[local_targets]]\nadp = "Fife"\ntarget_value = 150\n')
    result = progress(load_returns([data]), load_targets([local]), dt.date(2024, 10, 1))

    ost = result.target("ost")
    assert (ost.latest_value, ost.latest_period) == (420, "2023/24 Q2")
    assert (ost.coverage.reported, ost.coverage.expected, ost.coverage.complete) == (2, 30, False)
    by_adp = {a.area: a for a in ost.adps}
    assert (by_adp["fife"].target_value, by_adp["fife"].target_source) == (150, "local target")
    assert by_adp["angus"].target_value == pytest.approx(32000 * 300 / 400)
    assert by_adp["angus"].target_source == "apportioned by share of 2023/24 Q1"

    rehab = result.target("rehab")
    assert rehab.latest_value == pytest.approx((10 + 5) * 4 / 2)
    assert "pro-rated from 2 quarter(s)" in " ".join(rehab.notes)

    mat_result = result.target("mat")
    assert mat_result.latest_value == pytest.approx(75.0)
    parts = {p.name: p.latest_value for p in mat_result.parts}
    assert parts == {"MAT 1-5": pytest.approx(100.0), "MAT 6-10": pytest.approx(50.0)}
    assert {a.area: a.latest_value for a in mat_result.adps} == {"fife": 100.0, "angus": 50.0}
    assert result.target("naloxone").status is Status.NO_DATA


def test_demo_shows_all_six_targets() -> None:
    """The national demo set gives a status for every target, honest about coverage."""
    result = progress(load_returns([FIXTURES / "demo"]), as_of=dt.date(2026, 11, 25))
    assert [t.id for t in result.targets] == [
        "ost",
        "rehab",
        "naloxone",
        "mat",
        "waiting-times",
        "deaths",
    ]
    assert all(t.status is not Status.NO_DATA for t in result.targets)
    ost = result.target("ost")
    assert ost.status is Status.MISSED
    assert (ost.coverage.reported, ost.coverage.missing) == (29, ("Shetland",))
    assert result.mat_matrix is not None
    assert len(result.mat_matrix.rows) == 30
