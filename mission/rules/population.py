"""Population estimates: council areas of one ADP are added together; a true repeat is an error.

Two council areas that share an ADP (Midlothian and East Lothian, Clackmannanshire and Stirling)
are read as that ADP with an `adp-combined` note, and their rows are *added* where rates are
worked out (`mission.rates`): the contract asks for one row per (adp, calendar_year) after
combining. What is still a `duplicate-row` is a true repeat: the same name twice for a year, or
the whole ADP beside one of its council areas (which would count those residents twice).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from mission.adps import InvalidAdp, council_area_code, match_adp
from mission.columns import ROW

if TYPE_CHECKING:
    import polars as pl

    from mission.kinds import KindSpec
    from mission.parsing import CellContext

__all__ = ["population_rows"]


@cache
def _council_area(text: str) -> bool:
    """The name is a council area that shares its ADP (read with an `adp-combined` note)."""
    try:
        return match_adp(text, suggest=False).note is not None
    except (InvalidAdp, ValueError):
        return False


def population_rows(frame: pl.DataFrame, spec: KindSpec, ctx: CellContext) -> None:
    """A population of 0 is an error; so is a true repeat of an area and year."""
    import polars as pl

    zero = frame.filter(pl.col("population") == 0)
    ctx.emit(
        "zero-population",
        zero.select(ROW, ctx.typed(zero, "population").alias("value")),
        spec.column("population"),
        message=lambda v: "a population of 0 cannot be a denominator",
        hint="Write the mid-year estimate for the whole area, all ages.",
    )
    keyed = frame.filter(pl.col("adp").is_not_null() & pl.col("calendar_year").is_not_null())
    if keyed.height < 2:
        return
    typed = ctx.typed(keyed, "adp").fill_null("")
    names = typed.unique().to_list()
    council = {name: _council_area(name) for name in names}
    # The area a row counts, however it was named (a name, a code, an old code): a council
    # area of a shared ADP by its code, anything else by its ADP's.
    area = {name: council_area_code(name) for name in names}
    rows = keyed.select(ROW, "adp", "calendar_year").with_columns(
        typed=typed,
        council=typed.replace_strict(council, return_dtype=pl.Boolean),
    )
    rows = rows.with_columns(
        name=pl.col("typed")
        .replace_strict(area, default=None, return_dtype=pl.String)
        .fill_null(pl.col("adp").cast(pl.String))
    )
    first = pl.col(ROW).min()
    repeats = rows.with_columns(
        first_same=first.over("name", "calendar_year"),
        first_adp=first.over("adp", "calendar_year"),
        # The row a repeat is pointed at: the first whole-ADP row for a council area's row,
        # the first council area's row for a whole-ADP row.
        first_whole=pl.col(ROW).filter(~pl.col("council")).min().over("adp", "calendar_year"),
        first_part=pl.col(ROW).filter(pl.col("council")).min().over("adp", "calendar_year"),
    ).filter(
        (pl.col(ROW) != pl.col("first_same"))
        # The ADP's whole is counted in some row: every other row of it repeats residents.
        | (pl.col("first_whole").is_not_null() & (pl.col(ROW) != pl.col("first_adp")))
    )
    _missing_areas(rows, spec, ctx)
    if not repeats.height:
        return
    said = repeats.select(
        ROW,
        pl.format("{}, {}", pl.col("typed"), pl.col("calendar_year")).alias("value"),
        pl.when(pl.col(ROW) != pl.col("first_same"))
        .then(pl.format("same area and calendar_year as row {}", pl.col("first_same")))
        .when(pl.col("council"))
        .then(
            pl.format(
                "row {} counts the whole ADP this council area belongs to",
                pl.col("first_whole"),
            )
        )
        .otherwise(pl.format("row {} counts a council area of this ADP", pl.col("first_part")))
        .alias("message"),
    )
    ctx.emit(
        "duplicate-row",
        said,
        spec.column("calendar_year"),
        hint="Keep one row per area and year: either the ADP, or each of its council areas.",
    )


def _missing_areas(rows: pl.DataFrame, spec: KindSpec, ctx: CellContext) -> None:
    """An ADP of several council areas given by some of them, not all, for a year: its
    population would be too small, and every rate on it too large. Told at the first of its
    rows, naming the areas missing (names from the register, not from the file)."""
    import polars as pl

    parts = rows.filter(pl.col("council"))
    if not parts.height:
        return
    whole = set(rows.filter(~pl.col("council")).select("adp", "calendar_year").iter_rows())
    areas = _areas()
    found = []
    for (adp, year), group in parts.group_by("adp", "calendar_year", maintain_order=True):
        if (adp, year) in whole or str(adp) not in areas:
            continue
        named = set(group["name"].to_list())
        missing = [area for code, area in areas[str(adp)] if code not in named]
        if missing:
            first = group.sort(ROW).row(0, named=True)
            found.append((first[ROW], first["typed"], year, ", ".join(missing)))
    if not found:
        return
    said = pl.DataFrame(
        found,
        schema={ROW: pl.Int64, "value": pl.String, "year": pl.Int64, "areas": pl.String},
        orient="row",
    )
    ctx.emit(
        "council-area-missing",
        said.select(
            ROW,
            "value",
            pl.format(
                "{} has no estimate for {}, a council area of the same ADP: the ADP's "
                "population would be too small",
                pl.col("year"),
                pl.col("areas"),
            ).alias("message"),
        ),
        spec.column("adp"),
        hint="Add the missing council area's estimate, or give one row for the whole ADP.",
    )


@cache
def _areas() -> dict[str, tuple[tuple[str, str], ...]]:
    """Each ADP of several council areas: its areas, by code and by name."""
    from mission.adps import all_adps

    return {
        adp.code: tuple((a.code, a.name) for a in adp.council_areas)
        for adp in all_adps()
        if len(adp.council_areas) > 1
    }
