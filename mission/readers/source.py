"""Where a file's bytes come from: a path read as itself, or bytes handed over (stdin, uploads).

A path is a path: nothing here hands a user's path to an API that expands patterns (`ost[1].csv`
is that file, not `ost1.csv`), and libraries that can read bytes are given bytes.
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mission.readers.decode import marked_codec, utf16_order

__all__ = ["NamedBytes", "Source", "describe", "sniff"]


@dataclass(frozen=True)
class NamedBytes:
    """A return that is not a file on disk (standard input, an upload): its name and bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Source:
    """One input's bytes, opened once: from a path, or from memory."""

    display: str
    path: Path | None
    data: bytes | None
    size: int

    @classmethod
    def of(cls, item: Path | str | NamedBytes, max_bytes: int) -> Source:
        """A source for a path (its size read now) or for bytes in memory.

        A path that is not a regular file (`/dev/stdin`, a pipe) is read now, at most
        `max_bytes` + 1 bytes of it, so its size is known like any file's.

        Raises:
            OSError: the path cannot be examined or read.
        """
        if isinstance(item, NamedBytes):
            return cls(item.name, None, item.data, len(item.data))
        path = Path(item)
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "is a folder, not a file", str(path))
        if not stat.S_ISREG(info.st_mode):
            with path.open("rb") as stream:
                data = stream.read(max_bytes + 1)
            return cls(str(path), None, data, len(data))
        return cls(str(path), path, None, info.st_size)

    @property
    def suffix(self) -> str:
        name = self.path.name if self.path is not None else self.display
        return Path(name).suffix.lower()

    @property
    def stem(self) -> str:
        name = self.path.name if self.path is not None else self.display
        return Path(name).stem

    def head(self, size: int) -> bytes:
        if self.data is not None:
            return self.data[:size]
        assert self.path is not None
        with self.path.open("rb") as handle:
            return handle.read(size)

    def read(self) -> bytes:
        """Every byte (the caller has checked the size against the limit)."""
        if self.data is not None:
            return self.data
        assert self.path is not None
        return self.path.read_bytes()

    def chunks(self, size: int = 1 << 20) -> Iterator[bytes]:
        """Every byte, `size` at a time: a large file is never held twice to be transformed."""
        if self.data is not None:
            for start in range(0, len(self.data), size):
                yield self.data[start : start + size]
            return
        assert self.path is not None
        with self.path.open("rb") as handle:
            while chunk := handle.read(size):
                yield chunk

    def for_polars(self) -> str | io.BytesIO:
        """What to give polars: an absolute path (read with `glob=False`) or a buffer.

        An absolute path cannot start with `~` or a URL scheme, which polars would interpret. A
        name that is not UTF-8 (a byte from an old Windows share) cannot be given to polars as
        a path at all: the file is given as its bytes.
        """
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        path = os.path.abspath(self.path)
        try:
            path.encode("utf-8")
        except UnicodeEncodeError:
            return io.BytesIO(self.read())
        return path


def sniff(head: bytes) -> str:
    """What the first bytes say a file really is, whatever its name."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if head.startswith(b"PAR1"):
        return "parquet"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] in (b"[", b"{"):
        return "json"
    codec = marked_codec(head)
    if codec is not None:  # text with a byte order mark: JSON or CSV
        opening = head[:64].decode(codec, errors="ignore").lstrip("\ufeff \t\r\n")
        return "json" if opening[:1] in ("[", "{") else "csv"
    order = utf16_order(head)
    if order is not None:  # UTF-16 text with no byte order mark
        opening = head[: len(head) // 2 * 2].decode(order, errors="ignore").lstrip(" \t\r\n")
        return "json" if opening[:1] in ("[", "{") else "csv"
    if b"\x00" in head:
        return "binary"
    start = text[:256].lower()
    if start.startswith((b"<?xml", b"<office:", b"<workbook")):
        return "xml"  # OpenDocument flat XML (.fods), Excel 2003 XML: a spreadsheet, not text
    if start.startswith((b"<!doctype html", b"<html")):
        return "html"  # a web page saved as .xls
    return "csv"


_DESCRIPTIONS = {
    "xlsx": "an Excel workbook",
    "xls": "an old Excel 97-2003 (.xls) workbook",
    "parquet": "a Parquet file",
    "json": "JSON",
    "csv": "CSV text",
    "binary": "a binary file",
    "xml": "a spreadsheet saved as XML (OpenDocument .fods, or Excel 2003 XML)",
    "html": "a web page (HTML)",
}


def describe(format: str) -> str:
    return _DESCRIPTIONS.get(format, format)
