"""Episodes returns: dates in order, and a treatment type once treatment has started."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mission.columns import ROW
from mission.parsing.context import Also

if TYPE_CHECKING:
    import polars as pl

    from mission.kinds import KindSpec
    from mission.parsing import CellContext

__all__ = ["dates_in_order"]


def dates_in_order(frame: pl.DataFrame, spec: KindSpec, ctx: CellContext) -> None:
    """Treatment cannot start before referral, and a started treatment has a type."""
    import polars as pl

    backwards = frame.filter(pl.col("treatment_start_date") < pl.col("referral_date"))
    # Both dates as the officer typed them: the message quotes cells, each judged as a cell.
    started = ctx.typed(backwards, "treatment_start_date")
    referred = ctx.typed(backwards, "referral_date")
    ctx.emit(
        "start-before-referral",
        backwards.select(
            ROW,
            started.alias("value"),
            referred.alias("also"),
            pl.format("treatment started {}, before the referral date {}", started, referred).alias(
                "message"
            ),
        ),
        spec.column("treatment_start_date"),
        hint="Check both dates.",
        also=[Also("also", spec.column("referral_date"))],
    )
    untyped = frame.filter(
        pl.col("treatment_start_date").is_not_null() & pl.col("treatment_type").is_null()
    )
    # A type typed but not allowed already has its `invalid-choice`: only a blank one is missing.
    typed = ctx.typed(untyped, "treatment_type")
    untyped = untyped.filter(typed.is_null() | (typed == ""))
    ctx.emit(
        "missing-treatment-type",
        untyped.select(ROW, pl.col("treatment_type").alias("value")),
        spec.column("treatment_type"),
        lambda _: "treatment_type is required when treatment has started",
        hint="Fill in the treatment type (ost, psychosocial, residential_rehab, detox, other).",
    )
