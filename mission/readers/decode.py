"""Bytes to text the way officers' tools save it: UTF-8 (with or without a BOM), UTF-16 (with a
BOM, as Excel's "Unicode text" and PowerShell's `Out-File` save it, or without one, as some
database exports do), or Windows-1252 (Excel on Windows)."""

from __future__ import annotations

import re

from mission.readers.table import Draft, Unreadable

__all__ = ["decode_text", "utf16_order"]

_LOOKED_AT = 4096
"""Bytes of a file looked at to tell UTF-16 without a byte order mark."""


BYTE_ORDER_MARKS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
"""Byte order marks and their codecs, UTF-32's before UTF-16's (whose little-endian mark starts
UTF-32's)."""


def marked_codec(head: bytes) -> str | None:
    """The codec a file's byte order mark names (`BYTE_ORDER_MARKS`), or None if it has none."""
    return next((codec for mark, codec in BYTE_ORDER_MARKS if head.startswith(mark)), None)


def decode_text(draft: Draft, raw: bytes, *, fix: str) -> str:
    """The text of a file's bytes; a note when they were not UTF-8.

    Raises:
        Unreadable: the bytes are none of those encodings (`fix` says how to save them).
    """
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    codec = marked_codec(raw)
    if codec is not None:
        name = codec.upper()
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError as error:
            raise Unreadable(
                f"the file claims to be {name} but is not valid {name}", fix
            ) from error
        draft.note("non-utf8-encoding", f"read as {name} text")
        return text
    order = utf16_order(raw[:_LOOKED_AT])
    if order is not None:
        try:
            text = raw.decode(order)
        except UnicodeDecodeError as error:
            raise Unreadable(
                "the file looks like UTF-16 text but is not valid UTF-16", fix
            ) from error
        if not utf16_throughout(raw, order):
            raise Unreadable(
                "the file starts as UTF-16 text but does not go on as UTF-16: part of it was "
                "saved in another encoding",
                fix,
            )
        draft.note(
            "non-utf8-encoding",
            "read as UTF-16 text (it has no byte order mark to say so)",
            hint=f"To avoid this: {fix[0].lower()}{fix[1:]}",
        )
        return text
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as error:
        raise Unreadable("the file is not text in UTF-8 or Windows-1252", fix) from error
    draft.note(
        "non-utf8-encoding",
        "read as Windows-1252 text (as Excel on Windows saves it)",
        hint=f"To avoid this: {fix[0].lower()}{fix[1:]}",
    )
    return text


def utf16_order(head: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when the first bytes of a file without a byte order mark are
    UTF-16 text: one byte of nearly every pair zero (as Latin letters, digits and punctuation
    are in UTF-16), the other never, and every character printable or a line end or a tab.
    None otherwise (a binary file, or any other text)."""
    pairs = len(head) // 2
    if pairs < 4 or b"\x00" not in head:
        return None
    even, odd = head[0 : 2 * pairs : 2], head[1 : 2 * pairs : 2]
    for order, high in (("utf-16-le", odd), ("utf-16-be", even)):
        if high.count(0) < 0.9 * pairs:
            continue
        text = head[: 2 * pairs].decode(order, errors="replace").rstrip("\ufffd")
        if not _CONTROL.search(text):
            return order
    return None


_CONTROL = re.compile("[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f]")
"""Control characters text never holds (a tab, line ends, a form feed and Ctrl-Z it may): a
binary file read as UTF-16 is full of them."""


def utf16_throughout(raw: bytes, order: str) -> bool:
    """Whether a file that starts as UTF-16 (`utf16_order`) goes on as UTF-16 text to its end:
    no run of 128 characters without one whose high byte is zero (a digit, a comma, a line end:
    every row of a return has them), and none in its last 16. A file whose first part is UTF-16
    and the rest another encoding reads as long lines of nonsense, which would be set aside, with
    the rows in them, as a notes block."""
    highs = raw[1 if order == "utf-16-le" else 0 :: 2]
    return _LATIN_GAP.search(highs) is None and (len(highs) < 16 or 0 in highs[-16:])


_LATIN_GAP = re.compile(rb"[^\x00]{128}")
