"""Attacks on the CSV reading changes after 74bcfb0 (header read from the first 64 KB, title rows
skipped as lines, a bad quote looked for below the title rows): each test states what should
hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from .officer_tools import validate_findings

OST = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total"
GLASGOW = "Glasgow City,2023/24 Q1,5210,1320,410,30,12,6982"
FIFE = "Fife,2023/24 Q1,1480,520,160,0,,2160"


def _rows(count: int) -> list[str]:
    return [f"Fife,2023/24 Q1,{1000 + i},520,160,0,,{1680 + i}" for i in range(count)]


def _could_not_read(path: Path) -> dict[str, object]:
    _, findings = validate_findings(str(path), "--kind", "ost")
    [finding] = [f for f in findings if f["code"] == "could-not-read"]
    return finding


@pytest.mark.parametrize("title", ["Café report ✓ 2024 – final", "✓" * 20 + ' the 5" hub'])
def test_bad_quote_row_is_right_below_a_non_ascii_title_when_a_late_byte_is_windows_1252(
    tmp_path: Path, title: str
) -> None:
    """A stray quote below a non-ASCII title row (in a file that is UTF-8 for its first 64 KB and
    has a Windows-1252 byte further on) is told at its own row, as it was before 74bcfb0..HEAD;
    the inch mark of a title row (skipped as a line) is never the quote blamed."""
    rows = _rows(2000)
    text = title + "\n" + OST + "\n" + "\n".join(rows) + "\n"
    data = (
        text.encode("utf-8")
        + b'Fife,"2023/24" Q1,1,1,1,1,,5\n'  # row 1 title + 1 header + 2000 rows + 1 = 2003
        + "Fifé,2023/24 Q2,1,1,1,1,,5\n".encode("cp1252")
    )
    assert len(data) > 70_000
    path = tmp_path / "ost.csv"
    path.write_bytes(data)
    finding = _could_not_read(path)
    assert (finding["row"], finding["cell"]) == (2003, "B2003")


def test_bad_quote_row_is_right_below_a_title_in_a_file_with_two_byte_order_marks(
    tmp_path: Path,
) -> None:
    """A value whose quote is never closed (row 4, cell B4) is told there, as before
    74bcfb0..HEAD, when the file starts with two UTF-8 byte order marks and a title row, and
    its header's cells are quoted (as R's write.csv writes them)."""
    header = ",".join(f'"{name}"' for name in OST.split(","))
    text = "Title\n" + header + "\n" + GLASGOW + '\nFife,"2023/24 Q1,1,1,1,1,,5\n'
    path = tmp_path / "ost.csv"
    path.write_bytes(b"\xef\xbb\xbf\xef\xbb\xbf" + text.encode("utf-8"))
    finding = _could_not_read(path)
    assert (finding["row"], finding["cell"]) == (4, "B4")


def test_cr_only_file_with_inch_mark_title_and_a_line_break_in_a_cell_reads_its_rows(
    tmp_path: Path,
) -> None:
    """A 'CSV (Macintosh)' file (lines end in CR) with an inch mark in its title row and a line
    break inside a quoted cell is read as its header and three rows, as when the title has no
    inch mark."""
    lines = [
        'Report for the 5" hub',
        OST,
        GLASGOW,
        '"Fife\nnorth",2023/24 Q1,1480,520,160,0,,2160',
        "Fife,2023/24 Q2,1466,530,181,0,3,2180",
    ]
    path = tmp_path / "ost.csv"
    path.write_bytes(("\r".join(lines) + "\r").encode("utf-8"))
    _, findings = validate_findings(str(path), "--kind", "ost")
    codes = {f["code"] for f in findings}
    assert not codes & {"no-data-rows", "could-not-read", "unknown-column", "missing-column"}
    unknown = [f for f in findings if f["code"] == "unknown-adp"]
    assert [f["row"] for f in unknown] == [4]  # 'Fife\nnorth', nothing else


def test_lf_file_whose_title_row_ends_in_a_lone_cr_reads_the_header_it_found(
    tmp_path: Path,
) -> None:
    """When the header is found at row 2 below a title ending in a lone CR, the table is read
    from that header: the file is an ost return, and Glasgow's row is not taken as the header."""
    path = tmp_path / "ost.csv"
    path.write_bytes(("OST return\r" + OST + "\n" + GLASGOW + "\n" + FIFE + "\n").encode())
    _, findings = validate_findings(str(path))
    assert not [f for f in findings if f["code"] in ("unknown-kind", "could-not-read")]


def test_lf_file_whose_inch_mark_title_ends_in_a_lone_cr_is_read(tmp_path: Path) -> None:
    """An inch mark in a title row ending in a lone CR does not make the file unreadable, nor is
    it blamed on column A (adp) of row 1."""
    path = tmp_path / "ost.csv"
    text = 'Report for the 5" hub\r' + OST + "\n" + GLASGOW + "\n" + FIFE + "\n"
    path.write_bytes(text.encode())
    _, findings = validate_findings(str(path), "--kind", "ost")
    assert not [f for f in findings if f["code"] == "could-not-read"]


def test_unclosed_quote_in_column_a_names_column_a(tmp_path: Path) -> None:
    """A quote opening a value in column A that is never closed is told at cell A<row>, in column
    A (adp), not in a column with no letter named after the last header."""
    path = tmp_path / "ost.csv"
    text = "OST return\n" + OST + "\n" + GLASGOW + '\n"Fife,2023/24 Q1,1480,520,160,0,,2160\n'
    path.write_text(text, encoding="utf-8")
    finding = _could_not_read(path)
    assert finding["cell"] == "A4"
    assert "column A (adp)" in str(finding["message"])
