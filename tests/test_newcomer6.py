"""What the sixth newcomer found, pinned: a late revision beside the national file must not turn a
target into "no returns" in silence."""

from __future__ import annotations

import json
import shutil
import subprocess
import sysconfig
from pathlib import Path

from .conftest import FIXTURES

MISSION = str(Path(sysconfig.get_path("scripts")) / "mission")
REVISION = (
    "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total\n"
    "Aberdeen City,2024/25 Q1,815,254,139,0,4,1212\n"
)


def _with_revision(tmp_path: Path) -> Path:
    """The demo returns and a one-row revision of a quarter the national OST file holds: both
    are refused as the same key twice."""
    folder = tmp_path / "returns"
    shutil.copytree(FIXTURES / "demo", folder)
    (folder / "aberdeen-city-ost-revised.csv").write_text(REVISION, encoding="utf-8")
    return folder


def test_report_says_on_the_terminal_that_files_were_left_out(tmp_path: Path) -> None:
    folder = _with_revision(tmp_path)
    done = subprocess.run(
        [MISSION, "report", str(folder), "-o", str(tmp_path / "out"), "--as-of", "2026-11-25"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("mission: 2 invalid file(s) left out; their figures are not")
    page = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "2 ost file(s) left out for errors" in page
    assert "no returns for this target" not in page


def test_a_target_says_which_of_its_files_were_left_out(tmp_path: Path) -> None:
    folder = _with_revision(tmp_path)
    done = subprocess.run(
        [MISSION, "progress", str(folder), "--as-of", "2026-11-25", "-f", "json"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    targets = {t["id"]: t for t in json.loads(done.stdout)["targets"]}
    assert targets["ost"]["notes"][:2] == [
        "2 ost file(s) left out for errors: their figures are not counted here (the notes at "
        "the end name them; `mission validate` says why)",
        "no valid returns for this target",
    ]
    assert not any("left out" in note for note in targets["rehab"]["notes"])


def test_a_row_of_spaces_is_a_blank_row(tmp_path: Path) -> None:
    """A row that looks blank in Excel but holds a space is skipped as a blank row, not told as
    seven required cells left blank."""
    import openpyxl

    from .officer_tools import OST_HEADER, validate_findings

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "ost"
    sheet.append(OST_HEADER)
    sheet.append(["Fife", "2023/24 Q1", 1480, 520, 160, 0, None, 2160])
    sheet.append([" "])
    sheet.append(["Fife", "2023/24 Q2", 1466, 530, 181, 0, 3, 2180])
    book.save(tmp_path / "ost.xlsx")
    (tmp_path / "ost.csv").write_text(
        ",".join(OST_HEADER) + "\nFife,2023/24 Q1,1480,520,160,0,,2160\n ,  ,,,,,,\n"
        "Fife,2023/24 Q2,1466,530,181,0,3,2180\n",
        encoding="utf-8",
    )
    for name in ("ost.xlsx", "ost.csv"):
        result, findings = validate_findings(tmp_path / name)
        assert result.exit_code == 0, result.output
        assert [(f["code"], f["row"]) for f in findings] == [("blank-rows-skipped", 3)]


def test_ctrl_c_while_the_command_line_loads_ends_without_a_traceback() -> None:
    """Ctrl-C while typer is still being imported (a run's first tenth of a second, seconds on a
    busy machine) ends the run as a shell reports a Ctrl-C, without a traceback. The interrupt
    is raised at that very import, every time, rather than sent at a guessed moment."""
    import sys

    program = (
        "import builtins, sys\n"
        "real = builtins.__import__\n"
        "def interrupted(name, *args, **kwargs):\n"
        "    if name == 'typer':\n"
        "        raise KeyboardInterrupt\n"
        "    return real(name, *args, **kwargs)\n"
        "builtins.__import__ = interrupted\n"
        "sys.argv = ['mission', 'validate', 'fixtures/demo']\n"
        "from mission.cli import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert done.returncode == 130, done.stderr
    assert done.stdout == "" and "Traceback" not in done.stderr


def test_a_header_shortened_word_by_word_is_told_the_column_it_means(tmp_path: Path) -> None:
    """`Bup oral`, `bup depot` and `meth` are how officers shorten the medication columns: each
    gets a "did you mean" for the column it shortens."""
    from .officer_tools import validate_findings

    path = tmp_path / "ost.csv"
    path.write_text(
        "adp,period,meth,Bup oral,bup depot,diamorphine,other,total\n"
        "Fife,2023/24 Q1,1480,520,160,0,,2160\n",
        encoding="utf-8",
    )
    _, findings = validate_findings(path)
    hints = {f["value"]: f["hint"] for f in findings if f["code"] == "unknown-column"}
    assert hints == {
        "meth": "Did you mean 'methadone'?",
        "Bup oral": "Did you mean 'buprenorphine_oral'?",
        "bup depot": "Did you mean 'buprenorphine_depot'?",
    }


def test_a_row_begun_with_spaces_in_the_rest_is_still_data(tmp_path: Path) -> None:
    """The last row names an ADP and holds spaces in every other cell: a row the officer began,
    told what it lacks, not set aside as notes (a row of spaces alone is blank, one with text
    and spaces is not)."""
    from .officer_tools import OST_HEADER, validate_findings

    path = tmp_path / "ost.csv"
    path.write_text(
        ",".join(OST_HEADER) + "\nFife,2023/24 Q1,1480,520,160,0,,2160\n"
        "Perth and Kinross, , , , , , , \n",
        encoding="utf-8",
    )
    result, findings = validate_findings(path)
    assert result.exit_code == 1
    told = {(f["code"], f["row"]) for f in findings}
    assert ("missing-value", 3) in told
    assert not any(code == "notes-block" for code, _ in told)
