"""Bytes to text the way officers' tools save it: UTF-8 (with or without a BOM), UTF-16 with a
BOM (Excel's "Unicode text", PowerShell's `Out-File`), or Windows-1252 (Excel on Windows)."""

from __future__ import annotations

from mission.readers.table import Draft, Unreadable

__all__ = ["decode_text"]


def decode_text(draft: Draft, raw: bytes, *, fix: str) -> str:
    """The text of a file's bytes; a note when they were not UTF-8.

    Raises:
        Unreadable: the bytes are none of those encodings (`fix` says how to save them).
    """
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as error:
            raise Unreadable("the file claims to be UTF-16 but is not valid UTF-16", fix) from error
        draft.note("non-utf8-encoding", "read as UTF-16 text")
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
