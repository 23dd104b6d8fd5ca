"""A zip archive that is not an Excel workbook, named for what it is.

.xlsx, .ods, .docx, .numbers and .xlsb files are all zip archives, and their first bytes are the
same: what they are is told by the parts inside (the OpenDocument `mimetype` part, Word's
`word/document.xml`, Numbers' `Index/Document.iwa`...). An officer who sent a LibreOffice
spreadsheet is told how to save it as .xlsx or CSV, not that their Excel file is damaged.
"""

from __future__ import annotations

from collections.abc import Collection

from mission.readers.table import Unreadable

__all__ = ["not_a_workbook"]

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
        return Unreadable(
            "the Excel file is damaged (it has no workbook part)",
            "Open it in Excel and save it again as an Excel Workbook (.xlsx).",
        )
    return Unreadable(
        "the file is a zip archive, not an Excel workbook",
        f"Unzip it and send the return inside, or {_SAVE}.",
    )
