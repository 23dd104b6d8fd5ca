"""What a newcomer following the README met (helper 61): Excel's date cells in an episodes return
quoted as the dates they show, a date kept as a number told as such, and periods stored as
dates told the quarter they fall in (tests/test_messages.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from mission.validation import validate

from .officer_tools import EPISODES_HEADER

TODAY = dt.date(2026, 11, 25)


def _episodes(tmp_path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "episodes"
    sheet.append(EPISODES_HEADER)
    for row in rows:
        sheet.append(row)
    path = tmp_path / "episodes.xlsx"
    book.save(path)
    return path


def test_excel_date_cells_are_quoted_as_the_dates_they_show(tmp_path: Path) -> None:
    """A start before its referral, both typed as Excel dates, quotes both dates as Excel shows
    them (2024-03-01), as the same return saved as CSV does, not "the value in this cell"."""
    path = _episodes(
        tmp_path,
        [["Fife", "P-1", dt.datetime(2024, 4, 2), dt.datetime(2024, 3, 1), "self", "drugs", "ost"]],
    )
    [found] = [f for f in validate(path, today=TODAY).findings if f.code == "start-before-referral"]
    assert found.message == "treatment started 2024-03-01, before the referral date 2024-04-02"
    assert found.value == "2024-03-01"


def test_a_date_kept_as_a_number_is_told_so_without_its_figures(tmp_path: Path) -> None:
    """A referral date Excel keeps as a number (45443, a cell formatted General) is not a date,
    and the hint says how Excel came to hold it, never quoting the number (it could be an id)."""
    path = _episodes(tmp_path, [["Fife", "P-2", 45443, None, "self", "drugs", None]])
    [found] = [f for f in validate(path, today=TODAY).findings if f.code == "invalid-date"]
    assert found.value is None and "45443" not in found.message
    assert found.hint is not None and "format the cell as a Date" in found.hint
    assert "45443" not in found.hint


def test_a_marked_up_copy_in_the_folder_is_not_read_as_a_second_return(tmp_path: Path) -> None:
    """The copy `--annotate` writes beside the return is passed over when the folder is checked
    or submitted (a warning says why): the return is not its own duplicate across files."""
    import shutil

    from typer.testing import CliRunner

    from mission.cli.app import app

    folder = tmp_path / "returns"
    folder.mkdir()
    source = Path(__file__).resolve().parent.parent / "fixtures" / "valid"
    shutil.copy(source / "ost-excel-title-rows-notes.xlsx", folder / "ost.xlsx")
    runner = CliRunner()
    made = runner.invoke(
        app, ["validate", str(folder / "ost.xlsx"), "--annotate", str(folder / "ost-checked.xlsx")]
    )
    assert made.exit_code == 0, made.output
    checked = runner.invoke(app, ["validate", str(folder), "--format", "json"])
    assert checked.exit_code == 0, checked.output
    assert "duplicate-across-files" not in checked.output
    assert "annotated-copy" in checked.output
    sent = runner.invoke(app, ["submit", str(folder), "--store", str(tmp_path / "s.sqlite")])
    assert "accepted" in sent.output and "returns/ost.xlsx" in sent.output, sent.output
    assert "duplicate-across-files" not in sent.output


def test_printing_the_returns_shows_no_row() -> None:
    """`print(load_returns(...))` counts each kind's rows and shows none of them: an episodes
    row holds a person id (4821 in the demo)."""
    import mission

    returns = mission.load_returns(Path(__file__).resolve().parent.parent / "fixtures" / "demo")
    said = repr(returns)
    assert "episodes: 12,000 rows" in said
    ids = returns.frames[mission.Kind.EPISODES]["person_id"].head(50).to_list()
    assert not [i for i in ids if i in said]


def test_asking_progress_for_a_target_it_has_not_says_which_it_has() -> None:
    """`Progress.target("opioids")` says it is not a target and names the ones there are."""
    import pytest

    import mission

    progress = mission.progress(
        mission.load_returns(Path(__file__).resolve().parent.parent / "fixtures" / "valid")
    )
    with pytest.raises(KeyError, match="'opioids' is not a target: the targets are ost"):
        progress.target("opioids")
    assert progress.target("ost").id == "ost"


def test_a_header_that_holds_a_column_name_is_named_and_suggested(tmp_path: Path) -> None:
    """`Total (people)` and `Client total` hold `total` as a word: the finding quotes the header
    and suggests `total`, as `totl` gets; `Patients` holds none and gets no suggestion."""
    header = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other"
    said = {}
    for name in ("Total (people)", "Client total", "Patients"):
        path = tmp_path / "ost.csv"
        path.write_text(f"{header},{name}\nFife,2024/25 Q1,1,1,1,1,0,4\n", encoding="utf-8")
        [found] = [f for f in validate(path, today=TODAY).findings if f.code == "unknown-column"]
        said[name] = (found.message, found.hint)
    assert said["Total (people)"] == (
        "'Total (people)' is not a column of the ost return; it was ignored",
        "Did you mean 'total'?",
    )
    assert said["Client total"][1] == "Did you mean 'total'?"
    assert said["Patients"][1] == "Delete it if it is not needed."


def test_a_totals_row_is_told_once(tmp_path: Path) -> None:
    """An Excel `Total` row of SUM formulas below the ADPs' rows is one `totals-row` error, not
    one more for each blank cell and each formula Excel never calculated."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "ost"
    sheet.append(["adp", "period", "methadone", "buprenorphine_oral", "buprenorphine_depot",
                  "diamorphine", "other", "total"])  # fmt: skip
    sheet.append(["Fife", "2024/25 Q1", 1, 1, 1, 1, 0, 4])
    sheet.append(["Angus", "2024/25 Q1", 2, 2, 2, 2, 0, 8])
    sheet.append(["Total", None, "=SUM(C2:C3)", "=SUM(D2:D3)", None, None, None, "=SUM(H2:H3)"])
    path = tmp_path / "ost.xlsx"
    book.save(path)
    on_row = [(f.code, f.message) for f in validate(path, today=TODAY).findings if f.row == 4]
    assert on_row == [("totals-row", "'Total' is not an ADP: this looks like a totals row")]


def test_a_kind_is_read_with_its_article() -> None:
    """An OST header under --kind mat is "an ost return's" (it read "a ost")."""
    from typer.testing import CliRunner

    from mission.cli.app import app

    ost = Path(__file__).resolve().parent.parent / "fixtures" / "valid" / "ost.csv"
    result = CliRunner().invoke(app, ["validate", str(ost), "--kind", "mat"])
    assert "the header is an ost return's, but --kind is mat" in result.stdout


def test_progress_says_first_when_files_were_left_out(tmp_path: Path) -> None:
    """One Glasgow OST row beside the demo's national file makes both invalid (the same key in
    two files): `progress` says so on stderr before anything else, and still exits 0."""
    import subprocess
    import sysconfig

    demo = Path(__file__).resolve().parent.parent / "fixtures" / "demo"
    extra = tmp_path / "ost-glasgow.csv"
    extra.write_text(
        "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total\n"
        "Glasgow City,2024/25 Q1,1,1,1,1,0,4\n",
        encoding="utf-8",
    )
    mission = Path(sysconfig.get_path("scripts")) / "mission"
    done = subprocess.run(
        [str(mission), "progress", str(demo), str(extra), "--target", "ost"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith(
        "mission: 2 invalid file(s) left out; their figures are not counted"
    )


def test_a_count_with_spaces_between_thousands_is_told_how_to_write_it(tmp_path: Path) -> None:
    """`1 000` (and `1 000` with a no-break space) is not a count; the hint says to write 1000,
    as `1.000` is told to write 1000 if the dots separate thousands."""
    path = tmp_path / "ost.csv"
    path.write_text(
        "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total\n"
        "Fife,2024/25 Q1,1 000,1,1,1,0,1003\nAngus,2024/25 Q1,2\u00a0000,1,1,1,0,2003\n",
        encoding="utf-8",
    )
    hints = [f.hint for f in validate(path, today=TODAY).findings if f.code == "not-a-count"]
    assert [h.split(".")[0] for h in hints if h] == [
        "If the spaces separate thousands, write 1000",
        "If the spaces separate thousands, write 2000",
    ]
