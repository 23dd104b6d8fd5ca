"""Tables that add up to one another: a breakdown and its target's table print the same
Scotland figure, so what one hides the other must not give away (black box: the real CLI, reports
made in process, audits by the installed entry point).

Each test failed on the code it was written against (found by an attacker: the rehab target's
Scotland figure less the printed funding sources gave a hidden source; two dates' totals less
Scotland's gave the other sources' quarter; a note printed the year a table hid).
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from mission import resolve_adp

MISSION = str(Path(sys.executable).with_name("mission"))
DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "demo"
PUBLIC = ("adp", "local_authority", "nhs", "scottish_government")
YEAR = "2025/26"


Rows = list[dict[str, str]]


def _demo_return(tmp_path: Path, name: str, kind: str, edit: Callable[[Rows], Rows]) -> Path:
    """A folder with the demo's `kind` return, its rows passed through `edit`, and dataset.toml
    (so every page says the data is synthetic)."""
    folder = tmp_path / name
    folder.mkdir()
    shutil.copy(DEMO / "dataset.toml", folder / "dataset.toml")
    with (DEMO / f"{kind}.csv").open(newline="") as stream:
        rows = edit(list(csv.DictReader(stream)))
    with (folder / f"{kind}.csv").open("w", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder


def _rehab(tmp_path: Path, change: dict[tuple[str, str | None, str], str], name: str) -> Path:
    """The demo's rehab return with placements set by (period, ADP or None for all, source)."""

    def edit(rows: Rows) -> Rows:
        for row in rows:
            for (period, adp, source), value in change.items():
                same = row["period"] == period and row["funding_source"] == source
                if same and (adp is None or row["adp"] == adp):
                    row["placements_started"] = value
                    row["placements_completed"] = "0"
        return rows

    return _demo_return(tmp_path, name, "rehab", edit)


def _make(*args: str) -> None:
    """`mission report ARGS` through the real CLI in this process (the same Typer app the
    installed entry point runs, without a second interpreter importing polars and matplotlib);
    the audits below run the installed entry point, whose exit codes they test."""
    from typer.testing import CliRunner

    from mission.cli.app import app

    run = CliRunner().invoke(app, ["report", *args], catch_exceptions=False)
    assert run.exit_code == 0, run.output


def _report(folder: Path, out: Path, *extra: str) -> dict[tuple[str, str, str, str], str]:
    """`mission report`, then report.csv as {(table, row, column, figure): value}."""
    _make(str(folder), "-o", str(out), *extra)
    with (out / "report.csv").open(newline="") as stream:
        return {
            (r["table"], r["row"], r["column"], r["figure"]): r["value"]
            for r in csv.DictReader(stream)
        }


def _figure(printed: dict[tuple[str, str, str, str], str], table: str, name: str) -> str:
    return printed[(table, "", "", name)]


def test_a_funding_source_is_not_the_target_figure_less_the_printed_sources(
    tmp_path: Path,
) -> None:
    """With Scotland's rehab figure printed, the publicly funded sources of that year never leave
    exactly one hidden (it would be that figure less the others), and the breakdown prints the
    same subtotal as the target's table, or hides it as that table does."""
    change: dict[tuple[str, str | None, str], str] = {}
    for q in range(1, 5):
        change[(f"{YEAR} Q{q}", None, "nhs")] = "0"
        change[(f"{YEAR} Q{q}", None, "self_funded")] = "0"
        change[(f"{YEAR} Q{q}", "Glasgow City", "self_funded")] = "5"
    change[(f"{YEAR} Q1", "Aberdeen City", "nhs")] = "3"
    printed = _report(_rehab(tmp_path, change, "nhs"), tmp_path / "out")
    scotland = _figure(printed, "rehab", f"total of column {YEAR}")
    subtotal = _figure(printed, "rehab-by-funding", f"publicly funded in column {YEAR}")
    assert scotland == subtotal
    assert scotland != "c"
    public = [printed[("rehab-by-funding", s, YEAR, "")] for s in PUBLIC]
    assert public.count("c") != 1, public
    assert printed[("rehab-by-funding", "nhs", YEAR, "")] == "c"


def test_two_dates_do_not_give_the_other_sources_quarter(tmp_path: Path) -> None:
    """Self-funded placements of 3 in one quarter: the breakdown's year-to-date total less
    Scotland's (publicly funded) figure, at two dates, does not give that quarter."""
    folder = _rehab(tmp_path, {(f"{YEAR} Q2", None, "self_funded"): "0"}, "self3")
    rows = (folder / "rehab.csv").read_text().splitlines()
    first = next(
        i for i, r in enumerate(rows) if r.split(",")[1:3] == [f"{YEAR} Q2", "self_funded"]
    )
    cells = rows[first].split(",")
    cells[3] = "3"
    rows[first] = ",".join(cells)
    (folder / "rehab.csv").write_text("\n".join(rows) + "\n")
    seen = []
    for as_of in ("2025-07-31", "2025-10-31"):
        printed = _report(folder, tmp_path / as_of, "--as-of", as_of)
        seen.append(
            (
                _figure(printed, "rehab-by-funding", f"total of column {YEAR}"),
                _figure(printed, "rehab", f"total of column {YEAR}"),
            )
        )
    if all("c" not in pair for pair in seen):
        (t1, p1), (t2, p2) = ((int(t), int(p)) for t, p in seen)
        assert not 1 <= (t2 - t1) - (p2 - p1) <= 4, seen


def test_no_note_prints_a_figure_its_table_hides(tmp_path: Path) -> None:
    """A year whose last quarter was 3 in all Scotland is `c` after the deadline, and no note,
    in any view, prints it instead ('judged on 2025/26 (723)' did)."""
    change: dict[tuple[str, str | None, str], str] = {
        (f"{YEAR} Q4", None, s): "0" for s in (*PUBLIC, "third_sector", "self_funded", "other")
    }
    change[(f"{YEAR} Q4", "Aberdeen City", "adp")] = "3"
    folder = _rehab(tmp_path, change, "q4small")
    out = tmp_path / "out"
    printed = _report(folder, out, "--as-of", "2026-06-30")
    assert _figure(printed, "rehab", f"total of column {YEAR}") == "c"
    with (folder / "rehab.csv").open(newline="") as stream:
        year = sum(
            int(r["placements_started"])
            for r in csv.DictReader(stream)
            if r["period"].startswith(YEAR) and r["funding_source"] in PUBLIC
        )
    shown = f"{year:,}"
    for name in ("report.md", "report.html"):
        text = (out / name).read_text()
        assert not re.search(rf"(?<![\d,.]){re.escape(shown)}(?![\d,]|\.\d)", text), name


def test_a_board_papers_deaths_chart_compares_like_years(tmp_path: Path) -> None:
    """When an ADP's later years are hidden, its deaths chart's text sets its latest printed year
    beside Scotland's figure for that same year, not Scotland's latest."""
    folder = tmp_path / "d3"
    shutil.copytree(DEMO, folder)
    deaths = folder / "deaths.csv"
    deaths.write_text(
        deaths.read_text().replace("East Renfrewshire,2022,7\n", "East Renfrewshire,2022,3\n")
    )
    out = tmp_path / "paper"
    _make(str(folder), "--adp", "East Renfrewshire", "-o", str(out))
    text = "".join(p.read_text() for p in out.glob("*.html"))
    found = re.search(r"Drug misuse deaths, East Renfrewshire: [^<]*", text)
    assert found is not None
    alt = found.group(0)
    own_year = re.search(r"per 100,000 in (\d{4})", alt)
    assert own_year is not None, alt
    assert "that year" in alt, alt
    if own_year.group(1) != "2023":
        assert "Scotland&#39;s latest" in alt or "Scotland's latest" in alt, alt


def _naloxone(tmp_path: Path, name: str, edit: Callable[[dict[str, str]], None]) -> Path:
    """The demo's naloxone return (and dataset.toml), each row passed through `edit`."""

    def each(rows: Rows) -> Rows:
        for row in rows:
            edit(row)
        return rows

    return _demo_return(tmp_path, name, "naloxone", each)


def test_first_supplies_of_a_year_in_progress_are_not_printed_per_adp(tmp_path: Path) -> None:
    """While a year is in progress, no ADP's first supplies for it are printed: two dates would
    subtract to a quarter's (Orkney 7, then 10: 3 in Q2), as its kits would."""
    folder = _naloxone(tmp_path, "demo", lambda row: None)
    for as_of in ("2025-07-31", "2025-10-31"):
        printed = _report(folder, tmp_path / as_of, "--as-of", as_of)
        firsts = {
            k: v for k, v in printed.items() if k[0] == "naloxone" and k[2] == f"{YEAR} first"
        }
        assert firsts
        assert set(firsts.values()) == {"c"}, firsts


def test_scotlands_first_supplies_to_date_do_not_give_a_small_quarter(tmp_path: Path) -> None:
    """Scotland's first supplies in 2025/26 Q2 are 3: its year-to-date first supplies at the
    ends of Q1 and Q2 do not both print (they would subtract to 3)."""

    def edit(row: dict[str, str]) -> None:
        if row["period"] == f"{YEAR} Q2":
            moved = int(row["first_supply"]) + int(row["repeat_supply"])
            row["first_supply"], row["repeat_supply"] = "0", str(moved)
            if row["adp"] == "Orkney" and row["supply_source"] == "community":
                row["first_supply"] = "3" if row["kit_type"] == "intranasal" else "0"

    folder = _naloxone(tmp_path, "first3", edit)
    seen = []
    for as_of in ("2025-07-31", "2025-10-31"):
        printed = _report(folder, tmp_path / as_of, "--as-of", as_of)
        seen.append(_figure(printed, "naloxone", f"total of column {YEAR} first"))
    if "c" not in seen:
        assert not 1 <= int(seen[1]) - int(seen[0]) <= 4, seen


def test_repeat_supplies_are_not_kits_less_first_supplies(tmp_path: Path) -> None:
    """Orkney's 2024/25 repeat supplies are 2: with its kits printed, its first supplies (and
    their share) are not, or kits less first supplies would give the 2 away."""

    def edit(row: dict[str, str]) -> None:
        if row["adp"] == "Orkney" and row["period"].startswith("2024/25"):
            first_row = row["period"].endswith("Q1") and row["supply_source"] == "community"
            row["repeat_supply"] = "2" if first_row and row["kit_type"] == "intranasal" else "0"

    printed = _report(
        _naloxone(tmp_path, "repeat2", edit), tmp_path / "out", "--as-of", "2025-10-31"
    )
    kits = printed[("naloxone", "orkney", "2024/25", "")]
    first = printed[("naloxone", "orkney", "2024/25 first", "")]
    assert kits == "c" or first == "c" or not 1 <= int(kits) - int(first) <= 4, (kits, first)
    assert first == "c"


def _with_2024(rows: Rows) -> Rows:
    """The rows and a year 2024 like 2023: a later edition's new year."""
    return rows + [{**r, "calendar_year": "2024"} for r in rows if r["calendar_year"] == "2023"]


def test_a_five_year_total_never_spans_a_hidden_year(tmp_path: Path) -> None:
    """Moray's 2019 deaths are 3: no five-year total spanning a hidden year is printed, so when
    a year is added and the window moves on (2022 no longer hidden to protect 2019), the two
    dates' figures do not subtract to the 3."""

    def edit(rows: Rows) -> Rows:
        for row in rows:
            if row["adp"] == "Moray" and row["calendar_year"] == "2019":
                row["drug_misuse_deaths"] = "3"
        return _with_2024(rows)

    folder = _demo_return(tmp_path, "deaths", "deaths", edit)
    for as_of, years in (("2024-11-15", range(2019, 2024)), ("2025-11-15", range(2020, 2025))):
        printed = _report(folder, tmp_path / as_of, "--as-of", as_of)
        assert printed[("deaths", "moray", "2019", "")] == "c"
        for (table, _row, _, figure), value in printed.items():
            if table == "deaths" and figure.startswith("5-year total ") and value != "c":
                area = figure.removeprefix("5-year total ")
                spanned = [printed[("deaths", area, str(y), "")] for y in years]
                assert "c" not in spanned, (as_of, area, spanned)
        if 2019 in years:  # Moray's window holds its hidden 2019
            total = printed.get(("deaths", "", "", "5-year total moray"))
            assert total in (None, "c"), total


def test_audit_reads_publications_of_several_dates_together(tmp_path: Path) -> None:
    """`mission audit` reads folders of two as-of dates together: as published they are safe;
    when each date hides Moray's 2019 deaths (3) with different cells, each date alone protects
    it, but together every other 2019 cell is printed somewhere and Scotland's 2019 pins it."""

    def edit(rows: Rows) -> Rows:
        for row in rows:
            if row["calendar_year"] == "2019":
                small = row["adp"] in ("Orkney", "Shetland", "Outer Hebrides")
                row["drug_misuse_deaths"] = (
                    "3" if row["adp"] == "Moray" else ("6" if small else row["drug_misuse_deaths"])
                )
        return _with_2024(rows)

    folder = _demo_return(tmp_path, "deaths", "deaths", edit)
    with (folder / "deaths.csv").open(newline="") as stream:
        rows = list(csv.DictReader(stream))
    true = {
        (resolve_adp(r["adp"]).code, r["calendar_year"]): int(r["drug_misuse_deaths"]) for r in rows
    }
    first, second = tmp_path / "2024-11-15", tmp_path / "2025-11-15"
    for out in (first, second):
        _report(folder, out, "--as-of", out.name)

    def audit(*folders: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [MISSION, "audit", *map(str, folders)], capture_output=True, text=True, timeout=300
        )

    assert audit(first, second).returncode == 0  # as published: safe together
    record = json.loads((second / "published.json").read_text())
    cells = record["tables"]["deaths"]["cells"]
    partners = [c for c in cells if c["column"] == "2019" and c["printed"] == "c"]
    partners = [c for c in partners if c["row"] != "moray"]
    assert partners
    # The second date prints the cells hiding Moray's with it, and hides another one, printed
    # at the first date: alone, each date protects Moray's 2019; together, they do not.
    for partner in partners:
        partner["printed"] = true[(partner["row"], "2019")]
    other = next(
        c
        for c in cells
        if c["column"] == "2019" and isinstance(c["printed"], int) and c not in partners
        if c["printed"] >= 5
    )
    other["printed"] = "c"
    key = [other["row"], "2019"]
    for item in record["tables"]["deaths"]["figures"]:
        figure = item["figure"]
        terms = [t[0] for t in (*figure["numerator"], *figure["denominator"])]
        if figure["kind"] != "total" and key in [*terms, *figure["sources"]]:
            item["printed"] = "c"  # what is worked out from a hidden count is hidden with it
    (second / "published.json").write_text(json.dumps(record))
    assert audit(first).returncode == 0
    assert audit(second).returncode == 0
    together = audit(first, second)
    assert together.returncode == 1, together.stdout
    assert "moray × 2019" in together.stdout


def test_audit_across_dates_refuses_editions_of_revised_counts(tmp_path: Path) -> None:
    """A count revised between two editions (a late return) is not one count: reading both as
    one would model a table that never was, so the audit says which count and refuses (2)."""
    folders = []
    for edition, fife in (("2024-11-15", None), ("2025-11-15", "99")):
        folder = tmp_path / f"returns-{edition}"
        folder.mkdir()
        shutil.copy(DEMO / "dataset.toml", folder / "dataset.toml")
        text = (DEMO / "deaths.csv").read_text()
        if fife is not None:
            old = next(line for line in text.splitlines() if line.startswith("Fife,2021,"))
            text = text.replace(old + "\n", f"Fife,2021,{fife}\n")
        (folder / "deaths.csv").write_text(text)
        out = tmp_path / edition
        _report(folder, out, "--as-of", edition)
        folders.append(out)
    run = subprocess.run(
        [MISSION, "audit", *map(str, folders)], capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 2, run.stdout
    assert "revised" in run.stderr + run.stdout
    assert "fife × 2021" in run.stderr + run.stdout
