"""Small rich renderables shared by several commands."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
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


def append_step_summary(markdown: str, path: Path | None = None, *, github: bool = False) -> None:
    """Append a Markdown summary to `path`; without one, with `github`, to $GITHUB_STEP_SUMMARY
    when it is set (validate and check both write their job summary here)."""
    target = path
    if target is None and github and os.environ.get("GITHUB_STEP_SUMMARY"):
        target = Path(os.environ["GITHUB_STEP_SUMMARY"])
    if target is not None:
        with target.open("a", encoding="utf-8") as stream:
            stream.write(markdown)
