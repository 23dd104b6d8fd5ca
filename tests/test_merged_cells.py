"""Merged cells among a workbook's rows: Excel shows one value across them, only the first cell
holds it. An officer who merged A3:A5 to write an ADP once beside three quarters is told which
cells are merged and how to unmerge them, beside the blanks they caused; a merged title above
the header, or a merged notes row below the data, is not told."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mission
from mission.findings import column_letter
from mission.limits import Limits
from mission.readers.merged_cells import MergedRange, merged_ranges
from mission.readers.workbook import examine
from tests.officer_tools import OST_HEADER, run, validate_findings, validate_report

ROWS = [
    ["Fife", "2023/24 Q1", 1480, 520, 160, 0, 0, 2160],
    [None, "2023/24 Q2", 1466, 530, 181, 0, 3, 2180],
    [None, "2023/24 Q3", 1470, 531, 180, 0, 2, 2183],
]


def _ost_book(path: Path, merges: list[str], rows: list[list[object]] | None = None) -> Path:
    """An OST return on sheet 'ost' under a merged title row, with `merges` merged."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "ost"
    sheet.append(["Fife ADP: OST return"])
    sheet.append(OST_HEADER)
    for row in rows if rows is not None else ROWS:
        sheet.append(row)
    sheet.append(["Notes: figures are provisional"])
    sheet.merge_cells("A1:H1")
    last = sheet.max_row
    sheet.merge_cells(f"A{last}:H{last}")
    for merge in merges:
        sheet.merge_cells(merge)
    book.save(path)
    return path


def _patched(path: Path, change: dict[bytes, bytes]) -> Path:
    """The workbook with its sheet's XML changed, as a program other than Excel might write it."""
    data = path.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                for old, new in change.items():
                    assert old in content, old
                    content = content.replace(old, new)
            target.writestr(item, content)
    path.write_bytes(out.getvalue())
    return path


def test_an_adp_merged_down_three_rows_is_told_with_how_to_unmerge(tmp_path: Path) -> None:
    path = _ost_book(tmp_path / "ost.xlsx", ["A3:A5"])
    result, findings = validate_findings(path)
    assert result.exit_code == 1
    merged = [f for f in findings if f["code"] == "merged-cells"]
    assert len(merged) == 1, findings
    told = merged[0]
    assert told["severity"] == "warning"
    assert told["cell"] == "A3" and told["row"] == 3 and told["sheet"] == "ost"
    assert "A3:A5 are merged" in told["message"] and "read as blank" in told["message"]
    assert "Unmerge" in told["hint"]
    assert told["value"] is None
    blanks = sorted(f["cell"] for f in findings if f["code"] == "missing-value")
    assert blanks == ["A4", "A5"]


def test_a_merged_title_and_a_merged_notes_row_are_not_told(tmp_path: Path) -> None:
    rows = [["Fife", *row[1:]] for row in ROWS]
    path = _ost_book(tmp_path / "ost.xlsx", [], rows)
    result, findings = validate_findings(path)
    assert result.exit_code == 0, result.output
    assert [f["code"] for f in findings] == ["title-rows-skipped", "notes-block"]


def test_counts_merged_across_two_columns_of_a_row_are_told(tmp_path: Path) -> None:
    rows = [list(row) for row in ROWS]
    rows[0][0] = rows[1][0] = rows[2][0] = "Fife"
    rows[1][5] = None  # the merge leaves diamorphine blank under other's value
    path = _ost_book(tmp_path / "ost.xlsx", ["F4:G4"], rows)
    _, findings = validate_findings(path)
    merged = [f for f in findings if f["code"] == "merged-cells"]
    assert [(f["cell"], "F4:G4" in f["message"]) for f in merged] == [("F4", True)]


def test_values_hidden_under_a_merge_are_said_to_be_read(tmp_path: Path) -> None:
    """Excel clears the cells it merges; a file made otherwise can keep values under the merge
    that Excel does not show, and those are what is read: the words say so."""
    path = _ost_book(tmp_path / "ost.xlsx", [])
    _patched(
        path, {b'<mergeCell ref="A1:H1" />': b'<mergeCell ref="A1:H1" /><mergeCell ref="C3:C4" />'}
    )
    _, findings = validate_findings(path)
    merged = [f for f in findings if f["code"] == "merged-cells"]
    assert len(merged) == 1
    assert "hold values of their own" in merged[0]["message"]


def test_a_merge_of_a_whole_column_is_told_once_and_at_once(tmp_path: Path) -> None:
    path = _ost_book(tmp_path / "ost.xlsx", [])
    _patched(
        path,
        {b'<mergeCell ref="A1:H1" />': b'<mergeCell ref="A1:H1" /><mergeCell ref="A3:A1048576" />'},
    )
    _, findings = validate_findings(path)
    merged = [f for f in findings if f["code"] == "merged-cells"]
    assert [f["cell"] for f in merged] == ["A3"]
    assert "A3:A1048576" in merged[0]["message"]


def test_the_element_by_element_pass_finds_the_same_merges(tmp_path: Path) -> None:
    """A comment in the rows sends the guard down its element-by-element pass; a prefixed
    `mergeCell` is a merge all the same."""
    path = _ost_book(tmp_path / "ost.xlsx", ["A3:A5"])
    plain = examine(path.read_bytes(), lambda names, _: names[:1], Limits()).layout.merged
    _patched(path, {b"<sheetData>": b"<sheetData><!-- made by hand -->"})
    slow = examine(path.read_bytes(), lambda names, _: names[:1], Limits()).layout.merged
    assert sorted(plain) == sorted(slow) == ["A1:H1", "A3:A5", "A6:H6"]


def test_merges_are_told_up_to_the_cap_and_the_rest_counted(tmp_path: Path) -> None:
    rows = [["Fife", f"{2000 + n // 4}/{(1 + n // 4) % 100:02d} Q{n % 4 + 1}", 1, 1, 1, 0, 0, 3]
            for n in range(40)]  # fmt: skip
    merges = [f"C{r}:D{r}" for r in range(3, 43)]
    path = _ost_book(tmp_path / "ost.xlsx", merges, rows)
    report = mission.validate([path], limits=Limits(max_findings_per_code=5))
    told = [f for f in report.findings if f.code == "merged-cells"]
    assert len(told) == 5
    more = [f.message for f in report.findings if f.code == "too-many-findings"]
    assert "35 more merged-cells finding(s) were counted but not listed" in more


def test_a_merge_in_a_return_of_peoples_records_names_cells_only(tmp_path: Path) -> None:
    """Nothing a merged range covers is quoted: a person id under a merge stays unsaid."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "episodes"
    sheet.append(["adp", "person_id", "referral_date", "treatment_start_date",
                  "referral_source", "substance", "treatment_type"])  # fmt: skip
    sheet.append(["Fife", "QX7781", "2024-04-02", "2024-04-10", "gp", "opioids", "ost"])
    sheet.append(["Fife", "QX7782", "2024-04-03", "2024-04-11", "gp", "opioids", "ost"])
    sheet.merge_cells("B2:B3")
    path = tmp_path / "episodes.xlsx"
    book.save(path)
    result = run("validate", path, "-f", "json")
    assert "merged-cells" in result.stdout
    assert "QX778" not in result.output


@given(
    st.integers(1, 1_048_576), st.integers(0, 16_383), st.integers(1, 1_048_576),
    st.integers(0, 16_383), st.booleans(),
)  # fmt: skip
def test_a_merged_range_reads_back_as_its_corners_in_order(
    top: int, left: int, bottom: int, right: int, absolute: bool
) -> None:
    sign = "$" if absolute else ""
    ref = f"{sign}{column_letter(left)}{sign}{top}:{column_letter(right)}{bottom}"
    found = merged_ranges((ref,))
    if (top, left) == (bottom, right):
        assert found == []  # one cell merges nothing
        return
    expected = MergedRange(min(top, bottom), min(left, right), max(top, bottom), max(left, right))
    assert found == [expected]
    assert merged_ranges((expected.reference,)) == [expected]


@pytest.mark.parametrize("ref", ["", "A1", "A0:B2", "1A:B2", "A1:B2:C3", "A1;B2", "AAAA1:B2"])
def test_a_malformed_merge_is_passed_over(ref: str) -> None:
    assert merged_ranges((ref,)) == []


def test_one_range_merged_many_times_is_told_once(tmp_path: Path) -> None:
    """Found by an attack: 10,000 copies of three ranges were told 10,000 times, and took 41 s."""
    path = _ost_book(tmp_path / "ost.xlsx", [])
    copies = b'<mergeCell ref="A3:A5" /><mergeCell ref="A2:XFD1048576" />' * 5_000
    _patched(path, {b'<mergeCell ref="A1:H1" />': b'<mergeCell ref="A1:H1" />' + copies})
    _, findings = validate_findings(path)
    assert sorted(f["cell"] for f in findings if f["code"] == "merged-cells") == ["A2", "A3"]


def test_merged_header_cells_are_told(tmp_path: Path) -> None:
    """Found by an attack: a header merged over B:C blanks C's header; the officer was told of a
    missing column and of values without a header, never why."""
    path = _ost_book(tmp_path / "ost.xlsx", ["B2:C2"], [["Fife", *row[1:]] for row in ROWS])
    _, findings = validate_findings(path)
    merged = [f for f in findings if f["code"] == "merged-cells"]
    assert [(f["cell"], "B2:C2 are merged" in f["message"]) for f in merged] == [("B2", True)]
    assert "read as blank" in merged[0]["message"]


def test_past_a_hundred_merges_are_counted_not_told(tmp_path: Path) -> None:
    rows = [["Fife", f"{2000 + n // 4}/{(1 + n // 4) % 100:02d} Q{n % 4 + 1}", 1, 1, 1, 0, 0, 3]
            for n in range(150)]  # fmt: skip
    path = _ost_book(tmp_path / "ost.xlsx", [f"C{r}:D{r}" for r in range(3, 153)], rows)
    _, findings = validate_findings(path)
    assert len([f for f in findings if f["code"] == "merged-cells"]) == 100
    more = [f["message"] for f in findings if f["code"] == "too-many-findings"]
    assert "50 more merged-cells finding(s) were counted but not listed" in more


def test_merges_past_those_looked_at_are_said_to_be_there(tmp_path: Path) -> None:
    """Past 100,000 distinct merged ranges the guard notes no more: a merge over the data after
    them is not named, but the officer is told that there are ranges not looked at."""
    path = _ost_book(tmp_path / "ost.xlsx", [])
    harmless = b"".join(b'<mergeCell ref="Z%d:AA%d" />' % (n, n) for n in range(10, 100_010))
    _patched(path, {b'<mergeCell ref="A1:H1" />': harmless + b'<mergeCell ref="A3:A5" />'})
    _, findings = validate_findings(path)
    (told,) = [f["message"] for f in findings if f["code"] == "merged-cells"]
    assert told.startswith("the sheet has 2 merged ranges beyond the 100,000 looked at")


def test_a_header_of_two_rows_is_told_as_one_and_its_second_row_set_aside(tmp_path: Path) -> None:
    """Found by a newcomer: the usual officer's layout, `Buprenorphine` merged over `oral` and
    `depot` with the other header cells merged down beside them, gave 21 findings (its second
    row read as data: `adp is required but blank`...) and never named the cause. It is told
    once, `two-row-header`, and the second row is not read as data; a row of figures under
    merges that reach down into it is data still."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "ost"
    top = ["adp", "period", "methadone", "Buprenorphine", None, "diamorphine", "other", "total"]
    sheet.append(top)
    sheet.append([None, None, None, "oral", "depot", None, None, None])
    sheet.append(["Fife", "2023/24 Q1", 1480, 520, 160, 0, 0, 2160])
    sheet.merge_cells("D1:E1")
    for letter in "ABCFGH":
        sheet.merge_cells(f"{letter}1:{letter}2")
    path = tmp_path / "ost.xlsx"
    book.save(path)
    _, findings = validate_findings(path)
    # One finding, for the cause: read as the one row it stands for (`Buprenorphine oral` is
    # buprenorphine_oral), the header leaves no column missing or unknown, no figure under the
    # group told as a stray value to remove, the second row no row of data, no header merge
    # told apart; the row of figures is checked as any other (and is right).
    assert [(f["code"], f["row"], f["cell"], f["severity"]) for f in findings] == [
        ("two-row-header", 2, "D2", "error")
    ]
    assert findings[0]["message"].startswith(
        "the header takes two rows, 1 and 2: the columns under D1 are named in row 2"
    )
    assert "unmerge any merged header cells" in findings[0]["hint"]
    # Figures in the row a header cell is merged down into: a row of data, read as before.
    figures = openpyxl.Workbook()
    sheet = figures.active
    assert sheet is not None
    sheet.title = "ost"
    sheet.append(OST_HEADER)
    sheet.append([None, "2023/24 Q1", 1480, 520, 160, 0, 0, 2160])
    sheet.merge_cells("A1:A2")
    figures.save(path)
    _, findings = validate_findings(path)
    assert "two-row-header" not in {f["code"] for f in findings}
    assert "missing-value" in {f["code"] for f in findings}


def test_a_header_of_two_rows_is_read_as_one_merged_or_not_in_a_workbook_or_a_csv(
    tmp_path: Path,
) -> None:
    """Found by a newcomer: unmerging the header, as `merged-cells` said, lost the finding that
    named the cause (ten errors, one telling the officer to remove their depot figures). The same
    two rows with no merge, and in a CSV, are read as one header; a wrong figure below is told."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "ost"
    sheet.append(["adp", "period", "methadone", "Buprenorphine", None, "diamorphine", "other",
                  "total"])  # fmt: skip
    sheet.append([None, None, None, "oral", "depot", None, None, None])
    sheet.append(["Fife", "2023/24 Q1", 1480, 520, 160, 0, 0, 2161])
    path = tmp_path / "ost.xlsx"
    book.save(path)
    csv = tmp_path / "ost.csv"
    csv.write_text(
        "adp,period,methadone,Buprenorphine,,diamorphine,other,total\n"
        ",,,oral,depot,,,\n"
        "Fife,2023/24 Q1,1480,520,160,0,0,2161\n"
    )
    for made in (path, csv):
        _, findings = validate_findings(made)
        assert [(f["code"], f["row"]) for f in findings] == [
            ("two-row-header", 2),
            ("total-mismatch", 3),
        ], made


def test_a_second_row_naming_no_column_of_the_contracts_is_no_header(tmp_path: Path) -> None:
    """Found by an attack: a notes line under the last columns (`Notes:` under `total`, beside a
    trailing blank header cell) was read as a header's second row, and `total` then missing. A
    second row must name a column of the contract under each group; one naming the contract's
    columns in full is read by those names alone (not `Buprenorphine buprenorphine_oral`)."""
    header = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total"
    notes = tmp_path / "notes.csv"
    notes.write_text(f"{header},\n,,,,,,,Notes:,figures provisional\n"
                     "Fife,2024/25 Q1,100,20,5,0,1,126,\n")  # fmt: skip
    _, findings = validate_findings(notes)
    assert "two-row-header" not in {f["code"] for f in findings}
    full = tmp_path / "full.csv"
    full.write_text(
        "adp,period,methadone,Buprenorphine,,diamorphine,other,total\n"
        ",,,buprenorphine_oral,buprenorphine_depot,,,\n"
        "Fife,2024/25 Q1,100,20,5,0,1,126\n"
    )
    _, findings = validate_findings(full)
    assert [f["code"] for f in findings] == ["two-row-header"]


@pytest.mark.parametrize(
    ("header", "under", "row"),
    [
        # A group of the officer's own beside the contract's (found by an attack: it left the
        # `Buprenorphine` group unread, and real depot figures told as stray values).
        ("adp,period,methadone,Buprenorphine,,diamorphine,other,total,Comments,",
         ",,,oral,depot,,,,internal,external", "Fife,2025/26 Q1,10,1,1,0,0,12,,"),
        # The name each column goes by the other way round: `first` under `Supply`.
        ("adp,period,supply_source,kit_type,Supply,", ",,,,first,repeat",
         "Fife,2025/26 Q1,pharmacy,intranasal,3,4"),
        # The group's name typed over each of its columns, not merged.
        ("adp,period,methadone,Buprenorphine,Buprenorphine,diamorphine,other,total",
         ",,,oral,depot,,,", "Fife,2025/26 Q1,10,1,1,0,0,12"),
    ],
)  # fmt: skip
def test_the_usual_two_row_layouts_are_read(
    tmp_path: Path, header: str, under: str, row: str
) -> None:
    path = tmp_path / "return.csv"
    path.write_text(f"{header}\n{under}\n{row}\n")
    _, findings = validate_findings(path)
    assert [f["code"] for f in findings if f["severity"] == "error"] == ["two-row-header"]


def test_a_column_of_the_contracts_beside_a_blank_header_is_no_group(tmp_path: Path) -> None:
    """Found by an attack: `treatment_type` followed by a blank header was taken for a group,
    and renamed from the row under it (the real column then ignored)."""
    path = tmp_path / "episodes.csv"
    path.write_text(
        "adp,person_id,referral_date,treatment_start_date,referral_source,substance,"
        "treatment_type,\n,,,,,,other,see notes\nFife,P1,2025-04-02,2025-04-03,self,drugs,ost,\n"
    )
    _, findings = validate_findings(path)
    assert "two-row-header" not in {f["code"] for f in findings}
    assert "treatment_type" not in {f["column"] for f in findings if f["code"] == "missing-column"}


def test_a_first_record_under_a_header_cell_merged_down_is_data(tmp_path: Path) -> None:
    """Found by an attack: an episodes header cell merged down over the first record (no number
    in it: ids, dates, codes) set that record aside as the header's second row, and the hint
    said to delete it. With no group name merged across columns above names in the second
    row, there is no header of two rows: the record is read."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "episodes"
    sheet.append(["adp", "person_id", "referral_date", "treatment_start_date", "referral_source",
                  "substance", "treatment_type"])  # fmt: skip
    sheet.append(["Fife", "P-7F3A91C2", "2024-04-02", "2024-04-02", "self", "drugs", "ost"])
    sheet.append(
        ["Fife", "P-19BB02D4", "2024-04-10", "2024-04-29", "police", "drugs", "psychosocial"]
    )
    sheet.merge_cells("G1:G2")
    path = tmp_path / "episodes.xlsx"
    book.save(path)
    _, report = validate_report(path)
    assert "two-row-header" not in {f["code"] for f in report["files"][0]["findings"]}
    assert report["files"][0]["rows"] == 2
