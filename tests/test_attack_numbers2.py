"""Attacks on the published numbers (helper numbers2): statuses, periods, rates, target files.

Black box: every test drives the CLI (Typer's CliRunner) on returns it writes into `tmp_path`,
or on the synthetic demo set. Each test states the behaviour that should hold.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mission.cli.app import app

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "demo"
PUBLIC = ("adp", "local_authority", "nhs", "scottish_government")


def _run(*args: object):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def _adps() -> list[str]:
    with (DEMO / "ost.csv").open(newline="") as f:
        names = [row["adp"] for row in csv.DictReader(f)]
    return list(dict.fromkeys(names))


def _rehab(
    folder: Path, per_quarter: dict[tuple[str, int], int], skip: set[tuple[str, str]] = frozenset()
) -> None:  # type: ignore[assignment]
    """A rehab return for all 30 ADPs: `per_quarter[(year, q)]` placements each (adp-funded)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "rehab.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["adp", "period", "funding_source", "placements_started"])
        for adp in _adps():
            for (year, q), n in per_quarter.items():
                if (adp, year) in skip:
                    continue
                w.writerow([adp, f"{year} Q{q}", "adp", n])


def _progress_json(*args: object) -> dict:  # type: ignore[type-arg]
    result = _run("progress", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _target(progress: dict, target_id: str) -> dict:  # type: ignore[type-arg]
    return next(t for t in progress["targets"] if t["id"] == target_id)


# --- statuses judged on the wrong figure -------------------------------------------------------


def test_a_year_in_progress_is_never_achieved_on_a_pro_rated_figure(tmp_path: Path) -> None:
    """A yearly target is never 'achieved' from a year still in progress: 810 placements in three quarters, pro-rated to 1,080, is not 1,000 placements a year."""
    quarters = {("2024/25", q): 6 for q in (1, 2, 3, 4)}
    quarters |= {("2025/26", q): (9 if q < 4 else 0) for q in (1, 2, 3, 4)}
    _rehab(tmp_path / "returns", quarters)
    rehab = _target(_progress_json(tmp_path / "returns", "--as-of", "2025-12-31"), "rehab")
    assert rehab["status"] != "achieved", (
        rehab["judged_value"],
        rehab["judged_period"],
        rehab["notes"],
    )
    for adp in rehab["adps"]:
        assert adp["status"] != "achieved", (adp["name"], adp["judged_value"], adp["judged_period"])


def test_a_target_year_met_by_the_adps_that_reported_is_not_judged_missed_on_the_year_before(
    tmp_path: Path,
) -> None:
    """After the deadline, a missing ADP in the target year (2025/26) does not make Scotland 'missed' on the year before: 29 ADPs alone already sent 1,044 placements, so the target was met (or at least is not judged on 2024/25)."""
    quarters = {("2024/25", q): 6 for q in (1, 2, 3, 4)}  # 720 a year: below the target
    quarters |= {("2025/26", q): 9 for q in (1, 2, 3, 4)}  # 29 ADPs x 36 = 1,044 >= 1,000
    _rehab(tmp_path / "returns", quarters, skip={("Shetland", "2025/26")})
    rehab = _target(_progress_json(tmp_path / "returns", "--as-of", "2026-05-01"), "rehab")
    assert not (rehab["status"] == "missed" and rehab["judged_period"] == "2024/25"), (
        rehab["status"],
        rehab["judged_value"],
        rehab["judged_period"],
        rehab["notes"],
    )


def test_the_as_of_instant_is_not_rounded_up_to_the_end_of_the_day() -> None:
    """`--as-of 2024-03-31T12:00+00:00` is noon on 31 March: 2023/24 Q4 had not ended then, so it is not yet used (only periods that ended by the as-of moment count)."""
    ost = _target(
        _progress_json(DEMO, "--as-of", "2024-03-31T12:00+00:00", "--target", "ost"), "ost"
    )
    assert ost["latest_period"] != "2023/24 Q4", (ost["latest_period"], ost["judged_period"])


def test_a_rounded_apportioned_target_is_not_printed_equal_to_a_figure_judged_missed() -> None:
    """An ADP judged 'missed' never shows a judged figure equal to the target printed beside it,
    nor 100% of the way: Aberdeen City's 39 placements against an apportioned 39.14 read
    '39 ... 99% ... 39.1', not '39 ... 100% ... 39 ... missed'."""
    result = _run("progress", DEMO, "--as-of", "2026-05-01", "--target", "rehab", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.stdout.splitlines()))
    text = _run("progress", DEMO, "--as-of", "2026-05-01", "--target", "rehab").stdout
    close = 0
    for row in rows:
        if row["area"] == "scotland" or row["status"] != "missed" or not row["target_value"]:
            continue
        judged, target = float(row["judged_value"]), float(row["target_value"])
        line = next(l for l in text.splitlines() if l.startswith(row["name"] + " "))
        shown = re.search(r"[█░]+ (\d+)% +([\d,.]+) ", line)
        assert shown is not None, line
        percent, printed_target = shown.groups()
        assert percent != "100" and printed_target != f"{round(judged):,}", line
        close += f"{round(judged):,}" == f"{round(target):,}"
    assert close >= 3  # the demo's Aberdeen City, Renfrewshire and two more


def test_a_published_target_missed_is_not_printed_equal_to_its_figure(tmp_path: Path) -> None:
    """The report and the board papers print the same row as `progress`: Aberdeen City's 39
    placements against 39.14 read `39 ... 39.1 ... missed ... 99%`, and the audit still passes."""
    result = _run("report", DEMO / "rehab.csv", "-o", tmp_path / "r", "--as-of", "2026-05-01")
    assert result.exit_code == 0, result.output
    md = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    row = next(l for l in md.splitlines() if l.startswith("| Aberdeen City | 39 | 2025/26 |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[5] == "39.1" and cells[7] == "missed" and cells[8] == "99%", row
    assert _run("audit", tmp_path / "r").exit_code == 0


# --- rates -----------------------------------------------------------------------------------


def test_a_shared_adp_is_not_rated_on_one_of_its_two_council_areas(tmp_path: Path) -> None:
    """A population file giving Midlothian but not East Lothian for 2023 never yields a MELDAP rate on Midlothian's population alone (a doubled rate): it is refused, warned about, or the year treated as having no estimate."""
    returns = tmp_path / "returns"
    returns.mkdir()
    shutil.copy(DEMO / "deaths.csv", returns / "deaths.csv")
    lines = (DEMO / "population.csv").read_text().splitlines()
    (returns / "population.csv").write_text(
        "\n".join(l for l in lines if not l.startswith("East Lothian,2023")) + "\n"
    )
    validated = _run("validate", returns / "population.csv")
    if validated.exit_code != 0 or " warning " in validated.output:
        return  # refused or warned: fine
    result = _run("report", returns, "-o", tmp_path / "report", "--as-of", "2024-05-01")
    assert result.exit_code == 0, result.output
    md = (tmp_path / "report" / "report.md").read_text()
    meldap = [
        l
        for l in md.splitlines()
        if l.startswith("| Midlothian and East Lothian |") and "97,542" in l
    ]
    assert not meldap, meldap


# --- views that drop what a figure is --------------------------------------------------------


def test_the_workbook_names_the_gaps_beside_scotlands_yearly_figure(tmp_path: Path) -> None:
    """The xlsx (like the Markdown) says beside Scotland's 2025/26 rehab figure that Orkney, Shetland and the Outer Hebrides sent only part of the year, and names Shetland beside the OST 2025/26 Q4 figure it is missing from."""
    from openpyxl import load_workbook

    out = tmp_path / "progress.xlsx"
    result = _run("progress", DEMO, "--as-of", "2026-05-01", "-o", out)
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)

    def row(sheet: str, period: str) -> tuple:  # type: ignore[type-arg]
        return next(r for r in wb[sheet].iter_rows(values_only=True) if r and r[0] == period)

    rehab = " ".join(str(v) for v in row("rehab", "2025/26") if v is not None)
    assert "Orkney" in rehab and "Outer Hebrides" in rehab, rehab
    ost = " ".join(str(v) for v in row("ost", "2025/26 Q4") if v is not None)
    assert "Shetland" in ost, ost


def test_measures_do_not_present_a_quarter_that_has_not_ended_as_whole(tmp_path: Path) -> None:
    """`mission measures` never prints the quarter still in progress as if complete (its referrals, completed waits and 'waiting over 6 weeks at the quarter end' are about a quarter end still to come): it leaves it out or marks it as to date."""
    today = dt.date.today()
    recent = today - dt.timedelta(days=1)
    episodes = tmp_path / "episodes.csv"
    episodes.write_text(
        "adp,person_id,referral_date,treatment_start_date,referral_source,substance,treatment_type\n"
        "Fife,P001,2023-04-03,,self,drugs,\n"
        f"Fife,P002,{recent.isoformat()},{recent.isoformat()},gp,drugs,ost\n"
    )
    result = _run("measures", episodes, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    unfinished = [r for r in rows if dt.date.fromisoformat(r["quarter_end"]) > today]
    for r in unfinished:
        assert any(k in r for k in ("to_date", "partial", "in_progress", "complete")), r


# --- targets as data -------------------------------------------------------------------------


def _target_file(tmp_path: Path, name: str, body: str) -> Path:
    folder = tmp_path / "targets"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.toml").write_text(body)
    return folder


def _refused(result) -> bool:  # type: ignore[no-untyped-def]
    return result.exit_code == 2 and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("name", "body"),
    [
        # target_value 0 for OST (going up from 29,500): not 'achieved' at '-1%' of the way.
        ("ost", 'id = "ost"\ntarget_value = 0\n'),
        # going down from 29,500 to 32,000: the direction contradicts the baseline.
        ("ost", 'id = "ost"\ndirection = "decrease"\n'),
        # a share target of 150% (MAT 1-5's unit is a percent): not 'missed' at '3% of the way'.
        ("mat-1-5", 'id = "mat-1-5"\ntarget_value = 150\n'),
        # a baseline ending after the deadline: not a path run backwards.
        ("ost", 'id = "ost"\n[baseline]\nvalue = 29500\nperiod = "2030/31"\n'),
        # a deadline before the baseline ends: not a silent 'no data' beside a real figure.
        ("ost", 'id = "ost"\ndeadline = 2020-01-01\n'),
        # a statistic mission does not compute: not 'no data' with exit 0.
        ("ost", 'id = "ost"\n[measure]\nstatistic = "bogus"\n'),
        # a target_period ending after the deadline: not silently ignored.
        ("rehab", 'id = "rehab"\ntarget_period = "2030/31"\n'),
    ],
    ids=[
        "zero-up",
        "down-above",
        "share-150",
        "baseline-late",
        "deadline-early",
        "statistic",
        "period",
    ],
)
def test_a_target_file_that_contradicts_itself_is_refused(
    tmp_path: Path, name: str, body: str
) -> None:
    """A target file laid over the shipped one that contradicts itself is a clear error (exit
    2, no traceback), never a status judged on it."""
    folder = _target_file(tmp_path, name, body)
    result = _run("progress", DEMO, "--as-of", "2026-05-01", "--targets", folder, "--target", name)
    assert _refused(result), result.output


def test_progress_from_a_store_as_of_before_submission_says_why_there_is_nothing(
    tmp_path: Path,
) -> None:
    """`progress --store S --as-of 2024-03-31` on a store whose OST returns were all submitted later says the returns were not yet accepted at that date, rather than only 'no returns for this target' (the README says --store uses the latest revisions)."""
    store = tmp_path / "s.sqlite"
    shutil.copy(DEMO / "ost.csv", tmp_path / "ost.csv")
    submitted = _run("submit", tmp_path / "ost.csv", "--store", store)
    assert submitted.exit_code == 0, submitted.output
    result = _run(
        "progress", "--store", store, "--as-of", "2024-03-31", "--target", "ost", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    ost = _target(json.loads(result.stdout), "ost")
    if ost["status"] != "no_data":
        return  # judged from the store's returns: fine
    assert "accepted no return by 2024-03-31" in result.stderr, result.stderr
