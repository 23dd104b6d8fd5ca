"""Attack privacy3: person ids (episodes `person_id`) reaching an output by paths the
withholding pass does not see."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mission.cli.app import app

from .officer_tools import EPISODES_HEADER, OST_HEADER

EPISODES = ",".join(EPISODES_HEADER) + "\n"
OST = ",".join(OST_HEADER) + "\n"


def _said(args: list[str]) -> str:
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1), result.output
    return result.output


def test_annotate_never_prints_a_numeric_id_from_a_date_formatted_cell(tmp_path: Path) -> None:
    """A person id typed as a number into a date-formatted person_id cell is never printed by
    `validate --annotate` (openpyxl's warning quoting the cell's raw value is not passed on)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "episodes"
    sheet.append(EPISODES_HEADER)
    sheet.append(["Fife", 1018512345, dt.date(2024, 4, 2), None, "self", "drugs", None])
    sheet["B2"].number_format = "dd/mm/yyyy"  # the officer's column was formatted as dates
    source = tmp_path / "episodes.xlsx"
    book.save(source)
    said = _said(["validate", str(source), "--annotate", str(tmp_path / "copy.xlsx")])
    assert "1018512345" not in said.replace(",", "")


def test_findings_sheet_never_names_a_sheet_named_after_an_id(tmp_path: Path) -> None:
    """The annotated copy's Findings sheet never shows a person id that names the data sheet,
    as every other output withholds it (its `Where` column says the cell alone)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "P-7F3A91C2"
    sheet.append(EPISODES_HEADER)
    sheet.append(["Fife", "P-7F3A91C2", dt.date(2024, 4, 2), None, "selff", "drugs", None])
    source = tmp_path / "episodes.xlsx"
    book.save(source)
    copy = tmp_path / "copy.xlsx"
    said = _said(["validate", str(source), "--annotate", str(copy), "--format", "json"])
    assert "7F3A91C2" not in said  # withheld in the report itself
    findings = openpyxl.load_workbook(copy)["Findings"]
    shown = [str(c.value) for row in findings.iter_rows() for c in row if c.value is not None]
    assert not [text for text in shown if "7F3A91C2" in text], shown


def test_a_period_cell_with_doubled_spaces_never_quotes_the_id(tmp_path: Path) -> None:
    """A person id typed with a doubled space into an OST period cell is withheld from the
    invalid-period message too (the period parser collapses the spaces before quoting it)."""
    (tmp_path / "episodes.csv").write_text(
        EPISODES + "Fife,P 7F3A91C2,2024-04-02,,self,drugs,\n", encoding="utf-8"
    )
    (tmp_path / "ost.csv").write_text(
        OST + "Fife,P  7F3A91C2,1,1,1,1,1,5\n",
        encoding="utf-8",
    )
    said = _said(["validate", str(tmp_path), "--format", "json"])
    assert "7f3a91c2" not in said.lower()


def test_a_population_source_that_is_an_id_of_a_left_out_return_is_not_published(
    tmp_path: Path,
) -> None:
    """A population `source` that is a person id of an episodes return read in the same run is
    never published, even when that episodes return is left out of the report as invalid."""
    fixtures = Path(__file__).resolve().parent.parent / "fixtures" / "valid"
    given = tmp_path / "in"
    given.mkdir()
    (given / "ost.csv").write_text((fixtures / "ost.csv").read_text("utf-8"), encoding="utf-8")
    (given / "population.csv").write_text(
        "adp,calendar_year,population,source\nGlasgow City,2023,631970,John Smith\n",
        encoding="utf-8",
    )
    (given / "episodes.csv").write_text(
        EPISODES
        + "Fife,JOHN SMITH,2024-04-02,,self,drugs,\n"
        + "Fife,P-2,2024-04-03,,selff,drugs,\n",  # one bad row: the file is left out
        encoding="utf-8",
    )
    out = tmp_path / "out"
    said = _said(["report", str(given), "-o", str(out)])
    assert "john smith" not in said.lower()
    leaked = [
        p.name for p in out.rglob("*") if p.is_file() and b"john smith" in p.read_bytes().lower()
    ]
    assert not leaked, leaked


def test_a_zip_part_named_after_an_id_is_never_quoted(tmp_path: Path) -> None:
    """A damaged workbook's message never quotes a part name that is a person id of the run
    (the part's name is the file's own content, like a sheet's)."""
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(EPISODES_HEADER)
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    folder = tmp_path / "run"
    folder.mkdir()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(folder / "ost.xlsx", "w") as out:
        for info in source.infolist():
            out.writestr(info, source.read(info))
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns of the duplicate name
            out.writestr("xl/P-7F3A91C2.xml", b"<x/>")
            out.writestr("xl/P-7F3A91C2.xml", b"<x/>")
    (folder / "episodes.csv").write_text(
        EPISODES + "Fife,P-7F3A91C2,2024-04-02,,self,drugs,\n", encoding="utf-8"
    )
    said = _said(["validate", str(folder), "--format", "json"])
    assert "7f3a91c2" not in said.lower()


def test_a_header_that_is_an_id_is_not_echoed_as_the_column(tmp_path: Path) -> None:
    """An episodes header cell that is a person id (retyped) is withheld from the finding's
    column as well as its value: `column` never echoes it."""
    (tmp_path / "episodes.csv").write_text(
        ",".join(EPISODES_HEADER) + ",Substances\nFife,SUBSTANCES,2024-04-02,,self,drugs,,x\n",
        encoding="utf-8",
    )
    said = _said(["validate", str(tmp_path / "episodes.csv"), "--format", "json"])
    assert "substances" not in said.lower()


def test_submit_withholds_an_id_of_a_superseded_revision_still_in_the_store(
    tmp_path: Path,
) -> None:
    """`submit` withholds a cell that is a person id of any episodes revision the store holds,
    not only of the latest: an id corrected out of a return is still in the store's history."""
    store = str(tmp_path / "s.db")
    first, second, ost = (tmp_path / name for name in ("a", "b", "c"))
    for folder in (first, second, ost):
        folder.mkdir()
    (first / "episodes.csv").write_text(
        EPISODES + "Fife,JOHN SMITH,2024-04-02,,self,drugs,\nFife,P-2,2024-04-03,,self,drugs,\n",
        encoding="utf-8",
    )
    (second / "episodes.csv").write_text(
        EPISODES + "Fife,P-2,2024-04-03,,self,drugs,\n", encoding="utf-8"
    )
    (ost / "ost.csv").write_text(
        OST + "Fife,JOHN SMITH,1,1,1,1,1,5\n",
        encoding="utf-8",
    )
    assert "supersedes" in _said(["submit", str(first), "--store", store]) + _said(
        ["submit", str(second), "--store", store]
    )
    said = _said(["submit", str(ost), "--store", store])
    assert "rejected" in said
    assert "john smith" not in said.lower()


def test_ids_under_a_misnamed_person_id_header_are_still_withheld(tmp_path: Path) -> None:
    """Ids in an episodes column headed `PersonID` (the contract's person_id misnamed: "Did you
    mean 'person_id'?") are person ids all the same: one pasted into another return of the run
    is withheld."""
    (tmp_path / "episodes.csv").write_text(
        "adp,PersonID,referral_date,treatment_start_date,referral_source,substance,"
        "treatment_type\nFife,P-7F3A91C2,2024-04-02,,self,drugs,\n",
        encoding="utf-8",
    )
    (tmp_path / "ost.csv").write_text(
        OST + "Fife,2024/25 Q1,1,1,1,1,P-7F3A91C2,5\n",
        encoding="utf-8",
    )
    said = _said(["validate", str(tmp_path), "--format", "json"])
    assert "7f3a91c2" not in said.lower()


def test_a_withheld_sheet_name_does_not_move_the_marks_to_another_sheet(tmp_path: Path) -> None:
    """When the data sheet's name is withheld (it is a person id), the annotated copy still
    marks the cells on the sheet that was validated, never on the first sheet of the book."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active["A1"] = "Read me"
    sheet = book.create_sheet("P-7F3A91C2")
    sheet.append(EPISODES_HEADER)
    sheet.append(["Fife", "P-7F3A91C2", dt.date(2024, 4, 2), None, "selff", "drugs", None])
    source = tmp_path / "episodes.xlsx"
    book.save(source)
    copy = tmp_path / "copy.xlsx"
    _said(["validate", str(source), "--annotate", str(copy)])
    marked = openpyxl.load_workbook(copy)
    assert marked["P-7F3A91C2"]["E2"].comment is not None
    assert marked["Notes"]["E2"].comment is None


def test_a_parquet_column_name_that_is_an_id_is_not_quoted_from_the_library(
    tmp_path: Path,
) -> None:
    """A Parquet file polars refuses is told in mission's words: the library's message, which
    quotes a column name (here a person id of the run), is never passed on."""
    import polars as pl

    made = tmp_path / "made.parquet"
    pl.DataFrame({"adp": ["Fife"], "AAAAAAAAAA": ["x"], "P-7F3A91C2": ["y"]}).write_parquet(
        made, statistics=False
    )
    folder = tmp_path / "run"
    folder.mkdir()
    # Two columns of one name: the file's own schema, as a stranger's tool may write it.
    (folder / "extract.parquet").write_bytes(
        made.read_bytes().replace(b"AAAAAAAAAA", b"P-7F3A91C2")
    )
    (folder / "episodes.csv").write_text(
        EPISODES + "Fife,P-7F3A91C2,2024-04-02,,self,drugs,\n", encoding="utf-8"
    )
    said = _said(["validate", str(folder), "--format", "json"])
    assert "7f3a91c2" not in said.lower()


def test_a_cell_reference_that_is_an_id_is_never_quoted(tmp_path: Path) -> None:
    """A damaged sheet whose cell reference (`<c r="...">`) is a person id of the run is told
    without quoting the reference."""
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "ost"
    sheet.append(OST_HEADER)
    sheet.append(["Fife", "2024/25 Q1", 1, 1, 1, 1, 1, 5])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    folder = tmp_path / "run"
    folder.mkdir()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(folder / "ost.xlsx", "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'r="H2"', b'r="P-7F3A91C2"')
            out.writestr(info, data)
    (folder / "episodes.csv").write_text(
        EPISODES + "Fife,P-7F3A91C2,2024-04-02,,self,drugs,\n", encoding="utf-8"
    )
    said = _said(["validate", str(folder), "--format", "json"])
    assert "7f3a91c2" not in said.lower()


@pytest.mark.parametrize(
    ("pid", "typed"),
    [("101851234", "101.851.234"), ("482000", "482.000"), ("482100", "482.100")],
)
def test_a_dot_thousands_count_that_is_an_id_is_not_spelled_out_in_the_hint(
    tmp_path: Path, pid: str, typed: str
) -> None:
    """A count cell holding a numeric person id as a European-locale Excel shows it
    (`101.851.234`) is withheld from the words too: "write 101851234" is the id itself."""
    (tmp_path / "episodes.csv").write_text(
        EPISODES + f"Fife,{pid},2024-04-02,,self,drugs,\n", encoding="utf-8"
    )
    (tmp_path / "ost.csv").write_text(
        OST + f"Fife,2024/25 Q1,{typed},1,1,1,1,5\n",
        encoding="utf-8",
    )
    said = _said(["validate", str(tmp_path), "--format", "json"])
    assert pid not in said


@pytest.mark.parametrize(
    ("kind_header", "extra"),
    [
        (EPISODES.rstrip("\n"), "CHI number"),
        (EPISODES.rstrip("\n"), "client_id"),
        (EPISODES.rstrip("\n"), "ClientID"),
        (EPISODES.rstrip("\n"), "NHS Number"),
        (EPISODES.rstrip("\n"), "ID#"),
        (OST.rstrip("\n"), "Person ID"),
    ],
)
def test_ids_in_an_extra_column_headed_as_ids_are_withheld(
    tmp_path: Path, kind_header: str, extra: str
) -> None:
    """A column the contract does not have, headed as holding ids (`CHI number`, `ClientID`),
    holds ids all the same in a return of people's records, and `person_id` however written in
    any return: one pasted into another return of the run is withheld."""
    row = (
        "Fife,P-0000001,2024-04-02,,self,drugs,"
        if kind_header.startswith("adp,person_id")
        else "Fife,2024/25 Q1,1,1,1,1,0,4"
    )
    (tmp_path / "a.csv").write_text(f"{kind_header},{extra}\n{row},X9QZ7RT4KD\n", encoding="utf-8")
    (tmp_path / "ost.csv").write_text(OST + "Fife,2024/25 Q2,1,1,1,1,X9QZ7RT4KD,5\n", "utf-8")
    said = _said(["validate", str(tmp_path), "--format", "json"])
    assert "not-a-count" in said
    assert "x9qz7rt4kd" not in said.lower()


def test_a_row_number_or_a_count_in_a_return_of_figures_is_not_taken_for_ids(
    tmp_path: Path,
) -> None:
    """In a return of figures (OST), a column headed `ID` (row numbers) or `Persons` (a count)
    holds no person ids: a bad count elsewhere in the run that reads as one of its cells is
    still quoted, for the officer to find."""
    (tmp_path / "a.csv").write_text(
        OST.rstrip("\n") + ",ID,Persons\nFife,2024/25 Q1,1,1,1,1,0,4,23,23\n", "utf-8"
    )
    (tmp_path / "ost.csv").write_text(OST + "Angus,2024/25 Q2,1,1,1,1,-23,5\n", "utf-8")
    said = _said(["validate", str(tmp_path), "--format", "json"])
    assert "'-23' is negative" in said


def test_a_column_of_notes_is_not_taken_for_ids(tmp_path: Path) -> None:
    """Only a header that says ids makes a column's cells withheld: a `notes` column of an
    OST return beside a bad count that quotes the same words leaves the count's words shown."""
    (tmp_path / "ost.csv").write_text(
        OST.rstrip("\n") + ",notes\n" + "Fife,2024/25 Q1,1,1,1,1,lots,5,lots\n", "utf-8"
    )
    said = _said(["validate", str(tmp_path / "ost.csv"), "--format", "json"])
    assert "lots" in said


def test_ids_headed_below_a_title_in_a_file_of_no_kind_are_withheld(tmp_path: Path) -> None:
    """A list of clients dropped among the returns (no kind of return: a title, then
    `client_id,name`) holds ids all the same: one pasted into a return of the run is withheld."""
    (tmp_path / "clients.csv").write_text(
        "Client list for Fife\nclient_id,name\nKX4821,someone\n", encoding="utf-8"
    )
    (tmp_path / "ost.csv").write_text(OST + "Fife,2024/25 Q2,1,1,1,1,KX4821,5\n", "utf-8")
    said = _said(["validate", str(tmp_path), "--format", "json"])
    assert "not-a-count" in said
    assert "kx4821" not in said.lower()


def test_a_publication_never_prints_an_id_of_a_column_headed_as_ids(tmp_path: Path) -> None:
    """A valid episodes return with a `client_id` column: a population source that is one of
    those ids is never printed by a publication (as a person_id would not be)."""
    import mission

    folder = tmp_path / "returns"
    folder.mkdir()
    (folder / "episodes.csv").write_text(
        EPISODES.rstrip("\n") + ",client_id\nFife,P-0000001,2024-04-02,,self,drugs,,John Smith\n",
        encoding="utf-8",
    )
    returns = mission.load_returns(folder)
    assert returns.report is not None and returns.report.valid
    [ids] = returns.people_unnamed
    assert "John Smith" in ids.to_series().to_list()
