"""Which Excel error each of a few error cells shows (#DIV/0!, #REF!...), so a finding can say
what went wrong in the formula, not only that something did.

The examination (`workbook.py`) found where the error cells are, with a real parser, and that is
never changed here. This only reads what the cells a finding names show: the sheet's part is
inflated again within the same limit, each wanted cell's element is found by its reference and
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
            for reference in wanted - found.keys():
                shown = _shown_in(text, reference)
                if shown is not None:
                    found[reference] = shown
            if len(found) == len(wanted):
                break
            kept = text[-_KEPT:]
    except (Unreadable, zipfile.BadZipFile, OSError, ValueError):
        return found
    return found


def _shown_in(text: bytes, reference: str) -> str | None:
    """The error the cell `reference` shows, if its element is whole in `text`."""
    marker = f'r="{reference}"'.encode()
    at = text.find(marker)
    while at != -1:
        start = text.rfind(b"<c", 0, at)
        end = text.find(b"</c>", at)
        if start != -1 and end != -1 and text.find(b"<c", start + 2, end) == -1:
            shown = _parsed(text[start : end + 4], reference)
            if shown is not None:
                return shown
        at = text.find(marker, at + 1)
    return None


def _parsed(element: bytes, reference: str) -> str | None:
    """The error a lone cell element shows: read by expat, the cell's own attributes checked."""
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
    cell = attributes.pop("element", None) == "c"
    if not cell or attributes.get("r") != reference or attributes.get("t") != "e":
        return None
    known = error_meaning("".join(value))
    return None if known is None else known[0]


class _Refused(Exception):
    """A declaration no cell element holds."""


def _refuse(*_: object) -> None:
    raise _Refused
