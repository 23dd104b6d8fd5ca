"""`mission schema`: the data contract for one kind, as a Table Schema or a JSON Schema."""

from enum import StrEnum
from typing import Annotated

import typer

from mission.kinds import Kind

from .options import OutputOption, echo_json


class SchemaFormat(StrEnum):
    TABLE_SCHEMA = "table-schema"
    JSON_SCHEMA = "json-schema"


def schema(
    kind: Annotated[
        Kind,
        typer.Argument(help="The kind of return.", show_default=False, case_sensitive=False),
    ],
    format: Annotated[
        SchemaFormat,
        typer.Option(
            "--format",
            "-f",
            help="table-schema (Frictionless, for CSV and Excel) or json-schema (JSON returns).",
        ),
    ] = SchemaFormat.TABLE_SCHEMA,
    output: OutputOption = None,
) -> None:
    """Export the data contract of KIND, so other tools check returns by the same rules.

    Examples:

      mission schema ost > ost.schema.json

      mission schema episodes --format json-schema -o episodes.json-schema.json
    """
    from mission.schemas import json_schema, table_schema

    from .options import refuse_other_name, refuse_read_files

    refuse_other_name(output, "json")  # both forms are JSON
    refuse_read_files(output)

    chosen = table_schema(kind) if format is SchemaFormat.TABLE_SCHEMA else json_schema(kind)
    echo_json(chosen, output)


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)
