"""Episode measures against hand-computed answers on a crafted file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mission.measures import episode_measures
from mission.stats import wilson_interval
from mission.validation import read_return

CRAFTED = """adp,person_id,referral_date,treatment_start_date,referral_source,substance,treatment_type
Fife,A,2024-04-01,2024-04-22,self,drugs,ost
Fife,B,2024-04-01,2024-04-23,police,drugs,psychosocial
Fife,C,2024-04-10,2024-04-10,gp,drugs,ost
Fife,D,2024-05-01,,police,alcohol,
Fife,E,2024-06-25,2024-07-02,self,drugs,ost
"""


@pytest.fixture
def measures(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "episodes.csv"
    path.write_text(CRAFTED)
    return episode_measures(read_return(path), "adp")


def test_quarter_of_treatment_start(measures) -> None:  # type: ignore[no-untyped-def]
    """Waits of 21 days count as within, 22 as not; a start on 2 July falls in Q2."""
    q1 = measures.row(0, named=True)
    q2 = measures.row(1, named=True)
    assert (q1["quarter"], q2["quarter"]) == ("2024/25 Q1", "2024/25 Q2")
    assert (q1["completed"], q1["within_21_days"]) == (3, 2)
    assert q1["share_within_21_days"] == pytest.approx(2 / 3)
    assert (q1["ci_low"], q1["ci_high"]) == pytest.approx(wilson_interval(2, 3))
    assert q1["median_wait_days"] == 21
    assert (q2["completed"], q2["within_21_days"], q2["median_wait_days"]) == (1, 1, 7)


def test_same_day_ost(measures) -> None:  # type: ignore[no-untyped-def]
    """Same-day share is OST starts on the referral day over all OST starts."""
    q1, q2 = measures.row(0, named=True), measures.row(1, named=True)
    assert (q1["ost_starts"], q1["ost_same_day"], q1["same_day_share"]) == (2, 1, 0.5)
    assert (q2["ost_starts"], q2["same_day_share"]) == (1, 0.0)


def test_waiting_over_six_weeks_and_referrals(measures) -> None:  # type: ignore[no-untyped-def]
    """The referral with no start is waiting at both quarter ends; referrals count by source."""
    q1, q2 = measures.row(0, named=True), measures.row(1, named=True)
    assert (q1["waiting_over_6_weeks"], q2["waiting_over_6_weeks"]) == (1, 1)
    assert (q1["referrals"], q1["referrals_police"], q1["referrals_self"]) == (5, 2, 2)
    assert q2["referrals"] == 0


def test_levels_and_privacy(tmp_path: Path) -> None:
    """Board and Scotland levels add ADPs up; no person id reaches the output."""
    path = tmp_path / "episodes.csv"
    path.write_text(CRAFTED + "Angus,F,2024-04-02,2024-04-03,self,drugs,ost\n")
    board = episode_measures(read_return(path), "board")
    scotland = episode_measures(read_return(path), "scotland")
    assert set(board["area_name"]) == {"Fife", "Tayside"}
    assert scotland.row(0, named=True)["completed"] == 4
    assert "person_id" not in scotland.columns


def test_intervals_are_plain_arithmetic_the_same_every_run(tmp_path: Path) -> None:
    """The Wilson interval of one start within 21 days is what the formula gives in plain
    double arithmetic, to the last bit, on every run (it once depended on where a row sat
    before the table was sorted)."""
    import math

    from mission.measures import Z95

    path = tmp_path / "episodes.csv"
    path.write_text(
        "adp,person_id,referral_date,treatment_start_date,referral_source,substance,"
        "treatment_type\nDundee City,P1,2024-07-28,2024-08-19,housing,drugs,other\n"
        "Dundee City,P2,2024-05-25,,self,drugs,\n"
        "East Ayrshire,P3,2024-04-01,2024-04-01,self,drugs,residential_rehab\n",
        encoding="utf-8",
    )
    rows = read_return(path)
    z2 = Z95 * Z95
    centre, half = (1 + z2 / 2) / (1 + z2), Z95 * math.sqrt(z2 / 4) / (1 + z2)
    for _ in range(3):
        table = episode_measures(rows, "scotland")
        first = table.row(0, named=True)
        assert (first["within_21_days"], first["ci_low"]) == (1, centre - half)


def test_a_folder_of_every_kind_is_measured_on_its_episodes_returns(tmp_path: Path) -> None:
    """Found by a newcomer: `measures FOLDER` read every file as an episodes extract (exit 1,
    903 errors in a folder with none). A folder's episodes returns are measured, the same as
    naming the file; a folder without one cannot be measured (exit 2); a file named on its own
    is still read as episodes."""
    from typer.testing import CliRunner

    from mission.cli.app import app

    runner = CliRunner()
    folder = runner.invoke(
        app, ["measures", "fixtures/demo", "--as-of", "2026-11-25", "-f", "json"]
    )
    named = runner.invoke(
        app, ["measures", "fixtures/demo/episodes.csv", "--as-of", "2026-11-25", "-f", "json"]
    )
    assert folder.exit_code == named.exit_code == 0, folder.output
    assert folder.stdout == named.stdout
    (tmp_path / "ost.csv").write_text(Path("fixtures/valid/ost.csv").read_text())
    assert runner.invoke(app, ["measures", str(tmp_path)]).exit_code == 2
    assert runner.invoke(app, ["measures", str(tmp_path / "ost.csv")]).exit_code == 1
    # Named beside a folder, a file is still read as episodes (an attack found it passed over).
    both = runner.invoke(app, ["measures", "fixtures/demo", str(tmp_path / "ost.csv")])
    assert both.exit_code == 1 and "person_id" in both.output


def test_an_area_measured_on_some_of_its_adps_says_so(tmp_path: Path) -> None:
    """Found by a newcomer: Dundee City's extract alone was printed as Tayside, and Scotland
    without Orkney as Scotland. Each row says how many of the area's ADPs its figures come from,
    and the text names the part when it is not the whole."""
    import csv
    import json

    from typer.testing import CliRunner

    from mission.cli.app import app

    with open("fixtures/demo/episodes.csv", newline="") as source:
        rows = list(csv.reader(source))
    dundee = tmp_path / "episodes.csv"
    with dundee.open("w", newline="") as out:
        csv.writer(out).writerows([rows[0], *(r for r in rows[1:] if r[0] == "Dundee City")])
    runner = CliRunner()
    args = ["measures", str(dundee), "--by", "board", "--as-of", "2026-11-25"]
    text = runner.invoke(app, args)
    assert text.exit_code == 0 and "Tayside (1 of 3 ADPs)" in text.stdout
    rows_json = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)
    assert {(r["area_name"], r["adps_sent"], r["adps_in_area"]) for r in rows_json} == {
        ("Tayside", 1, 3)
    }
    whole = runner.invoke(app, ["measures", "fixtures/demo/episodes.csv", "--by", "scotland",
                                "--as-of", "2026-11-25"])  # fmt: skip
    assert "Scotland " in whole.stdout and "ADPs)" not in whole.stdout


def test_an_episode_in_a_named_workbook_and_in_a_file_is_never_counted_twice(
    tmp_path: Path,
) -> None:
    """Found by an attack: a named workbook read first as OST (its first sheet), then checked
    again as episodes apart from the rest, slipped past the rule across files, and its episodes
    were counted twice. All are checked as one run: the repeat is refused."""
    import csv

    import xlsxwriter
    from typer.testing import CliRunner

    from mission.cli.app import app

    with open("fixtures/demo/episodes.csv", newline="") as source:
        rows = list(csv.reader(source))[:7]
    episodes = tmp_path / "episodes.csv"
    with episodes.open("w", newline="") as out:
        csv.writer(out).writerows(rows)
    book = xlsxwriter.Workbook(str(tmp_path / "two-sheets.xlsx"))
    ost = book.add_worksheet("Sheet1")
    header = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total"
    ost.write_row(0, 0, header.split(","))
    ost.write_row(1, 0, ["Fife", "2023/24 Q1", 1, 1, 1, 0, 0, 3])
    sheet = book.add_worksheet("Sheet2")
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    book.close()
    result = CliRunner().invoke(
        app, ["measures", str(episodes), str(tmp_path / "two-sheets.xlsx"), "--as-of", "2026-11-25"]
    )
    assert result.exit_code == 1, result.output


_DAY = st.dates(dt.date(2024, 4, 1), dt.date(2025, 6, 30))


@given(
    st.lists(st.tuples(_DAY, st.none() | st.integers(0, 120)), min_size=1, max_size=12),
    _DAY,
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_waiting_over_six_weeks_is_counted_at_each_quarters_end_or_as_of(
    episodes: list[tuple[dt.date, int | None]], as_of: dt.date
) -> None:
    """Each quarter's `waiting_over_6_weeks` is the people referred, not started and waiting
    more than 42 days at its end; in the quarter to date, on the as-of day, not at the end still
    to come (a referral of the week before read as a long wait: found by an attack)."""
    rows = [
        {
            "adp": "fife",
            "referral_date": referred,
            "treatment_start_date": None if wait is None else referred + dt.timedelta(wait),
            "referral_source": "self",
            "treatment_type": None,
        }
        for referred, wait in episodes
    ]
    frame = pl.DataFrame(rows, schema=_SCHEMA)
    table = episode_measures(frame, "adp", as_of=as_of)
    for row in table.iter_rows(named=True):
        moment = min(row["quarter_end"], as_of)
        waiting = sum(
            1
            for referred, wait in episodes
            if referred <= moment
            and (wait is None or referred + dt.timedelta(wait) > min(moment, as_of))
            and (moment - referred).days > 42
        )
        assert row["waiting_over_6_weeks"] == waiting, row["quarter"]


_SCHEMA = {
    "adp": pl.String,
    "referral_date": pl.Date,
    "treatment_start_date": pl.Date,
    "referral_source": pl.String,
    "treatment_type": pl.String,
}


def test_without_as_of_long_waits_are_judged_by_the_extracts_last_day() -> None:
    """Found by an attack: with no --as-of, the last quarter's long waits were judged at its end
    (after the extract's last day): a referral ten days before the extract ends, not started,
    was counted as waiting over six weeks on days the extract does not cover."""
    rows = [
        {"adp": "fife", "referral_date": dt.date(2024, 3, 20), "treatment_start_date": None,
         "referral_source": "self", "treatment_type": None},
        {"adp": "fife", "referral_date": dt.date(2024, 5, 1), "treatment_start_date": None,
         "referral_source": "self", "treatment_type": None},
        {"adp": "fife", "referral_date": dt.date(2024, 5, 10), "treatment_start_date": None,
         "referral_source": "self", "treatment_type": None},
    ]  # fmt: skip
    table = episode_measures(pl.DataFrame(rows, schema=_SCHEMA), "adp")
    last = table.row(-1, named=True)
    assert (last["quarter"], last["waiting_over_6_weeks"]) == ("2024/25 Q1", 1)  # 20 March's only


def test_a_frame_with_dates_python_cannot_hold_is_measured(tmp_path: Path) -> None:
    """A library caller's frame may hold dates beyond Python's (a referral a million days before
    1970): the extract's bounds are worked out as day numbers, never as Python dates."""
    path = tmp_path / "episodes.csv"
    path.write_text(CRAFTED)
    frame = read_return(path)
    far = frame.with_columns(
        pl.when(pl.col("person_id") == "A")
        .then(pl.lit(-1_000_000).cast(pl.Date))
        .otherwise(pl.col("referral_date"))
        .alias("referral_date")
    )
    table = episode_measures(far, "adp")
    assert table.height > 0
    assert table.filter(pl.col("quarter") == "2024/25 Q2")["completed"].to_list() == [1]
