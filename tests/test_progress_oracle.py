"""An independent oracle: every headline figure of the demo set, recomputed with plain polars.

Nothing here imports the engine's code paths: the returns are read with `pl.read_csv`, periods'
end dates are worked out by hand, and each figure is the data contract's definition written again
from scratch. The engine's `progress` must agree at every as-of date.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from mission.returns import load_returns
from mission.tracker import Progress, progress

from .conftest import FIXTURES

DEMO = FIXTURES / "demo"
AS_OF = [
    dt.date(2023, 4, 1),
    dt.date(2024, 4, 1),
    dt.date(2025, 5, 1),
    dt.date(2025, 11, 1),
    dt.date(2026, 11, 25),
]
PUBLIC = ["adp", "local_authority", "nhs", "scottish_government"]
QUARTER_END = {1: (0, 6, 30), 2: (0, 9, 30), 3: (0, 12, 31), 4: (1, 3, 31)}


def quarter_end(label: str) -> dt.date:
    years, month, day = QUARTER_END[int(label[-1])]
    return dt.date(int(label[:4]) + years, month, day)


def year_end(label: str) -> dt.date:
    return dt.date(int(label[:4]) + 1, 3, 31)


def _with_end(frame: pl.DataFrame, column: str, end: object) -> pl.DataFrame:
    labels = frame[column].unique().to_list()
    ends = {label: end(str(label)) for label in labels}  # type: ignore[operator]
    return frame.with_columns(end=pl.col(column).replace_strict(ends, return_dtype=pl.Date))


@pytest.fixture(scope="module")
def engine() -> dict[dt.date, Progress]:
    returns = load_returns([DEMO])
    return {day: progress(returns, as_of=day) for day in AS_OF}


def _ost(day: dt.date) -> dict[str, object]:
    ost = _with_end(pl.read_csv(DEMO / "ost.csv"), "period", quarter_end).filter(
        pl.col("end") <= day
    )
    by_quarter = (
        ost.group_by("period", "end")
        .agg(pl.col("total").sum(), pl.col("adp").n_unique().alias("adps"))
        .sort("end")
    )
    deadline = dt.date(2024, 4, 1)
    candidates = by_quarter.filter(pl.col("end") <= deadline) if day >= deadline else by_quarter
    judged = candidates.filter(pl.col("adps") == 30).tail(1)
    latest = by_quarter.tail(1)
    judged_value = float(judged["total"][0])
    return {
        "latest": (float(latest["total"][0]), latest["period"][0], int(latest["adps"][0])),
        "judged": (judged_value, judged["period"][0]),
        "percent": 100 * (judged_value - 29500) / (32000 - 29500),
    }


def _yearly(name: str, value: pl.Expr, day: dt.date) -> pl.DataFrame:
    """Financial-year sums of quarters ended by `day`, pro-rated by the quarters anyone sent."""
    rows = _with_end(pl.read_csv(DEMO / name), "period", quarter_end).filter(pl.col("end") <= day)
    rows = rows.with_columns(year=pl.col("period").str.slice(0, 7))
    return (
        rows.group_by("year")
        .agg(
            value=value.sum(),
            quarters=pl.col("period").n_unique(),
            adps=pl.col("adp").n_unique(),
        )
        .with_columns(value=pl.col("value") * 4 / pl.col("quarters"))
        .sort("year")
    )


def _rehab(day: dt.date) -> dict[str, object]:
    public = pl.when(pl.col("funding_source").is_in(PUBLIC)).then(pl.col("placements_started"))
    years = _yearly("rehab.csv", public.fill_null(0), day)
    deadline = dt.date(2026, 3, 31)
    ended = years.filter(pl.col("year").map_elements(year_end, return_dtype=pl.Date) <= deadline)
    # Judged: the newest year (by the deadline, once passed) that every ADP sent rows for.
    judged = (ended if day >= deadline else years).filter(pl.col("adps") == 30).tail(1)
    latest = years.tail(1)
    return {
        "latest": (float(latest["value"][0]), latest["year"][0], int(latest["adps"][0])),
        "judged": (float(judged["value"][0]), judged["year"][0]),
        "percent": 100 * (float(judged["value"][0]) - 250) / (1000 - 250),
        "prorated": int(latest["quarters"][0]),
    }


def _naloxone(day: dt.date) -> dict[str, object]:
    first, repeat = pl.col("first_supply"), pl.col("repeat_supply")
    years = _yearly("naloxone.csv", first + repeat, day)
    latest = years.tail(1)
    rows = pl.read_csv(DEMO / "naloxone.csv").filter(
        pl.col("period").str.slice(0, 7) == latest["year"][0]
    )
    rows = _with_end(rows, "period", quarter_end).filter(pl.col("end") <= day)
    share = 100 * rows["first_supply"].sum() / (rows["first_supply"] + rows["repeat_supply"]).sum()
    return {"latest": (float(latest["value"][0]), latest["year"][0]), "first_share": share}


def _mat(day: dt.date, standards: range, deadline: dt.date) -> dict[str, object]:
    mat = _with_end(pl.read_csv(DEMO / "mat.csv"), "year", year_end).filter(pl.col("end") <= day)
    mat = mat.filter(pl.col("standard").is_in(list(standards)))
    by_year = (
        mat.group_by("year", "end")
        .agg(
            full=100 * pl.col("status").is_in(["green", "blue"]).mean(),
            provisional=100 * (pl.col("status") == "provisional_green").mean(),
        )
        .sort("end")
    )
    judged = (by_year.filter(pl.col("end") <= deadline) if day >= deadline else by_year).tail(1)
    latest = by_year.tail(1)
    return {
        "latest": (latest["full"][0], latest["year"][0]),
        "judged": (judged["full"][0], judged["year"][0]),
        "provisional": latest["provisional"][0],
    }


def _waiting(day: dt.date) -> tuple[float, str] | None:
    episodes = pl.read_csv(DEMO / "episodes.csv", try_parse_dates=True).filter(
        pl.col("referral_date") <= day
    )
    started = episodes.filter(pl.col("treatment_start_date") <= day)
    labels = {}
    for start in started["treatment_start_date"].to_list():
        year = start.year if start.month >= 4 else start.year - 1
        quarter = (start.month - 4) % 12 // 3 + 1
        labels[start] = f"{year}/{(year + 1) % 100:02d} Q{quarter}"
    started = started.with_columns(
        quarter=pl.col("treatment_start_date").replace_strict(labels, return_dtype=pl.String)
    )
    started = _with_end(started, "quarter", quarter_end).filter(pl.col("end") <= day)
    if started.height == 0:
        return None
    wait = (pl.col("treatment_start_date") - pl.col("referral_date")).dt.total_days()
    latest = (
        started.group_by("quarter", "end").agg(share=100 * (wait <= 21).mean()).sort("end").tail(1)
    )
    return float(latest["share"][0]), str(latest["quarter"][0])


def _deaths(day: dt.date) -> tuple[float, str]:
    deaths = pl.read_csv(DEMO / "deaths.csv").filter(
        pl.col("calendar_year").map_elements(
            lambda y: dt.date(y, 12, 31) <= day, return_dtype=pl.Boolean
        )
    )
    latest = (
        deaths.group_by("calendar_year")
        .agg(pl.col("drug_misuse_deaths").sum())
        .sort("calendar_year")
    )
    return float(latest["drug_misuse_deaths"][-1]), str(latest["calendar_year"][-1])


@pytest.mark.parametrize("day", AS_OF, ids=str)
def test_ost_figures(engine: dict[dt.date, Progress], day: dt.date) -> None:
    """OST: the latest quarter's sum and coverage, the judged quarter and the percent of the way."""
    expected = _ost(day)
    ost = engine[day].target("ost")
    assert (ost.latest_value, ost.latest_period, ost.coverage.reported) == expected["latest"]
    assert (ost.judged_value, ost.judged_period) == expected["judged"]
    assert ost.percent_of_way == pytest.approx(expected["percent"])


@pytest.mark.parametrize("day", AS_OF, ids=str)
def test_rehab_figures(engine: dict[dt.date, Progress], day: dt.date) -> None:
    """Rehab: publicly funded placements a year, pro-rated from the quarters that had ended."""
    expected = _rehab(day)
    rehab = engine[day].target("rehab")
    value, period, adps = expected["latest"]  # type: ignore[misc]
    assert (rehab.latest_value, rehab.latest_period) == (pytest.approx(value), period)
    assert rehab.coverage.reported == adps
    judged_value, judged_period = expected["judged"]  # type: ignore[misc]
    assert (rehab.judged_value, rehab.judged_period) == (pytest.approx(judged_value), judged_period)
    assert rehab.percent_of_way == pytest.approx(expected["percent"])
    quarters = expected["prorated"]
    assert rehab.series[-1].prorated_from_quarters == (None if quarters == 4 else quarters)


@pytest.mark.parametrize("day", AS_OF, ids=str)
def test_naloxone_figures(engine: dict[dt.date, Progress], day: dt.date) -> None:
    """Naloxone: kits a year and the share that were first supplies."""
    expected = _naloxone(day)
    naloxone = engine[day].target("naloxone")
    value, period = expected["latest"]  # type: ignore[misc]
    assert (naloxone.latest_value, naloxone.latest_period) == (pytest.approx(value), period)
    first = naloxone.related[0]
    assert (first.name, first.latest_period) == ("first_supply_share", period)
    assert first.latest_value == pytest.approx(expected["first_share"])


@pytest.mark.parametrize("day", AS_OF, ids=str)
@pytest.mark.parametrize(
    ("target", "standards", "deadline"),
    [
        ("mat-1-5", range(1, 6), dt.date(2022, 4, 1)),
        ("mat-6-10", range(6, 11), dt.date(2025, 4, 1)),
    ],
)
def test_mat_figures(
    engine: dict[dt.date, Progress], day: dt.date, target: str, standards: range, deadline: dt.date
) -> None:
    """MAT: the share fully implemented (judged and latest) and the share provisional green."""
    expected = _mat(day, standards, deadline)
    mat = engine[day].target(target)
    value, period = expected["latest"]  # type: ignore[misc]
    assert (mat.latest_value, mat.latest_period) == (pytest.approx(value), period)
    judged_value, judged_period = expected["judged"]  # type: ignore[misc]
    assert (mat.judged_value, mat.judged_period) == (pytest.approx(judged_value), judged_period)
    assert mat.related[0].latest_value == pytest.approx(expected["provisional"])
    matrix = engine[day].mat_matrix
    assert matrix is not None
    assert matrix.year == period


@pytest.mark.parametrize("day", AS_OF, ids=str)
def test_waiting_and_deaths_figures(engine: dict[dt.date, Progress], day: dt.date) -> None:
    """Waiting times: the latest quarter's share within 21 days; deaths: the latest year's sum."""
    waiting = engine[day].target("waiting-times")
    expected = _waiting(day)
    if expected is None:
        assert waiting.latest_value is None
    else:
        assert (waiting.latest_value, waiting.latest_period) == (
            pytest.approx(expected[0]),
            expected[1],
        )
    deaths = engine[day].target("deaths")
    assert (deaths.latest_value, deaths.latest_period) == _deaths(day)


def test_ost_apportioned_targets() -> None:
    """Each ADP's OST target is 32,000 times its share of Scotland's first quarter."""
    ost = pl.read_csv(DEMO / "ost.csv").filter(pl.col("period") == "2021/22 Q1")
    shares = {row["adp"]: row["total"] / ost["total"].sum() for row in ost.iter_rows(named=True)}
    result = progress(load_returns([DEMO]), as_of=dt.date(2026, 11, 25)).target("ost")
    by_name = {a.name: a.target_value for a in result.adps}
    assert by_name == {name: pytest.approx(32000 * share) for name, share in shares.items()}
