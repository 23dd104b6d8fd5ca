"""The only place a rich Console is made: stdout for results, stderr for errors and progress."""

from __future__ import annotations

import os
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def _width() -> int | None:
    # Wide enough that tables do not wrap when output is piped to a file or a CI log.
    return None if os.environ.get("COLUMNS") else 120


@cache
def out() -> Console:
    from rich.console import Console

    return Console(width=_width() if not _isatty(1) else None, highlight=False, soft_wrap=False)


@cache
def err() -> Console:
    from rich.console import Console

    return Console(stderr=True, width=_width() if not _isatty(2) else None, highlight=False)


def stderr_is_terminal() -> bool:
    """Whether stderr is a terminal, without building a Console (or importing rich) to ask."""
    return _isatty(2)


def _isatty(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


def reset() -> None:
    """Forget the consoles, so each CliRunner invocation writes to its own captured streams."""
    out.cache_clear()
    err.cache_clear()


def print_all(parts: list[object]) -> None:
    """Print renderables on stdout: tables at the console's width, lines of text unwrapped."""
    from rich.text import Text

    console = out()
    for part in parts:
        console.print(part, soft_wrap=isinstance(part, Text))
