"""A yearly count for a year not yet over: the count is not whole, so the year is mistyped or the
return sent too early (the quarterly kinds are told so as their periods are parsed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mission.columns import ROW

if TYPE_CHECKING:
    import polars as pl

    from mission.kinds import KindSpec
    from mission.parsing import CellContext

__all__ = ["calendar_year_ended"]


def calendar_year_ended(frame: pl.DataFrame, spec: KindSpec, ctx: CellContext) -> None:
    """An error for each row of a calendar year that ends after today: deaths registered in a
    year still running are a part of the year's count, which, stored, would later be counted as
    the whole year."""
    import polars as pl

    from mission.periods import CalendarYear, not_over_words

    # A year is over once its last day has passed (`periods.over_by`): this year never is, and
    # a later one is no calendar year at all (`invalid-calendar-year`), so only this one is here.
    year = CalendarYear(ctx.today.year)
    running = frame.filter(pl.col("calendar_year") >= year.year)
    words = (
        f"{year} {not_over_words(year, ctx.today)}: a year's count is sent once the year has ended"
    )
    ctx.emit(
        "period-not-ended",
        running.select(ROW, ctx.typed(running, "calendar_year").alias("value")),
        spec.column("calendar_year"),
        message=lambda _: words,
        hint="Check the year; send it once it has ended.",
    )
