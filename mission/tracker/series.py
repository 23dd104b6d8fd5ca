"""Series per kind of return: each ADP's figure per period, from periods ended by the as-of date.

`returns_as_of` drops every row of a period that had not ended on the as-of date (and, for
record-level episodes, referrals after it and treatment starts after it), so nothing later can
reach a figure. Each builder then turns one kind's rows into a `Built`: the ADP figures per period
(a count in `value`, or a share as `numerator`/`denominator`), which ADPs sent a return for each
period, and any related series shown beside the target's own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mission.kinds import Kind
from mission.periods import CalendarYear, FinancialYear, PeriodType, Quarter
from mission.returns import Returns
from mission.standards import FULLY_IMPLEMENTED, MatStatus
from mission.targets import Target

if TYPE_CHECKING:
    import polars as pl

__all__ = [
    "PUBLICLY_FUNDED",
    "Built",
    "RelatedBuilt",
    "build_series",
    "returns_as_of",
]

PUBLICLY_FUNDED = ("adp", "local_authority", "nhs", "scottish_government")
"""Rehab funding sources that count as publicly funded (the data contract)."""


@dataclass(frozen=True)
class RelatedBuilt:
    """A share shown beside a target's own series: ADP figures as numerator/denominator."""

    name: str
    title: str
    unit: str
    values: pl.DataFrame


@dataclass(frozen=True)
class Built:
    """One target's figures, ADP by period, and who returned what.

    `values` has `adp`, `period` and `value` (a count) or `numerator`/`denominator` (a share);
    yearly sums of quarters add `prorated` (the number of quarters a year in progress is pro-rated
    from: its `value` is the sum of those quarters, scaled to a year only once added up, so that
    the figures are exact whatever order the ADPs are added in), `absent` (quarters of the
    year with rows from other ADPs but none from this one) and `quarters` (the ADP's count in
    each quarter, Q1 first: what publications of the year at different dates are sums of).
    `returned` lists (adp, period) pairs for which the ADP sent a return, whether or not it gives a
    figure; `no_figure` says, in words, why a returning ADP may have none.
    """

    period_type: PeriodType
    values: pl.DataFrame
    returned: pl.DataFrame
    no_figure: str = "no figure"
    related: tuple[RelatedBuilt, ...] = ()
    refused: frozenset[tuple[str, str | None]] = frozenset()
    """The ADPs and periods of returns of this kind left out as invalid (`Returns.refused`)."""

    @property
    def is_share(self) -> bool:
        return "numerator" in self.values.columns


def returns_as_of(returns: Returns, as_of: dt.date) -> Returns:
    """The returns as they could be known on `as_of`: only periods that had ended by then."""
    import polars as pl

    frames: dict[Kind, pl.DataFrame] = {}
    for kind, frame in returns.frames.items():
        spec = kind.spec
        if spec.period_column is not None:
            ended = spec.period_type.end_expr(pl.col(spec.period_column)) <= as_of
            frames[kind] = frame.filter(ended)
        elif spec.period_from is not None:
            kept = frame.filter(pl.col(spec.period_from) <= as_of)
            if kind is Kind.EPISODES:
                start = pl.col("treatment_start_date")
                kept = kept.with_columns(
                    pl.when(start <= as_of).then(start).alias("treatment_start_date")
                )
            frames[kind] = kept
        else:
            frames[kind] = frame
    return Returns(
        frames=frames,
        report=returns.report,
        notes=returns.notes,
        dataset=returns.dataset,
        refused=returns.refused,
    )


def _year_label(start: pl.Expr) -> pl.Expr:
    """`2023` -> `2023/24`, vectorised."""
    import polars as pl

    return pl.format("{}/{}", start, ((start + 1) % 100).cast(pl.String).str.zfill(2))


def _by_year(frame: pl.DataFrame) -> pl.DataFrame:
    """Quarterly rows with their financial year's label and the quarter's number."""
    import polars as pl

    index = Quarter.index_expr(pl.col("period"))
    return frame.with_columns(year=_year_label(index // 4), quarter=(index % 4 + 1).cast(pl.Int8))


def _per_quarter(value: pl.Expr) -> pl.Expr:
    """Within a group of a financial year's rows: `value` summed in each quarter, Q1 first."""
    import polars as pl

    return pl.concat_list(
        value.filter(pl.col("quarter") == n).sum().cast(pl.Int64) for n in range(1, 5)
    )


def _yearly_sum(frame: pl.DataFrame, value: pl.Expr) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Sum quarters within a financial year; a year with fewer than four quarters is pro-rated.

    The quarters a year uses are those (all ended, see `returns_as_of`) from which any ADP sent
    rows: a year in progress is pro-rated from them. An ADP with no rows for one of those quarters
    may have had nothing to report (the contract asks for rows of counts started, and a quarter
    with none may send none): it is counted as returned, and the quarter is named in `absent`.
    """
    import polars as pl

    quarters = _by_year(frame)
    used = quarters.group_by("year").agg(used=pl.col("quarter").unique().sort())
    own = quarters.group_by("adp", "year").agg(
        quarters=_per_quarter(value),
        value=value.sum().cast(pl.Float64),
        own=pl.col("quarter").unique().sort(),
    )
    count = pl.col("used").list.len()
    values = own.join(used, on="year").select(
        "adp",
        pl.col("year").alias("period"),
        "value",
        pl.when(count < 4).then(count).cast(pl.Int64).alias("prorated"),
        pl.col("used").list.set_difference(pl.col("own")).list.sort().alias("absent"),
        "quarters",
    )
    return values, values.select("adp", "period")


def _ost(returns: Returns, target: Target, as_of: dt.date) -> Built | None:
    import polars as pl

    frame = returns.get(Kind.OST)
    if frame is None:
        return None
    values = frame.group_by("adp", "period").agg(value=pl.col("total").sum().cast(pl.Float64))
    return Built(Quarter, values, values.select("adp", "period"), "no return")


def _rehab(returns: Returns, target: Target, as_of: dt.date) -> Built | None:
    import polars as pl

    frame = returns.get(Kind.REHAB)
    if frame is None:
        return None
    public = pl.when(pl.col("funding_source").is_in(PUBLICLY_FUNDED)).then(
        pl.col("placements_started")
    )
    values, returned = _yearly_sum(frame, public.fill_null(0))
    return Built(FinancialYear, values, returned)


def _naloxone(returns: Returns, target: Target, as_of: dt.date) -> Built | None:
    import polars as pl

    frame = returns.get(Kind.NALOXONE)
    if frame is None:
        return None
    first, repeat = pl.col("first_supply"), pl.col("repeat_supply")
    values, returned = _yearly_sum(frame, first + repeat)
    shares = (
        _by_year(frame)
        .group_by("adp", pl.col("year").alias("period"))
        .agg(
            # first supplies per quarter (not printed): the year-to-date rule needs them
            quarters=_per_quarter(first),
            numerator=first.sum().cast(pl.Float64),
            denominator=(first + repeat).sum().cast(pl.Float64),
        )
        .filter(pl.col("denominator") > 0)
    )
    related = RelatedBuilt(
        "first_supply_share", "share of kits that were first supplies", "percent of kits", shares
    )
    return Built(FinancialYear, values, returned, related=(related,))


def _deaths(returns: Returns, target: Target, as_of: dt.date) -> Built | None:
    import polars as pl

    frame = returns.get(Kind.DEATHS)
    if frame is None:
        return None
    values = frame.group_by("adp", pl.col("calendar_year").cast(pl.String).alias("period")).agg(
        value=pl.col("drug_misuse_deaths").sum().cast(pl.Float64)
    )
    return Built(CalendarYear, values, values.select("adp", "period"), "no return")


def _mat(returns: Returns, target: Target, as_of: dt.date) -> Built | None:
    import polars as pl

    frame = returns.get(Kind.MAT)
    if frame is None:
        return None
    standards = list(target.measure.standards or range(1, 11))
    status = pl.col("status")
    grouped = (
        frame.filter(pl.col("standard").is_in(standards))
        .group_by("adp", pl.col("year").alias("period"))
        .agg(
            numerator=status.is_in(FULLY_IMPLEMENTED).sum().cast(pl.Float64),
            provisional=(status == MatStatus.PROVISIONAL_GREEN.value).sum().cast(pl.Float64),
            denominator=pl.len().cast(pl.Float64),
        )
    )
    related = RelatedBuilt(
        "provisional_green",
        "share assessed provisional green",
        target.unit,
        grouped.select("adp", "period", pl.col("provisional").alias("numerator"), "denominator"),
    )
    values = grouped.select("adp", "period", "numerator", "denominator")
    return Built(FinancialYear, values, values.select("adp", "period"), related=(related,))


def _waiting(returns: Returns, target: Target, as_of: dt.date) -> Built | None:
    import polars as pl

    from mission.measures import episode_measures

    frame = returns.get(Kind.EPISODES)
    if frame is None:
        return None
    measures = episode_measures(frame, "adp", as_of).filter(pl.col("quarter_end") <= as_of)
    # An episodes return is an extract of every referral: an ADP in it has returned for every
    # quarter, and a quarter with none of its records had no referrals or treatment starts.
    returned = (
        measures.select(pl.col("area").alias("adp"))
        .unique()
        .join(measures.select(pl.col("quarter").alias("period")).unique(), how="cross")
    )
    values = measures.filter(pl.col("completed") > 0).select(
        pl.col("area").alias("adp"),
        pl.col("quarter").alias("period"),
        pl.col("within_21_days").cast(pl.Float64).alias("numerator"),
        pl.col("completed").cast(pl.Float64).alias("denominator"),
    )
    return Built(Quarter, values, returned, "no completed waits")


Builder = Callable[[Returns, Target, dt.date], "Built | None"]

_BUILDERS: dict[tuple[Kind, str], Builder] = {
    (Kind.OST, "latest_quarter_total"): _ost,
    (Kind.REHAB, "yearly_sum"): _rehab,
    (Kind.NALOXONE, "yearly_sum"): _naloxone,
    (Kind.DEATHS, "yearly_sum"): _deaths,
    (Kind.MAT, "share_fully_implemented"): _mat,
    (Kind.EPISODES, "share_within_21_days"): _waiting,
}


def build_series(returns: Returns, target: Target, as_of: dt.date) -> Built | None:
    """The target's figures from returns already cut at `as_of`; None without such returns.

    Raises:
        KeyError: the target's measure is not one mission computes.
    """
    key = (target.measure.kind, target.measure.statistic)
    if key not in _BUILDERS:
        raise KeyError(f"the measure {target.measure.kind}/{target.measure.statistic!r}")
    return _BUILDERS[key](returns, target, as_of)
