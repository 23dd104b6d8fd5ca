"""CSV (and TSV, and text named .txt): encodings, delimiters, title rows and ragged rows forgiven.

The file is read once by polars, straight from its path (never expanded as a pattern) or from
bytes when it had to be decoded; the sniffing before that looks only at the first 64 KB.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from mission.cell_codes import as_codes, read_texts
from mission.columns import ROW, UNTIDY
from mission.engines import engine_for
from mission.kinds import Kind
from mission.limits import Limits
from mission.readers.csv_faults import quote_fault, quote_trouble, ragged_rows
from mission.readers.decode import decode_text, utf16_order
from mission.readers.header import (
    HEADER_SEARCH_ROWS,
    find_header,
    first_non_blank,
    header_score,
    holds_codes,
)
from mission.readers.source import Source
from mission.readers.table import Draft, Unreadable
from mission.readers.tidy import note_title_rows, set_table

if TYPE_CHECKING:
    import polars as pl

__all__ = ["read_csv"]

SAMPLE_BYTES = 65536
_DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_SAVE_AS_UTF8 = "Save it again from Excel as 'CSV UTF-8 (Comma delimited)'."
_LONE_CR = re.compile(r"\r(?!\n)")
_LONE_CR_BYTES = re.compile(rb"\r(?!\n)")
_LINE_END = re.compile(r"\r\n|\n|\r")
_LINE_FEED = re.compile(r"\n")
_INDEX = "__index"


def _sample_text(head: bytes) -> tuple[str, bool]:
    """Text of the file's first bytes, and whether those bytes are valid UTF-8."""
    body = head.removeprefix(b"\xef\xbb\xbf")
    try:
        return body.decode("utf-8"), True
    except UnicodeDecodeError as error:
        if error.start >= len(body) - 3:  # a character cut in two at the end of the sample
            return body[: error.start].decode("utf-8"), True
        return body.decode("cp1252", errors="replace"), False


def _rows(lines: list[str], delimiter: str) -> list[list[str]] | None:
    try:
        return list(csv.reader(lines, delimiter=delimiter))
    except csv.Error:
        return None


def _dialect(sample: list[str], kind: Kind | None) -> tuple[str, int, list[list[str]] | None]:
    """The delimiter, the header's index among the records of the first lines of the file, and
    those records (None when they cannot be parsed)."""
    choice: tuple[int, str, int, list[list[str]]] | None = None  # (score, delimiter, index, rows)
    for delimiter in _DELIMITERS:
        rows = _rows(sample, delimiter)
        index = None if rows is None else find_header(rows, kind)
        if rows is not None and index is not None:
            score = header_score(rows[index], kind)
            if choice is None or score > choice[0]:
                choice = (score, delimiter, index, rows)
    if choice is not None:
        return choice[1], choice[2], choice[3]
    first = next((line for line in sample if line.strip()), "")
    delimiter = max(_DELIMITERS, key=first.count)
    rows = _rows(sample, delimiter)
    return delimiter, first_non_blank(rows) if rows else 0, rows


@dataclass(frozen=True)
class _Sample:
    """The first 64 KB of a file as text, and the whole text when it had to be decoded."""

    text: str
    complete: bool
    decoded: str | None

    @cached_property
    def lines(self) -> list[str]:
        # Only CR, LF and CRLF end a line, as for polars: `str.splitlines` also ends one at a
        # U+2028, a form feed or a NEL, which would put the header a line further down.
        lines = _LINE_END.split(self.text)
        if lines and not lines[-1]:
            lines.pop()
        return lines[:HEADER_SEARCH_ROWS]

    @property
    def cr_lines(self) -> bool:
        """Whether a carriage return alone ends a line in this file, as in Excel. polars ends a
        line only at a line feed, so such a file is read with every line end made a line feed:
        Excel for Mac's 'CSV (Macintosh)', and any file whose first 64 KB hold a lone CR (one
        ending a title, the header or a row made the row below it part of that row). A lone
        CR inside a quoted value is a line break there, as a line feed is."""
        return _ends_a_line_alone(self.text)


def _sample(draft: Draft, source: Source) -> _Sample:
    head = source.head(SAMPLE_BYTES)
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff")) or utf16_order(head[:4096]) is not None
    if utf16 or not _sample_text(head)[1]:
        text = decode_text(draft, source.read(), fix=_SAVE_AS_UTF8)
        return _Sample(text[:SAMPLE_BYTES], len(text) <= SAMPLE_BYTES, text)
    return _Sample(_sample_text(head)[0], len(head) < SAMPLE_BYTES, None)


def _header_cells(
    sample: _Sample, records: list[list[str]] | None, header_index: int, delimiter: str
) -> list[str]:
    """The header row's cells, from the sample's `records` (`header_index` counts records, as
    polars skips them: a title row holding a quoted line break is one record over two lines);
    the line alone when the sample did not parse as records."""
    if records is not None and header_index < len(records):
        return records[header_index]
    line = _rows(sample.lines[header_index : header_index + 1], delimiter)
    return line[0] if line else []


def _refuse_header(sample: _Sample, cells: list[str], limits: Limits) -> None:
    """Refuse a header before any work per column: too many columns, or no line end at all."""
    if len(cells) > limits.max_columns:
        raise Unreadable(
            f"the file has {len(cells):,} columns, over {limits.max_columns:,}",
            "Delete stray columns, or raise the limit with --max-columns.",
        )
    if not sample.complete and len(sample.lines) <= 1:
        raise Unreadable("the first line is longer than 64 KB: it cannot be a return's header")


def read_csv(draft: Draft, source: Source, kind: Kind | None, limits: Limits) -> None:
    """Read a CSV file into `draft`."""

    sample = _sample(draft, source)
    if not sample.text.strip() and sample.complete:
        raise Unreadable("the file holds only blank lines", code="empty-file")
    delimiter, header_index, records = _dialect(sample.lines, kind)
    if delimiter != ",":
        draft.note(
            "delimiter-not-comma",
            f"values are separated by {_DELIMITER_NAMES[delimiter]}s, not commas",
            row=header_index + 1,
            hint="Save as 'CSV (Comma delimited)'; this file was read anyway.",
        )
    note_title_rows(draft, header_index)
    cells = _header_cells(sample, records, header_index, delimiter)
    _refuse_header(sample, cells, limits)
    # Columns of codes and dates become categoricals: each distinct value is stored once, so a
    # large file costs less memory and its values are parsed once each.
    categorical = {i for i, cell in enumerate(cells) if holds_codes(cell)}
    read = _Read(
        delimiter,
        header_index,
        limits.max_rows + 2,
        categorical,
        sample.cr_lines,
        tuple(cells),
        _title_lines(sample, delimiter, header_index),
        sample.complete,
        _plain_first_line(sample, records, header_index),
    )
    if sample.complete:
        # polars may read a quote never closed as one long value: find it first.
        trouble = quote_trouble(read.below_title(sample.text), delimiter)
        if trouble is not None and trouble[1]:
            raise _malformed(sample.text.removeprefix("\ufeff"), read)
    header, body = _load(draft, source, sample.decoded, read)
    if header is None:
        raise _no_rows(source, sample.decoded, read)
    set_table(draft, header, body, first_row_number=header_index + 1, limits=limits)
    draft.line_breaks = _line_breaks(header, draft)


def _line_breaks(header: tuple[object, ...], draft: Draft) -> tuple[tuple[int, int], ...]:
    """The rows (the header's too) whose cells hold line breaks, and how many: a look at the
    coded columns' values and one count over the text columns, then a pass only when some do."""
    head = sum(str(h).count("\n") for h in header if h)
    breaks = [(draft.header_row or 0, head)] if head else []
    frame = draft.frame
    if frame is not None and draft.line_feeds is None:
        _line_ends(frame, draft)
    if frame is not None and draft.line_feeds:
        breaks += _rows_with_breaks(frame)
    return tuple(breaks)


def _rows_with_breaks(frame: pl.DataFrame) -> list[tuple[int, int]]:
    import polars as pl

    counted = pl.sum_horizontal(
        pl.col(c).cast(pl.String).str.count_matches("\n", literal=True).fill_null(0)
        for c in frame.columns
        if c != ROW
    )
    rows = frame.select(ROW, counted.alias("n")).filter(pl.col("n") > 0)
    return [(int(row), int(n)) for row, n in rows.iter_rows()]


def _title_lines(sample: _Sample, delimiter: str, header_index: int) -> int | None:
    """How many lines (as polars counts them) the title rows above the header take; None when
    there are none, or when they cannot be told apart (polars then skips rows).

    Title rows are skipped as lines because polars skips rows by quote parity: an inch mark in a
    title (`Report for the 5" hub`) would open a quote that swallows the header."""
    if header_index == 0:
        return None
    reader = csv.reader(sample.lines, delimiter=delimiter)
    try:
        for _ in range(header_index):
            next(reader)
    except (csv.Error, StopIteration):
        return None
    # The sample's lines end where polars' do: at a line feed, or at any line end when a lone CR
    # ends lines too (they are all made line feeds).
    return reader.line_num


class _Read(NamedTuple):
    """How polars is to read the file: its dialect, where the header is, what to keep as codes."""

    delimiter: str
    header_index: int
    max_rows: int
    categorical: set[int]
    cr_lines: bool = False
    headers: tuple[str, ...] = ()
    title_lines: int | None = None
    """The lines the title rows take, when they are skipped as lines (`_title_lines`)."""
    sniffed_whole: bool = False
    """Whether the sniffed sample was the whole file (so `cr_lines` knows its every lone CR)."""
    plain_header: bool = False
    """Whether the header is the file's first line, in plain ASCII with no quote: polars splits
    it as `headers` were split, so it need not be read on its own (`_plain_first_line`)."""

    def below_title(self, text: str) -> str:
        """The text from the header down, when the title rows are skipped as lines; else all
        of it. Lines are counted, not characters, so the text may be decoded otherwise than the
        sample was."""
        if not self.title_lines:
            return text
        # Title rows hold no lone CR unless every line end counts: either way, count them all.
        found = list(itertools.islice(_LINE_END.finditer(text), self.title_lines))
        return text[found[-1].end() :] if len(found) == self.title_lines else text

    def table(
        self, data: str | io.BytesIO, truncate: bool
    ) -> tuple[tuple[object, ...] | None, pl.DataFrame]:
        """The header row's cells (None if the file has no row) and the rows below it. A plain
        header is taken as the sniffing split it, once the grid's first row agrees (as many
        cells, the same text in each cell read as text); any other is read on its own."""
        first, body = self._body(data, truncate)
        plain = tuple(cell or None for cell in self.headers)
        if first is not None and self.plain_header and self._agrees(first, plain):
            return plain, body
        return self._header(_rewind(data)), body

    def _agrees(self, first: tuple[object, ...], plain: tuple[str | None, ...]) -> bool:
        """Whether the grid's first row, as `_body` read it (codes' cells left out, as None), is
        the header as split from the sample."""
        return len(first) == len(plain) and all(
            first[i] == plain[i] for i in range(len(plain)) if i not in self.categorical
        )

    def _scan(self, data: str | io.BytesIO, n_rows: int, truncate: bool) -> pl.LazyFrame:
        """The grid from the header row down: its first row sets the number of columns."""
        import polars as pl

        return pl.scan_csv(
            data,
            has_header=False,
            separator=self.delimiter,
            infer_schema=False,
            skip_rows=0 if self.title_lines else self.header_index,
            skip_lines=self.title_lines or 0,
            truncate_ragged_lines=truncate,
            raise_if_empty=False,
            n_rows=n_rows,
            glob=False,
        )

    def _header(self, data: str | io.BytesIO) -> tuple[object, ...] | None:
        """The header row, read on its own (the grid's first row, as `_body` reads it), so no
        value of it joins a column's categories: they then hold only what the rows hold.

        From the file's first 64 KB when a second row starts within them: the first row is then
        read from the same bytes as from the whole file (polars spends 10 ms finding the first
        row of a 60 MB file); from the whole file otherwise."""
        import polars as pl

        head, whole = _head_of(data)
        if whole or head:
            try:
                # Wider rows below are the body's to tell (as ragged rows), not the header's.
                rows = self._scan(io.BytesIO(head), n_rows=2, truncate=True).collect(
                    engine=engine_for(2)
                )
            except pl.exceptions.PolarsError:
                rows = None  # the whole file's read says why, or reads further
            if rows is not None and (whole or rows.height == 2):
                return rows.row(0) if rows.height else None
        row = self._scan(_rewind(data), n_rows=1, truncate=True).collect(engine=engine_for(1))
        return row.row(0) if row.height else None

    def _body(
        self, data: str | io.BytesIO, truncate: bool
    ) -> tuple[tuple[object, ...] | None, pl.DataFrame]:
        """The rows below the header, read and typed in one streaming query: the cells are read
        as text (polars can panic parsing hostile multi-byte text straight into a categorical;
        casting never has) and cast chunk by chunk, so the whole text frame never sits beside
        the typed one. The grid is read from the header row, as `_header` reads it (so rows are
        split into cells the same way), and the header's cells are left out of the cast; that
        first row is returned too (None when there is none), its codes' cells as None.

        Not by slicing the header off in the query: polars pushes such a slice into the CSV
        reader, which then reads a malformed file (a stray quote) as no rows, without an error.
        """
        import polars as pl

        query = self._scan(data, n_rows=self.max_rows, truncate=truncate)
        names = query.collect_schema().names()
        below = pl.col(_INDEX) > 0
        # Named as the table names them (`c0`, `c1`, ...), so what is learnt of a column here
        # (`Draft.tidy_texts`) names it as the checks will.
        typed = query.with_row_index(_INDEX).select(
            (
                as_codes(pl.when(below).then(pl.col(name)))
                if i in self.categorical
                else pl.col(name)
            ).alias(f"c{i}")
            for i, name in enumerate(names)
        )
        grid = typed.collect(engine="streaming")
        return (grid.row(0) if grid.height else None), grid.slice(1)


def _plain_first_line(sample: _Sample, records: list[list[str]] | None, header_index: int) -> bool:
    """Whether the header is the file's first line, of printable ASCII without a quote or a lone
    CR: the CSV module and polars then split it alike, at each delimiter (`_Read.plain_header`).
    Anything else (a title above it, a quoted cell, another alphabet, a file re-read in another
    encoding) is read as polars reads it."""
    if header_index != 0 or records is None or not records or not sample.lines:
        return False
    line = sample.lines[0]
    printable = line.replace("\t", " ").isprintable()  # a tab may be the delimiter
    return line.isascii() and printable and '"' not in line and not sample.cr_lines


def _load(
    draft: Draft, source: Source, text: str | None, read: _Read
) -> tuple[tuple[object, ...] | None, pl.DataFrame]:
    """The header and the rows; the slow paths (a late non-UTF-8 byte, a late lone CR, a ragged
    row) only when met."""
    import polars as pl

    data = _data(source, text, read)
    try:
        header, body = read.table(data, truncate=False)
    except pl.exceptions.PolarsError as error:
        message = str(error)
        if "invalid utf-8" in message and text is None:
            return _as_windows_1252(draft, source, read)
        if not read.cr_lines and _lone_cr_in(source, text):
            # A lone CR past the first 64 KB ends a line, as in Excel: polars, which ends lines
            # at line feeds only, read the rows either side of it as one (too wide, or with a
            # quote it cannot read).
            return _load(draft, source, text, read._replace(cr_lines=True))
        if "more fields" not in message:
            raise _malformed(_text_of(source, text), read) from error
        try:
            header, body = read.table(_rewind(data), truncate=True)
        except pl.exceptions.PolarsError as again:
            if "invalid utf-8" in str(again) and text is None:  # told after the wide row
                return _as_windows_1252(draft, source, read)
            raise _malformed(_text_of(source, text), read) from again
        ragged_rows(draft, _text_of(source, text), read.delimiter, read.header_index)
        return header, body
    if not (read.cr_lines or read.sniffed_whole) and _holds_lone_cr(body, draft):
        # A lone CR past the first 64 KB that made no row too wide: in a cell, as polars read
        # it, where Excel starts a row.
        draft.line_feeds, draft.tidy_texts = None, frozenset()  # counted again when read again
        return _load(draft, source, text, read._replace(cr_lines=True))
    return header, body


def _as_windows_1252(
    draft: Draft, source: Source, read: _Read
) -> tuple[tuple[object, ...] | None, pl.DataFrame]:
    """Valid UTF-8 at the start, not further on: the file read again, all as Windows-1252."""
    return _load(draft, source, decode_text(draft, source.read(), fix=_SAVE_AS_UTF8), read)


def _data(source: Source, text: str | None, read: _Read) -> str | io.BytesIO:
    """What polars reads: the text when it had to be decoded, else the file itself; with every
    line end a line feed when a lone CR ends lines."""
    if read.cr_lines:
        return _lf_lines([text.encode("utf-8")] if text is not None else source.chunks())
    return io.BytesIO(text.encode("utf-8")) if text is not None else source.for_polars()


def _text_of(source: Source, text: str | None) -> str:
    """The file's text (for the slow paths that look at it), without a byte order mark."""
    if text is None:
        text = source.read().decode("utf-8", errors="replace")
    return text.removeprefix("\ufeff")


def _lone_cr_in(source: Source, text: str | None) -> bool:
    """Whether the file holds a CR that ends no CRLF, searched in place rather than copied."""
    return _ends_a_line_alone(text if text is not None else source.read())


def _ends_a_line_alone(text: str | bytes) -> bool:
    """Whether `text` holds a CR that ends no CRLF. A CR that is its very last character is
    passed over (it may be the first half of a CRLF cut off); the search stops before that one
    only, so the CR of a CRLF at the end is never taken for a lone one."""
    if isinstance(text, bytes):
        return _LONE_CR_BYTES.search(text, 0, len(text) - text.endswith(b"\r")) is not None
    return _LONE_CR.search(text, 0, len(text) - text.endswith("\r")) is not None


def _holds_lone_cr(body: pl.DataFrame, draft: Draft) -> bool:
    """Whether a cell holds a CR that ends no CRLF: a look at the coded columns' values alone
    (in Python, a few thousand short strings), and one pass over the text columns. The same
    pass tells whether cells hold line feeds (`Draft.line_feeds`, which `_line_breaks` needs)
    and which text columns are tidy (`Draft.tidy_texts`, which parsing needs)."""
    import polars as pl

    ends = _line_ends(body, draft)
    if "\r" in ends.values and _LONE_CR.search(ends.values):
        return True
    if not ends.crs:
        return False
    lone = "\r(?:[^\n]|$)"
    found = body.lazy().select(pl.any_horizontal(pl.col(ends.odd).str.contains(lone).any()))
    return bool(found.collect(engine=engine_for(body.height)).item())


class _LineEnds(NamedTuple):
    """What the pass over a table's cells found of carriage returns (`_line_ends`)."""

    values: str
    """The coded columns' values, joined by NUL (a CR that ends a value is then followed by no
    line feed, as it is alone)."""
    crs: int
    """The CRs in the text columns' cells."""
    odd: list[str]
    """The text columns with an odd cell (`_ODD`): only they can hold a CR."""


_ODD = UNTIDY + r"|[\r\n]"
"""A cell that is untidy (`UNTIDY`: blank, or spaces around it) or holds a line break: in a file
of ids, none."""


def _line_ends(body: pl.DataFrame, draft: Draft) -> _LineEnds:
    """The coded columns' values and the CRs in the text columns' cells; sets whether any cell
    holds a line feed (`Draft.line_feeds`) and which text columns are tidy (`Draft.tidy_texts`).

    One pass asks whether any cell of a text column is odd (blank, spaced or broken), which in a
    return is rare: only the odd columns are then counted. A pass costs as much as a count.
    """
    import polars as pl

    coded = (read_texts(body[name]) or [] for name in body.columns)
    values = "\x00".join(itertools.chain.from_iterable(coded))
    texts = [name for name, dtype in body.schema.items() if dtype == pl.String]
    odd = (
        body.lazy()
        .select(pl.col(texts).str.contains(_ODD).any())
        .collect(engine=engine_for(body.height))
        .row(0)
        if texts
        else ()
    )
    draft.tidy_texts = frozenset(name for name, flag in zip(texts, odd, strict=True) if not flag)
    counted = [name for name, flag in zip(texts, odd, strict=True) if flag]
    crs = lfs = 0
    if counted:  # the tidy columns hold no line break: only the others are counted
        crs, lfs = (
            body.lazy()
            .select(
                pl.sum_horizontal(pl.col(counted).str.count_matches(end, literal=True).sum()).alias(
                    name
                )
                for name, end in (("cr", "\r"), ("lf", "\n"))
            )
            .collect(engine=engine_for(body.height))
            .row(0)
        )
    draft.line_feeds = "\n" in values or bool(lfs)
    return _LineEnds(values, int(crs), counted)


def _no_rows(source: Source, text: str | None, read: _Read) -> Unreadable:
    """Why polars read no row from a file that is not blank: a quote it cannot read in the header
    makes it read none, without an error."""
    if text is None:
        text = source.read().decode("utf-8", errors="replace")
    if not text.strip():
        return Unreadable("the file holds no rows", code="empty-file")
    return _malformed(text.removeprefix("\ufeff"), read)


def _malformed(text: str, read: _Read) -> Unreadable:
    """Why the CSV library refused the text: the first quote it cannot read, below the title rows
    when they are skipped as lines (as polars read them), with their rows counted in."""
    return quote_fault(
        read.below_title(text),
        read.delimiter,
        read.headers,
        _LINE_END if read.cr_lines else _LINE_FEED,
        rows_above=read.header_index if read.title_lines else 0,
    )


def _lf_lines(chunks: Iterable[bytes]) -> io.BytesIO:
    """The bytes with every line ending a line feed, for a file whose lines end in a CR alone:
    chunk by chunk, so the file is held once (as the buffer polars reads), never twice. A CRLF
    (in a quoted cell) becomes one LF, so no blank line appears and rows keep their numbers."""
    out = io.BytesIO()
    carry = b""
    for chunk in chunks:
        chunk = carry + chunk
        carry = b"\r" if chunk.endswith(b"\r") else b""
        out.write(chunk[: len(chunk) - len(carry)].replace(b"\r\n", b"\n").replace(b"\r", b"\n"))
    out.write(b"\n" if carry else b"")
    out.seek(0)
    return out


def _head_of(data: str | io.BytesIO) -> tuple[bytes, bool]:
    """The data's first `SAMPLE_BYTES` cut after their last line feed (no line is cut in two),
    and whether that is all of it."""
    if isinstance(data, io.BytesIO):
        head = bytes(data.getbuffer()[: SAMPLE_BYTES + 1])
    else:
        with open(data, "rb") as file:
            head = file.read(SAMPLE_BYTES + 1)
    if len(head) <= SAMPLE_BYTES:
        return head, True
    return head[: head.rfind(b"\n") + 1], False


def _rewind(data: str | io.BytesIO) -> str | io.BytesIO:
    if isinstance(data, io.BytesIO):
        data.seek(0)
    return data
