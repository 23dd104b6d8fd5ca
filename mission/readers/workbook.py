"""An .xlsx workbook examined before the Excel library is allowed near it.

The Excel library (calamine, through fastexcel) trusts what a workbook says about itself: it sizes
its grid from the furthest cell reference and reserves room for as many shared strings as the file
declares, and a 1.5 KB file can make it ask for hundreds of gigabytes and abort the process. So:

- every zip member is inflated here first, from its raw deflate stream, counting the bytes that
  actually come out (never the sizes the archive declares), and reading stops at the limit
  (`zips.py`);
- the XML that decides sizes (the workbook, its relationships, the shared-strings table and the
  sheet to be read) is parsed with a real XML parser (expat): namespaces, quoting and whitespace
  are read as XML allows, and a document type declaration (entities) is refused outright;
- the sheet's true extent is taken from every cell that holds something, the way the library will
  count it, and checked against Excel's own bounds and our limits; a shared-strings count larger
  than the strings actually there is refused.

The bulk of a sheet (its rows) and of the shared-strings table is read without a Python call per
element when it is in the forms Excel writes (`bulk.py`: expat still parses the rest of the part,
and a strict grammar must match the whole of the bulk, so no comment, CDATA, prefix or odd
quoting can hide a cell); anything else is read element by element as before, from the first
byte and with the budget as it was, so the bulk reading never changes what is refused or why.

What passes is handed to the library as the very bytes that were checked.
"""

from __future__ import annotations

import dataclasses
import io
import posixpath
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

from mission.findings import column_index, named, sheet_name
from mission.limits import Limits
from mission.readers.bulk import Rows, count_strings, read_rows
from mission.readers.sheet_layout import LayoutNotes, SheetLayout, is_true, row_number
from mission.readers.sheet_limits import (
    EXCEL_MAX_COLUMNS,
    EXCEL_MAX_ROWS,
    check_extent,
    within_limits,
)
from mission.readers.table import Unreadable
from mission.readers.zips import Budget, damaged, inflate, not_a_workbook, zip_members

__all__ = [
    "EXCEL_MAX_COLUMNS",
    "EXCEL_MAX_ROWS",
    "Chooser",
    "Examined",
    "SheetExtent",
    "examine",
    "property_names",
]

_LISTED_FORMULAS = 1_000_000


@dataclass(frozen=True)
class SheetExtent:
    """Where a sheet's cells with content lie (1-based rows, 0-based columns)."""

    first_row: int
    last_row: int
    first_column: int
    last_column: int

    @property
    def rows(self) -> int:
        return self.last_row - self.first_row + 1

    @property
    def columns(self) -> int:
        return self.last_column - self.first_column + 1


@dataclass(frozen=True)
class Examined:
    """A workbook that passed: its sheets, the one chosen, and what its cells hold."""

    sheets: tuple[str, ...]
    sheet: str
    extent: SheetExtent | None
    """None when the sheet holds no cell with content."""
    formulas: tuple[tuple[int, int], ...] = ()
    """(row, column) of formula cells: one that reads as blank has no saved value."""
    errors: tuple[tuple[int, int], ...] = ()
    """(row, column) of cells that hold an Excel error (#DIV/0!, #REF!...)."""
    part: str = ""
    """The zip member that holds the sheet."""
    layout: SheetLayout = field(default_factory=SheetLayout)
    """Merged ranges, hidden rows and columns, a filter: what Excel shows otherwise."""
    alternatives: tuple[Examined, ...] = ()
    """Other sheets examined, in the order they were asked for (see `examine`)."""
    recalculate: bool = False
    """The workbook asks Excel to work every formula out again when it is opened (`calcPr
    fullCalcOnLoad`, as xlsxwriter and pandas write): the values saved with its formulas are
    the writing program's (xlsxwriter's are 0), not what Excel shows. Excel clears the flag once
    it has calculated (ECMA-376: "after load and successful calc, the application shall set this
    value to false"), so a workbook saved from Excel does not carry it."""


# --- XML, parsed for real ----------------------------------------------------------------------


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _parse(
    chunks: Iterator[bytes],
    start: Callable[[str, list[str]], None],
    what: str,
    parser: expat.XMLParserType | None = None,
) -> None:
    """Feed a member to expat (`parser`, else a new one) with `start` called for each element;
    no DTDs, no entities."""
    parser = parser or expat.ParserCreate()
    parser.ordered_attributes = True
    parser.StartElementHandler = start

    def refuse(*_: Any) -> None:
        raise damaged(f"{what} declares a document type, which Excel never writes")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise damaged(
            f"{what} is not well-formed XML: {expat.errors.messages.get(error.code)}"
        ) from error
    except RecursionError as error:
        raise damaged(f"{what} is nested too deeply") from error


def _attributes(attrs: list[str]) -> dict[str, str]:
    """Attributes by local name (`r:id` -> `id`); for several with one local name, the last."""
    return {_local(attrs[i]): attrs[i + 1] for i in range(0, len(attrs), 2)}


@dataclass
class _Book:
    sheets: list[tuple[str, str]] = field(default_factory=list)  # (name, relationship id)
    targets: dict[str, str] = field(default_factory=dict)  # relationship id -> part
    hidden: set[str] = field(default_factory=set)  # sheets hidden (or very hidden) in Excel
    recalculate: bool = False  # `Examined.recalculate`


def _read_book(data: bytes, members: dict[str, zipfile.ZipInfo], budget: Budget) -> _Book:
    book = _Book()
    if "xl/workbook.xml" not in members or "xl/_rels/workbook.xml.rels" not in members:
        mimetype = members.get("mimetype")
        head = next(inflate(data, mimetype, budget), b"")[:200] if mimetype else b""
        raise not_a_workbook(members, head)

    def sheet(name: str, attrs: list[str]) -> None:
        if _local(name) == "calcPr":
            book.recalculate = is_true(_attributes(attrs).get("fullCalcOnLoad", ""))
        if _local(name) == "sheet":
            found = _attributes(attrs)
            book.sheets.append((found.get("name", ""), found.get("id", "")))
            if found.get("state", "visible") != "visible":
                book.hidden.add(found.get("name", ""))

    def relationship(name: str, attrs: list[str]) -> None:
        if _local(name) == "Relationship":
            found = _attributes(attrs)
            book.targets[found.get("Id", "")] = found.get("Target", "")

    _parse(inflate(data, members["xl/workbook.xml"], budget), sheet, "the workbook part")
    rels = members["xl/_rels/workbook.xml.rels"]
    _parse(inflate(data, rels, budget), relationship, "the workbook's relationships")
    names = [n for n, _ in book.sheets]
    if len(set(names)) != len(names):
        raise damaged("two sheets have the same name")
    return book


def _member_of(book: _Book, sheet: str, members: dict[str, zipfile.ZipInfo]) -> str:
    rid = dict(book.sheets)[sheet]
    target = book.targets.get(rid, "")
    path = posixpath.normpath(target.lstrip("/") if target.startswith("/") else f"xl/{target}")
    if path not in members:
        raise damaged(
            f"sheet {sheet_name(sheet)} points at a part the file does not hold", named(sheet)
        )
    return path


def _shared_strings(data: bytes, info: zipfile.ZipInfo, budget: Budget) -> None:
    """Refuse a shared-strings table that declares more strings than it holds."""
    left = budget.left
    counted = count_strings(inflate(data, info, budget))
    if counted is None:  # not in the form counted in bulk: element by element, from the start
        budget.left = left
        counted = _count_strings(inflate(data, info, budget))
    declared, count = counted
    if declared is not None and not 0 <= declared <= count:
        raise damaged(
            f"its shared-strings table says it holds {declared:,} strings but holds {count:,}"
        )


def _count_strings(chunks: Iterator[bytes]) -> tuple[int | None, int]:
    declared: list[int] = []
    count = [0]

    def start(name: str, attrs: list[str]) -> None:
        if name == "si" or name.endswith(":si"):
            count[0] += 1
            return
        local = _local(name)
        if local == "sst":
            unique = _attributes(attrs).get("uniqueCount", "").strip()
            if unique:
                declared.append(int(unique) if unique.isascii() and unique.isdigit() else -1)

    _parse(chunks, start, "the shared-strings table")
    return (declared[0] if declared else None), count[0]


# --- the sheet: its true extent ------------------------------------------------------------------


_CELL, _CONTENT, _FORMULA, _OUTSIDE, _VALUE, _LAYOUT = 1, 2, 3, 4, 5, 6
_TAGS = {"c": _CELL, "v": _VALUE, "is": _CONTENT, "f": _FORMULA}
_TAGS |= dict.fromkeys(("mergeCell", "row", "col"), _LAYOUT)
_NOT_CELLS = frozenset({_OUTSIDE, _LAYOUT})
"""Tags of what is no part of a cell: what follows the cells, and what `LayoutNotes` notes."""
# What follows the cells in a worksheet: a formula in these (`xm:f` in a data validation) is
# no cell's, and the last cell is settled before them.
_AFTER_CELLS = (
    "sheetCalcPr", "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState",
    "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting",
    "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter",
    "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags",
    "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects",
    "controls", "webPublishItems", "tableParts", "extLst",
)  # fmt: skip
_TAGS |= dict.fromkeys(_AFTER_CELLS, _OUTSIDE)
_ENDS_CELLS = frozenset(_AFTER_CELLS)
_EMPTY_KEEPS = ("str", "d")
"""Cell types whose empty `<v>` the Excel library still reads as a value (an empty text)."""


def _is_error(attrs: list[str]) -> bool:
    """Whether a cell's attributes say it holds an Excel error (`t="e"`)."""
    keys = attrs[::2]
    return "t" in keys and attrs[2 * keys.index("t") + 1] == "e"


def _reference(attrs: list[str]) -> str:
    """A cell's `r` attribute wherever it is among the others ("" if it has none)."""
    keys = attrs[::2]
    return attrs[2 * keys.index("r") + 1] if "r" in keys else ""


def _cell_type(attrs: list[str]) -> str:
    """A cell's `t` attribute wherever it is among the others ("" if it has none)."""
    keys = attrs[::2]
    return attrs[2 * keys.index("t") + 1] if "t" in keys else ""


@dataclass
class _SheetScan:
    """Every cell reference of cells with content, collected fast; parsed in bulk afterwards.

    A cell counts once it has a value or an inline string, as the Excel library counts it: empty
    styled cells and formulas without a saved value do not widen the grid it builds; nor does a
    `<v>` that expat itself reports empty (no character data at all, CDATA included, between
    its tags; whitespace around it in the cell is no content), in a cell that is not text or a
    date: a formula whose saved value is "". Counting it would make the grid seem to start where
    the library's does not, and every cell reference would shift. In doubt, a cell counts: one
    counted that the library skips only shifts references, while one skipped that the library
    counts would let its grid outgrow the extent checked. So any character in any `<v>` of the
    cell makes it count (`<v> </v>` is a value to the library too), and so does any `<c>` met
    inside a `<v>`. Formula cells are noted too: the reader tells those that read as blank (no
    saved value) apart. Like the Excel library, only an attribute named exactly `r` (or `t`)
    counts; elements are known by their local name, whatever their prefix. This runs once per
    element of the sheet, so it is written for speed: one closure, local names only, a cell
    settled without a call; the text and end handlers are set only while in a `<v>` whose cell
    has nothing yet.
    """

    refs: list[str] = field(default_factory=list)
    formula_refs: list[str] = field(default_factory=list)
    error_refs: list[str] = field(default_factory=list)
    layout: LayoutNotes = field(default_factory=LayoutNotes)
    unreferenced: bool = False

    def handlers(
        self, parser: expat.XMLParserType
    ) -> tuple[Callable[[str, list[str]], None], Callable[[], None]]:
        """The element handler for `parser`, and what to call at the end of the sheet."""
        refs, formulas, errors = self.refs, self.formula_refs, self.error_refs
        tags: dict[str, int] = {}
        values = _Values(parser, tags)
        ref = ""  # the current cell's reference
        cell: list[str] = []  # the current cell's attributes
        has = False  # the current cell holds a value
        formula = False  # the current cell holds a formula
        inside = False  # within a cell (or after one, before anything else)

        def settle() -> None:
            nonlocal has, formula, inside
            if values.stop() or has:
                refs.append(ref)
            if formula and len(formulas) < _LISTED_FORMULAS:
                formulas.append(ref)
            has = formula = inside = False

        def start(name: str, attrs: list[str]) -> None:
            nonlocal ref, cell, has, formula, inside
            tag = tags.get(name)
            if tag is None:
                tag = tags[name] = _TAGS.get(_local(name), 0)
            if tag == _VALUE:
                has = has or values.opened(cell, inside)
            elif tag == _CONTENT:
                has = has or inside
            elif tag == _CELL:
                if has or (values.busy and values.stop()):  # settled here, mostly
                    refs.append(ref)
                if formula and len(formulas) < _LISTED_FORMULAS:
                    formulas.append(ref)
                has = formula = False
                inside = True
                cell = attrs
                ref = attrs[1] if attrs and attrs[0] == "r" else _reference(attrs)
                if not ref:
                    self.unreferenced = True
                elif "e" in attrs and _is_error(attrs):
                    errors.append(ref)
            elif tag == _FORMULA:
                formula = formula or inside
            elif tag in _NOT_CELLS:
                self._after(tag, name, attrs, settle)

        return start, settle

    def _after(self, tag: int, name: str, attrs: list[str], settle: Callable[[], None]) -> None:
        """What follows the cells settles the last; merged ranges, hidden rows and columns and a
        filter are noted (`LayoutNotes`)."""
        if tag == _OUTSIDE:
            settle()
        self.layout.element(_local(name), attrs)


class _Values:
    """Whether a cell's `<v>` elements hold any text, as expat reports it: the text and end
    handlers are set only while in one whose cell has nothing yet, and taken off at its first
    character (or once the last `<v>` open closes)."""

    def __init__(self, parser: expat.XMLParserType, tags: dict[str, int]) -> None:
        self._parser = parser
        self._tags = tags
        self._depth = 0  # `<v>` elements open while their text is watched
        self._seen = False  # text was seen in a `<v>` of the cell
        self.busy = False
        """Watching, or text was seen: `stop` has something to say."""

    def opened(self, cell: list[str], inside: bool) -> bool:
        """A `<v>` opened in a cell with nothing yet (`cell`, its attributes; none unless
        `inside`): whether the cell now holds a value (an empty `<v>` is one in a text or date
        cell), else its text is watched."""
        if not inside:
            return False
        if self._depth:
            self._depth += 1
            return False
        if ("str" in cell or "d" in cell) and _cell_type(cell) in _EMPTY_KEEPS:
            return True
        self._depth, self.busy = 1, True
        self._parser.CharacterDataHandler = self._text
        self._parser.EndElementHandler = self._end
        return False

    def stop(self) -> bool:
        """Whether the cell now settled had text in a `<v>`; a cell settled while one is still
        open (a cell inside a `<v>`) counts, in doubt. Ready for the next cell."""
        seen = self._seen or self._depth > 0
        self._off()
        self._seen = self.busy = False
        return seen

    def _off(self) -> None:
        self._depth = 0
        self._parser.CharacterDataHandler = None
        self._parser.EndElementHandler = None

    def _text(self, _: str) -> None:
        self._seen, self._depth = True, 0
        self._parser.CharacterDataHandler = None
        self._parser.EndElementHandler = None

    def _end(self, name: str) -> None:
        if self._tags.get(name) == _VALUE:
            self._depth -= 1
            if not self._depth:
                self._off()
                self.busy = False


def _positions(refs: list[str]) -> tuple[list[int], list[int]]:
    """Rows (1-based) and columns (0-based) of A1 references; a malformed one is refused."""
    import polars as pl

    parts = (
        pl.Series("r", refs, dtype=pl.String)
        .str.strip_chars()
        .str.to_uppercase()
        .str.extract_groups(r"^([A-Z]{1,3})([0-9]{1,7})$")
    )
    letters, digits = parts.struct.field("1"), parts.struct.field("2")
    bad = letters.is_null()
    if bad.any():
        raise damaged("a cell reference is not a cell's")  # not quoted: it is the file's text
    numbers = {text: column_index(text) for text in letters.unique().to_list()}
    columns = letters.replace_strict(numbers, return_dtype=pl.Int64)
    return digits.cast(pl.Int64).to_list(), columns.to_list()


class _Counting:
    """The slow, exact way, for sheets whose cells leave out their references: a row or cell
    without one follows the previous, as the Excel library numbers them."""

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.columns: list[int] = []
        self._row = 0
        self._column = -1
        self._pending: tuple[int, int] | None = None

    def start(self, name: str, attrs: list[str]) -> None:
        local = _local(name)
        found = _attributes(attrs)
        if local == "row":
            self._row = row_number(found.get("r", "").strip(), self._row)
            self._column = -1
        elif local == "c":
            ref = found.get("r")
            if ref:
                (row,), (column,) = _positions([ref])
            else:
                row, column = max(self._row, 1), self._column + 1
            self._column = column
            self._pending = (row, column)
        elif local in ("v", "is") and self._pending is not None:
            self.rows.append(self._pending[0])
            self.columns.append(self._pending[1])
            self._pending = None

    def extent(self) -> SheetExtent | None:
        if not self.rows:
            return None
        return SheetExtent(min(self.rows), max(self.rows), min(self.columns), max(self.columns))


Cells = tuple[tuple[int, int], ...]


def _cells(refs: list[str]) -> Cells:
    if not refs:
        return ()
    rows, columns = _positions(refs)
    return tuple(zip(rows, columns, strict=True))


Scanned = tuple[SheetExtent | None, Cells, Cells, SheetLayout]
"""A sheet's extent, formula cells, error cells and layout (`Examined`)."""


def _scan_sheet(data: bytes, info: zipfile.ZipInfo, budget: Budget, limits: Limits) -> Scanned:
    left = budget.left
    bulk = read_rows(inflate(data, info, budget), _ENDS_CELLS)
    if bulk is not None:
        return _extent_of(bulk)
    budget.left = left  # not in the form read in bulk: element by element, from the start
    scan = _SheetScan()
    parser = expat.ParserCreate()
    start, close = scan.handlers(parser)
    _parse(inflate(data, info, budget), start, "the sheet", parser)
    close()
    if scan.unreferenced:
        # The first pass proved the sheet inflates within the limit; count it again exactly.
        counting = _Counting()
        _parse(inflate(data, info, Budget(limits.max_unzipped_bytes)), counting.start, "sheet")
        return counting.extent(), (), (), scan.layout.layout()
    if not scan.refs:
        return None, (), (), scan.layout.layout()
    rows, columns = _positions(scan.refs)
    extent = SheetExtent(min(rows), max(rows), min(columns), max(columns))
    formulas = _cells([r for r in scan.formula_refs if r])
    return extent, formulas, _cells(scan.error_refs), scan.layout.layout()


def _extent_of(rows: Rows) -> Scanned:
    """The extent, formulas and errors of rows read in bulk, as `_SheetScan` gives them."""
    if not rows.row_bounds:
        return None, (), (), rows.layout.layout()
    columns = [column_index(text) for text in rows.letters]
    first, last = min(b[0] for b in rows.row_bounds), max(b[1] for b in rows.row_bounds)
    extent = SheetExtent(first, last, min(columns), max(columns))
    formulas = _cells(rows.formulas[:_LISTED_FORMULAS])
    return extent, formulas, _cells(rows.errors), rows.layout.layout()


Chooser = Callable[[tuple[str, ...], frozenset[str]], tuple[str, ...]]
"""Picks the sheets to examine, best first, from the sheet names and the hidden ones."""


def examine(data: bytes, choose: Chooser, limits: Limits) -> Examined:
    """Check a workbook before it is read; `choose` picks the sheets to examine, best first.

    The first is the one to read; the others, if any, come back as its `alternatives` (one
    over a limit is left out of them, as a sheet that could not be read).

    Raises:
        Unreadable: the workbook is damaged, crafted, or over a limit.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise damaged("not a valid .xlsx zip archive") from error
    with archive:
        members = zip_members(archive)
    budget = Budget(limits.max_unzipped_bytes)
    book = _read_book(data, members, budget)
    sheets = tuple(name for name, _ in book.sheets)
    if not sheets:
        raise Unreadable("the workbook has no sheets", code="empty-file")
    chosen = choose(sheets, frozenset(book.hidden)) or sheets[:1]
    wanted: dict[str, list[str]] = {}
    for sheet in chosen:
        wanted.setdefault(_member_of(book, sheet, members), []).append(sheet)
    found: dict[str, Examined] = {}
    for name, info in members.items():
        if name in wanted:
            extent, formulas, errors, layout = _scan_sheet(data, info, budget, limits)
            for sheet in wanted[name]:
                found[sheet] = Examined(
                    sheets, sheet, extent, formulas, errors, name, layout, (), book.recalculate
                )
        elif posixpath.basename(name).lower() == "sharedstrings.xml":
            _shared_strings(data, info, budget)
        else:
            for _ in inflate(data, info, budget):
                pass
    check_extent(found[chosen[0]].extent, limits)
    alternatives = (found[sheet] for sheet in chosen[1:])
    others = tuple(sheet for sheet in alternatives if within_limits(sheet.extent, limits))
    return dataclasses.replace(found[chosen[0]], alternatives=others)


def property_names(data: bytes, info: zipfile.ZipInfo, budget: Budget) -> list[str]:
    """The names of a custom properties part's properties (`docProps/custom.xml`), the part
    inflated and parsed as every part is."""
    named: list[str] = []

    def start(name: str, attrs: list[str]) -> None:
        if _local(name) == "property":
            named.append(_attributes(attrs).get("name", ""))

    _parse(inflate(data, info, budget), start, "the custom properties part")
    return named
