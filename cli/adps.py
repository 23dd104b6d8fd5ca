"""`mission adps`: the 30 ADPs, their boards, council areas and the names they go by."""

from typing import Annotated

import typer

from . import console
from .options import FormatOption, ListFormat, echo_json

app = typer.Typer(no_args_is_help=False)


@app.callback(invoke_without_command=True)
def list_adps(ctx: typer.Context, format: FormatOption = ListFormat.TEXT) -> None:
    """List the 30 Alcohol and Drug Partnerships with NHS board and council area codes.

    Example: mission adps --format json
    """
    if ctx.invoked_subcommand is not None:
        return
    from mission.adps import all_adps

    adps = all_adps()
    if format is ListFormat.JSON:
        echo_json([a.to_dict() for a in adps])
        return
    from .render import table

    view = table(
        f"{len(adps)} Alcohol and Drug Partnerships",
        ("code", "name", "NHS board", "council areas"),
        (
            (
                a.code,
                a.name,
                f"{a.board.name} {a.board.code}",
                ", ".join(f"{c.name} {c.code}" for c in a.council_areas),
            )
            for a in adps
        ),
    )
    console.show([view])


@app.command("show")
def show_adp(
    name: Annotated[
        str, typer.Argument(help="Any name, code, alias or S12 code of an ADP.", metavar="NAME")
    ],
    format: FormatOption = ListFormat.TEXT,
) -> None:
    """Show one ADP, found by any name it goes by (MELDAP, Western Isles, S12000046...).

    Example: mission adps show "Perth & Kinross"
    """
    from mission.adps import InvalidAdp, match_adp

    from .errors import fail
    from .exit_codes import ExitCode

    try:
        found = match_adp(name)
    except InvalidAdp as error:
        raise fail(str(error), ExitCode.INVALID, "Not found") from None
    adp = found.adp
    if format is ListFormat.JSON:
        echo_json(found.to_dict())
        return
    from .render import key_value_grid

    rows = [
        ("code", adp.code),
        ("name", adp.name),
        ("NHS board", f"{adp.board.name} ({adp.board.code})"),
    ]
    for area in adp.council_areas:
        old = f", formerly {', '.join(area.old_codes)}" if area.old_codes else ""
        rows.append(("council area", f"{area.name} ({area.code}{old})"))
    if adp.aliases:
        rows.append(("also known as", ", ".join(adp.aliases)))
    if found.note:
        rows.append(("note", found.note))
    console.show([key_value_grid(rows)])
