"""Small rich renderables shared by several commands."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.table import Table


def key_value_grid(rows: Iterable[tuple[str, str]]) -> Table:
    """A borderless two-column grid (bold key, escaped value) for `show`-style commands."""
    from rich.markup import escape
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for key, value in rows:
        grid.add_row(key, escape(value))
    return grid
