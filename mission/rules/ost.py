"""OST returns: the total is the sum of the medications; a jump of over 25% is worth a look."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from mission.adps import adp_by_code
from mission.columns import ROW
from mission.findings import Finding, Quoted, finding
from mission.parsing.context import Also
from mission.rules import Parsed

if TYPE_CHECKING:
    import polars as pl

    from mission.kinds import KindSpec
    from mission.parsing import CellContext

__all__ = ["LARGE_CHANGE", "MEDICATIONS", "large_changes", "total_matches"]

MEDICATIONS = ("methadone", "buprenorphine_oral", "buprenorphine_depot", "diamorphine", "other")
LARGE_CHANGE = 0.25
_NOT_SHOWN = "a figure not shown"
"""Said in place of a figure made of cells (a sum, a previous quarter) that is a person id."""


def total_matches(frame: pl.DataFrame, spec: KindSpec, ctx: CellContext) -> None:
    """`total` must equal the sum of the medication columns (a blank `other` counts as 0)."""
    import polars as pl

    parts = [pl.col(m).fill_null(0) if m == "other" else pl.col(m) for m in MEDICATIONS]
    medications = pl.sum_horizontal(parts)
    complete = pl.all_horizontal(pl.col(c).is_not_null() for c in (*MEDICATIONS[:-1], "total"))
    bad = frame.filter(complete & (medications != pl.col("total")))
    fix = "Correct the total or the medication counts"
    ctx.emit(
        "total-mismatch",
        bad.select(
            ROW,
            ctx.typed(bad, "total").alias("value"),
            pl.format(
                "total is {} but the medication columns add up to {}", pl.col("total"), medications
            ).alias("message"),
            # The sum is made of cells: one column alone may be a pasted id.
            medications.cast(pl.String).alias("sum"),
            pl.when(pl.lit(_blank_other(bad, ctx)))
            .then(pl.lit(f"{fix} (a blank 'other' counts as 0)."))
            .otherwise(pl.lit(f"{fix}."))
            .alias("hint"),
        ),
        spec.column("total"),
        also=[Also("sum", spec.column("total"), mention=_NOT_SHOWN)],
    )


def _blank_other(bad: pl.DataFrame, ctx: CellContext) -> pl.Series:
    """Whether each row's `other` was left blank (read as 0, as the contract says), not typed
    0: the hint names the rule for blanks only where it applies (a newcomer was told of it
    beside an `other` of 0)."""
    import polars as pl

    if "other" not in ctx.sources:  # no such column: every row's is blank
        return pl.Series([True] * bad.height, dtype=pl.Boolean)
    typed = ctx.typed(bad, "other")
    return (typed.is_null() | (typed == "")).fill_null(True)


def large_changes(
    files: Sequence[Parsed], earlier: pl.DataFrame | None, spec: KindSpec
) -> list[tuple[int, Finding]]:
    """A total more than 25% away from the same ADP's previous quarter, in this run or earlier.

    `earlier` (the store's accepted rows, with adp, period and total) supplies previous quarters
    that this run does not hold; a quarter this run holds is judged on this run's figure.
    """
    import polars as pl

    from mission.parsing import as_text
    from mission.periods import Quarter

    mine = pl.concat(
        [
            as_text(f.frame.select(ROW, "adp", "period", "total")).with_columns(
                pl.lit(i).alias("__file")
            )
            for i, f in enumerate(files)
        ]
    ).filter(pl.col("total").is_not_null() & pl.col("period").is_not_null())
    if mine.height == 0:
        return []
    if earlier is not None and earlier.height:
        known = mine.select("adp", "period").unique()
        others = earlier.join(known, on=["adp", "period"], how="anti").select(
            pl.lit(0, dtype=pl.Int64).alias(ROW),
            "adp",
            "period",
            "total",
            pl.lit(-1).alias("__file"),
        )
        mine = pl.concat([mine, others], how="vertical_relaxed")
    totals = mine.with_columns(q=Quarter.index_expr(pl.col("period"))).unique(
        ["adp", "q"], keep="first", maintain_order=True
    )
    previous = totals.select("adp", (pl.col("q") + 1).alias("q"), pl.col("total").alias("before"))
    jumps = (
        totals.filter(pl.col("__file") >= 0)
        .join(previous, on=["adp", "q"])
        .filter(
            (pl.col("before") > 0)
            & (((pl.col("total") - pl.col("before")).abs() / pl.col("before")) > LARGE_CHANGE)
        )
    )
    found: list[tuple[int, Finding]] = []
    for row in jumps.iter_rows(named=True):
        change = (row["total"] - row["before"]) / row["before"]
        here = files[row["__file"]]
        found.append(
            (
                here.index,
                finding(
                    "large-change",
                    f"{adp_by_code(row['adp']).name}'s total in {row['period']}, "
                    f"{row['total']:,}, is {_change(change)} on {row['before']:,} the quarter "
                    "before",
                    here.file,
                    row=row[ROW],
                    column="total",
                    value=row["total"],
                    hint="Check the figure; if it is right, nothing to do.",
                    **here.cell("total", row[ROW]),
                    quotes=(Quoted(str(row["before"]), _NOT_SHOWN),),
                ),
            )
        )
    return found


def _change(change: float) -> str:
    """A change as a whole percentage, with as many decimals as it takes not to read as all
    gone when some is left (-99.8%, not -100%)."""
    for decimals in range(4):
        said = f"{change:+.{decimals}%}"
        if change == -1 or float(said.rstrip("%")) != -100:
            return said
    return said
