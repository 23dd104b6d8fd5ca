"""Options shared by several commands, declared once."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from mission.limits import Limits
    from mission.returns import Returns
    from mission.targets import TargetSet


class ListFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


FormatOption = Annotated[
    ListFormat, typer.Option("--format", "-f", help="table for people, json for programs.")
]

TargetsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--targets",
        help="A directory of your own target TOML files, laid on top of the shipped ones "
        "(repeatable). A file with a shipped id is merged into it, e.g. to add local targets.",
        file_okay=False,
        dir_okay=True,
    ),
]


def load_targets(extra: list[Path] | None) -> TargetSet:
    """The targets in force for this run (shipped, then --targets on top)."""
    from mission.targets import load_targets as load

    return load(extra or ())


def echo_json(data: object) -> None:
    """Write data as indented JSON on stdout: the library's models, dumped, nothing added."""
    import json

    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def gather_returns(paths: list[Path] | None, store: Path | None) -> Returns:
    """Returns from files and folders, or the latest revisions in a store (--store/$MISSION_STORE).

    Raises:
        typer.BadParameter: neither paths nor a store were given.
    """
    import os

    if paths:
        from mission.returns import load_returns
        from mission.validation import collect_files

        return load_returns(collect_files(paths), limits=current_limits())
    if store is None and not os.environ.get("MISSION_STORE"):
        raise typer.BadParameter("give return files or folders, or --store PATH")
    from mission.store import Store, store_path

    with Store(store_path(store), create=False) as opened:
        return opened.returns()


_LIMITS: dict[str, int] = {}


def set_limits(**values: int | None) -> None:
    """Remember the root command's resource limits for this run (None keeps the default)."""
    _LIMITS.clear()
    _LIMITS.update({k: v for k, v in values.items() if v is not None})


def current_limits() -> Limits:
    from mission.limits import Limits

    return Limits(**_LIMITS)
