"""Options shared by several commands, declared once."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
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
