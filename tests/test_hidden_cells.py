"""Hidden rows and columns in a workbook are read as every other row and column is; the officer
is told which, so rows hidden rather than deleted (or filtered out of a national sheet) are never
sent unseen. Blank or notes rows hidden below the data are not told: they are set aside anyway."""

from __future__ import annotations

import io
import itertools
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st

from mission.limits import Limits
from mission.readers.hidden_cells import spans
from mission.readers.workbook import examine
from tests.officer_tools import OST_HEADER, run, validate_findings


def _book(path: Path, rows: list[list[object]], hide_rows: list[int] = (),  # type: ignore[assignment]
          hide_columns: str = "", fife_filter: str = "") -> Path:  # fmt: skip
    """An OST return on sheet 'ost' with rows and columns hidden, and a filter on column A for
    Fife over `fife_filter` (a range) if one is given."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "ost"
    sheet.append(OST_HEADER)
    for row in rows:
        sheet.append(row)
    if fife_filter:
        sheet.auto_filter.ref = fife_filter
        sheet.auto_filter.add_filter_column(0, ["Fife"])
    for number in hide_rows:
        sheet.row_dimensions[number].hidden = True
    for letter in hide_columns:
        sheet.column_dimensions[letter].hidden = True
    book.save(path)
    return path


def _quarters(adp: str, year: int, n: int) -> list[list[object]]:
    return [[adp, f"{year}/{(year + 1) % 100:02d} Q{q}", 100, 20, 5, 0, 0, 125] for q in range(1, n + 1)]  # fmt: skip


def test_last_years_rows_hidden_above_this_years_are_named(tmp_path: Path) -> None:
    path = _book(tmp_path / "ost.xlsx", _quarters("Fife", 2022, 4) + _quarters("Fife", 2023, 2),
                 hide_rows=[2, 3, 4, 5])  # fmt: skip
    result, findings = validate_findings(path)
    assert result.exit_code == 1  # an error: the rows would be sent unseen
    told = [f for f in findings if f["code"] == "hidden-rows"]
    assert len(told) == 1 and told[0]["severity"] == "error" and told[0]["row"] == 2
    assert told[0]["message"].endswith("hidden in Excel, but read as part of the return: rows 2–5")
    assert told[0]["message"].startswith("4 rows of the table are")


def test_hidden_rows_are_told_at_a_cell_of_their_sheet(tmp_path: Path) -> None:
    """Found last session: the finding named rows but no sheet, in a workbook whose return is
    not on its first sheet. Told at the first hidden row's first cell, the sheet is named."""
    book = openpyxl.Workbook()
    cover = book.active
    assert cover is not None
    cover.title = "Cover"
    cover["A1"] = "OST return"
    sheet = book.create_sheet("OST Q2")
    sheet.append(OST_HEADER)
    for row in _quarters("Fife", 2023, 3):
        sheet.append(row)
    sheet.row_dimensions[3].hidden = True
    book.save(tmp_path / "ost.xlsx")
    _, findings = validate_findings(tmp_path / "ost.xlsx")
    told = [f for f in findings if f["code"] == "hidden-rows"]
    assert [(f["sheet"], f["cell"], f["row"]) for f in told] == [("OST Q2", "A3", 3)]


def test_a_stale_quarter_hidden_in_a_return_never_replaces_the_one_in_the_store(
    tmp_path: Path,
) -> None:
    """Found by a newcomer: last quarter's rows, hidden rather than deleted, passed with a
    warning, and `submit` put the stale copy in place of the revision already accepted."""
    store = tmp_path / "store.sqlite"
    revised = tmp_path / "q4-revised.csv"
    revised.write_text(",".join(OST_HEADER) + "\nFife,2023/24 Q4,405,141,92,4,2,644\n")
    assert run("submit", revised, "--store", store).exit_code == 0
    stale = [["Fife", "2023/24 Q4", 400, 140, 90, 4, 2, 636], *_quarters("Fife", 2024, 1)]
    path = _book(tmp_path / "ost-q1.xlsx", stale, hide_rows=[2])
    assert run("submit", path, "--store", store).exit_code == 1
    out = tmp_path / "out.csv"
    assert run("export", "--kind", "ost", "--store", store, "-o", out).exit_code == 0
    assert ",2023/24 Q4,405,141,92,4,2,644" in out.read_text()


def test_rows_a_filter_hides_are_said_to_be_filtered(tmp_path: Path) -> None:
    rows = [["Fife", "2023/24 Q1", 100, 20, 5, 0, 0, 125], ["Moray", "2023/24 Q1", 90, 20, 5, 0, 0, 115],
            ["Fife", "2023/24 Q2", 100, 20, 5, 0, 0, 125], ["Angus", "2023/24 Q1", 80, 20, 5, 0, 0, 105]]  # fmt: skip
    path = _book(tmp_path / "ost.xlsx", rows, hide_rows=[3, 5], fife_filter="A1:H5")
    _, findings = validate_findings(path)
    told = [f["message"] for f in findings if f["code"] == "hidden-rows"]
    assert told == ["2 rows of the table are hidden in Excel (the sheet has a filter on), but "
                    "read as part of the return: rows 3 and 5"]  # fmt: skip


def test_a_hidden_column_of_the_table_is_named_at_its_header(tmp_path: Path) -> None:
    path = _book(tmp_path / "ost.xlsx", _quarters("Fife", 2023, 2), hide_columns="G")
    _, findings = validate_findings(path)
    told = [f for f in findings if f["code"] == "hidden-columns"]
    assert [(f["cell"], f["message"].rsplit(": ", 1)[1]) for f in told] == [("G1", "column G")]


def test_hidden_blank_rows_and_columns_outside_the_table_are_not_told(tmp_path: Path) -> None:
    rows = [*_quarters("Fife", 2023, 2), [None] * 8, [None] * 8]
    path = _book(tmp_path / "ost.xlsx", rows, hide_rows=[4, 5, 40], hide_columns="KZ")
    result, findings = validate_findings(path)
    assert result.exit_code == 0
    assert not [f for f in findings if f["code"].startswith("hidden-")], findings


def test_many_hidden_runs_are_counted_past_the_first_eight(tmp_path: Path) -> None:
    rows = [["Fife", f"{2000 + n // 4}/{(1 + n // 4) % 100:02d} Q{n % 4 + 1}", 1, 1, 1, 0, 0, 3]
            for n in range(40)]  # fmt: skip
    path = _book(tmp_path / "ost.xlsx", rows, hide_rows=list(range(2, 42, 2)))
    _, findings = validate_findings(path)
    (told,) = [f["message"] for f in findings if f["code"] == "hidden-rows"]
    assert told.startswith("20 rows of the table are hidden")
    assert told.endswith("rows 2, 4, 6, 8, 10, 12, 14, 16 and 12 rows more")


def test_both_passes_of_the_guard_note_the_same_layout(tmp_path: Path) -> None:
    """A comment in the rows sends the guard down its element-by-element pass: it notes the
    same hidden rows and columns as the bulk reading."""
    path = _book(tmp_path / "ost.xlsx", _quarters("Fife", 2023, 4), hide_rows=[3, 5],
                 hide_columns="CD")  # fmt: skip
    bulk = examine(path.read_bytes(), lambda names, _: names[:1], Limits()).layout
    data = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(data, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"<sheetData>", b"<sheetData><!-- by hand -->")
            target.writestr(item, content)
    slow = examine(data.getvalue(), lambda names, _: names[:1], Limits()).layout
    assert bulk == slow
    assert bulk.hidden_rows == ((3, 3), (5, 5)) and bulk.hidden_columns == ((2, 2), (3, 3))


@given(st.lists(st.integers(1, 200), unique=True))
def test_spans_cover_exactly_the_numbers(numbers: list[int]) -> None:
    runs = spans(sorted(numbers))
    covered = [n for a, b in runs for n in range(a, b + 1)]
    assert covered == sorted(numbers)
    assert all(start > end + 1 for (_, end), (start, _) in itertools.pairwise(runs))


def _patched(path: Path, old: bytes, new: bytes, element_pass: bool = False) -> bytes:
    """The workbook's bytes with its sheet's XML changed; the element-by-element pass forced."""
    data = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(data, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert old in content, old
                content = content.replace(old, new)
                if element_pass:
                    content = content.replace(b"<sheetData>", b"<sheetData><!-- x -->")
            target.writestr(item, content)
    return data.getvalue()


def _both(path: Path, old: bytes, new: bytes) -> list[object]:
    """The layout each pass of the guard notes, after the change."""
    return [
        examine(_patched(path, old, new, forced), lambda names, _: names[:1], Limits()).layout
        for forced in (False, True)
    ]


def test_odd_numbers_in_hidden_rows_and_columns_are_no_crash_and_read_alike(
    tmp_path: Path,
) -> None:
    """Found by an attack: a superscript digit (which `str.isdigit` takes and `int` refuses)
    crashed both passes; a non-breaking space, a row without `r` or a zero-padded one split
    them, or hid a hidden row. XML's own spaces and ASCII digits only, numbered as the Excel
    library numbers rows."""
    path = _book(tmp_path / "ost.xlsx", _quarters("Fife", 2023, 4), hide_rows=[3],
                 hide_columns="G")  # fmt: skip
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    row = xml[xml.index(b'<row r="3"') : xml.index(b">", xml.index(b'<row r="3"')) + 1]
    column = xml[xml.index(b"<col ") : xml.index(b">", xml.index(b"<col ")) + 1]
    cases = {
        "superscript min": (column, column.replace(b'min="7"', b'min="\xc2\xb2"'), (), ()),
        "no r": (row, row.replace(b' r="3"', b""), ((3, 3),), ((6, 6),)),
        "padded r": (row, row.replace(b'r="3"', b'r="00000003"'), ((3, 3),), ((6, 6),)),
        "nbsp true": (row, row.replace(b'hidden="1"', b'hidden="\xc2\xa01"'), (), ((6, 6),)),
        "prefixed": (row, row.replace(b'hidden="1"', b'x:hidden="1" xmlns:x="urn:x"'), (), ((6, 6),)),
    }  # fmt: skip
    for name, (old, new, rows, columns) in cases.items():
        bulk, slow = _both(path, old, new)
        assert bulk == slow, name
        if columns:
            assert (bulk.hidden_rows, bulk.hidden_columns) == (rows, columns), name
    copy = tmp_path / "no-r.xlsx"
    copy.write_bytes(_patched(path, row, row.replace(b' r="3"', b"")))
    _, findings = validate_findings(copy)
    assert [f["row"] for f in findings if f["code"] == "hidden-rows"] == [3]


def test_hidden_rows_past_the_runs_noted_are_counted_not_dropped(tmp_path: Path) -> None:
    """10,002 runs of one hidden row each: the first 10,000 are looked at, the rest counted."""
    path = tmp_path / "ost.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("ost")
    sheet.write_row(0, 0, OST_HEADER)
    for n in range(1, 20_005):
        sheet.write_row(n, 0, ["Fife", "2023/24 Q1", 1, 1, 1, 0, 0, 3])
        if n % 2:
            sheet.set_row(n, None, None, {"hidden": True})
    book.close()
    _, findings = validate_findings(path)
    (told,) = [f["message"] for f in findings if f["code"] == "hidden-rows"]
    assert told.startswith("10,000 rows of the table are hidden")
    assert told.endswith("and 9,992 rows more (and 2 hidden rows more, not looked at)")


def test_a_row_of_no_height_is_hidden_too(tmp_path: Path) -> None:
    """Found by an attack: a row written with height 0 and no `hidden` flag is as unseen as a
    hidden one, and its stale quarter reached the store. Both passes of the guard note it."""
    path = _book(tmp_path / "ost.xlsx", _quarters("Fife", 2023, 3))
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    row = xml[xml.index(b'<row r="3"') : xml.index(b">", xml.index(b'<row r="3"'))]
    flat = row + b' ht="0" customHeight="1"'
    bulk, slow = _both(path, row, flat)
    assert bulk == slow and bulk.hidden_rows == ((3, 3),)
    copy = tmp_path / "flat.xlsx"
    copy.write_bytes(_patched(path, row, flat))
    result, findings = validate_findings(copy)
    assert result.exit_code == 1
    assert [f["row"] for f in findings if f["code"] == "hidden-rows"] == [3]


@pytest.mark.parametrize(
    ("height", "hidden"),
    [
        ("0e0", True),
        ("0E-3", True),
        ("-0", True),
        ("+0", True),
        ("+0.0e+2", True),
        ("0.01", True),
        (".5", True),
        ("0.75", True),
        ("5e-1", True),
        ("1E-5", True),
        ("9.9e-1", True),
        (".5e0", True),
        ("10e-1", False),
        ("1e0", False),
        (" 0 ", True),
        ("1", False),
        ("1.0", False),
        ("15", False),
        ("10e0", False),
        ("0.5e1", False),
    ],
)
def test_a_row_under_a_point_high_however_written_is_hidden(
    tmp_path: Path, height: str, hidden: bool
) -> None:
    """Found by an attack: a row of height `-0`, `0e0` or `0.01` (zero as XML writes numbers,
    or less than a pixel) was read unseen, and its stale quarter replaced the store's. Both
    passes of the guard note such a row, and only such a row."""
    path = _book(tmp_path / "ost.xlsx", _quarters("Fife", 2023, 3))
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    row = xml[xml.index(b'<row r="3"') : xml.index(b">", xml.index(b'<row r="3"'))]
    flat = row + f' ht="{height}" customHeight="1"'.encode()
    bulk, slow = _both(path, row, flat)
    assert bulk == slow and bulk.hidden_rows == (((3, 3),) if hidden else ())


def test_the_marked_up_copy_shows_the_hidden_rows_and_columns_it_marks(tmp_path: Path) -> None:
    """Found by a newcomer: after `--annotate`, the hidden row that blocked the return stayed
    hidden in the copy, its mark unseen. The copy now shows the table's hidden rows (of no
    height too) and columns; the return itself is unchanged."""
    path = _book(tmp_path / "ost.xlsx", _quarters("Fife", 2023, 4), hide_rows=[3], hide_columns="G")
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    row = xml[xml.index(b'<row r="5"') : xml.index(b">", xml.index(b'<row r="5"'))]
    path.write_bytes(_patched(path, row, row + b' ht="0" customHeight="1"'))
    copy = tmp_path / "marked.xlsx"
    assert run("validate", path, "--annotate", copy).exit_code == 1
    sheet = openpyxl.load_workbook(copy)["ost"]
    assert sheet["A3"].comment is not None  # the hidden-rows finding's cell, marked
    shown = [not sheet.row_dimensions[n].hidden and (sheet.row_dimensions[n].height or 15) >= 1
             for n in (3, 5)]  # fmt: skip
    assert shown == [True, True] and not sheet.column_dimensions["G"].hidden
    original = openpyxl.load_workbook(path)["ost"]
    assert original.row_dimensions[3].hidden and original.column_dimensions["G"].hidden


def test_a_column_of_no_width_is_hidden_too(tmp_path: Path) -> None:
    """Found by an attack: a column of width 0 (hidden, as Excel shows it) was not told."""
    path = _book(tmp_path / "ost.xlsx", _quarters("Fife", 2023, 2))
    cols = b'<cols><col min="7" max="7" width="0" customWidth="1"/></cols><sheetData>'
    for element_pass in (False, True):
        path.write_bytes(_patched(path, b"<sheetData>", cols, element_pass))
        _, findings = validate_findings(path)
        assert [f["cell"] for f in findings if f["code"] == "hidden-columns"] == ["G1"]
        path = _book(tmp_path / "ost.xlsx", _quarters("Fife", 2023, 2))
