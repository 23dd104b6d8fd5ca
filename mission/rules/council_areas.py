"""A return of ADP figures naming one council area of an ADP of two (`Stirling` for
Clackmannanshire and Stirling, `Midlothian` for Midlothian and East Lothian).

The name is read as the ADP, as the contract says (`adp-combined`), and the figure stored as the
ADP's whole one. If it is that council area's alone, the ADP's figure is part of itself, and a
later return naming the other council area replaces it in the store: so it is a warning, not
a note. Two council areas of one ADP in one file are a repeated key (`duplicate-row`, which
says to add them). Population returns are made of council areas, added up (and checked whole);
a return of people's records is one ADP's records whatever each row calls it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mission.adps import adp_by_code, all_adps, council_area_code
from mission.columns import ROW

if TYPE_CHECKING:
    import polars as pl

    from mission.kinds import KindSpec
    from mission.parsing import CellContext

__all__ = ["one_council_area"]


def one_council_area(frame: pl.DataFrame, spec: KindSpec, ctx: CellContext) -> None:
    """A warning at each row whose ADP is named by one of its council areas."""
    import polars as pl

    shared = {adp.code for adp in all_adps() if len(adp.council_areas) > 1}
    rows = frame.filter(pl.col("adp").cast(pl.String).is_in(list(shared)))
    if not rows.height:
        return
    typed = ctx.typed(rows, "adp")
    names = typed.unique().drop_nulls().to_list()
    parts = {name: council_area_code(name) for name in names}
    named = rows.with_columns(typed.alias("value")).filter(
        pl.col("value").replace_strict(parts, default=None, return_dtype=pl.String).is_not_null()
    )
    adps = {code: adp_by_code(code).name for code in shared}
    ctx.emit(
        "adp-council-area",
        named.select(
            ROW,
            "value",
            pl.format(
                "{} is one council area of the {} ADP: its figure is read, and stored, as the "
                "whole ADP's",
                pl.lit("'") + pl.col("value") + pl.lit("'"),
                pl.col("adp").cast(pl.String).replace_strict(adps, return_dtype=pl.String),
            ).alias("message"),
        ),
        spec.column("adp"),
        hint="If the figure is that council area's alone, add the other's to it and name the "
        "ADP: a return is the ADP's whole figure, and a later one for the ADP replaces it.",
    )
