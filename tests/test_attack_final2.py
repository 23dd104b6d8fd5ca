"""Attacks on the last round of fixes (4e306bc~7..HEAD): CSV stray quotes told at their cell,
headers quoted back only when made of words. Each test states what should hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from mission.cli.app import app

from .officer_tools import validate_findings

OST = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total"
EPISODES = (
    "adp,person_id,referral_date,treatment_start_date,referral_source,substance,treatment_type"
)
FORMATS = ["text", "json", "junit", "github", "sarif", "html"]


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, ["validate", *args])
    assert result.exit_code in (0, 1), (result.exit_code, result.output)
    return result.stdout


def _could_not_read(path: Path) -> dict:
    _, findings = validate_findings(str(path))
    found = [f for f in findings if f["code"] == "could-not-read"]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("fmt", FORMATS)
def test_stray_quote_never_names_a_person_id_from_the_first_row(tmp_path: Path, fmt: str) -> None:
    """An episodes CSV without a header row (its first row is a person's record) must never have
    that row's person id quoted as the 'header' of the column holding a stray quote."""
    path = tmp_path / "episodes.csv"
    path.write_text(
        "Midlothian,QZKXWVBT,2024-04-02,2024-04-02,self,drugs,ost\n"
        'Midlothian,P-00"43,2024-04-02,2024-04-02,self,drugs,ost\n',
        encoding="utf-8",
    )
    output = _run(str(path), "--kind", "episodes", "--format", fmt)
    assert "QZKXWVBT" not in output


@pytest.mark.parametrize("fmt", FORMATS)
def test_letter_and_short_number_person_id_in_a_header_is_never_echoed(
    tmp_path: Path, fmt: str
) -> None:
    """A person id shaped as a letter prefix and a short serial ('P-0042') typed into an episodes
    header cell beside a column's name is never quoted back, as 'P0012345' is not."""
    path = tmp_path / "episodes.csv"
    path.write_text(
        f"{EPISODES},person_id P-0042\n"
        "Midlothian,P-7F3A91C2,2024-04-02,2024-04-02,self,drugs,ost,\n",
        encoding="utf-8",
    )
    output = _run(str(path), "--format", fmt)
    assert "P-0042" not in output


def test_text_after_a_closing_quote_is_told_at_its_cell(tmp_path: Path) -> None:
    """A space typed after a quoted value's closing quote is told as a quote that cannot be read
    at its cell (B3), as it is in a file over 64 KB; never as 'a quote that is never closed'."""
    lines = [OST, "Fife,2023/24 Q1,1,1,1,1,,4", 'Fife,"2023/24 Q2" ,1,1,1,1,,4']
    path = tmp_path / "ost.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    finding = _could_not_read(path)
    assert "never closed" not in finding["message"], finding
    assert (finding["row"], finding["cell"]) == (3, "B3"), finding


def test_unclosed_quote_is_told_at_the_row_excel_shows(tmp_path: Path) -> None:
    """A quote never closed is told at the row Excel shows it on (records, not text lines): a
    quoted line break in an earlier record does not move it."""
    lines = [
        OST,
        '"Glasgow\n\n\nCity",2023/24 Q1,5210,1320,410,30,12,6982',
        "Glasgow City,2023/24 Q2,5150,1345,470,31,10,7006",
        'Glasgow City,2023/24 Q3,5150,1345,470,31,10,"7006',  # Excel row 4, cell H4
        "Glasgow City,2023/24 Q4,5150,1345,470,31,10,7006",
    ]
    path = tmp_path / "ost.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    finding = _could_not_read(path)
    assert finding["row"] == 4, finding
    assert "line 7" not in finding["message"], finding


def test_an_inch_mark_in_a_title_row_does_not_refuse_the_return(tmp_path: Path) -> None:
    """A title row above the header is skipped, as the contract says, even when it holds a quote
    Excel shows as typed (a 5" hub); the return below it is read and is valid."""
    path = tmp_path / "ost.csv"
    path.write_text(
        f'Report for the 5" hub\n{OST}\nGlasgow City,2023/24 Q1,5210,1320,410,30,12,6982\n',
        encoding="utf-8",
    )
    result, findings = validate_findings(str(path))
    assert [f["code"] for f in findings if f["severity"] == "error"] == []
    assert result.exit_code == 0


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_an_inch_mark_in_a_title_row_keeps_the_return_readable_at_any_line_end(
    tmp_path: Path, ending: str
) -> None:
    """Title rows are skipped as lines, whatever the file's line ends: the quote in the second
    title row opens nothing, and the rows keep their numbers (a bad count is told at row 4)."""
    rows = ['Report for the 5" hub', "Quarter 1", OST, "Fife,2023/24 Q1,5,1,4,3,1,1x"]
    path = tmp_path / "ost.csv"
    path.write_bytes(ending.join(rows).encode() + ending.encode())
    _, findings = validate_findings(str(path))
    assert [(f["code"], f["row"]) for f in findings if f["severity"] == "error"] == [
        ("not-a-count", 4)
    ], findings


def test_a_stray_quote_below_an_inch_mark_title_is_told_at_its_own_cell(tmp_path: Path) -> None:
    """With title rows skipped as lines, a stray quote in the rows is told at its row and cell,
    not at the title's inch mark."""
    path = tmp_path / "ost.csv"
    path.write_text(
        f'Report for the 5" hub\n{OST}\nFife,2023/24 Q1,5,1,4,3,1,14\nFife,2023/24 Q2,5,1,4,3"x,1,14\n',
        encoding="utf-8",
    )
    finding = _could_not_read(path)
    assert finding["cell"] == "F4", finding
    assert "(diamorphine)" in finding["message"], finding


def test_a_stray_quote_below_an_accented_title_is_told_at_its_cell_in_a_late_cp1252_file(
    tmp_path: Path,
) -> None:
    """A file valid UTF-8 for its first 64 KB (an accented title row) and Windows-1252 later is
    read again as Windows-1252: a stray quote is still told at its own row and cell (the title
    rows are counted as lines, whatever the text's encoding)."""
    rows = ["Fife,2023/24 Q1,5,1,4,3,1,14" for _ in range(3000)]
    rows[2500] = 'Fife,2023/24 Q1,5,1,4,3"x,1,14'
    text = "Café report — Fife\n" + OST + "\n" + "\n".join(rows) + "\nCaf\xe9,,,,,,,\n"
    path = tmp_path / "ost.csv"
    path.write_bytes(text.encode("utf-8")[:-13] + "Caf\xe9,,,,,,,\n".encode("cp1252"))
    finding = _could_not_read(path)
    assert finding["cell"] == "F2503", finding


def test_a_lone_carriage_return_in_a_title_row_still_finds_the_header(tmp_path: Path) -> None:
    """A title row holding a lone CR in a file of line feeds is one line for polars, two for the
    header search: the lines skipped are counted as polars counts them (line feeds), so the
    header is still the header (skipping two rows used to skip it)."""
    path = tmp_path / "ost.csv"
    path.write_text(
        f"Report\rfor Fife\n{OST}\nFife,2023/24 Q1,5,1,4,3,1,14\n", encoding="utf-8", newline=""
    )
    result, findings = validate_findings(str(path))
    assert [f["code"] for f in findings if f["severity"] == "error"] == [], findings
    assert result.exit_code == 0


def test_stray_quote_names_the_header_of_its_own_column(tmp_path: Path) -> None:
    """Beside a stray quote the header named is the real header of that column: a quoted line
    break in a title row above the header does not make another line pass for the header."""
    path = tmp_path / "ost.csv"
    path.write_text(
        f'"Summary\nperiod, notes",,\n{OST}\nGlas"gow City,2023/24 Q1,5210,1320,410,30,12,6982\n',
        encoding="utf-8",
    )
    finding = _could_not_read(path)
    assert finding["cell"] == "A3", finding  # title = row 1, header = row 2, as in Excel
    assert "(period)" not in finding["message"], finding
