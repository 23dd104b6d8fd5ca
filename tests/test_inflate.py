"""A workbook's parts are inflated by the guard (`zips.inflate`) in pieces, counted: the bytes
must be the whole stream's, whatever its shape and however it is cut, and a damaged or cut
stream must be told as a damaged workbook, never raised as zlib's own error."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mission.readers.table import Unreadable
from mission.readers.zips import Budget, inflate

_NAME = "xl/worksheets/sheet1.xml"


def _archive(payload: bytes, level: int) -> tuple[bytes, zipfile.ZipInfo]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as book:
        book.writestr(_NAME, payload)
    data = buffer.getvalue()
    return data, zipfile.ZipFile(io.BytesIO(data)).getinfo(_NAME)


# Rows of cells, repeated and varied, so streams hold both literals and long back-references.
_rows = st.lists(
    st.tuples(st.integers(0, 10**6), st.text(max_size=30)).map(
        lambda cell: f'<c r="A{cell[0]}" t="inlineStr"><is><t>{cell[1]}</t></is></c>'
    ),
    max_size=300,
)


@settings(max_examples=60, deadline=None)
@given(_rows, st.integers(1, 9), st.integers(1, 40))
def test_inflates_the_whole_stream(rows: list[str], level: int, repeat: int) -> None:
    payload = ("".join(rows) * repeat).encode("utf-8")
    data, info = _archive(payload, level)
    assert b"".join(inflate(data, info, Budget(1 << 30))) == payload


@settings(max_examples=80, deadline=None)
@given(_rows, st.data())
def test_a_damaged_stream_is_a_damaged_workbook(rows: list[str], draw: st.DataObject) -> None:
    payload = ("".join(rows) * 5).encode("utf-8") or b"<sheetData/>"
    data, info = _archive(payload, 6)
    start = len(data) - info.compress_size - _tail(data, info)
    spoiled = bytearray(data)
    for _ in range(draw.draw(st.integers(1, 4))):
        at = draw.draw(st.integers(start, start + info.compress_size - 1))
        spoiled[at] ^= draw.draw(st.integers(1, 255))
    said = ""
    try:
        b"".join(inflate(bytes(spoiled), info, Budget(1 << 30)))
    except Unreadable as error:
        said = str(error)
    # A flip deflate cannot see leaves other bytes, which the XML read after them judges.
    assert said == "" or "damaged" in said or "expands" in said


def _tail(data: bytes, info: zipfile.ZipInfo) -> int:
    """Bytes after the member's compressed data (the central directory and its end)."""
    header = info.header_offset
    name_length = int.from_bytes(data[header + 26 : header + 28], "little")
    extra_length = int.from_bytes(data[header + 28 : header + 30], "little")
    return len(data) - (header + 30 + name_length + extra_length + info.compress_size)


def test_a_cut_stream_is_told_as_cut() -> None:
    payload = b"<row>" * 50_000
    data, info = _archive(payload, 6)
    cut = zipfile.ZipInfo(_NAME)
    cut.header_offset, cut.compress_type = info.header_offset, info.compress_type
    cut.compress_size = info.compress_size // 2
    with pytest.raises(Unreadable, match="cut short"):
        b"".join(inflate(data, cut, Budget(1 << 30)))


def test_garbage_is_told_as_not_unpacked() -> None:
    payload = b"<row>" * 1_000
    data, info = _archive(payload, 6)
    compressed = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = compressed.compress(payload) + compressed.flush()
    spoiled = data.replace(body[:8], b"\xff" * 8, 1)
    with pytest.raises(Unreadable, match="cannot be unpacked"):
        b"".join(inflate(spoiled, info, Budget(1 << 30)))


def test_the_budget_stops_the_inflating() -> None:
    data, info = _archive(b"\0" * (4 << 20), 9)
    with pytest.raises(Unreadable, match="zip bomb"):
        b"".join(inflate(data, info, Budget(1 << 20)))
