"""Copies `mission validate --annotate` marked up: said so in their own properties, so that a
folder's walk passes them over rather than read a copy as a second return."""

from __future__ import annotations

import copy
import struct
import zipfile
import zlib
from typing import TYPE_CHECKING, BinaryIO

from mission.readers.table import Unreadable
from mission.readers.workbook import property_names
from mission.readers.zips import Budget, zip_members

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["ANNOTATED_COPY", "is_annotated_copy"]

ANNOTATED_COPY = "mission-annotated-copy"
"""The custom property `mission validate --annotate` gives the copies it writes."""


def is_annotated_copy(path: Path) -> bool:
    """Whether the workbook at `path` says it is a copy `mission validate --annotate` marked up
    (`ANNOTATED_COPY`), its properties read as the reader reads every part (what really
    inflates is counted, and stops at `_PROPERTIES_MOST`). Only that part is read from the file,
    not the whole workbook (a folder's walk looks at every workbook in it, before the reader
    reads each). Any doubt (not a workbook, damaged, too big) is no: the reader then tells what
    the file is."""
    try:
        if path.stat().st_size > _COPY_MOST:
            return False
        with path.open("rb") as stream:
            with zipfile.ZipFile(stream) as archive:
                info = zip_members(archive).get("docProps/custom.xml")
            # A part that holds more than the budget compressed inflates past it too.
            if info is None or info.compress_size > _PROPERTIES_MOST:
                return False
            part, alone = _part(stream, info)
        return ANNOTATED_COPY in property_names(part, alone, Budget(_PROPERTIES_MOST))
    except (Unreadable, OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error):
        return False


def _part(stream: BinaryIO, info: zipfile.ZipInfo) -> tuple[bytes, zipfile.ZipInfo]:
    """A member's local header and compressed bytes, read from where the archive says it
    starts, and its entry as if those bytes were the whole archive (for `zips.inflate`)."""
    stream.seek(info.header_offset)
    header = stream.read(30)
    name_length, extra_length = struct.unpack("<HH", header[26:30]) if len(header) == 30 else (0, 0)
    alone = copy.copy(info)
    alone.header_offset = 0
    return header + stream.read(name_length + extra_length + info.compress_size), alone


_COPY_MOST = 64 * 1024 * 1024
"""The largest workbook looked into for the mark: a copy holds at most a million cells."""
_PROPERTIES_MOST = 64 * 1024
"""The most a custom properties part may inflate to (a copy's is well under a kilobyte)."""
