"""Attacks on judged points, as-of dates, measures, target files and population returns (helper
attack-judged): one test per problem found, each failing on today's code. Odd inputs are built
at test time in `tmp_path` from the demo set's rows."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mission.cli.app import app

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "demo"
PUBLIC = ("adp", "local_authority", "nhs", "scottish_government")
SOURCE = "NRS mid-2023 population estimates"


def _run(*args: object) -> object:
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def _target_file(tmp_path: Path, name: str, text: str) -> Path:
    """A folder of target files holding `name` with `text`, for `--targets`."""
    targets = tmp_path / "targets"
    targets.mkdir()
    (targets / name).write_text(text)
    return targets


def _demo_rows(kind: str) -> list[dict[str, str]]:
    with (DEMO / f"{kind}.csv").open(newline="") as f:
        return list(csv.DictReader(f))


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _folder(
    tmp_path: Path, kind: str, keep: Callable[[dict[str, str]], dict[str, str] | None]
) -> Path:
    """A folder holding the demo's return of `kind`, each row passed through `keep`."""
    rows = [r for r in (keep(dict(row)) for row in _demo_rows(kind)) if r is not None]
    folder = tmp_path / kind
    _write(folder / f"{kind}.csv", rows)
    return folder


def _progress(*args: object) -> dict:
    result = _run("progress", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["targets"][0]


def _adp(target: dict, name: str) -> dict:
    return next(a for a in target["adps"] if a["name"] == name)


# --- After the deadline: the period that decides -------------------------------------------


def test_deadline_period_not_returned_yet_is_not_judged_on_an_earlier_quarter(tmp_path):
    """After the OST deadline (1 April 2024), with no ADP's 2023/24 Q4 return in yet, Scotland is
    not judged (the last period ending by the deadline is missing), not `missed` on 2023/24 Q3."""
    folder = _folder(tmp_path, "ost", lambda r: None if r["period"] >= "2023/24 Q4" else r)
    ost = _progress(folder, "--target", "ost", "--as-of", "2024-06-30")
    assert ost["judged_period"] != "2023/24 Q3", ost["notes"]
    assert ost["status"] not in ("missed", "achieved"), (ost["status"], ost["notes"])


def test_rehab_target_period_decides_not_the_year_before(tmp_path):
    """Rehab's target is 1,000 in 2025/26 (`target_period`); after its deadline with no 2025/26
    returns in, Scotland is not judged `missed` on 2024/25."""
    folder = _folder(tmp_path, "rehab", lambda r: None if r["period"] >= "2025/26" else r)
    rehab = _progress(folder, "--target", "rehab", "--as-of", "2026-06-30")
    assert rehab["judged_period"] != "2024/25", rehab["notes"]
    assert rehab["status"] not in ("missed", "achieved"), (rehab["status"], rehab["notes"])


def test_adp_missing_the_deadline_year_is_not_judged_on_its_year_before(tmp_path):
    """An ADP that sent nothing for the year the deadline judges (Moray, 2025/26) is not judged
    `achieved` on its 2024/25 figure with a note calling 2024/25 the last period ending by it."""

    def keep(r: dict[str, str]) -> dict[str, str] | None:
        if r["period"].startswith("2025/26"):
            if r["adp"] == "Moray":
                return None
            r["placements_started"] = str(int(r["placements_started"]) * 2)
            r["placements_completed"] = "0"
        return r

    folder = _folder(tmp_path, "rehab", keep)
    moray = _adp(_progress(folder, "--target", "rehab", "--as-of", "2026-06-30"), "Moray")
    assert moray["judged_period"] != "2024/25", moray["notes"]
    assert moray["status"] not in ("achieved", "missed"), (moray["status"], moray["notes"])


def test_adp_missing_mat_deadline_year_is_not_missed_on_the_year_before(tmp_path):
    """Fife, with no MAT return for 2024/25 (the last year ending by MAT 6-10's deadline), is
    not judged `missed` on 2023/24."""
    folder = _folder(
        tmp_path, "mat", lambda r: None if r["adp"] == "Fife" and r["year"] == "2024/25" else r
    )
    fife = _adp(_progress(folder, "--target", "mat-6-10", "--as-of", "2025-12-31"), "Fife")
    assert fife["judged_period"] != "2023/24", fife["notes"]
    assert fife["status"] != "missed", fife["notes"]


# --- A pro-rated year is never achieved -----------------------------------------------------


def test_method_sdg_never_achieves_a_prorated_year(tmp_path):
    """With `--method sdg`, a financial year still in progress (pro-rated from three quarters)
    is never `achieved`, as with the straight-line method."""
    rehab = _progress(DEMO, "--target", "rehab", "--as-of", "2025-12-31", "--method", "sdg")
    achieved = [
        (a["name"], a["judged_period"], a["rule"])
        for a in [rehab, *rehab["adps"]]
        if a["status"] == "achieved"
        and any(
            p["period"] == a["judged_period"] and p["prorated_from_quarters"] for p in a["series"]
        )
    ]
    assert achieved == []


# --- Notes -----------------------------------------------------------------------------------


def test_not_judged_share_note_does_not_say_it_falls_short_when_it_meets_the_target(tmp_path):
    """A share (MAT 6-10) not judged because an ADP is missing, whose ADPs so far are 100% green,
    is not described as 'what is in does not meet the target'."""

    def keep(r: dict[str, str]) -> dict[str, str] | None:
        if r["year"] == "2024/25":
            if r["adp"] == "Fife":
                return None
            r.update(status="green", numerical="met", process="met", experiential="met")
        return r

    folder = _folder(tmp_path, "mat", keep)
    mat = _progress(folder, "--target", "mat-6-10", "--as-of", "2025-12-31")
    assert mat["latest_value"] == 100.0 and mat["status"] != "achieved"
    assert not any("does not meet the target" in n for n in mat["notes"]), mat["notes"]


# --- Apportioned targets ----------------------------------------------------------------------


def test_apportioned_targets_do_not_grow_when_the_basis_period_misses_an_adp(tmp_path):
    """An ADP's apportioned OST target does not change because another ADP's return for the
    basis period (the first quarter) is missing: a share of a partial total is too big."""
    whole = _adp(_progress(DEMO, "--target", "ost", "--as-of", "2023-12-31"), "Fife")
    folder = _folder(
        tmp_path,
        "ost",
        lambda r: None if r["adp"] == "Glasgow City" and r["period"] == "2021/22 Q1" else r,
    )
    partial = _adp(_progress(folder, "--target", "ost", "--as-of", "2023-12-31"), "Fife")
    # demo: 2,131 with every ADP in 2021/22 Q1; 2,676 with Glasgow City's Q1 return missing
    assert (
        partial["target_value"] is None or abs(partial["target_value"] - whole["target_value"]) < 1
    ), (whole["target_value"], partial["target_value"], partial["target_source"])


# --- Target files that contradict themselves ----------------------------------------------


def test_local_target_below_its_own_baseline_for_an_increase_is_refused(tmp_path):
    """A local target on the wrong side of its own baseline (600 against 6,000, direction
    increase) is refused like a national one (exit 2), not judged `achieved`."""
    targets = _target_file(
        tmp_path,
        "ost.toml",
        'id = "ost"\n[[local_targets]]\nadp = "Glasgow City"\n'
        "target_value = 600\nbaseline_value = 6000\n",
    )
    result = _run(
        "progress", DEMO, "--target", "ost", "--as-of", "2023-12-31", "--targets", targets
    )
    assert result.exit_code == 2, result.output


def test_local_share_target_outside_0_to_100_is_refused(tmp_path):
    """A local target of 150 for a share (waiting times) is refused (exit 2), as a national one
    is."""
    targets = _target_file(
        tmp_path,
        "wt.toml",
        'id = "waiting-times"\n[[local_targets]]\nadp = "Fife"\ntarget_value = 150\n',
    )
    result = _run("targets", "--targets", targets)
    assert result.exit_code == 2, result.output


def test_local_target_of_zero_for_a_count_going_up_is_refused(tmp_path):
    """A local target of 0 for a count going up is the typo the national check refuses
    (exit 2); it is not shown as a target of 0 with a percent of the way."""
    targets = _target_file(
        tmp_path,
        "ost.toml",
        'id = "ost"\n[[local_targets]]\nadp = "Fife"\ntarget_value = 0\n',
    )
    result = _run("targets", "--targets", targets)
    assert result.exit_code == 2, result.output


def test_target_period_of_the_wrong_period_type_is_refused(tmp_path):
    """A `target_period` that is a quarter for a target measured in financial years (rehab) is
    refused (exit 2)."""
    targets = _target_file(tmp_path, "rehab.toml", 'id = "rehab"\ntarget_period = "2025/26 Q1"\n')
    result = _run("targets", "--targets", targets)
    assert result.exit_code == 2, result.output


# --- Population --------------------------------------------------------------------------------


def _population(tmp_path: Path, rows: list[tuple[str, int, int]]) -> Path:
    path = tmp_path / "population.csv"
    _write(
        path,
        [
            {"adp": a, "calendar_year": str(y), "population": str(n), "source": SOURCE}
            for a, y, n in rows
        ],
    )
    return path


def test_council_areas_given_by_code_are_not_told_they_are_missing(tmp_path):
    """Midlothian given by its council area code (S12000019) beside East Lothian is a whole
    ADP: no `council-area-missing` error naming Midlothian."""
    path = _population(tmp_path, [("S12000019", 2023, 97542), ("East Lothian", 2023, 114506)])
    result = _run("validate", path, "--format", "json")
    assert "council-area-missing" not in result.output
    assert result.exit_code == 0, result.output


def test_council_area_given_twice_by_name_and_code_is_an_error(tmp_path):
    """Midlothian given twice for a year (by name and by its code S12000019) is a
    `duplicate-row`: adding both counts its residents twice."""
    path = _population(
        tmp_path,
        [("Midlothian", 2023, 97542), ("S12000019", 2023, 97542), ("East Lothian", 2023, 114506)],
    )
    result = _run("validate", path, "--format", "json")
    assert result.exit_code == 1, result.output
    assert "duplicate-row" in result.output


def test_rate_of_a_shared_adp_counts_each_council_area_once(tmp_path):
    """MELDAP's 2023 deaths rate is worked out on Midlothian + East Lothian (212,048), not on
    Midlothian twice (309,590) when a population file names Midlothian by name and by code."""
    folder = tmp_path / "returns"
    folder.mkdir()
    (folder / "deaths.csv").write_text((DEMO / "deaths.csv").read_text())
    rows = []
    for r in _demo_rows("population"):
        rows.append(r)
        if r["adp"] == "Midlothian":
            rows.append({**r, "adp": "S12000019"})
    _write(folder / "population.csv", rows)
    out = tmp_path / "report"
    result = _run("report", folder, "-o", out, "--as-of", "2024-12-31")
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        return  # refused: the file was caught
    md = (out / "report.md").read_text()
    assert "309,590" not in md


def test_duplicate_row_by_old_code_has_a_message(tmp_path):
    """A population row by Glasgow City's old code beside one by its name says which row it
    repeats, not just the finding's code."""
    path = _population(tmp_path, [("S12000046", 2023, 600000), ("Glasgow City", 2023, 631970)])
    result = _run("validate", path, "--format", "json")
    findings = [
        f
        for file in json.loads(result.output)["files"]
        for f in file["findings"]
        if f["code"] == "duplicate-row"
    ]
    assert findings
    assert all(f["message"] and f["message"] != "duplicate-row" for f in findings), findings


# --- Views --------------------------------------------------------------------------------------


def test_board_paper_gives_scotlands_partial_figure_its_coverage(tmp_path):
    """A board paper printing Scotland's 2025/26 rehab figure from 29 of 30 ADPs says so beside
    it ("29 of 30", the ADP missing), as the national report does."""

    def keep(r: dict[str, str]) -> dict[str, str] | None:
        if r["period"].startswith("2025/26") and r["adp"] == "Moray":
            return None
        return r

    folder = _folder(tmp_path, "rehab", keep)
    out = tmp_path / "papers"
    result = _run("report", folder, "--adp", "Fife", "-o", out, "--as-of", "2026-06-30")
    assert result.exit_code == 0, result.output
    md = (out / "fife.md").read_text()
    row = next(line for line in md.splitlines() if line.startswith("| 2025/26 |"))
    assert "29 of 30" in row or "Moray" in row, row


def test_measures_say_the_as_of_date_they_counted_to(tmp_path):
    """`mission measures --as-of` says the date it counted to, so '(to date)' and `complete`
    can be read: in text and in JSON."""
    text = _run("measures", DEMO / "episodes.csv", "--by", "scotland", "--as-of", "2024-02-15")
    assert text.exit_code == 0, text.output
    assert "2024-02-15" in text.output
    data = _run(
        "measures",
        DEMO / "episodes.csv",
        "--by",
        "scotland",
        "--as-of",
        "2024-02-15",
        "--format",
        "json",
    )
    assert "2024-02-15" in data.output


def test_report_publishes_when_a_part_of_the_deadline_year_meets_the_target(tmp_path):
    """After rehab's deadline, with 2025/26 Q4 not yet in and Q1-Q3 already over the target,
    `mission report` writes the report (exit 0), not 'Could not run: ... of the way ... cannot
    be checked for disclosure' (exit 2): the percent of the way of a part is no odd figure."""

    def keep(r: dict[str, str]) -> dict[str, str] | None:
        if r["period"] == "2025/26 Q4":
            return None
        if r["period"].startswith("2025/26"):
            r["placements_started"] = str(int(r["placements_started"]) * 2)
            r["placements_completed"] = "0"
        return r

    folder = _folder(tmp_path, "rehab", keep)
    out = tmp_path / "report"
    result = _run("report", folder, "-o", out, "--as-of", "2026-06-30")
    assert result.exit_code == 0, result.output
    assert (out / "report.md").exists()


def test_judged_part_and_latest_of_one_period_are_not_two_unlabelled_figures(tmp_path):
    """When a part of the deadline year is judged (three quarters, not pro-rated) beside the
    pro-rated latest figure of the same year, the text view labels the judged figure as a part
    (its quarters), so '1,440 (2025/26)' and '1,920 (2025/26)' do not sit side by side as two
    figures for one year."""

    def keep(r: dict[str, str]) -> dict[str, str] | None:
        if r["period"] == "2025/26 Q4":
            return None
        if r["period"].startswith("2025/26"):
            r["placements_started"] = str(int(r["placements_started"]) * 2)
            r["placements_completed"] = "0"
        return r

    folder = _folder(tmp_path, "rehab", keep)
    result = _run("progress", folder, "--target", "rehab", "--as-of", "2026-06-30")
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("Publicly funded"))
    if "achieved" not in line:
        return  # the part is not judged at all (a pro-rated year waits for its quarters): fine
    judged = line.split("achieved", 1)[1].split("█", 1)[0]
    assert "quarter" in judged or "Q1" in judged or "to date" in judged, judged


def test_progress_csv_says_the_as_of_date_its_statuses_are_judged_at(tmp_path):
    """`progress --format csv` carries the as-of date (the statuses, `missed` or `on track`,
    depend on it), as the text, JSON, Markdown and workbook views do."""
    result = _run(
        "progress", DEMO, "--target", "ost", "--as-of", "2024-03-31T12:00Z", "--format", "csv"
    )
    assert result.exit_code == 0, result.output
    assert "2024-03-30" in result.output


@pytest.mark.xfail(
    strict=True,
    reason="left open: a date alone means 23:59:59.999999 of that day, so that instant typed "
    "out cannot be told from the date; a day counts as ended at its last microsecond",
)
def test_as_of_a_microsecond_before_midnight_does_not_count_the_quarter_ending_that_day():
    """`--as-of 2024-03-31T23:59:59.999999Z` is before 31 March has ended: 2023/24 Q4 is not
    counted (the latest OST quarter is 2023/24 Q3)."""
    ost = _progress(DEMO, "--target", "ost", "--as-of", "2024-03-31T23:59:59.999999Z")
    assert ost["latest_period"] == "2023/24 Q3", ost["latest_period"]
