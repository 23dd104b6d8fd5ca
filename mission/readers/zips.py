"""Zip archives: what a member really inflates to, counted; and a zip that is not an Excel
workbook, named for what it is.

.xlsx, .ods, .docx, .numbers and .xlsb files are all zip archives, and their first bytes are the
same: what they are is told by the parts inside (the OpenDocument `mimetype` part, Word's
`word/document.xml`, Numbers' `Index/Document.iwa`...). An officer who sent a LibreOffice
spreadsheet is told how to save it as .xlsx or CSV, not that their Excel file is damaged.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from mission.findings import Quoted
from mission.readers.table import Unreadable

__all__ = ["Budget", "damaged", "inflate", "not_a_workbook", "zip_members"]

_CHUNK = 1 << 20
_MAX_MEMBERS = 10_000
_RATIO_FLOOR = 10_000_000  # bytes: past this, a member may not expand more than _MAX_RATIO
_MAX_RATIO = 200
_DAMAGED_HINT = "Open it in Excel and save it again as an Excel Workbook (.xlsx)."


def damaged(what: str, quotes: tuple[Quoted, ...] = ()) -> Unreadable:
    """The workbook cannot be read: `what` says why (`quotes`: what in it someone typed)."""
    return Unreadable(f"the Excel file is damaged ({what})", _DAMAGED_HINT, quotes=quotes)


# --- count what actually inflates ---------------------------------------------------------------


@dataclass
class Budget:
    """The bytes every member of the workbook may inflate to, together."""

    left: int


def zip_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > _MAX_MEMBERS:
        raise damaged(f"{len(infos):,} parts; a workbook has a few dozen")
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        if info.filename in members:
            raise damaged("a part is in it twice")
        if info.flag_bits & 0x1:
            raise Unreadable(
                "the workbook is protected with a password",
                "Remove the password (File > Info > Protect Workbook) and save it again.",
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise damaged("a part uses a compression Excel never writes")
        members[info.filename] = info
    return members


def inflate(data: bytes, info: zipfile.ZipInfo, budget: Budget) -> Iterator[bytes]:
    """The member's bytes as they really inflate, whatever sizes the archive declares."""
    offset = info.header_offset
    header = data[offset : offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise damaged("a part has no local header")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    start = offset + 30 + name_length + extra_length
    raw = memoryview(data)[start : start + info.compress_size]
    counted = _Counted(info, budget, len(raw))
    if info.compress_type == zipfile.ZIP_STORED:
        for position in range(0, len(raw), _CHUNK):
            yield counted(bytes(raw[position : position + _CHUNK]))
        return
    # zlib, as the readers after the guard use (Python's zipfile; calamine's zlib-rs): ISA-L
    # inflates in half the time but takes streams zlib refuses (an incomplete code set), and the
    # guard must refuse all that they would.
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        for position in range(0, max(len(raw), 1), _CHUNK):
            pending = bytes(raw[position : position + _CHUNK])
            while not inflater.eof:
                chunk = inflater.decompress(pending, _CHUNK)
                pending = inflater.unconsumed_tail
                if not chunk and not pending:
                    break
                if chunk:
                    yield counted(chunk)
            if inflater.eof:
                break
    except zlib.error as error:
        raise damaged("a part cannot be unpacked") from error
    if not inflater.eof:
        raise damaged("a part is cut short")


@dataclass
class _Counted:
    """Counts a member's inflated bytes against the workbook's budget and its own ratio."""

    info: zipfile.ZipInfo
    budget: Budget
    compressed: int
    produced: int = 0

    def __call__(self, chunk: bytes) -> bytes:
        self.produced += len(chunk)
        self.budget.left -= len(chunk)
        ratio_broken = self.produced > _RATIO_FLOOR and self.produced > _MAX_RATIO * max(
            self.compressed, 1
        )
        if self.budget.left < 0 or ratio_broken:
            raise Unreadable(
                "the Excel file expands to far more data than it holds (a zip bomb?)",
                "Save the workbook again from Excel; if it is genuine, raise the limit "
                "(mission.Limits(max_unzipped_bytes=...)).",
            )
        return chunk


# --- a zip that is not a workbook ---------------------------------------------------------------


_SAVE = "save it as an Excel Workbook (.xlsx) or as CSV UTF-8"
_OPENDOCUMENT = {
    "spreadsheet": (
        "an OpenDocument spreadsheet (.ods, from LibreOffice or OpenOffice Calc)",
        "Open it in LibreOffice Calc and use File > Save As, choosing 'Excel 2007-365 (.xlsx)' "
        "or 'Text CSV (.csv)'.",
    ),
    "text": ("an OpenDocument text document (.odt)", None),
    "presentation": ("an OpenDocument presentation (.odp)", None),
}
_PARTS = (
    (
        "xl/workbook.bin",
        "an Excel Binary Workbook (.xlsb)",
        "Open it in Excel and save it as an Excel Workbook (.xlsx).",
    ),
    ("word/document.xml", "a Word document (.docx)", None),
    ("ppt/presentation.xml", "a PowerPoint presentation (.pptx)", None),
    (
        "Index/Document.iwa",
        "an Apple Numbers (or Pages, Keynote) file",
        "In Numbers, use File > Export To > Excel (or CSV).",
    ),
    (
        "Index.zip",
        "an Apple Numbers (or Pages, Keynote) file",
        "In Numbers, use File > Export To > Excel (or CSV).",
    ),
)
_NOT_A_TABLE = f"Put the return in a spreadsheet and {_SAVE}."


def not_a_workbook(members: Collection[str], mimetype: bytes) -> Unreadable:
    """Why a zip archive without an Excel workbook part cannot be read: what it is, if its
    parts say, and how to send it as a return; `mimetype` is the start of its `mimetype` part
    (empty if it has none)."""
    kind = mimetype.decode("ascii", errors="replace").strip()
    prefix = "application/vnd.oasis.opendocument."
    if kind.startswith(prefix):
        what, hint = _OPENDOCUMENT.get(
            kind.removeprefix(prefix).split("-")[0], ("an OpenDocument file", None)
        )
        return Unreadable(f"the file is {what}, not an Excel workbook", hint or _NOT_A_TABLE)
    for part, what, hint in _PARTS:
        if part in members:
            return Unreadable(f"the file is {what}, not an Excel workbook", hint or _NOT_A_TABLE)
    if any(name.startswith("xl/") for name in members):
        return damaged("it has no workbook part")
    return Unreadable(
        "the file is a zip archive, not an Excel workbook",
        f"Unzip it and send the return inside, or {_SAVE}.",
    )
