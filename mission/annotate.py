"""An annotated workbook: the officer's own return back, with every finding at its cell.

A copy of the workbook (or, for a CSV, JSON or Parquet return, a workbook made from it) where each
cell that has a finding is filled — error, warning and note fills that also differ in greyscale:
dark, light, and striped — and carries an Excel comment with the message and the fix; and a first
sheet, "Findings", lists every finding with a link to its cell. Findings about the whole file are
listed there only.

The original is never changed: the copy is written atomically to another path. Person ids stay in
the copy as they were in the officer's own file, but nothing this module writes quotes a cell: it
writes only the findings' messages, fixes and values, which never hold a person id.

openpyxl keeps formulas, formats, validation and other sheets, but not everything a workbook can
hold: what it would lose is found before it loads the file, and said (`AnnotatedWorkbook.lost`).
A workbook is loaded only after the readers' guard has examined it, within a tighter size limit.
"""

from __future__ import annotations

import dataclasses
import io
import re
import warnings
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mission.errors import MissionError
from mission.files import write_with
from mission.findings import Finding, Severity
from mission.kinds import Kind
from mission.limits import Limits
from mission.models import Frozen
from mission.readers import NamedBytes, read_table
from mission.readers.marked_copies import ANNOTATED_COPY

if TYPE_CHECKING:
    import polars as pl

    from mission.readers import Table
    from mission.report import FileReport

__all__ = ["AnnotatedWorkbook", "InvalidAnnotation", "annotate_return", "check_output"]

MAX_UNZIPPED_BYTES = 64 * 1024**2
"""A workbook is opened for annotating only if it inflates to at most this (openpyxl holds every
cell as a Python object: 64 MiB of sheet XML is already a few GB of memory)."""
MAX_CELLS = 1_000_000
"""The most cells a sheet may span to be annotated, or a CSV hold to be made into a workbook
(openpyxl: about 8 s and 400 MB for 700,000 cells)."""
EXCEL_CELL_CHARACTERS = 32_767

_FILLS = {
    # Dark red, amber, and pale blue stripes on white: three severities that read apart in
    # greyscale and on paper too (grey levels about 123, 189 and 235; notes striped in Excel).
    Severity.ERROR: {"patternType": "solid", "fgColor": "D9534F"},
    Severity.WARNING: {"patternType": "solid", "fgColor": "FFC000"},
    Severity.INFO: {"patternType": "lightUp", "fgColor": "9DC3E6", "bgColor": "FFFFFF"},
}
_LABELS = {Severity.ERROR: "Error", Severity.WARNING: "Warning", Severity.INFO: "Note"}
_A1 = re.compile(r"^([A-Z]{1,3})([1-9][0-9]{0,6})$")
_HEADERS = (
    "Severity",
    "Where",
    "Row in your file",
    "Column",
    "Value as typed",
    "What is wrong",
    "How to fix it",
    "Code",
)
_WIDTHS = (10, 16, 17, 22, 24, 60, 60, 24)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# What openpyxl cannot carry into the copy, found by the parts of the workbook that hold it.
_LOST_PARTS = (
    (re.compile(r"^xl/vbaProject\.bin$"), "macros (the copy is always .xlsx)"),
    (re.compile(r"^xl/ctrlProps/"), "form controls and buttons"),
    (re.compile(r"^xl/(slicers|slicerCaches|timelines|timelineCaches)/"), "slicers and timelines"),
    (re.compile(r"^xl/threadedComments/"), "threaded comments (their plain-note copies stay)"),
    (re.compile(r"^xl/(embeddings|activeX)/"), "embedded objects and ActiveX controls"),
)
_LOST_MARKS = (
    (re.compile(r"^xl/drawings/drawing\d+\.xml$"), b"<xdr:sp>", "text boxes and shapes"),
    (re.compile(r"^xl/drawings/drawing\d+\.xml$"), b"<xdr:sp ", "text boxes and shapes"),
    (re.compile(r"^xl/worksheets/sheet\d+\.xml$"), b"sparklineGroup", "sparklines"),
)


class InvalidAnnotation(MissionError, ValueError):
    """An annotated copy cannot be written: the path would overwrite the return, or the return
    is too large to copy.

    Attributes:
        path: the output path asked for.
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        super().__init__(f"cannot write the annotated copy {path}: {reason}")


class AnnotatedWorkbook(Frozen):
    """What `annotate` wrote: where, how many cells it marked, how many findings it listed, and
    what the copy could not keep from the original."""

    path: str
    marked_cells: int
    listed: int
    lost: tuple[str, ...] = ()


def check_output(source: Path | str | NamedBytes, output: Path | str) -> Path:
    """The output path, refused if it is the return itself, a folder, or not an .xlsx name.

    Raises:
        InvalidAnnotation: the copy cannot be written there.
    """
    target = Path(output)
    if target.suffix.lower() != ".xlsx":
        raise InvalidAnnotation(str(output), "give a file name ending in .xlsx")
    if target.is_dir():
        raise InvalidAnnotation(str(output), "it is a folder; give a file name")
    if isinstance(source, NamedBytes):
        return target
    original = Path(source)
    same = target.resolve() == original.resolve()
    if not same and target.exists() and original.exists():
        same = target.samefile(original)
    if same:
        raise InvalidAnnotation(
            str(output), "that is the return itself, which is never changed; give another name"
        )
    return target


def annotate_return(
    source: Path | str | NamedBytes,
    report: FileReport,
    output: Path | str,
    *,
    kind: Kind | None = None,
    limits: Limits | None = None,
) -> AnnotatedWorkbook:
    """Write a copy of the return at `source` to `output` (atomically) with `report`'s findings
    marked at their cells and listed on a first sheet, "Findings".

    Args:
        source: the return that was validated.
        report: its report (`Report.files[0]` when one file was validated).
        output: the .xlsx to write; never the return itself.
        kind: the kind the return was validated as, if given.
        limits: resource limits for reading the return again.

    Raises:
        InvalidAnnotation: `output` is the return itself, or the return is too large to copy.
    """
    import openpyxl

    target = check_output(source, output)
    limits = limits or Limits()
    lost: list[str] = []
    book: Any = None
    sheet: str | None = None
    offset = 0
    if report.format == "xlsx":
        data = source.data if isinstance(source, NamedBytes) else _read(Path(source), limits)
        sheets = _read_sheets(data, report, kind, limits)
        book, lost = _open_workbook(data, sheets, limits, str(output))
        if book is not None:
            hidden = frozenset(w.title for w in book.worksheets if w.sheet_state != "visible")
            sheet = _chosen(tuple(book.sheetnames), hidden, sheets)
            _unhide(book[sheet], {f.code for f in report.findings})
    else:
        table = read_table(source, kind, limits)
        if table.frame is not None:
            book = openpyxl.Workbook()
            offset = _fill_from_table(book, table, report, str(output))
            sheet = book.active.title
    if book is None:  # nothing readable to copy: the findings alone
        book = openpyxl.Workbook()
        book.remove(book.active)
    marked = _mark_cells(book, sheet, report.findings, offset)
    _findings_sheet(book, sheet, report, offset)
    _calculate_on_open(book)
    _mark_as_copy(book)
    book.template = False  # always a workbook (.xlsx), whatever the original was
    write_with(target, lambda temporary: book.save(str(temporary)))
    return AnnotatedWorkbook(
        path=str(target), marked_cells=marked, listed=len(report.findings), lost=tuple(lost)
    )


def _unhide(worksheet: Any, codes: set[str]) -> None:
    """Rows and columns the return hides (`hidden-rows`, `hidden-columns`) shown in the copy: an
    officer fixing it must see what is read, and a hidden row's marks would be unseen too."""
    if "hidden-rows" in codes:
        for row in worksheet.row_dimensions.values():
            if row.hidden or (row.height is not None and row.height < 1):
                row.hidden, row.height = False, None
    if "hidden-columns" in codes:
        for column in worksheet.column_dimensions.values():
            column.hidden = False


def _mark_as_copy(book: Any) -> None:
    """Say in the workbook's own properties that it is a marked-up copy (`ANNOTATED_COPY`): a
    check of the folder it is saved in then passes it over, as not a return."""
    from openpyxl.packaging.custom import StringProperty

    props = book.custom_doc_props
    if ANNOTATED_COPY not in props.names:
        props.append(StringProperty(name=ANNOTATED_COPY, value="mission validate --annotate"))


def _calculate_on_open(book: Any) -> None:
    """Formulas lose their saved values in the copy: Excel works them out again on opening."""
    from openpyxl.workbook.properties import CalcProperties

    if book.calculation is None:
        book.calculation = CalcProperties()
    book.calculation.fullCalcOnLoad = True


def _read(path: Path, limits: Limits) -> bytes:
    with path.open("rb") as stream:
        return stream.read(limits.max_file_bytes + 1)


# --- the officer's own workbook ----------------------------------------------------------------


def _read_sheets(data: bytes, report: FileReport, kind: Kind | None, limits: Limits) -> set[str]:
    """The sheets validation read: as the findings name them, or, when none does (a sheet's
    name withheld, or no finding at a cell), as the reader chooses again."""
    sheets = {f.sheet for f in report.findings if f.sheet}
    if sheets:
        return sheets
    chosen = read_table(NamedBytes("return.xlsx", data), kind, limits).sheet
    return {chosen} if chosen else set()


def _open_workbook(
    data: bytes, sheets: set[str], limits: Limits, output: str
) -> tuple[Any, list[str]]:
    """The workbook loaded by openpyxl, and what the copy will lose; (None, [...]) when the
    readers could not read it (then the copy holds the findings alone)."""
    import openpyxl

    from mission.readers.table import Unreadable
    from mission.readers.workbook import examine

    if len(data) > limits.max_file_bytes:
        return None, ["the workbook itself: it is over the file size limit"]
    tight = dataclasses.replace(
        limits, max_unzipped_bytes=min(limits.max_unzipped_bytes, MAX_UNZIPPED_BYTES)
    )
    try:
        examined = examine(data, lambda names, hidden: (_chosen(names, hidden, sheets),), tight)
        lost = _what_is_lost(data)
    except (Unreadable, zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None, ["the workbook itself: mission could not read it, so the copy lists findings"]
    extent = examined.extent
    if extent is not None and extent.rows * extent.columns > MAX_CELLS:
        raise InvalidAnnotation(
            output,
            f"the sheet spans {extent.rows:,} rows by {extent.columns:,} columns, more than "
            f"{MAX_CELLS:,} cells; use --format html for the findings instead",
        )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), rich_text=True)
        except Exception:  # a stranger's file openpyxl cannot parse: list the findings alone
            return None, ["the workbook itself: openpyxl could not open it"]
    for warning in caught:
        said = _feature(str(warning.message))
        if said not in lost:
            lost.append(said)
    return book, lost


_FEATURE = re.compile(r"([A-Za-z][A-Za-z ]{0,40}) is not supported")


def _feature(message: str) -> str:
    """What openpyxl says it drops, as a feature's name (`Data Validation extension`); any
    other warning in its own words could quote a cell or a name from the file (a person id in
    a date-formatted cell), so it is said in mission's words instead."""
    found = _FEATURE.fullmatch(message.split(" and will be removed", 1)[0].strip())
    return found.group(1) if found else "some of the workbook's contents openpyxl cannot keep"


def _chosen(names: tuple[str, ...], hidden: frozenset[str], sheets: set[str]) -> str:
    """The sheet the findings are on (the one validation read), else the first visible one
    (never a hidden sheet validation passed over: its name may be an id it holds)."""
    visible = [n for n in names if n not in hidden] or list(names)
    return next((n for n in names if n in sheets), visible[0])


def _what_is_lost(data: bytes) -> list[str]:
    """What the workbook holds that openpyxl drops, from its parts (read a little of each).

    Raises:
        Unreadable: a part declares a document type (entities), which Excel never writes.
    """
    from mission.readers.table import Unreadable

    lost: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            lost += [said for pattern, said in _LOST_PARTS if pattern.search(name)]
            if not name.endswith((".xml", ".rels", ".vml")):
                continue
            with archive.open(name) as stream:
                head = stream.read(1 << 16)
            if b"<!DOCTYPE" in head.upper():
                raise Unreadable(f"the part {name!r} declares a document type")
            lost += [said for p, mark, said in _LOST_MARKS if p.search(name) and mark in head]
    return list(dict.fromkeys(lost))


# --- a workbook made from a CSV, JSON or Parquet return -------------------------------------------


def _fill_from_table(book: Any, table: Table, report: FileReport, output: str) -> int:
    """Write the return's header and rows where the findings place them; the row offset.

    A CSV's rows keep their numbers (the header stays on its row); a JSON or Parquet return
    numbers its records from 1, so its header goes on row 1 and every record one row down.
    """
    sheet = book.active
    sheet.title = report.kind or "return"
    frame = table.frame
    if frame is None:
        return 0
    offset = 0 if table.header_row else 1
    header_row = table.header_row or 1
    if frame.height * max(len(table.headers), 1) > MAX_CELLS or frame.height > 1_048_575:
        raise InvalidAnnotation(
            output,
            f"the return has {frame.height:,} rows of {len(table.headers)} columns, "
            f"{frame.height * max(len(table.headers), 1):,} cells: an annotated copy holds at "
            f"most {MAX_CELLS:,} cells (and Excel 1,048,576 rows); use --format html for the "
            "findings instead",
        )
    numbers = [_column_number(table.letter(i)) for i in range(len(table.headers))]
    widths = [len(h) for h in table.headers]
    for number, text in zip(numbers, table.headers, strict=True):
        _text(sheet.cell(header_row, number), text).font = _bold()
    _write_cells(sheet, frame, numbers, widths, offset)
    for number, width in zip(numbers, widths, strict=True):
        sheet.column_dimensions[_letters(number)].width = min(max(width + 2, 8), 45)
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    _print_wide(sheet)
    return offset


def _write_cells(
    sheet: Any, frame: pl.DataFrame, numbers: list[int], widths: list[int], offset: int
) -> None:
    """Every non-empty cell of the return at its place; `widths` grows to the widest value."""
    columns = [f"c{i}" for i in range(len(numbers))]
    for row in frame.select("__row", *columns).iter_rows():
        for index, (number, value) in enumerate(zip(numbers, row[1:], strict=True)):
            if value is not None and str(value) != "":
                _typed(sheet.cell(int(row[0]) + offset, number), str(value))
                widths[index] = max(widths[index], len(str(value)))


_WHOLE = re.compile(r"-?(?:0|[1-9][0-9]{0,14})")
"""A whole number Excel holds exactly (15 digits) and shows as typed: no sign, zeros or spaces
that it would drop (`+5`, `007`, ` 5` stay text)."""


def _typed(cell: Any, text: str) -> Any:
    """A cell of a text return (CSV, JSON) as Excel would hold it: a whole number as a number
    (a count is then summed and not flagged "number stored as text"); anything else as text."""
    if _WHOLE.fullmatch(text):
        cell.value = int(text)
        return cell
    return _text(cell, text)


# --- marking cells and listing findings -------------------------------------------------------


def _mark_cells(book: Any, sheet: str | None, findings: Sequence[Finding], offset: int) -> int:
    """Fill and comment each cell that has findings; the number of cells marked.

    A finding inside merged cells marks the merged range's top-left cell (the only one that
    can hold a comment), and its comment names the cell the finding is about.
    """
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    by_cell: dict[tuple[str, str], list[tuple[Finding, str]]] = {}
    for f in findings:
        where = _where(sheet, f, offset)
        if where is not None:
            anchor, words = _anchor(book[where[0]], where[1], _comment_text(f))
            by_cell.setdefault((where[0], anchor), []).append((f, words))
    for (sheet_name, reference), found in by_cell.items():
        cell = book[sheet_name][reference]
        worst = min((f.severity for f, _ in found), key=lambda s: s.rank)
        cell.fill = PatternFill(**_FILLS[worst])
        words = "\n\n".join(text for _, text in found)
        if cell.comment is not None and cell.comment.text:
            words = f"{cell.comment.text}\n\n{words}"
        comment = Comment(words[:EXCEL_CELL_CHARACTERS], "mission")
        comment.width = 360
        comment.height = min(60 + 16 * words.count("\n") + 16 * (len(words) // 50), 600)
        cell.comment = comment
    return len(by_cell)


def _anchor(worksheet: Any, reference: str, words: str) -> tuple[str, str]:
    """The cell that can carry a finding at `reference`, and its comment's words: the cell
    itself, or the top-left cell of the merged range it lies in (merged cells take no comment)."""
    from openpyxl.cell.cell import MergedCell

    if not isinstance(worksheet[reference], MergedCell):
        return reference, words
    for merged in worksheet.merged_cells.ranges:
        if reference in merged:
            start = merged.start_cell.coordinate
            return start, f"At {reference} (merged into {merged.coord}): {words}"
    return reference, words


def _where(sheet: str | None, f: Finding, offset: int) -> tuple[str, str] | None:
    """The sheet and cell a finding marks in the copy, or None (file-level, or not there)."""
    if sheet is None or not f.cell or f.sheet not in (None, sheet):
        return None
    match = _A1.match(f.cell.strip().upper())
    if match is None:
        return None
    return sheet, f"{match[1]}{int(match[2]) + offset}"


def _comment_text(f: Finding) -> str:
    fix = f"\nFix: {f.hint}" if f.hint else ""
    return f"{_LABELS[f.severity]} ({f.code}): {f.message}{fix}"


def _findings_sheet(book: Any, sheet_name: str | None, report: FileReport, offset: int) -> None:
    """The first sheet: a summary line, then one row per finding with a link to its cell."""
    sheet = book.create_sheet(_free_name(book, "Findings"), 0)
    verdict = "valid" if report.valid else "not valid"
    guide = (
        " Each marked cell has a comment with the fix; the links in column B go to it."
        if report.findings
        else " Nothing to fix."
    )
    _text(
        sheet.cell(1, 1),
        f"{report.path}: {verdict} — {report.errors} error(s), {report.warnings} warning(s), "
        f"{report.infos} note(s).{guide}",
    ).font = _bold()
    for column, (title, width) in enumerate(zip(_HEADERS, _WIDTHS, strict=True), start=1):
        _text(sheet.cell(3, column), title).font = _bold()
        sheet.column_dimensions[_letters(column)].width = width
    # A workbook's sheet is named by the officer: said as the finding says it (not when it may
    # be an id); a CSV or JSON return's copy is on a sheet mission named after the kind.
    ours = report.format != "xlsx"
    for row, f in enumerate(report.findings, start=4):
        where = _link_target(sheet_name, f, offset)
        said = where[0] if where is not None and ours else f.sheet
        _finding_row(sheet, row, f, where, said)
    sheet.freeze_panes = "A4"
    _print_wide(sheet)
    if report.findings:
        sheet.auto_filter.ref = f"A3:H{len(report.findings) + 3}"
    for worksheet in book.worksheets:
        worksheet.sheet_view.tabSelected = False
    sheet.sheet_view.tabSelected = True
    book.active = 0


def _link_target(sheet: str | None, f: Finding, offset: int) -> tuple[str, str] | None:
    """Where a finding's link goes: its cell, else the start of its row, else nowhere."""
    where = _where(sheet, f, offset)
    if where is None and f.row and sheet is not None and f.sheet in (None, sheet):
        return sheet, f"A{f.row + offset}"  # a row, not one cell: go to its start
    return where


def _finding_row(
    sheet: Any, row: int, f: Finding, where: tuple[str, str] | None, said: str | None
) -> None:
    """One finding on the Findings sheet: severity, link, row, column, value, message, fix."""
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    values = [
        _LABELS[f.severity],
        _label(where, f, said),
        "" if f.row is None else str(f.row),
        f.column or "",
        f.value or "",
        f.message,
        f.hint or "",
        f.code,
    ]
    for column, value in enumerate(values, start=1):
        cell = _text(sheet.cell(row, column), value)
        cell.alignment = Alignment(wrap_text=column >= 5, vertical="top")
    # Not every spreadsheet grows a row to fit wrapped text: give it the height it needs.
    lines = max(-(-len(v) // int(w * 1.2)) for v, w in zip(values, _WIDTHS, strict=True))
    sheet.row_dimensions[row].height = 15 * max(lines, 1)
    sheet.cell(row, 1).fill = PatternFill(**_FILLS[f.severity])
    if where is not None:
        link = sheet.cell(row, 2)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=_location(*where))
        link.style = "Hyperlink"
        link.alignment = Alignment(vertical="top")


def _print_wide(sheet: Any) -> None:
    """Print a sheet mission made on landscape pages, as wide as the page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _label(where: tuple[str, str] | None, f: Finding, said: str | None) -> str:
    """Where a finding is, in the Findings sheet's words: `ost!H2`, or the cell alone when the
    sheet's name may not be said (the link still goes to it)."""
    if where is None:
        return "whole file" if f.row is None else f"row {f.row}"
    if f.cell:
        return f"{said}!{where[1]}" if said else where[1]
    return f"row {f.row}"


def _location(sheet: str, reference: str) -> str:
    """An in-workbook link target: `'ost'!H2` (a quote in a sheet name doubled)."""
    return "'" + sheet.replace("'", "''") + f"'!{reference}"


def _free_name(book: Any, wanted: str) -> str:
    names = {n.lower() for n in book.sheetnames}
    name, number = wanted, 1
    while name.lower() in names:
        number += 1
        name = f"{wanted} {number}"
    return name


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _text(cell: Any, text: str) -> Any:
    """Write text as text: never a formula (`=...` stays words), illegal characters escaped."""
    value = _ILLEGAL.sub(_escape, text)[:EXCEL_CELL_CHARACTERS]
    cell.value = value
    cell.data_type = "s"
    return cell


def _bold() -> Any:
    from openpyxl.styles import Font

    return Font(bold=True)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _letters(number: int) -> str:
    from mission.findings import column_letter

    return column_letter(number - 1)
