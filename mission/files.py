"""Writing files safely: atomically (never a half-written file) and without spreadsheet formulas."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

__all__ = [
    "atomic_path",
    "neutralise_formula",
    "resolved",
    "safe_csv",
    "write_bytes_atomic",
    "write_safe_csv",
    "write_text_atomic",
    "write_with",
]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """Prefix a cell that a spreadsheet would run as a formula with a quote (CSV injection)."""
    if text.startswith(_FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def resolved(path: Path) -> Path:
    """`path` with every link followed.

    Raises:
        OSError: the links make a loop (Python 3.11 says so with a RuntimeError).
    """
    try:
        return path.resolve()
    except RuntimeError as error:
        raise OSError(f"{path} is a loop of links") from error


_STREAM_FOLDERS = ("/dev/", "/proc/")


def _names_a_stream(target: Path) -> bool:
    """Whether `target` is a device or process path (`/dev/stdout`, `/proc/self/fd/1`), not a
    file of one's own to replace."""
    text = os.path.abspath(target)
    return text.startswith(_STREAM_FOLDERS)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`, moved over it only when the block succeeds.

    A link is followed (its file is replaced, the link kept). A target that is not a regular
    file (a FIFO, `/dev/null`), or that names an open stream (`/dev/stdout`, `/proc/self/fd/1`:
    links to whatever the shell opened, perhaps a log being appended to), is written into
    directly: replacing it would destroy the device, the pipe or the lines already in the log.

    Raises:
        OSError: the path cannot be followed (a loop of links).
    """
    if _names_a_stream(target):
        # Written aside, then appended: opening `/dev/stdout` to write would truncate the file
        # the shell opened for it (`>> log.txt`).
        with tempfile.TemporaryDirectory() as folder:
            temporary = Path(folder) / "output"
            yield temporary
            with temporary.open("rb") as source, target.open("ab") as stream:
                shutil.copyfileobj(source, stream, 1 << 20)
        return
    if target.exists() and not target.is_file() and not target.is_dir():
        yield target
        return
    if target.is_symlink():
        target = resolved(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    # mkstemp makes the file private (0600); a finished file gets the usual permissions.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)
    try:
        yield temporary
        with temporary.open("rb+") as stream:
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def write_bytes_atomic(target: Path, data: bytes) -> None:
    with atomic_path(target) as temporary:
        temporary.write_bytes(data)


def write_text_atomic(target: Path, text: str) -> None:
    write_bytes_atomic(target, text.encode("utf-8"))


def write_with(target: Path, writer: Callable[[Path], object]) -> None:
    """Let `writer` produce the file at a temporary path, then move it into place."""
    with atomic_path(target) as temporary:
        writer(temporary)


def safe_csv(frame: pl.DataFrame) -> str:
    """A table as CSV text with every text cell that a spreadsheet would run as a formula quoted.

    Every text column is searched, codes and choices too: a store upgraded from an older
    version holds whatever that version accepted.
    """
    import io

    buffer = io.BytesIO()
    write_safe_csv(frame, buffer)
    return buffer.getvalue().decode("utf-8")


def write_safe_csv(frame: pl.DataFrame, stream: IO[bytes]) -> None:
    """`safe_csv` written by polars straight into an open binary stream (a million rows go to
    disk without a copy in memory; the stream, not a path, so nothing can expand it)."""
    import polars as pl

    def safe(name: str) -> pl.Expr:
        column = pl.col(name)
        formula = column.str.contains(r"^[=+\-@\t\r]") & ~column.str.contains(r"^[+-]?\d+(\.\d+)?$")
        return pl.when(formula).then(pl.lit("'") + column).otherwise(column).alias(name)

    strings = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    # One cheap pass finds the columns with a cell that may be a formula; only those are
    # rewritten (an export of a million episodes has none, and rewriting took 0.2 s).
    starts = frame.select(pl.col(n).str.contains(r"^[=+\-@\t\r]").any() for n in strings)
    risky = [
        name for name, found in zip(strings, starts.row(0) if strings else (), strict=True) if found
    ]
    frame.with_columns(safe(name) for name in risky).write_csv(stream)
