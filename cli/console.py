"""The only place output is drawn: rich on a terminal, plain text when piped or captured.

`show` prints the CLI's parts (`render.Grid`, `render.Line`) on stdout or stderr. On a terminal
they become rich tables and styled text; otherwise plain aligned columns, which read well in a
CI log, grep cleanly, and cost no rich import. Set MISSION_RICH=1 to draw rich output anyway
(FORCE_COLOR and the like are rich's own business once it draws).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from .render import Grid, Line, Part


def _width() -> int | None:
    # Wide enough that tables do not wrap when rich output goes to a file or a CI log.
    return None if os.environ.get("COLUMNS") else 120


def _stream(name: str) -> TextIO:
    return sys.stderr if name == "err" else sys.stdout


def is_terminal(name: str = "out") -> bool:
    """Whether stdout (or stderr) is a terminal, or rich output is asked for (MISSION_RICH=1)."""
    if os.environ.get("MISSION_RICH") == "1":
        return True
    try:
        return _stream(name).isatty()
    except (AttributeError, ValueError):
        return False


@cache
def _console(name: str) -> Console:
    from rich.console import Console

    terminal = _stream(name).isatty() if hasattr(_stream(name), "isatty") else False
    return Console(
        file=_stream(name),
        width=None if terminal else _width(),
        highlight=False,
        soft_wrap=False,
    )


def out() -> Console:
    return _console("out")


def err() -> Console:
    return _console("err")


def stderr_is_terminal() -> bool:
    """Whether stderr is a terminal (for progress bars)."""
    return is_terminal("err")


@contextlib.contextmanager
def working(words: str) -> Iterator[Callable[[str], None]]:
    """A spinner on stderr saying what a slow step is doing (a report takes half a minute, 30
    board papers a minute, silent), when stderr is a terminal; yields a function that says the
    next step. Nothing is drawn otherwise: a log or a pipe gets the result alone."""
    if not stderr_is_terminal():
        yield lambda _: None
        return
    with err().status(words) as status:
        yield lambda next_words: status.update(next_words)


def reset() -> None:
    """Forget the consoles, so each CliRunner invocation writes to its own captured streams."""
    _console.cache_clear()


def show(parts: Iterable[Part], stream: str = "out") -> None:
    """Print parts: rich on a terminal, plain text otherwise."""
    from .render import Grid

    if not is_terminal(stream):
        from .render import plain

        target = _stream(stream)
        for part in parts:
            target.write(plain(part) + "\n")
        target.flush()
        return
    console = _console(stream)
    for part in parts:
        if not isinstance(part, Grid):
            console.print(_rich_line(part), soft_wrap=True)
            continue
        needed = _needed(part)
        if needed is None or needed + 3 * len(part.columns) + 1 <= console.width:
            console.print(_rich_grid(part))
        elif needed + 2 * len(part.columns) <= console.width:
            console.print(_rich_grid(part, compact=True))  # no lines between the columns
        else:
            for piece in _rich_records(part):
                console.print(piece)


_WRAPPED = 20
"""Narrowest a column of long text is let wrap to before a table is shown as records."""


def _needed(part: Grid) -> int | None:
    """How wide a table's cells must be, together, for rich not to cut any short (None for a
    grid without a header, or of two columns, which is always drawn as a table): it squeezes a
    column below its longest word with an ellipsis (`2024-04-…`), and wraps long text into a
    column a few letters wide. Each column needs its longest word, and its whole width up to
    `_WRAPPED` (in terminal cells: a Chinese character takes two)."""
    from rich.cells import cell_len

    from .render import Span

    if not part.header or len(part.columns) < 3:
        return None
    needed = 0
    for i, name in enumerate(part.columns):
        texts = [
            name,
            *(c.text if isinstance(c, Span) else str(c) for r in part.rows for c in r[i : i + 1]),
        ]
        longest = max(cell_len(t) for t in texts)
        word = max((cell_len(w) for t in texts for w in t.split()), default=0)
        needed += max(word, min(longest, _WRAPPED))
    return needed


def _rich_records(part: Grid) -> list[object]:
    """A table too wide for the terminal, row by row: the row's first cell as its heading, then
    each other column's name beside its value, wrapped within the width, nothing cut short."""
    from rich.table import Table
    from rich.text import Text

    pieces: list[object] = [Text(part.title)] if part.title else []
    for row in part.rows:
        pieces.append(Text(""))
        pieces.append(_styled(row[0] if row else "", "bold"))
        fields = Table.grid(padding=(0, 2))
        # A word longer than the width is folded onto the next line, never cut short.
        fields.add_column(style="dim", overflow="fold")
        fields.add_column(overflow="fold")
        for name, value in zip(part.columns[1:], row[1:], strict=False):  # a short row: blanks
            if _styled(value).plain:
                fields.add_row(Text(f"  {name}"), _styled(value))
        pieces.append(fields)
    return [*pieces, Text("")]


def _rich_line(part: Line) -> object:
    from rich.text import Text

    styled = Text()
    for span in part.spans:
        styled.append(span.text, style=span.style)
    return styled


def _styled(value: object, extra: str = "") -> Text:
    """A cell as rich text: a `Span` in its style (and `extra`), anything else as plain text."""
    from rich.text import Text

    from .render import Span

    if isinstance(value, Span):
        return Text(value.text, style=f"{value.style} {extra}".strip())
    return Text(str(value), style=extra)


def _rich_grid(part: Grid, compact: bool = False) -> object:
    """A rich table; `compact`: without lines between the columns (a matrix of short cells
    fits where the boxed table would not)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    # A cell squeezed below its longest word is folded onto more lines, never cut short (rich
    # shrinks the widest columns together, a code or a path with them).
    if not part.header:
        grid = Table.grid(padding=(0, 2))
        for _ in part.columns:
            grid.add_column(overflow="fold")
    else:
        title = None if part.title is None else Text(part.title)
        grid = Table(
            title=title, title_justify="left", box=box.SIMPLE_HEAD if compact else box.HEAVY_HEAD
        )
        for name in part.columns:
            if name in part.right:
                grid.add_column(name, justify="right", overflow="fold")
            elif name in part.center:
                grid.add_column(name, justify="center", overflow="fold")
            else:
                grid.add_column(name, overflow="fold")
    for row in part.rows:
        grid.add_row(*(_styled(c) for c in row))
    return grid
