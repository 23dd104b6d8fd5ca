"""The workbook guard's bulk reading (`mission/readers/bulk.py`) against its element-by-element
pass: on every sheet and shared-strings table, generated or crafted, either the bulk reading
declines (and the element-by-element pass decides) or both give the same extent, formulas and
errors, and refuse the same files with the same words."""

from __future__ import annotations

import re
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mission.findings import column_letter
from mission.limits import Limits
from mission.readers.bulk import ROWS, count_strings, read_rows, reference
from mission.readers.references import outside, within
from mission.readers.table import Unreadable
from mission.readers.workbook import Examined, examine

from .workbooks import MAIN, one_sheet_workbook

_ENDS = frozenset({"pageMargins", "dataValidations", "extLst"})
_SLOW = "<!---->"
"""A comment as the first thing in `sheetData`: the bulk reading declines, nothing else changes."""


def _book(sheet: str, strings: str | None = None) -> bytes:
    return one_sheet_workbook(sheet, strings)


def _outcome(data: bytes) -> Examined | str:
    try:
        return examine(data, lambda names, _: names[:1], Limits())
    except Unreadable as error:
        return error.message


def _sheet(rows: str, before: str = "", after: str = "") -> str:
    return f"<worksheet xmlns='{MAIN}'>{before}<sheetData>{rows}</sheetData>{after}</worksheet>"


def _both(rows: str, before: str = "", after: str = "") -> tuple[Examined | str, Examined | str]:
    """What the guard makes of a sheet as it is, and with the bulk reading declined."""
    fast = _outcome(_book(_sheet(rows, before, after)))
    slow = _outcome(_book(_sheet(_SLOW + rows, before, after)))
    return fast, slow


def _bulk(rows: str, before: str = "", after: str = "") -> bool:
    """Whether the bulk reading takes the sheet."""
    return read_rows(iter([_sheet(rows, before, after).encode()]), _ENDS) is not None


_CELLS = (
    '<c r="{r}" t="s"><v>0</v></c>',
    "<c r='{r}' s='1'/>",
    '<c r="{r}" s="2"></c>',
    '<c r="{r}"><f>1</f><v></v></c>',
    '<c r="{r}"><f>A1+1</f><v>2</v></c>',
    '<c r="{r}" t="str"><f>""</f><v></v></c>',
    '<c r="{r}" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
    '<c r="{r}" t="e"><v>#REF!</v></c>',
    '<c r="{r}"><f t="shared" si="0"/></c>',
    '<c r="{r}" t="inlineStr"><is><t xml:space="preserve"> a </t></is></c>',
    '<c  r = "{r}"\n s="1"\tt="n" ><v >1.5</v ></c >',
    '<c r="{r}" t="b"><v/></c>',
    '<c r="{r}"><v>&lt;&amp;&gt;</v></c>',
    '<c r="{r}">\n  <f>1</f>\n  <v></v>\n</c>',
    '<c r="{r}" t="str">\n  <v/>\n</c>',
    '<c r="{r}" t="d"><v></v></c>',
    '<c r="{r}"><v> </v></c>',
)
_PLACES = st.tuples(st.integers(1, 40), st.integers(0, 30))


@settings(max_examples=200, deadline=None)
@given(
    cells=st.dictionaries(_PLACES, st.sampled_from(_CELLS), max_size=25),
    spaced=st.booleans(),
)
def test_bulk_and_element_by_element_agree_on_generated_sheets(
    cells: dict[tuple[int, int], str], spaced: bool
) -> None:
    """Sheets in the forms Excel and its writers use are taken in bulk, with the extent, the
    formulas and the errors of the element-by-element pass."""
    rows: dict[int, list[str]] = {}
    for (row, column), xml in sorted(cells.items()):
        rows.setdefault(row, []).append(xml.replace("{r}", f"{column_letter(column)}{row}"))
    gap = "\n  " if spaced else ""
    data = "".join(
        f'<row r="{r}" spans="1:3" x14ac:dyDescent="0.25">{gap.join(c)}</row>{gap}'
        for r, c in sorted(rows.items())
    )
    assert _bulk(data)
    fast, slow = _both(data)
    assert fast == slow


_CRAFTED = {
    "far cell in a comment": '<row r="1"><c r="A1"><v>1</v></c><!-- <c r="XFD1048576"><v>1</v></c> --></row>',
    "far cell in CDATA": '<row r="1"><c r="A1"><v><![CDATA[<c r="XFD1048576"><v>1</v></c>]]></v></c></row>',
    "prefixed cell": '<row r="1"><c r="A1"><v>1</v></c><x:c xmlns:x="u" r="XFD1048576"><x:v>1</x:v></x:c></row>',
    "repeated reference": '<row r="1"><c r="A1" r="XFD1048576"><v>1</v></c></row>',
    "reference after another attribute": '<row r="1"><c s="1" r="XFD1048576"><v>1</v></c></row>',
    "reference by character reference": '<row r="1"><c r="&#88;FD1048576"><v>1</v></c></row>',
    "unclosed cell holding a far one": '<row r="1048576"><c r="XFD1048576"><c r="A1"><v>1</v></c></c></row>',
    "a cell nested in a value": '<row r="1"><c r="A1"><v>1<c r="XFD9"><v>1</v></c></v></c></row>',
    "angle bracket in an attribute": '<row r="1" spans="1>2"><c r="A1"><v>1</v></c></row>',
    "quote inside a reference": '<row r="1"><c r=\'A1" r="XFD1\'><v>1</v></c></row>',
    "lower-case reference": '<row r="1"><c r="xfd1048576"><v>1</v></c></row>',
    "cell without a reference": '<row r="1048576"><c><v>1</v></c></row>',
    "processing instruction": '<row r="1"><?pi <c r="XFD1"><v>1</v></c>?><c r="A1"><v>1</v></c></row>',
    "rows not closed": '<row r="1"><c r="A1"><v>1</v></c>',
    "control character": '<row r="1"><c r="A1"><v>\x01</v></c></row>',
}
_NOT_UTF8 = {
    "a byte that starts nothing": b'<row r="1"><c r="A1"><v>\xff</v></c></row>',
    "a character cut short": b'<row r="1"><c r="A1"><v>\xc3</v></c></row>',
    "an encoded surrogate": b'<row r="1"><c r="A1"><v>\xed\xa0\x80</v></c></row>',
}
_OUTER = {
    "cell before the rows": ('<c r="XFD1048576"><v>1</v></c>', "", False),
    "cell after the rows": ("", '<c r="XFD1048576"><v>1</v></c>', False),
    "cell after what follows the rows": ("", '<pageMargins/><c r="XFD9"><v>1</v></c>', False),
    "value after the rows": ("", "<v>1</v>", False),
    "formula in a data validation after the rows": (
        "",
        "<dataValidations><dataValidation><x:f xmlns:x='u'>A1</x:f></dataValidation></dataValidations>",
        True,
    ),
    "rows in a comment before the real ones": ("<!--<sheetData></sheetData>-->", "", False),
    "a second sheetData": (
        "",
        '<sheetData><row r="9"><c r="Z9"><v>1</v></c></row></sheetData>',
        False,
    ),
}


@pytest.mark.parametrize("rows", _CRAFTED.values(), ids=_CRAFTED.keys())
def test_crafted_rows_are_declined_or_agree(rows: str) -> None:
    """Rows written to fool a scan are never taken in bulk; the element-by-element pass decides."""
    assert not _bulk(rows)
    fast, slow = _both(rows)
    assert fast == slow


@pytest.mark.parametrize("rows", _NOT_UTF8.values(), ids=_NOT_UTF8.keys())
def test_rows_that_are_not_utf8_are_declined(rows: bytes) -> None:
    """Rows whose bytes are not UTF-8 are not taken in bulk (nor does the bulk reading fail on
    them); the element-by-element pass refuses them in its own words."""
    sheet = f"<worksheet xmlns='{MAIN}'><sheetData>".encode() + rows + b"</sheetData></worksheet>"
    assert read_rows(iter([sheet]), _ENDS) is None
    strings = f"<sst xmlns='{MAIN}'><si><t>".encode() + rows + b"</t></si></sst>"
    assert count_strings(iter([strings])) is None


@pytest.mark.parametrize(("before", "after", "bulk"), _OUTER.values(), ids=_OUTER.keys())
def test_crafted_surroundings_are_declined_or_agree(before: str, after: str, bulk: bool) -> None:
    """Cells or values outside the rows, or a decoy sheetData, leave the decision to the
    element-by-element pass; a formula after the rows (a data validation's) is no cell's."""
    rows = '<row r="1"><c r="A1"><v>1</v></c></row>'
    assert _bulk(rows, before, after) == bulk
    fast, slow = _both(rows, before, after)
    assert fast == slow


def test_a_document_type_is_refused_either_way() -> None:
    """A sheet that declares a document type is refused with the same words, bulk or not."""
    sheet = '<!DOCTYPE w [<!ENTITY e "x">]>' + _sheet('<row r="1"><c r="A1"><v>1</v></c></row>')
    assert read_rows(iter([sheet.encode()]), _ENDS) is None
    assert "document type" in str(_outcome(_book(sheet)))


def test_rows_split_anywhere_read_the_same() -> None:
    """However the inflated bytes are cut into chunks, the bulk reading gives the same cells."""
    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="s"><v>{r}</v></c><c r="C{r}"><f>1</f></c></row>'
        for r in range(1, 200)
    )
    data = _sheet(rows).encode()
    whole = read_rows(iter([data]), _ENDS)
    assert whole is not None
    for size in (1, 7, 64, 1000):
        cut = read_rows(iter([data[i : i + size] for i in range(0, len(data), size)]), _ENDS)
        assert cut is not None
        assert [ref for s in cut.valued for ref in reference(s).to_list()] == [
            ref for s in whole.valued for ref in reference(s).to_list()
        ]
        assert cut.formulas == whole.formulas == [f"C{r}" for r in range(1, 200)]


def test_the_grammar_is_anchored() -> None:
    """The rows' grammar must match the whole of the content, not a part of it."""
    assert ROWS.startswith("^") and ROWS.endswith("$")


_STRINGS = {
    "plain": ("<si><t>a</t></si><si><t xml:space='preserve'> b</t></si>", True),
    "rich": (
        "<si><r><rPr><b/><sz val='11'/><color theme='1'/><rFont val='Calibri'/></rPr>"
        "<t>a</t></r><r><t>b</t></r></si>",
        True,
    ),
    "phonetic": (
        "<si><t>a</t><rPh sb='0' eb='1'><t>x</t></rPh><phoneticPr fontId='1'/></si>",
        True,
    ),
    "in a comment": ("<si><t>a</t></si><!-- <si><t>b</t></si> -->", False),
    "prefixed": ("<si><t>a</t></si><x:si xmlns:x='u'><x:t>b</x:t></x:si>", False),
    "repeated attribute": ("<si><r><rPr><sz val='1' val='2'/></rPr><t>a</t></r></si>", False),
}


@pytest.mark.parametrize(("body", "bulk"), _STRINGS.values(), ids=_STRINGS.keys())
@pytest.mark.parametrize("declared", [1, 2, 3])
def test_shared_strings_counted_alike(body: str, bulk: bool, declared: int) -> None:
    """A shared-strings table is counted in bulk only in the forms Excel writes, and the count
    refuses the same tables either way."""
    table = f"<sst xmlns='{MAIN}' count='9' uniqueCount='{declared}'>{body}</sst>"
    assert (count_strings(iter([table.encode()])) is not None) == bulk
    declined = table.replace("'>", "'><!---->", 1)
    assert count_strings(iter([declined.encode()])) is None
    sheet = _sheet('<row r="1"><c r="A1"><v>1</v></c></row>')
    assert _outcome(_book(sheet, table)) == _outcome(_book(sheet, declined))


def test_a_bomb_in_the_rows_stops_at_the_limit() -> None:
    """Rows that inflate past the limit are refused as a zip bomb by the bulk reading too."""
    rows = '<row r="1"><c r="A1"><v>1</v></c></row>' * 400_000
    sheet = _sheet(rows).encode()
    assert zlib.compress(sheet)  # the archive is deflated, the limit is on what comes out
    data = _book(sheet.decode())
    with pytest.raises(Unreadable, match="zip bomb"):
        examine(data, lambda names, _: names[:1], Limits(max_unzipped_bytes=1_000_000))


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


_LETTERS = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=3)


@settings(max_examples=500, deadline=None)
@given(
    rows=st.tuples(st.integers(1, 9_999_999), st.integers(1, 9_999_999)).map(sorted),
    columns=st.tuples(_LETTERS, _LETTERS).map(lambda pair: sorted(pair, key=_column)),
    letters=_LETTERS,
    digits=st.from_regex(r"[0-9]{1,7}", fullmatch=True),
    quote=st.sampled_from(["'", '"']),
)
def test_outside_finds_exactly_the_references_beyond_the_bounds(
    rows: list[int], columns: list[str], letters: str, digits: str, quote: str
) -> None:
    """The search that proves a piece's cells lie within its ends' bounds matches a reference
    exactly when its row or column lies beyond them (or its row has a leading zero)."""
    pattern = outside((str(rows[0]), str(rows[1])), (columns[0], columns[1]))
    beyond = (
        digits.startswith("0")
        or not rows[0] <= int(digits) <= rows[1]
        or not _column(columns[0]) <= _column(letters) <= _column(columns[1])
    )
    assert bool(re.fullmatch(pattern, f"{quote}{letters}{digits}{quote}")) == beyond


@settings(max_examples=500, deadline=None)
@given(
    rows=st.tuples(st.integers(1, 9_999_999), st.integers(1, 9_999_999)).map(sorted),
    columns=st.tuples(_LETTERS, _LETTERS).map(lambda pair: sorted(pair, key=_column)),
    letters=_LETTERS,
    digits=st.one_of(
        st.from_regex(r"[0-9]{1,7}", fullmatch=True), st.integers(1, 9_999_999).map(str)
    ),
    quotes=st.sampled_from(["''", '""', "'\"", "\"'"]),
)
def test_within_matches_exactly_the_references_inside_the_bounds(
    rows: list[int], columns: list[str], letters: str, digits: str, quotes: str
) -> None:
    """The grammar that proves a piece's cells lie within its ends' bounds, in its own pass,
    takes a reference exactly when its row and column lie within them (no leading zero), quoted
    alike on both sides."""
    pattern = within((str(rows[0]), str(rows[1])), (columns[0], columns[1]))
    inside = (
        not digits.startswith("0")
        and rows[0] <= int(digits) <= rows[1]
        and _column(columns[0]) <= _column(letters) <= _column(columns[1])
        and quotes[0] == quotes[1]
    )
    assert bool(re.fullmatch(pattern, f"{quotes[0]}{letters}{digits}{quotes[1]}")) == inside


def _long_rows(hidden: str, at: int = 1500, last: int = 3000) -> str:
    rows = []
    for r in range(2, last + 1):
        cells = "".join(f'<c r="{c}{r}" s="1" t="s"><v>{r}</v></c>' for c in "BCDEFG")
        rows.append(f'<row r="{r}" spans="2:7">{cells}{hidden if r == at else ""}</row>')
    return "".join(rows)


_HIDDEN = {
    "row above the first": '<c r="B1"><v>1</v></c>',
    "row below the last": '<c r="C4000"><v>1</v></c>',
    "column left of the rest": '<c r="A1500"><v>1</v></c>',
    "column right of the rest": '<c r="H1500" t="inlineStr"><is><t>x</t></is></c>',
    "far beyond Excel": '<c r="XFD1048576"><v>1</v></c>',
    "leading zeros": '<c r="B0001"><v>1</v></c>',
    "styled blank far away (no value)": '<c r="XFD1048576" s="1"/>',
    "formula without a value far away": '<c r="Z9000"><f>1</f></c>',
    "error": '<c r="H1500" t="e"><v>#REF!</v></c>',
    "empty value far away (no value)": '<c r="XFD1048576" s="1"><v/></c>',
    "empty text far away (a value)": '<c r="XFD1048576" t="str"><v></v></c>',
    "empty date far away (a value)": '<c r="A1048576" t="d"><v/></c>',
    "inline string far away": '<c r="ZZ9" t="inlineStr"><is/></c>',
    "empty cell far away, closed": '<c r="XFD9" s="2"></c>',
    "value one row below the last": '<c r="B3001"><v>1</v></c>',
    "value one column right of the last": '<c r="H3000"><v>1</v></c>',
    "reference in single quotes, far away": "<c r='XFD9'><v>1</v></c>",
    "nothing": "",
}


@pytest.mark.parametrize("hidden", _HIDDEN.values(), ids=_HIDDEN.keys())
def test_a_cell_hidden_in_the_middle_of_a_long_sheet_is_found(hidden: str) -> None:
    """A cell with a value beyond the bounds of a sheet's first and last rows, in the middle of
    thousands of rows, widens the extent as element by element; one without a value does not."""
    rows = _long_rows(hidden)
    assert _bulk(rows)
    fast, slow = _both(rows)
    assert fast == slow


def test_an_empty_value_at_an_end_of_a_long_sheet_is_taken_off() -> None:
    """A formula whose value is empty, as the last row's only cell, is no cell with a value, in
    bulk as element by element, though the ends of the rows were read to bound them."""
    rows = _long_rows("") + '<row r="3001"><c r="B3001"><f>1</f><v></v></c></row>'
    fast, slow = _both(rows)
    assert isinstance(fast, Examined) and fast.extent is not None
    assert fast.extent.last_row == 3000
    assert fast == slow


@pytest.mark.parametrize("declared", ["²", "١٢"])
def test_a_count_in_other_digits_is_refused_not_a_crash(declared: str) -> None:
    """A shared-strings count written in digits that are not ASCII ('²' passes str.isdigit but
    not int) is refused as a count that is not a number, in bulk as element by element."""
    table = f"<sst xmlns='{MAIN}' uniqueCount='{declared}'><si><t>a</t></si></sst>"
    declined = table.replace("'>", "'><!---->", 1)
    sheet = _sheet('<row r="1"><c r="A1"><v>1</v></c></row>')
    fast, slow = _outcome(_book(sheet, table)), _outcome(_book(sheet, declined))
    assert fast == slow
    assert "shared-strings table says it holds -1 strings" in str(fast)


def test_a_row_number_in_other_digits_is_not_a_crash() -> None:
    """A row numbered in digits that are not ASCII, in a sheet whose cells leave out their
    references, is taken as the row after the previous one, not a crash."""
    rows = "<row r='1'><c><v>1</v></c></row><row r='²'><c><v>1</v></c></row>"
    outcome = _outcome(_book(_sheet(rows)))
    assert isinstance(outcome, Examined) and outcome.extent is not None
    assert (outcome.extent.first_row, outcome.extent.last_row) == (1, 2)


@pytest.mark.parametrize("where", ["strings", "rows"])
def test_self_closed_elements_end_a_piece(where: str) -> None:
    """A table of some 20 MB of `<si/>` (or a sheet of `<row/>`), with no `</si>` or `</row>`
    to cut at, is still read in bulk piece by piece, and counted right."""
    if where == "strings":
        count = 4_200_000
        body = f"<sst xmlns='{MAIN}' uniqueCount='{count}'>" + "<si/>" * count + "</sst>"
        assert count_strings(iter([body.encode()])) == (count, count)
    else:
        rows = "".join(f'<row r="{r}"/>' for r in range(1, 1_000_001))
        rows += '<row r="1000001"><c r="B1000001"><v>1</v></c></row>'
        found = read_rows(iter([_sheet(rows).encode()]), _ENDS)
        assert found is not None
        assert found.row_bounds == [(1_000_001, 1_000_001)]


def test_a_sheet_of_many_pieces_reads_as_element_by_element() -> None:
    """A sheet long enough to be checked in several pieces at once (on worker threads) gives,
    piece results taken in order, what the element-by-element pass gives; a cell hidden beyond
    the bounds in a middle piece is found, and a comment in the last piece declines it all."""
    rows = _long_rows('<c r="Z20000"><v>1</v></c>', at=20000, last=50000)
    assert len(rows) > 3 * (4 << 20)  # more pieces than there are workers
    fast, slow = _both(rows)
    assert isinstance(fast, Examined) and fast.extent is not None
    assert (fast.extent.last_row, fast.extent.last_column) == (50000, _column("Z") - 1)
    assert fast == slow
    assert not _bulk(rows[:-6] + "<!---->" + rows[-6:])


@settings(max_examples=300, deadline=None)
@given(
    false_hits=st.integers(0, 100),
    pieces=st.lists(
        st.sampled_from([b"h", b"<", b"</sheetData>", b"</sheetDat", b"heetData>", b"<c r=", b"x"]),
        max_size=60,
    ),
    start=st.integers(0, 200),
)
def test_the_closing_tag_search_finds_what_the_plain_search_finds(
    false_hits: int, pieces: list[bytes], start: int
) -> None:
    """The end of a sheet's rows is found where `bytearray.find` finds it, however many of the
    bytes it looks for first (`h`) come before it, and wherever the search starts."""
    from mission.readers.bulk import _find

    held = bytearray(b"h<" * false_hits + b"".join(pieces))
    assert _find(held, b"</sheetData>", start) == held.find(b"</sheetData>", start)
