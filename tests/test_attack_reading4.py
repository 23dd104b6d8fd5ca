"""Attacks on the CSV reader after 74bcfb0 (title rows ending in a lone CR, CR-only detection by
the line ends outside quoted values) and on cross-file keys: each test states what should hold.

A lone CR is a line end for Excel and for Python's `csv` module, but not for polars (which
splits at line feeds only): wherever the reader lets polars see a lone CR that the sniffing
counted as a line end, a record disappears without a finding."""

from __future__ import annotations

from pathlib import Path

from .officer_tools import run, validate_report

OST = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total"
EPISODES = (
    "adp,person_id,referral_date,treatment_start_date,referral_source,substance,treatment_type"
)


def _rows_and_findings(path: Path, *args: object) -> tuple[int, int, list[dict[str, object]]]:
    result, report = validate_report(str(path), *args)
    [file] = report["files"]
    return result.exit_code, file["rows"], file["findings"]


def test_a_data_row_ending_in_a_lone_cr_never_loses_the_next_row_silently(tmp_path: Path) -> None:
    """Three records in a CRLF file whose first row ends in a lone CR (an extra 'notes' column
    last) are three rows, or the file is refused: never two rows, valid, with Angus's row gone."""
    path = tmp_path / "ost.csv"
    path.write_bytes(
        (
            OST + ",notes\r\n"
            "Fife,2024/25 Q1,1000,100,10,1,,1111,checked\r"
            "Angus,2024/25 Q1,500,50,5,0,,555,checked\r\n"
            "Moray,2024/25 Q1,200,20,2,0,,222,ok\r\n"
        ).encode()
    )
    code, rows, findings = _rows_and_findings(path)
    assert rows == 3 or code == 1, (code, rows, [f["code"] for f in findings])


def test_a_lone_cr_in_a_data_row_of_an_lf_file_is_not_accepted_into_the_store(
    tmp_path: Path,
) -> None:
    """`mission submit` of an LF file whose first data row ends in a lone CR stores every
    record (three), or rejects the file: it never accepts it with a row missing."""
    path = tmp_path / "episodes.csv"
    path.write_bytes(
        (
            EPISODES + ",notes\n"
            "Fife,P0012345,2024-04-02,,self,drugs,,first\r"
            "Angus,P0099999,2024-04-02,,self,drugs,,second\n"
            "Angus,P0077777,2024-04-03,,self,drugs,,third\n"
        ).encode()
    )
    result = run("submit", path, "--store", tmp_path / "store.sqlite")
    assert result.exit_code == 1 or "3 row(s)" in result.output, result.output


def test_a_header_row_ending_in_a_lone_cr_keeps_the_first_data_row(tmp_path: Path) -> None:
    """A header ending in a lone CR in a file of line feeds (as a title row ending so already
    is handled) is the header alone: the first record below it is a row, not 6 more header
    cells; three records are three rows."""
    path = tmp_path / "episodes.csv"
    path.write_bytes(
        (
            EPISODES + "\r"
            "Fife,P0012345,2024-04-02,,self,drugs,\n"
            "Angus,P0099999,2024-04-02,,self,drugs,\n"
            "Angus,P0077777,2024-04-03,,self,drugs,\n"
        ).encode()
    )
    code, rows, findings = _rows_and_findings(path)
    assert rows == 3 and not [f for f in findings if f["code"] == "unknown-column"], (
        code,
        rows,
        [(f["code"], f["cell"]) for f in findings],
    )


def test_a_header_ending_in_a_lone_cr_below_a_title_row_keeps_the_first_data_row(
    tmp_path: Path,
) -> None:
    """Below a CRLF title row, a header ending in a lone CR in a CRLF file is followed by
    three rows, as Excel shows them; none is read as header cells."""
    path = tmp_path / "episodes.csv"
    path.write_bytes(
        (
            "Referrals 2024/25\r\n" + EPISODES + "\r"
            "Fife,P0012345,2024-04-02,,self,drugs,\r\n"
            "Angus,P0099999,2024-04-02,,self,drugs,\r\n"
            "Angus,P0077777,2024-04-03,,self,drugs,\r\n"
        ).encode()
    )
    code, rows, findings = _rows_and_findings(path)
    assert rows == 3, (code, rows, [(f["code"], f["cell"]) for f in findings])


def test_lf_title_rows_over_a_cr_only_body_are_not_told_no_data_rows(tmp_path: Path) -> None:
    """Two LF title rows above a 'CSV (Macintosh)' body (CR line ends) of two rows: the rows
    are read (their bad counts told at C4 and C5), never 'no row below the header holds
    data'."""
    path = tmp_path / "ost.csv"
    path.write_bytes(
        (
            "Report one\nReport two\n" + OST + "\r"
            "Fife,2023/24 Q1,abc,1,1,1,,3\r"
            "Angus,2023/24 Q1,def,1,1,1,,3\r"
        ).encode()
    )
    _, _, findings = _rows_and_findings(path, "--kind", "ost")
    told = [(f["code"], f["cell"]) for f in findings]
    assert ("not-a-count", "C4") in told and ("not-a-count", "C5") in told, told
    assert "no-data-rows" not in [f["code"] for f in findings], told


def test_lf_title_rows_over_a_cr_body_never_lose_rows_into_the_header(tmp_path: Path) -> None:
    """Three LF title rows, a header and three rows ending in CR, then one LF row: four rows are
    read (or the file is refused), never a valid return of one row with three rows read as 18
    unknown header cells."""
    path = tmp_path / "episodes.csv"
    path.write_bytes(
        (
            "T1\nT2\nT3\n" + EPISODES + "\r"
            "Fife,P0012345,2024-04-02,,self,drugs,\r"
            "Angus,P0099999,2024-04-02,,self,drugs,\r"
            "Angus,P0077777,2024-04-02,,self,drugs,\n"
            "Fife,P0066666,2024-04-02,,self,drugs,\n"
        ).encode()
    )
    code, rows, findings = _rows_and_findings(path)
    assert rows == 4 or code == 1, (code, rows, [(f["code"], f["cell"]) for f in findings])


def test_a_row_ending_in_a_lone_cr_past_the_first_64kb_keeps_the_next_row(tmp_path: Path) -> None:
    """A lone CR the sniffing never saw (past the first 64 KB) still ends a line, as in Excel:
    the row after it is its own row, not cut off the end of a row polars read as too wide."""
    rows = [f"Fife,2023/24 Q{1 + n % 4},5,1,4,3,1,14,checked" for n in range(3000)]
    body = "\r\n".join(rows[:2900]) + "\r" + "\r\n".join(rows[2900:]) + "\r\n"
    path = tmp_path / "ost.csv"
    path.write_bytes((OST + ",notes\r\n" + body).encode())
    _, rows_read, findings = _rows_and_findings(path)
    assert rows_read == 3000, findings
    assert not [f for f in findings if f["code"] == "extra-cells"], findings
