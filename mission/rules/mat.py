"""MAT returns: all ten standards per ADP and year, statuses consistent with their evidence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mission.adps import adp_by_code
from mission.columns import ROW

if TYPE_CHECKING:
    import polars as pl

    from mission.kinds import KindSpec
    from mission.parsing import CellContext

__all__ = ["standards_complete"]


def standards_complete(frame: pl.DataFrame, spec: KindSpec, ctx: CellContext) -> None:
    """Each ADP and year lists all ten standards; green or blue needs every stream met."""
    import polars as pl

    from mission.standards import FULLY_IMPLEMENTED  # only a MAT return needs the standards

    groups = (
        frame.filter(pl.col("adp").is_not_null() & pl.col("year").is_not_null())
        .group_by("adp", "year", maintain_order=True)
        .agg(pl.col(ROW).min().alias(ROW), pl.col("standard").drop_nulls().unique().alias("seen"))
    )
    missing: list[tuple[int, str | None, str]] = []
    for adp, year, row, seen in groups.iter_rows():
        absent = sorted(set(range(1, 11)) - set(seen))
        if absent:
            listed = ", ".join(str(s) for s in absent)
            name = adp_by_code(adp).name
            missing.append((row, None, f"{name} {year} has no row for standard(s) {listed}"))
    ctx.emit(
        "missing-standard",
        # No value: the standards missing are in no cell (the row is the ADP's year's first).
        pl.DataFrame(
            missing, schema={ROW: pl.Int64, "value": pl.String, "message": pl.String}, orient="row"
        ),
        spec.column("standard"),
        hint="Add a row for each missing standard (not_assessed if it was not assessed).",
    )
    streams = ("numerical", "process", "experiential")
    not_met = ["partial", "not_met"]
    weak = frame.filter(
        pl.col("status").is_in(FULLY_IMPLEMENTED)
        & pl.any_horizontal(pl.col(s).is_in(not_met) for s in streams)
    )
    said = pl.concat_str(
        [
            pl.when(pl.col(s).is_in(not_met)).then(
                pl.format(
                    "the {} evidence is {}",
                    pl.lit(s),
                    pl.col(s).cast(pl.String).str.replace("_", " "),
                )
            )
            for s in streams
        ],
        separator=" and ",
        ignore_nulls=True,
    )
    ctx.emit(
        "status-evidence-mismatch",
        weak.select(
            ROW,
            ctx.typed(weak, "status").alias("value"),
            pl.format("status is {} but {}", pl.col("status"), said).alias("message"),
        ),
        spec.column("status"),
        hint="Green or blue means the numerical, process and experiential evidence are all met: "
        "check the status, or the evidence.",
    )
    early = frame.filter((pl.col("status") == "provisional_green") & (pl.col("standard") <= 5))
    ctx.emit(
        "provisional-green-early",
        early.select(
            ROW,
            ctx.typed(early, "status").alias("value"),
            pl.format("provisional green is for MAT 6–10, not standard {}", "standard").alias(
                "message"
            ),
        ),
        spec.column("status"),
        hint="Assess MAT 1–5 as red, amber, green or blue.",
    )
