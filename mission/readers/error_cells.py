"""Which Excel error each of a few error cells shows (#DIV/0!, #REF!...), so a finding can say
what went wrong in the formula, not only that something did.

The examination (`workbook.py`) found where the error cells are, with a real parser, and that is
never changed here. This only reads what the cells a finding names show: the sheet's part is
inflated again within the same limit, each error cell's element is found by its `t="e"` and
parsed on its own with expat, and its value is kept only when it is exactly one of Excel's errors
(`mission.excel_errors`). A cell not found so (a prefix, odd quoting, a damaged part) is told in
general terms, as before.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Collection
from xml.parsers import expat

from mission.excel_errors import error_meaning
from mission.limits import Limits
from mission.readers.table import Unreadable
from mission.readers.zips import Budget, inflate, zip_members

__all__ = ["error_values"]

_KEPT = 1 << 16
"""Bytes of one chunk kept with the next: a cell's element (its formula included) split between
two chunks is then whole in the second."""


def error_values(data: bytes, part: str, cells: Collection[str], limits: Limits) -> dict[str, str]:
    """The Excel error each of `cells` (references such as "D2") shows, for those found once,
    in the sheet's data (a cell element before it, or one given twice, is not taken at its
    word: the cell is told in general terms)."""
    wanted = set(cells)
    shown: dict[str, set[str]] = {}
    if not wanted or not part:
        return {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = zip_members(archive).get(part)
        if info is None:
            return {}
        kept, started = b"", False
        for number, chunk in enumerate(inflate(data, info, Budget(limits.max_unzipped_bytes))):
            text = kept + (_without_declaration(chunk) if number == 0 else chunk)
            if any(markup in text for markup in _MARKUP):
                return {}  # a cell's lookalike could hide in it: every error in general words
            if not started:
                at = text.find(_DATA)
                if at == -1:
                    kept = text[-len(_DATA) :]
                    continue
                text, started = text[at:], True
            done = _errors_in(text, wanted, shown)
            kept = text[max(done, len(text) - _KEPT) :]
    except (Unreadable, zipfile.BadZipFile, OSError, ValueError):
        return {}
    return {cell: next(iter(values)) for cell, values in shown.items() if len(values) == 1}


_DATA = b"sheetData"
"""Where a sheet's cells start: a cell element before it (in its properties) is none."""


def _errors_in(text: bytes, wanted: set[str], found: dict[str, set[str]]) -> int:
    """Add to `found` the wanted error cells whose elements are whole in `text`; where the
    elements looked at end. Each is found by its `t="e"`, as Excel writes it (a few in a
    sheet), not by a search for each wanted reference (ten thousand searches of every chunk)."""
    done = at = 0
    while (at := text.find(_ERROR, at)) != -1:
        # Within a cell's reach either way: a prefixed sheet (`<x:c>`) has no `<c` or `</c>`
        # to find, and each search must not run to the ends of the chunk.
        end = text.find(b"</c>", at, at + _KEPT)
        if end == -1:
            if len(text) - at < _KEPT:
                break  # the rest of this element is in the next chunk
            at += len(_ERROR)
            continue
        start = text.rfind(b"<c", max(at - _KEPT, 0), at)
        if start != -1 and text.find(b"<c", start + 2, end) == -1:
            cell = _parsed(text[start : end + 4])
            if cell is not None and cell[0] in wanted:
                found.setdefault(cell[0], set()).add(cell[1])
        at = done = end + 4
    return done


_ERROR = b't="e"'
_MARKUP = (b"<!--", b"<![CDATA[", b"<?")
"""Comments, CDATA and processing instructions: Excel writes none in a sheet's cells, and the
text of one may look like a cell element to the search."""


def _without_declaration(chunk: bytes) -> bytes:
    """The part's first chunk without its opening XML declaration (`<?xml ...?>`)."""
    start = chunk.lstrip()
    return start[start.find(b"?>") + 2 :] if start.startswith(b"<?xml") else chunk


def _parsed(element: bytes) -> tuple[str, str] | None:
    """The reference of a lone cell element and the error it shows, read by expat; None unless
    it is a cell marked as an error that shows one of Excel's own."""
    attributes: dict[str, str] = {}
    depth: list[str] = []
    value: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if not depth:
            attributes.update(attrs, element=name)
        depth.append(name)

    def end(_: str) -> None:
        depth.pop()

    def text(data: str) -> None:
        if depth[-1:] == ["v"] and len(depth) == 2:
            value.append(data)

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    try:
        parser.Parse(element, True)
    except (expat.ExpatError, _Refused):
        return None
    if attributes.get("element") != "c" or attributes.get("t") != "e":
        return None
    known = error_meaning("".join(value))
    return None if known is None else (attributes.get("r", ""), known[0])


class _Refused(Exception):
    """A declaration no cell element holds."""


def _refuse(*_: object) -> None:
    raise _Refused
