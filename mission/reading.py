"""Read a return file of any supported format into a table of text cells with editor row numbers.

Reading is where messy files are forgiven: encodings, delimiters, title rows, notes blocks,
Excel's own cell types. What comes out is uniform — one text column per header cell and a `__row`
column with the row number the user sees in their editor — so validation has one shape to check.
Anything that cannot be read becomes a `could-not-read` finding, never an exception.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from mission.findings import Finding, finding
from mission.limits import Limits
from mission.spec import ColumnType, kind_spec, kinds, normalise_header

if TYPE_CHECKING:
    import polars as pl

__all__ = ["ROW", "RawTable", "read_table", "supported_suffixes"]

ROW = "__row"
"""The column holding each row's number as the user sees it in their editor."""

_SUFFIXES = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".parquet": "parquet",
}
_HEADER_SEARCH_ROWS = 30


def supported_suffixes() -> tuple[str, ...]:
    return tuple(_SUFFIXES)


@dataclass
class RawTable:
    """A file's cells as text, before any checking.

    `frame` has `__row` and one string column per header cell, named `c0`, `c1`, ... in header
    order (header texts can repeat or be blank, so they cannot be column names yet).
    """

    path: Path
    format: str
    headers: list[str] = field(default_factory=list)
    frame: pl.DataFrame | None = None
    findings: list[Finding] = field(default_factory=list)
    declared_kind: str | None = None
    header_row: int | None = None

    @property
    def display(self) -> str:
        return str(self.path)

    def fail(self, message: str, hint: str | None = None, code: str = "could-not-read") -> RawTable:
        self.findings.append(finding(code, message, self.display, hint=hint))
        self.frame = None
        return self


class _Unreadable(Exception):
    """Internal: stop reading this file with a could-not-read finding."""

    def __init__(self, message: str, hint: str | None = None, code: str = "could-not-read"):
        self.message = message
        self.hint = hint
        self.code = code
        super().__init__(message)


def _sniff(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if head.startswith(b"PAR1"):
        return "parquet"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] in (b"[", b"{"):
        return "json"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"
    if b"\x00" in head:
        return "binary"
    return "csv"


_DESCRIPTIONS = {
    "xlsx": "an Excel workbook",
    "xls": "an old Excel 97-2003 (.xls) workbook",
    "parquet": "a Parquet file",
    "json": "JSON",
    "csv": "CSV text",
    "binary": "a binary file",
}


def read_table(path: Path, kind: str | None = None, limits: Limits | None = None) -> RawTable:
    """Read one file; problems become findings on the returned table (its frame is then None)."""
    limits = limits or Limits()
    claimed = _SUFFIXES.get(path.suffix.lower())
    table = RawTable(path=path, format=claimed or "unknown")
    try:
        size = path.stat().st_size
        if size == 0:
            return table.fail(
                "the file is empty (0 bytes)", "Export the return again.", "empty-file"
            )
        if size > limits.max_file_bytes:
            raise _Unreadable(
                f"the file is {size:,} bytes, over the limit of {limits.max_file_bytes:,}",
                "Split the return, or raise the limit with --max-file-mb.",
            )
        with path.open("rb") as handle:
            head = handle.read(8192)
        actual = _sniff(head)
        if claimed and actual != claimed and not (claimed == "csv" and actual == "json"):
            hint = {
                "xlsx": f"Rename it to {path.stem}.xlsx.",
                "csv": f"Rename it to {path.stem}.csv, or save it again from Excel as .xlsx.",
                "json": f"Rename it to {path.stem}.json.",
                "parquet": f"Rename it to {path.stem}.parquet.",
                "xls": "Open it in Excel and save it as an Excel Workbook (.xlsx).",
            }.get(actual, "Export the return again as CSV, Excel (.xlsx) or JSON.")
            raise _Unreadable(
                f"the file is named {path.suffix} but is {_DESCRIPTIONS[actual]}", hint
            )
        table.format = actual
        if actual == "xlsx":
            _read_excel(table, kind, limits)
        elif actual == "json":
            _read_json(table, limits)
        elif actual == "parquet":
            _read_parquet(table, limits)
        elif actual == "csv":
            _read_csv(table, kind, limits)
        else:
            raise _Unreadable(
                f"the file is {_DESCRIPTIONS[actual]}, not a return",
                "Save the return as CSV, Excel (.xlsx) or JSON.",
            )
    except _Unreadable as problem:
        return table.fail(problem.message, problem.hint, problem.code)
    except OSError as error:
        return table.fail(f"the file cannot be opened: {error.strerror or error}")
    except BaseException as error:
        # A panic inside a reader library (pyo3's PanicException derives from BaseException)
        # means a file it cannot parse: report it, never crash on a stranger's file.
        if type(error).__name__ != "PanicException":
            raise
        return table.fail(
            "the file could not be parsed (the reader failed on its content)",
            "Save it again as CSV UTF-8 or Excel (.xlsx), and report the file to mission.",
        )
    if table.frame is not None:
        _tidy(table)
    return table


# --- CSV -------------------------------------------------------------------------------------


def _decode(table: RawTable, raw: bytes) -> tuple[str, bytes]:
    """The text, and UTF-8 bytes of it for polars (the original bytes when already UTF-8)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as error:
            raise _Unreadable("the file claims to be UTF-16 but is not valid UTF-16") from error
        table.findings.append(finding("non-utf8-encoding", "read as UTF-16 text", table.display))
        return text, text.encode("utf-8")
    try:
        return raw.decode("utf-8"), raw
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as error:
        raise _Unreadable(
            "the file is not text in UTF-8 or Windows-1252",
            "Save it again from Excel as 'CSV UTF-8 (Comma delimited)'.",
        ) from error
    table.findings.append(
        finding(
            "non-utf8-encoding",
            "read as Windows-1252 text (as Excel on Windows saves it)",
            table.display,
            hint="To avoid this, save as 'CSV UTF-8' in Excel.",
        )
    )
    return text, text.encode("utf-8")


_DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


def _header_score(cells: Sequence[object], kind: str | None) -> int:
    """How many required columns of the best-matching kind a row holds (0 = not a header)."""
    names = {normalise_header(str(c)) for c in cells if c is not None and str(c).strip()}
    specs = [kind_spec(kind)] if kind else list(kinds())
    best = 0
    for spec in specs:
        hits = len(names & set(spec.required))
        if hits * 2 >= len(spec.required):
            best = max(best, hits)
    return best


def _find_header(rows: Sequence[Sequence[object]], kind: str | None) -> int | None:
    """Index of the first row that holds the required columns of a kind."""
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        if _header_score(row, kind):
            return index
    return None


def _first_non_blank(rows: Sequence[Sequence[object]]) -> int:
    for index, row in enumerate(rows):
        if any(c is not None and str(c).strip() for c in row):
            return index
    return 0


_SAMPLE_BYTES = 65536
_FREE_TEXT = frozenset(c.name for k in kinds() for c in k.columns if c.type is ColumnType.TEXT)


def _sample_text(head: bytes) -> tuple[str, bool]:
    """Text of the file's first bytes, and whether those bytes are valid UTF-8."""
    body = head.removeprefix(b"\xef\xbb\xbf")
    try:
        return body.decode("utf-8"), True
    except UnicodeDecodeError as error:
        if error.start >= len(body) - 3:  # a character cut in two at the end of the sample
            return body[: error.start].decode("utf-8"), True
        return body.decode("cp1252", errors="replace"), False


def _read_csv(table: RawTable, kind: str | None, limits: Limits) -> None:
    import polars as pl

    with table.path.open("rb") as handle:
        head = handle.read(_SAMPLE_BYTES)
    source: str | bytes = str(table.path)
    text: str | None = None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or not _sample_text(head)[1]:
        text, utf8 = _decode(table, table.path.read_bytes())
        source = utf8
        sample_text = text[:_SAMPLE_BYTES]
    else:
        sample_text = _sample_text(head)[0]
    if not sample_text.strip() and len(head) < _SAMPLE_BYTES:
        raise _Unreadable("the file holds only blank lines", code="empty-file")
    sample = sample_text.splitlines()[:_HEADER_SEARCH_ROWS]
    choice: tuple[int, str, int] | None = None  # (score, delimiter, header index)
    for delimiter in _DELIMITERS:
        try:
            rows = list(csv.reader(sample, delimiter=delimiter))
        except csv.Error:
            continue
        index = _find_header(rows, kind)
        if index is not None:
            score = _header_score(rows[index], kind)
            if choice is None or score > choice[0]:
                choice = (score, delimiter, index)
    if choice is None:
        first = next((line for line in sample if line.strip()), "")
        delimiter = max(_DELIMITERS, key=first.count)
        try:
            header_index = _first_non_blank(list(csv.reader(sample, delimiter=delimiter)))
        except csv.Error:
            header_index = 0
    else:
        _, delimiter, header_index = choice
    if delimiter != ",":
        table.findings.append(
            finding(
                "delimiter-not-comma",
                f"values are separated by {_DELIMITER_NAMES[delimiter]}s, not commas",
                table.display,
                row=header_index + 1,
                hint="Save as 'CSV (Comma delimited)'; this file was read anyway.",
            )
        )
    _note_title_rows(table, header_index)

    try:
        header_cells = list(
            csv.reader(sample[header_index : header_index + 1], delimiter=delimiter)
        )
    except csv.Error:
        header_cells = []
    # Columns of codes and dates become categoricals: each distinct value is stored once, so a
    # large file costs less memory and its values are parsed once each (see cells.py). They are
    # read as text and cast afterwards: polars 2.1 can panic when it parses hostile multi-byte
    # text straight into a categorical, and never did in our stress runs when casting.
    width = len(header_cells[0]) if header_cells else 0
    if width > limits.max_columns:
        raise _Unreadable(f"the file has {width:,} columns, over {limits.max_columns:,}")
    categorical = [
        f"column_{i}"
        for i, cell in enumerate(header_cells[0] if header_cells else [])
        if normalise_header(cell) not in _FREE_TEXT
    ]

    def load(data: str | bytes, truncate: bool) -> pl.DataFrame:
        return pl.read_csv(
            io.BytesIO(data) if isinstance(data, bytes) else data,
            has_header=False,
            separator=delimiter,
            infer_schema=False,
            skip_rows=header_index,
            truncate_ragged_lines=truncate,
            raise_if_empty=False,
            n_rows=limits.max_rows + 2,
        )

    try:
        try:
            frame = load(source, truncate=False)
        except pl.exceptions.ComputeError as error:
            if "invalid utf-8" in str(error) and text is None:
                # Valid UTF-8 at the start, not further on: read it all as Windows-1252.
                text, source = _decode(table, table.path.read_bytes())
                frame = load(source, truncate=False)
            elif "more fields" in str(error):
                frame = load(source, truncate=True)
                if text is None:
                    text = table.path.read_bytes().decode("utf-8", errors="replace")
                _find_ragged_rows(table, text.removeprefix("\ufeff"), delimiter, header_index)
            else:
                raise
    except pl.exceptions.PolarsError as error:
        first_line = (str(error).splitlines() or ["unknown problem"])[0]
        raise _Unreadable(
            f"the CSV cannot be parsed: {first_line}",
            'Check for an unclosed quote (") in the file; save it again from Excel as CSV.',
        ) from error
    if frame.width > limits.max_columns:
        raise _Unreadable(f"the file has {frame.width:,} columns, over {limits.max_columns:,}")
    frame = frame.with_columns(
        pl.col(c).cast(pl.Categorical) for c in categorical if c in frame.columns
    )
    _set_frame(table, frame, first_row_number=header_index + 1, limits=limits)


def _find_ragged_rows(table: RawTable, text: str, delimiter: str, header_index: int) -> None:
    """Only on the slow path (a row wider than the header): name each such row."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    width = 0
    rows = enumerate(reader, start=1)
    while True:
        try:
            number, row = next(rows)
        except (StopIteration, csv.Error):
            return
        if number <= header_index:
            continue
        if number == header_index + 1:
            width = len(row)
            continue
        extra = [c for c in row[width:] if c.strip()]
        if len(row) > width and extra:
            table.findings.append(
                finding(
                    "extra-cells",
                    f"row has {len(row)} values but the header has {width} columns",
                    table.display,
                    row=number,
                    value=extra[0],
                    hint="Remove the stray values, or add the missing column header.",
                )
            )


def _note_title_rows(table: RawTable, skipped: int) -> None:
    if skipped > 0:
        table.findings.append(
            finding(
                "title-rows-skipped",
                f"{skipped} row(s) above the header (row {skipped + 1}) were skipped",
                table.display,
                row=1,
            )
        )


def _set_frame(table: RawTable, frame: pl.DataFrame, first_row_number: int, limits: Limits) -> None:
    """Split off the header row and number the data rows as the editor shows them."""
    import polars as pl

    if frame.height == 0:
        raise _Unreadable("the file holds no rows", code="empty-file")
    if frame.height - 1 > limits.max_rows:
        raise _Unreadable(
            f"the file has more than {limits.max_rows:,} rows",
            "Split the return, or raise the limit with --max-rows.",
        )
    if frame.width > limits.max_columns:
        raise _Unreadable(f"the file has {frame.width:,} columns, over {limits.max_columns:,}")
    header = frame.row(0)
    table.headers = ["" if h is None else str(h) for h in header]
    table.header_row = first_row_number
    names = [f"c{i}" for i in range(frame.width)]
    body = frame.slice(1).rename(dict(zip(frame.columns, names, strict=True)))
    body = body.with_columns(
        pl.col(c).cast(pl.String)
        for c, dtype in body.schema.items()
        if dtype not in (pl.String, pl.Categorical)
    )
    table.frame = body.with_row_index(ROW, offset=first_row_number + 1).with_columns(
        pl.col(ROW).cast(pl.Int64)
    )


# --- Excel -----------------------------------------------------------------------------------

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CELL_REF = re.compile(r"^[A-Z]+(\d+)$")


def _check_zip(path: Path, limits: Limits) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise _Unreadable(
            "the Excel file is damaged (not a valid .xlsx zip archive)",
            "Open it in Excel and save it again as an Excel Workbook (.xlsx).",
        ) from error
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > limits.max_unzipped_bytes or (info.file_size > 10_000_000 and ratio > 200):
            archive.close()
            raise _Unreadable(
                "the Excel file expands to far more data than it holds (a zip bomb?)",
                "Save the workbook again from Excel; raise --max-file-mb if it is genuine.",
            )
    return archive


_CELL_EXTENT = re.compile(rb'<(?:c|row)\b[^>]*?\br="([A-Z]{0,3})(\d{1,12})"')
_EXCEL_MAX_ROWS, _EXCEL_MAX_COLUMNS = 1_048_576, 16_384


def _sheet_member(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding a sheet's XML, from the workbook's relationships."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    for node in workbook.iterfind("m:sheets/m:sheet", _NS):
        if node.get("name") == sheet:
            target = targets.get(node.get(_REL_NS), "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _check_sheet_extent(archive: zipfile.ZipFile, member: str | None, limits: Limits) -> None:
    """Refuse a sheet whose cells reach further than Excel allows or than our cell limit.

    The Excel reader sizes its grid from the furthest cell, so one cell at row 1,000,000,000
    would make it ask for tens of gigabytes: this streaming scan runs first.
    """
    if member is None:
        return
    max_row = max_column = 0
    tail = b""
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(1 << 20):
                data = tail + chunk
                for match in _CELL_EXTENT.finditer(data):
                    max_row = max(max_row, int(match.group(2)))
                    max_column = max(max_column, _column_number(match.group(1)))
                tail = data[-200:]
    except (KeyError, zipfile.BadZipFile, OSError, EOFError) as error:
        raise _Unreadable("the Excel file is damaged (a sheet cannot be unpacked)") from error
    if max_row > _EXCEL_MAX_ROWS or max_column > _EXCEL_MAX_COLUMNS:
        raise _Unreadable(
            f"the sheet claims a cell at row {max_row:,}, column {max_column:,}: beyond what "
            "Excel allows",
            "Save the workbook again from Excel.",
        )
    if max_row > limits.max_rows + _HEADER_SEARCH_ROWS + 1:
        raise _Unreadable(
            f"the sheet has {max_row:,} rows, over the limit of {limits.max_rows:,}",
            "Split the return, or raise the limit with --max-rows.",
        )
    if max_row * max(max_column, 1) > limits.max_cells:
        raise _Unreadable(
            f"the sheet spans {max_row:,} rows by {max_column:,} columns, over the limit of "
            f"{limits.max_cells:,} cells",
            "Remove stray cells far below or right of the table, or raise --max-cells.",
        )


def _sheet_first_row(archive: zipfile.ZipFile, member: str | None) -> int:
    """The Excel row number of the first cell with a value: the reader's rows start there."""
    if member is None:
        return 1
    tag_c, tag_v, tag_is = (f"{{{_NS['m']}}}{t}" for t in ("c", "v", "is"))
    try:
        with archive.open(member) as stream:
            for _, element in ElementTree.iterparse(stream, events=("end",)):
                if element.tag != tag_c:
                    continue
                has_value = any(
                    (child.tag == tag_v and (child.text or "") != "")
                    or (child.tag == tag_is and "".join(child.itertext()) != "")
                    for child in element
                )
                match = _CELL_REF.match(element.get("r", ""))
                if has_value and match:
                    return int(match.group(1))
                element.clear()
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile):
        return 1
    return 1


def _read_excel(table: RawTable, kind: str | None, limits: Limits) -> None:
    import fastexcel

    archive = _check_zip(table.path, limits)
    try:
        try:
            reader = fastexcel.read_excel(str(table.path))
        except Exception as error:  # fastexcel raises its own hierarchy for damaged workbooks
            raise _Unreadable(
                f"the Excel file cannot be read: {str(error).splitlines()[0][:200]}",
                "Open it in Excel and save it again as an Excel Workbook (.xlsx).",
            ) from error
        names = list(reader.sheet_names)
        if not names:
            raise _Unreadable("the workbook has no sheets", code="empty-file")
        wanted = [kind] if kind else [k.name for k in kinds()]
        matching = [n for n in names if normalise_header(n) in wanted]
        sheet = matching[0] if matching else names[0]
        if not matching and len(names) > 1:
            table.findings.append(
                finding(
                    "first-sheet-used",
                    f"no sheet is named after the kind; read the first sheet, {sheet!r}",
                    table.display,
                    hint="Name the data sheet after the kind, e.g. 'ost'.",
                )
            )
        member = _sheet_member(archive, sheet)
        _check_sheet_extent(archive, member, limits)
        try:
            frame = reader.load_sheet(
                sheet,
                header_row=None,
                dtypes="string",
                n_rows=limits.max_rows + 2 + _HEADER_SEARCH_ROWS,
            ).to_polars()
        except Exception as error:
            raise _Unreadable(
                f"sheet {sheet!r} cannot be read: {str(error).splitlines()[0][:200]}"
            ) from error
        first_row = _sheet_first_row(archive, member)
    finally:
        archive.close()
    rows = frame.head(_HEADER_SEARCH_ROWS).rows()
    header_index = _find_header(rows, kind)
    if header_index is None:
        header_index = _first_non_blank(rows)
    skipped = first_row - 1 + header_index
    _note_title_rows(table, skipped)
    _set_frame(table, frame.slice(header_index), first_row + header_index, limits)


# --- JSON and Parquet ------------------------------------------------------------------------


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _Unreadable(
                f"an object has the key {key!r} twice",
                "Keep one value per key.",
                code="duplicate-column",
            )
        seen[key] = value
    return seen


def _json_cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    return json.dumps(value)[:1000]


def _read_json(table: RawTable, limits: Limits) -> None:
    import polars as pl

    raw = table.path.read_bytes()
    text, _ = _decode(table, raw)
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as error:
        raise _Unreadable(
            f"the JSON is not valid: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from error
    except RecursionError as error:
        raise _Unreadable("the JSON is nested too deeply to be a return") from error
    rows: Any = data
    if isinstance(data, dict):
        if "rows" not in data:
            raise _Unreadable(
                "a JSON object must hold the rows under 'rows'",
                'Write {"kind": "ost", "spec_version": 1, "rows": [...]}, or an array of rows.',
            )
        table.declared_kind = str(data["kind"]) if data.get("kind") is not None else None
        version = data.get("spec_version", 1)
        if version != 1:
            table.findings.append(
                finding(
                    "unsupported-spec-version",
                    f"spec_version {version!r} is not supported: this mission reads version 1",
                    table.display,
                    value=version,
                    hint="Write spec_version 1, or upgrade mission.",
                )
            )
        rows = data["rows"]
    if not isinstance(rows, list):
        raise _Unreadable("the rows must be a JSON array of objects")
    if not rows:
        raise _Unreadable("the JSON holds no rows", code="no-data-rows")
    if len(rows) > limits.max_rows:
        raise _Unreadable(f"the file has more than {limits.max_rows:,} rows")
    headers: dict[str, None] = {}
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise _Unreadable(f"row {number} is not a JSON object", "Write each row as {...}.")
        headers.update(dict.fromkeys(row))
    if len(headers) > limits.max_columns:
        raise _Unreadable(f"the rows have {len(headers):,} keys, over {limits.max_columns:,}")
    table.headers = list(headers)
    columns = {
        f"c{i}": [_json_cell(row.get(h)) for row in rows] for i, h in enumerate(table.headers)
    }
    frame = pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))
    table.frame = frame.with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64))


def _read_parquet(table: RawTable, limits: Limits) -> None:
    import polars as pl

    try:
        frame = pl.read_parquet(table.path, n_rows=limits.max_rows + 1)
    except Exception as error:  # polars raises several types for damaged Parquet
        raise _Unreadable(f"the Parquet file cannot be read: {str(error)[:200]}") from error
    if frame.height > limits.max_rows:
        raise _Unreadable(f"the file has more than {limits.max_rows:,} rows")
    if frame.width > limits.max_columns:
        raise _Unreadable(f"the file has {frame.width:,} columns, over {limits.max_columns:,}")
    nested = [name for name, dtype in frame.schema.items() if dtype.is_nested()]
    if nested:
        raise _Unreadable(
            f"column {nested[0]!r} holds lists or records, not plain values",
            "Write one plain value per cell.",
        )
    table.headers = list(frame.columns)
    names = {c: f"c{i}" for i, c in enumerate(frame.columns)}
    try:
        frame = frame.rename(names).with_columns(
            pl.col(names[c]).cast(pl.String)
            if normalise_header(c) in _FREE_TEXT
            else pl.col(names[c]).cast(pl.String).cast(pl.Categorical)
            for c in table.headers
        )
    except pl.exceptions.PolarsError as error:
        raise _Unreadable(f"the Parquet columns cannot be read as values: {error}") from error
    table.frame = frame.with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64))


# --- After reading ---------------------------------------------------------------------------


def _tidy(table: RawTable) -> None:
    """Drop fully blank rows and set aside a notes block below the data.

    Cells are not trimmed here: each column's parser trims its distinct values, which costs far
    less than trimming every cell of a large file.
    """
    import polars as pl

    assert table.frame is not None
    cells = [c for c in table.frame.columns if c != ROW]
    if not cells:
        table.frame = None
        table.findings.append(finding("empty-file", "the file has no columns", table.display))
        return
    frame = table.frame.with_columns(
        pl.sum_horizontal(pl.col(c).is_not_null().cast(pl.Int32) for c in cells).alias("__filled")
    )
    data_like = frame.filter(pl.col("__filled") >= 2)
    if data_like.height:
        last_data_row = data_like[ROW].max()
        tail = frame.filter((pl.col(ROW) > last_data_row) & (pl.col("__filled") > 0))
        if tail.height:
            table.findings.append(
                finding(
                    "notes-block",
                    f"{tail.height} row(s) of notes below the data were ignored",
                    table.display,
                    row=int(tail[ROW][0]),
                    value=tail["c0"][0],
                )
            )
            frame = frame.filter(pl.col(ROW) <= last_data_row)
    blank = frame.filter(pl.col("__filled") == 0)
    if blank.height:
        table.findings.append(
            finding(
                "blank-rows-skipped",
                f"{blank.height} blank row(s) were skipped",
                table.display,
                row=int(blank[ROW][0]),
            )
        )
    table.frame = frame.filter(pl.col("__filled") > 0).drop("__filled")
    if table.frame.height == 0:
        table.findings.append(
            finding(
                "no-data-rows",
                "the header is there but no row below it holds data",
                table.display,
                row=table.header_row,
                hint="Fill in at least one row below the header.",
            )
        )
        table.frame = None
