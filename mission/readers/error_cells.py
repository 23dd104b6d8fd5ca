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
    """The Excel error each of `cells` (references such as "D2") shows, for those found."""
    wanted = set(cells)
    found: dict[str, str] = {}
    if not wanted or not part:
        return found
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = zip_members(archive).get(part)
        if info is None:
            return found
        kept = b""
        for chunk in inflate(data, info, Budget(limits.max_unzipped_bytes)):
            text = kept + chunk
            done = _errors_in(text, wanted, found)
            if len(found) == len(wanted):
                break
            kept = text[max(done, len(text) - _KEPT) :]
    except (Unreadable, zipfile.BadZipFile, OSError, ValueError):
        return found
    return found


def _errors_in(text: bytes, wanted: set[str], found: dict[str, str]) -> int:
    """Add to `found` the wanted error cells whose elements are whole in `text`; where the
    elements looked at end. Each is found by its `t="e"`, as Excel writes it (a few in a
    sheet), not by a search for each wanted reference (ten thousand searches of every chunk)."""
    done = at = 0
    while (at := text.find(_ERROR, at)) != -1:
        end = text.find(b"</c>", at)
        if end == -1:
            break  # the rest of this element is in the next chunk
        start = text.rfind(b"<c", 0, at)
        if start != -1 and text.find(b"<c", start + 2, end) == -1:
            cell = _parsed(text[start : end + 4])
            if cell is not None and cell[0] in wanted:
                found.setdefault(*cell)
        at = done = end + 4
    return done


_ERROR = b't="e"'


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
