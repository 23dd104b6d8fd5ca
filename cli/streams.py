"""The standard streams made fit for a run, whatever the shell or runner handed over.

- A closed stream (`>&-`, `2>&-`, `<&-`) is None in Python: output then fails as a closed file
  does (exit 2, said on stderr), input likewise; a closed stderr only loses its messages.
- A non-blocking stream (some CI runners share one with the process) would refuse a write the
  pipe cannot take at once: it is made blocking, so the reader's pace sets the run's.
- An unbuffered stream (`PYTHONUNBUFFERED=1`, common in containers) writes each piece with one
  system call, and a write the pipe takes only part of is then cut short without a word: it is
  buffered again, as Python's default is, and the buffer writes every byte or raises.
- A character the output's encoding cannot hold (`PYTHONIOENCODING=cp1252`, a C locale without
  UTF-8 mode, an emoji in a cell) is written escaped (`\U0001f600`), as Python writes stderr,
  rather than ending the run half-written.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from typing import Any

__all__ = ["prepare_streams"]


class _Closed(io.RawIOBase):
    """A standard stream the shell closed: reading or writing it fails as a closed file does."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = name

    def readable(self) -> bool:
        return self._name == "input"

    def writable(self) -> bool:
        return self._name != "input"

    def readinto(self, buffer: Any) -> int:
        raise OSError(errno.EBADF, f"standard {self._name} is closed")

    def write(self, data: Any) -> int:
        raise OSError(errno.EBADF, f"standard {self._name} is closed")


def _text(
    raw: io.RawIOBase, like: io.TextIOWrapper | None, lines: bool = False
) -> io.TextIOWrapper:
    """`raw` as a buffered text stream, encoded as `like` is; written a line at a time when
    `lines` is set or `like` is a terminal (as Python buffers stderr, and a terminal)."""
    buffered = io.BufferedReader(raw) if raw.readable() else io.BufferedWriter(raw)
    return io.TextIOWrapper(
        buffered,
        encoding=like.encoding if like else "utf-8",
        errors=like.errors if like else "strict",
        line_buffering=lines or bool(like and like.isatty()),
    )


def prepare_streams() -> None:
    """Make stdin, stdout and stderr fit for a run (see the module's docstring)."""
    if sys.stdin is None:
        sys.stdin = _text(_Closed("input"), None)
    if sys.stdout is None:
        sys.stdout = _text(_Closed("output"), None)
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the run
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        with contextlib.suppress(AttributeError, OSError, ValueError):
            if not os.get_blocking(stream.fileno()):
                os.set_blocking(stream.fileno(), True)
        if isinstance(stream, io.TextIOWrapper) and isinstance(stream.buffer, io.RawIOBase):
            stream = _text(stream.buffer, stream, lines=name == "stderr")
            setattr(sys, name, stream)
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
