"""What every command of one run shares: the resource limits and whether to show tracebacks.

The root command builds it from its options (before or after the subcommand, or `MISSION_*`
variables) and keeps it on Typer's context, so nothing is read from `sys.argv` or a global.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from pathlib import Path

    from mission.limits import Limits


@dataclass
class RunContext:
    """The run's settings, as the root command parsed them."""

    debug: bool = False
    limit_values: dict[str, int] = field(default_factory=dict)
    watchdog: threading.Timer | None = None

    @property
    def limits(self) -> Limits:
        from mission.limits import Limits

        return Limits(**self.limit_values)


def run_context(ctx: typer.Context) -> RunContext:
    """The run's settings (defaults when a command runs outside the root command, in tests)."""
    root = ctx.find_root()
    if not isinstance(root.obj, RunContext):
        root.obj = RunContext()
    return root.obj


_READ: ContextVar[frozenset[tuple[int, int]]] = ContextVar("mission_read", default=frozenset())
"""The files this run read, as (device, inode): an output may never be written over them."""


def forget_reads() -> None:
    """A new run: nothing read yet."""
    _READ.set(frozenset())
    _BESIDE.set(frozenset())


def protect(paths: Iterable[str | Path | int]) -> None:
    """Remember files the run read (returns, the store), so `-o` or `--sarif` naming one is
    refused however it is spelt (`./ost.csv`, a link, a hard link). A file descriptor counts
    too: `0` is the file behind standard input (`mission measures - < e.csv`), when it is one."""
    found = set(_READ.get())
    for path in paths:
        identity = _identity(path)
        if identity is not None:
            found.add(identity)
    _READ.set(frozenset(found))


_BESIDE: ContextVar[frozenset[str]] = ContextVar("mission_beside", default=frozenset())
"""Files beside a store the run read (its write-ahead log, index and journal), by absolute
path: they may not exist yet, and SQLite would read whatever an output left there."""


def protect_store(path: str | Path) -> None:
    """Remember a store the run read, and the log files SQLite keeps beside it."""
    protect([path])
    beside = {os.path.realpath(f"{path}-{end}") for end in ("wal", "shm", "journal")}
    _BESIDE.set(_BESIDE.get() | beside)


def was_read(path: str | Path) -> bool:
    identity = _identity(path)
    if identity is not None and identity in _READ.get():
        return True
    return os.path.realpath(path) in _BESIDE.get()


def _identity(path: str | Path | int) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None  # standard input, or nothing there
    return (found.st_dev, found.st_ino) if stat.S_ISREG(found.st_mode) else None
