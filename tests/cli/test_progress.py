"""`mission progress`, `report` and `measures` driven through the real CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import polars as pl

from mission.measures import episode_measures
from mission.returns import load_returns
from mission.tracker import progress
from mission.validation import read_return

from ..conftest import DEMO_AS_OF, FIXTURES, INVALID, Made

DEMO = FIXTURES / "demo"
AS_OF = DEMO_AS_OF


def test_progress_json_equals_library(cli) -> None:  # type: ignore[no-untyped-def]
    """`--format json` is the library's Progress, dumped, with the documented fields."""
    import datetime as dt

    result = cli("progress", DEMO, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    library = progress(load_returns([DEMO]), as_of=dt.date(2026, 11, 25))
    assert data == json.loads(library.model_dump_json())
    first = data["targets"][0]
    assert {
        "id",
        "status",
        "rule",
        "judged_value",
        "judged_period",
        "latest_value",
        "latest_period",
        "target_value",
        "deadline",
        "expected_value",
        "projected_value",
        "percent_of_way",
        "coverage",
        "adps",
    } <= set(first)
    assert (first["coverage"]["reported"], first["coverage"]["expected"]) == (29, 30)


def test_progress_text_shows_every_target() -> None:
    """The text view lists every target with status and coverage, and says what is missing."""
    from typer.testing import CliRunner

    from mission.cli.app import app

    wide = {"COLUMNS": "250"}
    result = CliRunner().invoke(app, ["progress", str(DEMO), "--as-of", AS_OF], env=wide)
    text = " ".join(result.stdout.split())
    for title in (
        "opioid substitution",
        "residential",
        "naloxone",
        "MAT standards 1-5",
        "MAT standards 6-10",
        "three weeks",
        "Drug misuse deaths",
    ):
        assert title in text
    assert "30,005 (2025/26 Q4) from 29 of 30 ADPs; Shetland missing" in text
    assert "missing ADPs are not counted as zero" in text


def test_progress_target_and_adp_views(cli) -> None:  # type: ignore[no-untyped-def]
    """--target gives the per-ADP table (and the MAT matrix); --adp one ADP on every target."""
    mat = cli("progress", DEMO, "--target", "mat-6-10", "--as-of", AS_OF)
    assert "MAT standards by ADP" in mat.stdout
    assert "PG" in mat.stdout
    dundee = cli("progress", DEMO, "--adp", "dundee", "--format", "csv", "--as-of", AS_OF)
    rows = list(csv.DictReader(io.StringIO(dundee.stdout)))
    assert {r["area"] for r in rows} == {"scotland", "dundee-city"}
    assert cli("progress", DEMO, "--target", "nope").exit_code == 1
    assert cli("progress", DEMO, "--adp", "Nowhere").exit_code == 1


def test_progress_leaves_invalid_files_out(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """An invalid return is left out of progress, and the output says so."""
    (tmp_path / "bad.csv").write_bytes((INVALID / "ost-total-mismatch.csv").read_bytes())
    (tmp_path / "mat.csv").write_bytes((FIXTURES / "valid" / "mat.csv").read_bytes())
    result = cli("progress", tmp_path)
    assert result.exit_code == 0
    assert "bad.csv was left out" in " ".join(result.stdout.split())


def test_a_file_left_out_whose_adp_cannot_be_read_is_said_to_be_nobodys_known(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path
) -> None:
    """Its ADP's row reads `no return` (whose it is cannot be known), so the note says why: no
    row names an ADP that could be read. A file whose ADP reads but whose periods do not is
    not said to be so."""
    (tmp_path / "glasgo.csv").write_bytes((INVALID / "ost-unknown-adp.csv").read_bytes())
    (tmp_path / "period.csv").write_bytes((INVALID / "ost-bad-period.csv").read_bytes())
    said = " ".join(cli("progress", tmp_path).stdout.split())
    assert "glasgo.csv was left out: it has 3 error(s), and no row names an ADP" in said
    assert "period.csv was left out: it has" in said
    assert "period.csv was left out: it has 3 error(s) (run" in said


def test_every_adp_is_listed_when_every_file_of_a_kind_is_left_out(tmp_path: Path) -> None:
    """Found by an attack: the national deaths file sent twice (both refused, the same keys in
    two files) left the by-ADP table empty, where one ADP's refused file reads `no valid
    return`. Every ADP is listed: `no valid return` where a refused file held its rows."""
    import mission

    deaths = (DEMO / "deaths.csv").read_text()
    (tmp_path / "deaths.csv").write_text(deaths)
    (tmp_path / "deaths-again.csv").write_text(deaths)
    fife = "adp,calendar_year,drug_misuse_deaths\nFife,2023,x\n"
    (tmp_path / "ost.csv").write_bytes((DEMO / "ost.csv").read_bytes())
    result = mission.progress(mission.load_returns(tmp_path), as_of=AS_OF)
    table = result.target("deaths")
    assert table.status.value == "no_data"
    assert {a.gap for a in table.adps} == {"no valid return"} and len(table.adps) == 30
    assert all(a.status.value == "no_data" and a.target_value is None for a in table.adps)
    # One ADP's own refused deaths file, alone: the others sent none of the kind.
    (tmp_path / "deaths.csv").write_text(fife)
    (tmp_path / "deaths-again.csv").unlink()
    gaps = {
        a.name: a.gap
        for a in mission.progress(mission.load_returns(tmp_path)).target("deaths").adps
    }
    assert gaps["Fife"] == "no valid return" and gaps["Angus"] == "no return"
    # A kind no file holds, valid or not, has no table of ADPs to say it of.
    assert mission.progress(mission.load_returns(tmp_path)).target("rehab").adps == ()


def test_an_adp_whose_file_was_left_out_is_not_said_to_be_missing(tmp_path: Path) -> None:
    """Found by a newcomer: one bad total in Fife's file left it out, and Scotland's figure then
    said `Fife, Shetland missing`, and every other ADP `no target` with no word of why. Fife
    sent a return: it is `no valid return` beside Scotland's figure (`Coverage.refused`), and
    the local targets say which ADP's figure they lack to be shared out."""
    import mission

    lines = (DEMO / "ost.csv").read_text().splitlines()
    fife = [line for line in lines[1:] if line.startswith("Fife,")]
    (tmp_path / "ost.csv").write_text(
        "\n".join(l for l in lines if not l.startswith("Fife,")) + "\n"
    )
    bad = [fife[0].rsplit(",", 1)[0] + ",99999", *fife[1:]]
    (tmp_path / "ost-fife.csv").write_text(lines[0] + "\n" + "\n".join(bad) + "\n")
    ost = mission.progress(mission.load_returns(tmp_path), as_of=AS_OF).target("ost")
    latest = ost.series[-1].coverage
    assert (latest.missing, latest.refused) == (("Shetland",), ("Fife",))
    angus = next(a for a in ost.adps if a.name == "Angus")
    assert angus.status.value == "no_target"
    assert angus.target_source.endswith("and not every ADP has one (Fife: no valid return)")
    said = " ".join(cli_text(tmp_path))
    assert "Shetland missing; Fife: no valid return" in said


def cli_text(folder: Path) -> list[str]:
    from typer.testing import CliRunner

    from mission.cli.app import app

    return CliRunner().invoke(app, ["progress", str(folder), "--target", "ost"]).stdout.split()


def test_report_command_writes_html_and_markdown(cli, demo_report: Made) -> None:  # type: ignore[no-untyped-def]
    """`mission report` writes report.html, report.md and charts, and `mission audit` passes it
    (the shared `mission report fixtures/demo -o OUT --as-of 2026-11-25`, read only)."""
    assert demo_report.exit_code == 0, demo_report.output
    out = demo_report.folder
    assert (out / "report.html").stat().st_size > 100_000
    assert (out / "report.md").is_file()
    assert (out / "charts" / "trajectory-rehab.svg").exists()
    assert cli("audit", out).exit_code == 0


def test_report_board_paper_for_one_adp(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`report --adp X` writes that ADP's board paper (HTML, Markdown, charts) and what it
    published, which `mission audit` passes; an unknown ADP is exit 1."""
    out = tmp_path / "paper"
    result = cli("report", FIXTURES / "valid", "--adp", "Glasgow City", "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} >= {
        "glasgow-city.html",
        "glasgow-city.md",
        "published.json",
        "charts",
    }
    assert "## Position on every target" in (out / "glasgow-city.md").read_text()
    assert cli("audit", out).exit_code == 0
    assert cli("report", FIXTURES / "valid", "--adp", "Nowhere", "-o", out).exit_code == 1


def test_progress_workbook_numbers_and_suppression(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`progress --format xlsx -o FILE`: a sheet per target, numbers as numbers, hidden counts
    as the text c, as the report publishes them; without -o it is refused."""
    import openpyxl

    path = tmp_path / "progress.xlsx"
    result = cli("progress", DEMO, "--as-of", AS_OF, "--format", "xlsx", "-o", path)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [
        "about", "ost", "rehab", "naloxone", "mat-1-5", "mat-6-10", "waiting-times", "deaths",
    ]  # fmt: skip
    rows = {r[0]: r for r in book["ost"].iter_rows(values_only=True) if r[0]}
    assert rows["2021/22 Q1"][1] == 29_537
    deaths = {r[0]: r for r in book["deaths"].iter_rows(values_only=True) if r[0]}
    assert deaths["Orkney"][3] == "c"
    assert isinstance(deaths["Fife"][3], int | float)
    assert "SYNTHETIC DATA" in str(book["about"]["A3"].value)
    one = tmp_path / "orkney.xlsx"
    cli("progress", DEMO, "--as-of", AS_OF, "--format", "xlsx", "-o", one, "--adp", "Orkney")
    adps = [r[0] for r in openpyxl.load_workbook(one)["deaths"].iter_rows(values_only=True)]
    assert "Orkney" in adps and "Fife" not in adps
    assert cli("progress", DEMO, "--format", "xlsx").exit_code == 2


def test_measures_formats_equal_library(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """JSON, CSV and Parquet outputs are the library's measures table."""
    path = DEMO / "episodes.csv"
    expected = episode_measures(read_return(path), "board")
    as_json = cli("measures", path, "--by", "board", "--format", "json")
    assert pl.read_json(io.BytesIO(as_json.stdout.encode())).height == expected.height
    out = tmp_path / "m.parquet"
    assert cli("measures", path, "--by", "board", "-f", "parquet", "-o", out).exit_code == 0
    assert pl.read_parquet(out).equals(expected)
    text = cli("measures", path, "--by", "scotland")
    assert "Scotland" in text.stdout
    assert "DEMO0" not in as_json.stdout + text.stdout
    assert cli("measures", path, "-f", "parquet").exit_code == 2


def test_measures_refuses_invalid_episodes(cli) -> None:  # type: ignore[no-untyped-def]
    """Measures from an invalid return would be wrong: it is refused, naming the problem."""
    result = cli("measures", INVALID / "episodes-bad-dates.csv")
    assert result.exit_code == 1
    assert "error" in result.stderr
    assert "SECRET-ID" not in result.output


def test_progress_on_a_narrow_terminal_cuts_no_figure_short(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """On an 80-column terminal the targets table is too wide for its cells to stay whole:
    each target is then shown as a block (heading, then each column's name and value), and
    every figure, period and date is printed in full (rich would squeeze them to `2024-04-…`)."""
    from typer.testing import CliRunner

    from mission.cli.app import app

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("MISSION_RICH", "1")
    result = CliRunner().invoke(app, ["progress", str(DEMO), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert "…" not in result.stdout
    lines = result.stdout.splitlines()
    heading = lines.index("People in community-based opioid substitution therapy")
    # The notes below the targets are lines of text, wrapped by the terminal itself.
    assert max(len(line.rstrip()) for line in lines[: lines.index("", heading + 40)]) <= 80
    block = [line.strip() for line in lines[heading + 1 : heading + 7]]
    assert block[0].split() == ["status", "missed"]
    assert "deadline      2024-04-01" in block
    assert any(line.startswith("target value  32,000") for line in block)


def test_a_table_that_fits_stays_a_table(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from mission.cli.app import app

    monkeypatch.setenv("COLUMNS", "220")
    monkeypatch.setenv("MISSION_RICH", "1")
    result = CliRunner().invoke(app, ["progress", str(DEMO), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert "┃ target " in result.stdout and "2024-04-01 │" in result.stdout


def test_a_long_path_on_a_narrow_terminal_is_folded_never_cut(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """validate's table of files, too wide for 50 columns, shows each file's path in full,
    folded onto more lines where it is longer than the width."""
    import shutil

    from typer.testing import CliRunner

    from mission.cli.app import app

    folder = tmp_path / ("a-folder-with-a-long-name-" * 3)
    folder.mkdir()
    path = folder / "ost-return-for-the-first-quarter.csv"
    shutil.copy(DEMO / "ost.csv", path)
    monkeypatch.setenv("COLUMNS", "50")
    monkeypatch.setenv("MISSION_RICH", "1")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "…" not in result.stdout
    assert str(path) in "".join(line.strip() for line in result.stdout.splitlines())


def test_the_mat_matrix_stays_a_matrix_on_a_narrow_terminal(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Thirty ADPs by ten standards of one or two letters fit 80 columns without the lines
    between columns: drawn so, as a matrix, not as thirty blocks of eleven lines."""
    from typer.testing import CliRunner

    from mission.cli.app import app

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("MISSION_RICH", "1")
    args = ["progress", str(DEMO), "--target", "mat-6-10", "--as-of", AS_OF]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    [header] = [line for line in lines if line.split()[:3] == ["ADP", "1", "2"]]
    assert header.split()[-1] == "10" and len(header.rstrip()) <= 80
    assert any(line.split()[:3] == ["Aberdeen", "City", "G"] for line in lines)
    assert "…" not in result.stdout
