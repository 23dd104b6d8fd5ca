"""The bulk of a sheet (its rows) and of a shared-strings table, proven without a Python call per
element; the guard in `workbook.py` falls back to its element-by-element pass for anything else.

A sheet of 100,000 rows is millions of elements, and expat calling Python once for each costs
seconds. Almost all of them sit inside one element (`sheetData`, or the `sst` root of the
shared-strings table) and are written in a handful of forms. So a part is split in two:

- the *outer* document, everything but that element's content, goes through expat as before
  (element by element: it is small). Expat must find the element exactly where it was cut, once;
  no cell, value or formula may appear outside it (in the sheet), and the shared strings outside
  it are counted (in the table);
- the *content* must match, whole, a strict grammar (`ROWS`, `STRINGS`): a regular language, run
  by Rust's linear-time regex engine (through polars, a few megabytes at a time), that accepts
  only a subset of well-formed XML content: the elements Excel writes there, each with its own
  attributes in the schema's order (so none can be repeated), quoted values and text without
  `<`, `>`, control characters or character references, entities only the five predefined
  ones. Every `<` in matching content is the start of one of these tags and nothing else (no
  comment, CDATA, processing instruction, prefix or nesting the grammar does not name), so a
  search for `<c r="..."` in it finds each cell, and only cells: what expat would report.

Only the bounds of the cells with a value matter (and the few formula and error cells, listed;
`PLAIN_ROWS`, the grammar without them, shows in the same search that a piece has none). A sheet is
written in order, so the cells at the two ends of a piece are read, and they are proven to bound
the rest: by the grammar itself, in its one pass, when every cell that holds anything must have a
reference within their bounds (`within`); else, for a piece with a formula or an empty value far
off, by one search for a cell with a value whose row or column lies outside them (`outside`). The
bounds are then ones that cells really hold. If the search finds one, every cell of the piece is
listed. A cell holds a value as the Excel library reads it (`with_content`): a `<v>` with text, an
`<is>`, or a `<v>` even empty in a text or date cell; a cell whose only value is an empty `<v>`
(whitespace around it or not) is no cell of the grid. That is read from the grammar's own cells, in
matching content, never from the raw bytes, so nothing outside the rows (a comment, say) can take a
cell off.

Pieces are cut just before a row starts (`<row`, `<si` in the table), so a piece ends after a
row whichever way it was closed (`</row>` or `<row/>`). A part that fails the grammar only near
its end has been read twice when the element-by-element pass is done: the bulk reading costs a
tenth of that pass or so (0.15 s against 1.4 s for 100,000 rows of eight cells), and each is
bounded by the same byte limit, so the two together cost at most about 1.1 times the pass alone.

Content that matches, spliced back between an outer document that expat accepts, is a well-formed
document whose elements are exactly those seen, so the result is the one the element-by-element
pass gives (tests/test_workbook_bulk.py checks the two agree, on generated sheets and on crafted
ones). Anything else (a prefix, a comment, an attribute out of order, a row longer than a few
megabytes, text that is not UTF-8, expat's complaint) proves nothing: `None` is returned and the
caller starts again from the first byte with the budget as it was, so nothing here changes what
is refused or why. Bytes are counted as they are inflated, here as there, and the inflating stops
at the limit.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from xml.parsers import expat

from mission.readers.references import outside, within
from mission.readers.sheet_grammar import (
    A_REF,
    ANY_ERROR,
    ANY_FORMULA,
    CELL,
    ERROR,
    NO_CHILD,
    PARTS,
    PLAIN_ROWS,
    ROWS,
    SI_TAG,
    STRINGS,
    VALUED,
    WITH_FORMULA,
    plain_cell,
    with_content,
)
from mission.readers.sheet_layout import HIDDEN_ATTRIBUTE, LayoutNotes

if TYPE_CHECKING:
    import polars as pl

__all__ = [
    "PLAIN_ROWS",
    "ROWS",
    "STRINGS",
    "Rows",
    "count_strings",
    "read_rows",
    "reference",
]

_HEAD_LIMIT = 8 << 20
"""Bytes before the bulk element is found; past this, nothing is proven."""
_SAMPLE = 16 << 10
"""Bytes at each end of a piece whose cells are taken to bound the rest (then proven)."""
_PIECE = 4 << 20
"""Bytes of content checked at once (each call into polars costs a little of its own)."""
_WORKERS = 2
"""Pieces checked at once, each on a thread of its own."""
_CARRY_LIMIT = 16 << 20
"""Bytes of the content held back while looking for the start of a row (or string)."""


# --- splitting a part into the outer document and the bulk -------------------------------------


class _NotProven(Exception):
    """The part is not in the form read in bulk: the caller reads it element by element."""


def _local(name: str) -> str:
    return name.rpartition(":")[2]


@dataclass
class _Split:
    """Sends a part's bytes to `outer` (expat) except the content of the element that `opening`
    finds, which goes to `inner` in pieces cut just before a `boundary` tag (`<row`, `<si`)
    begins: in content the grammar accepts, that is where one of its elements starts, however
    the one before it ended (`</row>` or `<row/>`)."""

    opening: re.Pattern[bytes]
    closing: bytes
    boundary: bytes
    outer: Callable[[bytes], None]
    inner: Callable[[bytes], None]
    opened_at: int = -1
    _held: bytes = b""
    _content_held: bytearray = field(default_factory=bytearray)
    _state: int = 0  # 0: before the element, 1: in its content, 2: after it

    def feed(self, chunk: bytes) -> None:
        if self._state == 0:
            self._held += chunk
            found = self.opening.search(self._held)
            if found is None:
                if len(self._held) > _HEAD_LIMIT:
                    raise _NotProven
                return
            self.opened_at = found.start()
            self.outer(self._held[: found.end()])
            chunk, self._held, self._state = self._held[found.end() :], b"", 1
        if self._state == 1:
            self._content(chunk)
        else:
            self.outer(chunk)

    def _content(self, chunk: bytes) -> None:
        held = self._content_held
        start = max(0, len(held) - len(self.closing) + 1)
        held += chunk
        end = _find(held, self.closing, start)
        if end >= 0:
            with memoryview(held) as view:
                self.inner(bytes(view[:end]))
                self.outer(bytes(view[end:]))
            self._state = 2
            held.clear()
            return
        if len(held) < _PIECE:
            return
        cut = _last_start(held, self.boundary)
        if cut <= 0:
            if len(held) > _CARRY_LIMIT:
                raise _NotProven
            return
        with memoryview(held) as view:
            self.inner(bytes(view[:cut]))
        del held[:cut]

    def close(self) -> None:
        if self._state != 2:
            raise _NotProven


_PIVOTS = {b"</sheetData>": 3}
"""Where in a closing tag a byte is that the bulk before it seldom holds (the `h` of
`</sheetData>`: rows hold references, numbers and codes)."""
_PIVOT_TRIES = 64


def _find(held: bytearray, tag: bytes, start: int) -> int:
    """`held.find(tag, start)`, faster for `</sheetData>`: its `h` is looked for byte by byte
    (memchr, about ten times the speed of the whole tag's search, which stalls on every `<`);
    after a few false hits, as a stranger's file may hold many, the tag's own search."""
    pivot = _PIVOTS.get(tag)
    if pivot is None:
        return held.find(tag, start)
    at = start + pivot
    for _ in range(_PIVOT_TRIES):
        at = held.find(tag[pivot], at)
        if at < 0:
            return -1
        if held.startswith(tag, at - pivot):
            return at - pivot
        at += 1
    return held.find(tag, at - pivot)


def _last_start(held: bytearray, tag: bytes) -> int:
    """Where the last `tag` followed by whitespace, `/` or `>` begins in `held` (-1 if none)."""
    end = len(held) - 1  # room for the byte after it
    while True:
        at = held.rfind(tag, 0, end)
        if at < 0 or held[at + len(tag)] in b" \t\r\n/>":
            return at
        end = at + len(tag) - 1


def _run(
    chunks: Iterator[bytes],
    split: Callable[[Callable[[bytes], None], Callable[[bytes], None]], _Split],
    start: Callable[[expat.XMLParserType, str, list[str]], None],
    work: Callable[[bytes], Any],
) -> tuple[_Split, list[Any]]:
    """Feed the outer document to expat (`start` per element) and the content's pieces to
    `work`, piece by piece as they come; their results in order, or `_NotProven`."""
    parser = expat.ParserCreate()
    parser.ordered_attributes = True
    parser.StartElementHandler = lambda name, attrs: start(parser, name, attrs)

    def refuse(*_: Any) -> None:
        raise _NotProven

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.XmlDeclHandler = lambda _v, encoding, _s: (
        None if encoding is None or encoding.lower() in ("utf-8", "utf8") else refuse()
    )
    results: list[Any] = []
    # Pieces are checked on worker threads while the next is inflated and cut (polars and zlib
    # let go of the GIL), two at a time, so at most two pieces wait in memory beyond the one
    # being cut; results are taken in order, and the first piece not proven ends the run.
    pending: deque[Future[Any]] = deque()

    def take_oldest() -> None:
        result = pending.popleft().result()
        if result is None:
            raise _NotProven
        results.append(result)

    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:

        def inner(piece: bytes) -> None:
            if len(pending) >= _WORKERS:
                take_oldest()
            pending.append(pool.submit(work, piece))

        def outer(piece: bytes) -> None:
            parser.Parse(piece, False)

        splitter = split(outer, inner)
        try:
            try:
                for chunk in chunks:
                    splitter.feed(chunk)
                splitter.close()
                parser.Parse(b"", True)
            except Exception:
                # Inflating runs ahead of the checks: what stopped it (the zip-bomb ratio, say)
                # must not hide a piece before it that fails, which is where the pass without
                # threads (and the element-by-element pass) stops.
                while pending:
                    take_oldest()
                raise
            while pending:
                take_oldest()
        except (expat.ExpatError, RecursionError) as error:
            raise _NotProven from error
        finally:
            for future in pending:
                future.cancel()
    return splitter, results


def _text(piece: bytes, grammar: str) -> pl.Series | None:
    """The piece as text, if it is UTF-8 and matches the grammar whole."""
    import polars as pl

    try:
        text = pl.Series([piece], dtype=pl.Binary).cast(pl.String)
    except (pl.exceptions.ComputeError, pl.exceptions.InvalidOperationError):
        return None  # not UTF-8
    return text if text.str.contains(grammar).all() else None


# --- a sheet's rows ---------------------------------------------------------------------------


@dataclass
class Rows:
    """What the cells in a sheet's rows hold, as the element-by-element pass would list it."""

    valued: list[pl.Series] = field(default_factory=list)
    """The start tags of the cells with a value or an inline string (and of their formula, and
    the first tag of their value), for each piece whose ends do not bound its cells: `reference`
    reads them."""
    row_bounds: list[tuple[int, int]] = field(default_factory=list)
    """The least and greatest row among them, for each piece that has any."""
    letters: set[str] = field(default_factory=set)
    """Column letters among them: the least and the greatest at least."""
    formulas: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    layout: LayoutNotes = field(default_factory=LayoutNotes)
    """Merged ranges, hidden rows and columns, a filter (`sheet_layout`)."""


_AFTER = 2  # the outer handler's state once something that follows the cells was seen


def read_rows(chunks: Iterator[bytes], after_cells: frozenset[str]) -> Rows | None:
    """The cells of a sheet whose rows are in the form read in bulk, else None; `after_cells`
    are the elements that end the cells (a formula in them is no cell's). The cells with a value
    are listed only in pieces whose ends do not bound them."""
    state = {"opened": 0, "at": -1, "after": 0}
    notes = LayoutNotes()

    def start(parser: expat.XMLParserType, name: str, attrs: list[str]) -> None:
        local = _local(name)
        if local == "sheetData" and name == local:
            state["opened"] += 1
            state["at"] = parser.CurrentByteIndex
            state["after"] = max(state["after"], 1)
        elif local == "c" or (local in ("v", "is", "f") and state["after"] == 1):
            raise _NotProven  # a cell, or what would be the last cell's, outside the rows
        elif local in after_cells and state["after"] == 1:
            state["after"] = _AFTER
        notes.element(local, attrs)

    def split(outer: Callable[[bytes], None], inner: Callable[[bytes], None]) -> _Split:
        return _Split(re.compile(rb"<sheetData>"), b"</sheetData>", b"<row", outer, inner)

    try:
        splitter, pieces = _run(chunks, split, start, _cells_and_hidden_rows)
    except _NotProven:
        return None
    if state["opened"] != 1 or state["at"] != splitter.opened_at:
        return None
    rows = Rows(layout=notes)
    for (valued, bounds, letters, formulas, errors), hidden_rows in pieces:
        if valued is not None:
            rows.valued.append(valued)
        rows.row_bounds += bounds
        rows.letters.update(letters)
        rows.formulas += formulas
        rows.errors += errors
        for number in hidden_rows:
            notes.hide_row(number)
    return rows


_Piece = tuple["pl.Series | None", list[tuple[int, int]], list[str], list[str], list[str]]


def reference(valued: pl.Series) -> pl.Series:
    """The references in what `Rows.valued` holds."""
    return valued.str.extract(A_REF)


def _order(token: str) -> tuple[int, str]:
    return len(token), token


_Bounds = tuple[tuple[str, str], tuple[str, str]]


def _ends(piece: bytes) -> _Bounds | None:
    """The rows and columns of the cells with a value at a piece's two ends: what bounds all
    its cells, if it is written in order (`_bounded` or `_rows_within` proves it)."""
    import polars as pl

    # Two strings, so no cell spans them; a character cut at a slice's edge is left out.
    ends = pl.Series(
        [piece[:_SAMPLE].decode(errors="ignore"), piece[-_SAMPLE:].decode(errors="ignore")]
    )
    parts = ends.str.extract_all(VALUED).explode().drop_nulls().str.extract_groups(PARTS)
    rows = parts.struct.field("2").to_list()
    letters = parts.struct.field("1").to_list()
    if not rows or any(row.startswith("0") for row in rows):
        return None
    bounds = (min(rows, key=_order), max(rows, key=_order))
    return bounds, (min(letters, key=_order), max(letters, key=_order))


def _bounded(text: pl.Series, ends: _Bounds) -> bool:
    """Whether the ends' bounds bound every cell with a value in `text` (proven UTF-8, matching
    the grammar): a search for any outside them, not a list of every cell."""
    return not text.str.contains(with_content(outside(*ends))).any()


def _rows_within(ends: _Bounds) -> str:
    """`PLAIN_ROWS` with every cell that holds anything within the bounds: a piece that matches
    it whole has the grammar's cells and the bounds, both proven in one pass."""
    return ROWS.replace(CELL, f"(?:{plain_cell(within(*ends))}|{NO_CHILD})")


def _listed(text: pl.Series, needed: str, pattern: str) -> list[str]:
    """The references of the cells `pattern` finds; none where `needed` finds nothing."""
    if not text.str.contains(needed).any():
        return []
    return text.str.extract_all(pattern).explode().drop_nulls().str.extract(A_REF).to_list()


def _cells_and_hidden_rows(piece: bytes) -> tuple[_Piece, list[int]] | None:
    """What `_cells_in` finds, and the numbers of the hidden rows: in content that matched the
    grammar, each `<row` starts a row's tag, with `r` first if it has one. A hidden row written
    without its number, or with one in another form (`03`), proves nothing: the element-by-
    element pass numbers it as the Excel library does."""
    found = _cells_in(piece)
    if found is None:
        return None
    cells, text = found
    if not text.str.contains(HIDDEN_ATTRIBUTE).any():  # as almost always: no search in Python
        return cells, []
    numbers = [m.group(1) for m in _HIDDEN_ROW.finditer(piece)]
    if not all(n and n[:1] != b"0" and len(n) <= 7 for n in numbers):
        return None
    return cells, [int(n) for n in numbers]


_HIDDEN_ROW = re.compile(
    rb"<row(?:[ \t\r\n]+r[ \t\r\n]*=[ \t\r\n]*[\"']([0-9]*)[\"'])?[^>]*?[ \t\r\n]"
    + HIDDEN_ATTRIBUTE.encode()
)
"""A hidden row's tag (`sheet_layout.HIDDEN_ATTRIBUTE`), with its `r` if first. Searched in
Python only where Rust's regex found that attribute in the piece already decoded (a tenth of the
time of a Python search over every piece)."""


def _cells_in(piece: bytes) -> tuple[_Piece, pl.Series] | None:
    """What a piece's cells hold (`_Piece`), and the piece as the text that matched."""
    import polars as pl

    ends = _ends(piece)
    if ends is not None and b"<f" not in piece:
        text = _text(piece, _rows_within(ends))
        if text is not None:
            return _within_ends(ends, [], []), text
    text = _text(piece, PLAIN_ROWS)
    formulas: list[str] = []
    errors: list[str] = []
    if text is None:
        text = _text(piece, ROWS)
        if text is None:
            return None
        formulas = _listed(text, ANY_FORMULA, WITH_FORMULA)
        errors = _listed(text, ANY_ERROR, ERROR)
    if ends is not None and _bounded(text, ends):
        return _within_ends(ends, formulas, errors), text
    valued = text.str.extract_all(VALUED).explode().drop_nulls()
    parts = valued.str.extract_groups(PARTS)
    letters, digits = parts.struct.field("1"), parts.struct.field("2").cast(pl.Int64)
    bounds = [] if digits.is_empty() else [(int(digits.min()), int(digits.max()))]  # type: ignore[arg-type]
    return (valued, bounds, letters.unique().to_list(), formulas, errors), text


def _within_ends(ends: _Bounds, formulas: list[str], errors: list[str]) -> _Piece:
    (first, last), columns = ends
    return None, [(int(first), int(last))], list(columns), formulas, errors


# --- a shared-strings table -------------------------------------------------------------------


def count_strings(chunks: Iterator[bytes]) -> tuple[int | None, int] | None:
    """The `uniqueCount` a shared-strings table declares (None if it declares none, -1 if it is
    not a number) and the strings it holds, if it is in the form counted in bulk; else None."""
    declared: list[int] = []
    outside = [0, 0, -1]  # strings seen by expat, `sst` elements, where the first began

    def start(parser: expat.XMLParserType, name: str, attrs: list[str]) -> None:
        local = _local(name)
        if local == "si":
            outside[0] += 1
        elif local == "sst":
            outside[1] += 1
            if outside[2] < 0:
                outside[2] = parser.CurrentByteIndex
            found = {_local(attrs[i]): attrs[i + 1] for i in range(0, len(attrs), 2)}
            unique = found.get("uniqueCount", "").strip()
            if unique:
                declared.append(int(unique) if unique.isascii() and unique.isdigit() else -1)

    opening = re.compile(rb"<sst(?:[ \t\r\n]+[^ \t\r\n=<>/\"']+[ \t\r\n]*=[ \t\r\n]*"
                         rb"(?:\"[^\"<]*\"|'[^'<]*'))*[ \t\r\n]*>")  # fmt: skip

    def split(outer: Callable[[bytes], None], inner: Callable[[bytes], None]) -> _Split:
        return _Split(opening, b"</sst>", b"<si", outer, inner)

    try:
        splitter, counts = _run(chunks, split, start, _strings_in)
    except _NotProven:
        return None
    if outside[1] != 1 or outside[2] != splitter.opened_at:
        return None
    return (declared[0] if declared else None), outside[0] + sum(counts)


def _strings_in(piece: bytes) -> int | None:
    text = _text(piece, STRINGS)
    return None if text is None else int(text.str.count_matches(SI_TAG).sum())
