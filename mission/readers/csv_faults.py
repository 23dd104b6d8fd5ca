"""Where a CSV's text goes wrong, told at the row and cell Excel shows: a quote the CSV library
cannot read, a quote never closed, a row wider than the header. Only on the slow paths: the text
is looked at only once polars has refused it, or read a row too wide."""

from __future__ import annotations

import csv
import io
import re

from mission.columns import normalise_header
from mission.findings import column_letter
from mission.readers.header import CONTRACT_NAMES
from mission.readers.table import Draft, Unreadable

__all__ = ["quote_fault", "quote_trouble", "ragged_rows"]

_UNCLOSED_HINT = 'Close the quote (") or remove it; save the file again from Excel as CSV.'


def quote_fault(
    text: str,
    delimiter: str,
    headers: tuple[str, ...],
    breaks: re.Pattern[str],
    rows_above: int = 0,
) -> Unreadable:
    """Why the CSV library refused `text` (from the header down), in the officer's terms: the row
    and cell of the first quote it cannot read, or of a quote never closed. `breaks` are the line
    ends that end rows; `rows_above` the rows above the text (title rows)."""
    trouble = quote_trouble(text, delimiter)
    if trouble is None:
        return Unreadable(
            "the CSV cannot be parsed: its rows are not separated as CSV rows are",
            'Check for a stray quote (") in the file; save it again from Excel as CSV UTF-8.',
        )
    at, unclosed = trouble
    row, start = _record_of(text, at, breaks)
    row += rows_above
    position = _cells_before(text[start:at], delimiter) - 1
    letter = column_letter(position)
    named = headers[position] if position < len(headers) else ""
    # A header is named only when it is a contract column's: the first row may be a person's
    # record rather than a header.
    known = normalise_header(named) in CONTRACT_NAMES
    column = f"column {letter}" + (f" ({named.strip()})" if known else "")
    if unclosed:
        return Unreadable(
            f'a quote (") opens a value in {column} and is never closed',
            _UNCLOSED_HINT,
            row=row,
            cell=f"{letter}{row}",
        )
    return Unreadable(
        f'a quote (") in the middle of a value in {column} cannot be read: only a value '
        "put in quotes may hold one",
        "Remove the quote, or put the whole value in quotes and double the quote inside it "
        '(e.g. "the ""No11"" hub"); Excel does this itself when it saves as CSV.',
        row=row,
        cell=f"{letter}{row}",
    )


def _record_of(text: str, at: int, breaks: re.Pattern[str]) -> tuple[int, int]:
    """The row number of the record holding position `at`, and where that record starts: a line
    break inside a quoted value (well formed, before `at`) ends no record, as in Excel."""
    row, start, inside = 1, 0, False
    for mark in re.finditer(f'"|{breaks.pattern}', text[:at]):
        if mark.group() == '"':
            inside = not inside  # a doubled quote inside a value toggles twice
        elif not inside:
            row, start = row + 1, mark.end()
    return row, start


def _cells_before(line: str, delimiter: str) -> int:
    """How many cells the start of a line holds (the last one perhaps cut short). The line was
    cut at the file's line ends, so a line break of the other kind inside it (a lone CR in a
    file of LFs) is a character of a cell, as the CSV library read it, never a line end."""
    flat = line.replace("\r", " ").replace("\n", " ")
    try:
        # An empty start is the first cell, begun (the CSV module reads no cell in it).
        return max(1, len(next(csv.reader([flat], delimiter=delimiter), [])))
    except csv.Error:  # what the CSV module refuses in a line, the delimiters still count
        return line.count(delimiter) + 1


def quote_trouble(text: str, delimiter: str) -> tuple[int, bool] | None:
    """Where the first quote is that the CSV library cannot read (a quote in the middle of a
    value that was not quoted, or text after a quoted value's closing quote), or where a value
    opens that no quote closes (then True); None if neither.

    Only the quotes are visited (a file has few), so this is fast even on a large file.
    """
    ends = (delimiter, "\n", "\r")
    inside, opened = False, 0
    quotes = (match.start() for match in re.finditer('"', text))
    for at in quotes:
        if inside:
            following = text[at + 1 : at + 2]
            if following == '"':  # a doubled quote inside a quoted value
                next(quotes, None)
            elif following and following not in ends:
                return at, False
            else:
                inside = False
        elif at == 0 or text[at - 1] in ends:
            inside, opened = True, at
        else:
            return at, False
    return (opened, True) if inside else None


def ragged_rows(draft: Draft, text: str, delimiter: str, header_index: int) -> None:
    """Only on the slow path (a row wider than the header): say where each such row is.

    The stray values are never shown: their column is unknown, so nothing says they are not
    a person's id. Only their place is.
    """
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
        extra = [i for i, c in enumerate(row[width:], start=width) if c.strip()]
        if len(row) > width and extra:
            if draft.sink.room("extra-cells") == 0:
                draft.sink.count_over("extra-cells", 1)
                continue
            draft.note(
                "extra-cells",
                f"row has {len(row)} values but the header has {width} columns",
                row=number,
                cell=f"{draft.letter(extra[0])}{number}",
                hint="Remove the stray values, or add the missing column header.",
            )
