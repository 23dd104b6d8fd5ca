"""Copies `mission validate --annotate` marked up: said so in their own properties, so that a
folder's walk passes them over rather than read a copy as a second return."""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import TYPE_CHECKING

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
    inflates is counted, and stops at `_PROPERTIES_MOST`). Any doubt (not a workbook, damaged,
    too big) is no: the reader then tells what the file is."""
    try:
        if path.stat().st_size > _COPY_MOST:
            return False
        data = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = zip_members(archive)
        info = members.get("docProps/custom.xml")
        return info is not None and ANNOTATED_COPY in property_names(
            data, info, Budget(_PROPERTIES_MOST)
        )
    except (Unreadable, OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error):
        return False


_COPY_MOST = 64 * 1024 * 1024
"""The largest workbook looked into for the mark: a copy holds at most a million cells."""
_PROPERTIES_MOST = 64 * 1024
"""The most a custom properties part may inflate to (a copy's is well under a kilobyte)."""
