"""Waiting-times and same-day measures from record-level episodes, as one lazy polars pipeline.

Per area (ADP, NHS board or Scotland) and quarter of treatment start: completed waits, the share
within 21 days (with a Wilson 95% interval), the median wait, the share of OST starts on the day
of referral (MAT 1), and — per quarter end — people still waiting over six weeks; referrals by
source are per quarter of referral. Person ids are never carried into the output.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from mission.adps import all_adps
from mission.columns import ROW
from mission.engines import engine_for
from mission.kinds import Kind
from mission.limits import Limits
from mission.periods import Quarter, quarter_end_expr, quarter_index_expr, quarter_label_expr
from mission.readers import NamedBytes
from mission.stats import Z95

if TYPE_CHECKING:
    import polars as pl

    from mission.checking import CheckedReturn

__all__ = ["COVERAGE_COLUMNS", "MEASURE_COLUMNS", "episode_measures", "measure_files"]

Level = Literal["adp", "board", "scotland"]
WITHIN_DAYS = 21
LONG_WAIT_DAYS = 42
SOURCES = Kind.EPISODES.spec.column("referral_source").choices
MEASURE_COLUMNS = (
    "level",
    "area",
    "area_name",
    "quarter",
    "completed",
    "within_21_days",
    "share_within_21_days",
    "ci_low",
    "ci_high",
    "median_wait_days",
    "waiting_over_6_weeks",
    "ost_starts",
    "ost_same_day",
    "same_day_share",
    "referrals",
    *(f"referrals_{s}" for s in SOURCES),
)


def _areas(level: Level) -> pl.DataFrame:
    """ADP code -> a small area number, with the area's code and name (per the level)."""
    import polars as pl

    adps = all_adps()
    if level == "adp":
        areas = [(a.code, a.name) for a in adps]
    elif level == "board":
        areas = [(a.board.code, a.board.name) for a in adps]
    elif level == "scotland":
        areas = [("S92000003", "Scotland")] * len(adps)
    else:  # mypy says so; anything else read as Scotland, without a word
        raise ValueError(f"{level!r} is not a level: use adp, board or scotland")
    unique = list(dict.fromkeys(areas))
    return pl.DataFrame(
        {
            "adp": [a.code for a in adps],
            "area_id": [unique.index(area) for area in areas],
            "area": [area[0] for area in areas],
            "area_name": [area[1] for area in areas],
        },
        schema={"adp": pl.String, "area_id": pl.UInt16, "area": pl.String, "area_name": pl.String},
    )


def episode_measures(
    episodes: pl.DataFrame | pl.LazyFrame, by: Level = "adp", as_of: dt.date | None = None
) -> pl.DataFrame:
    """The measures per area and quarter, from parsed episodes (ADP codes, real dates).

    Rows are reduced to a small area number first and every aggregate is taken over numbers, in
    three queries polars runs side by side; names are joined on only to the aggregated table.

    Args:
        episodes: rows with `adp`, `referral_date`, `treatment_start_date`, `referral_source`
            and `treatment_type` (as `read_return` gives them).
        by: the level to report at.
        as_of: the last day counted; by default the latest date in the data. A quarter that
            has not ended by it (by today, without one) has `complete` false: its figures are
            to date.

    Each row says how many of its area's ADPs the episodes come from (`COVERAGE_COLUMNS`).
    """
    import polars as pl

    areas = _areas(by)
    lazy = (
        episodes.lazy()
        .select(
            pl.col("adp")
            .replace_strict(areas["adp"], areas["area_id"], default=None, return_dtype=pl.UInt16)
            .alias("area_id"),
            "referral_date",
            "treatment_start_date",
            "referral_source",
            (pl.col("treatment_type") == "ost").fill_null(False).alias("ost"),
        )
        .filter(pl.col("area_id").is_not_null())
    )
    if as_of is not None:
        lazy = lazy.filter(pl.col("referral_date") <= as_of).with_columns(
            pl.when(pl.col("treatment_start_date") <= as_of).then(pl.col("treatment_start_date"))
        )
    # Collected once: each row's ADP is looked up once, not once per query below.
    rows = lazy.collect(
        engine=engine_for(episodes.height if isinstance(episodes, pl.DataFrame) else None)
    )
    lazy = rows.lazy()
    start, referral = pl.col("treatment_start_date"), pl.col("referral_date")
    quarters = _Quarters.spanning(rows)
    wait = (start - referral).dt.total_days()
    last_date = as_of or quarters.last_date
    # What `complete` and `as_of` say the figures are as of: the last day counted (the as-of
    # day, else the extract's latest date; a quarter after it is to date, as its long waits are
    # counted on that day), today for an extract of no dates.
    day = last_date or dt.date.today()
    last_index = Quarter.containing(last_date).index if last_date is not None else 0
    # Waits are whole days, so each (area, quarter, wait) is counted once and every measure of
    # completed waits — the median too, exactly — comes from those few counts, not from a sort
    # of every row.
    histogram = (
        lazy.filter(start.is_not_null())
        .select(
            "area_id",
            quarters.of(start).alias("quarter_index"),
            wait.cast(pl.Int32).alias("wait"),
            "ost",
        )
        .group_by("area_id", "quarter_index", "wait")
        .agg(n=pl.len(), ost=pl.col("ost").sum())
    )
    completed = _completed_from(histogram)
    long_from = referral + pl.duration(days=LONG_WAIT_DAYS + 1)
    # Someone not yet started counts in each quarter from the one in which their wait passes six
    # weeks, to the last: in a quarter over by its end; in the last, by the last day counted (the
    # as-of day, else the extract's latest date) if that comes first: not by an end still to come
    # (a referral of last week is no long wait), nor by days the extract does not cover.
    judged_by = min(day, Quarter.from_index(last_index).end_date)
    waiting = (
        lazy.filter(start.is_null() | (wait > LONG_WAIT_DAYS))
        .select(
            "area_id",
            quarters.of(long_from).alias("first"),
            pl.when(start.is_not_null())
            .then(quarters.of(start) - 1)
            .when(long_from <= judged_by)
            .then(pl.lit(last_index))
            .otherwise(pl.lit(last_index - 1))
            .alias("last"),
        )
        .filter(pl.col("first") <= pl.col("last"))
        .with_columns(quarter_index=pl.int_ranges("first", pl.col("last") + 1))
        .explode("quarter_index")
        .group_by("area_id", "quarter_index")
        .agg(waiting_over_6_weeks=pl.len())
    )
    referrals = (
        lazy.select("area_id", quarters.of(referral).alias("quarter_index"), "referral_source")
        .group_by("area_id", "quarter_index", "referral_source")
        .agg(pl.len().alias("n"))
    )
    sent = episodes.lazy().select(pl.col("adp").cast(pl.String).unique())
    completed_t, waiting_t, by_source, adps = pl.collect_all(
        [completed, waiting, referrals, sent], engine=engine_for(rows.height)
    )
    keys = ["area_id", "quarter_index"]
    counts = [
        c
        for c in MEASURE_COLUMNS
        if c.startswith(("completed", "within", "waiting", "ost_", "referrals"))
    ]
    n, k = pl.col("completed"), pl.col("within_21_days")
    p = k / n
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * ((p * (1 - p) / n + z2 / (4 * n * n)).sqrt()) / (1 + z2 / n)
    # The joins and the figures are one query over the few aggregated rows (a step each cost a
    # query's fixed price, a twentieth of a small file's run), sorted before the figures are
    # worked out: a figure's last bit can depend on where its row sits (polars' vectorised
    # arithmetic), so in output order it is the same every run.
    return (
        by_source.lazy()
        .group_by(keys)
        .agg(
            pl.col("n").sum().alias("referrals"),
            *(
                pl.col("n").filter(pl.col("referral_source") == s).sum().alias(f"referrals_{s}")
                for s in SOURCES
            ),
        )
        .join(completed_t.lazy(), on=keys, how="full", coalesce=True)
        .join(waiting_t.lazy(), on=keys, how="full", coalesce=True)
        .filter(pl.col("quarter_index") <= last_index)
        .join(areas.lazy().select("area_id", "area", "area_name").unique(), on="area_id")
        .join(_coverage(areas.lazy(), adps["adp"]), on="area_id")
        .sort("area", "quarter_index")
        .with_columns(pl.col(c).fill_null(0).cast(pl.Int64) for c in counts)
        .with_columns(
            level=pl.lit(by),
            quarter=quarter_label_expr(pl.col("quarter_index")),
            share_within_21_days=pl.when(n > 0).then(p),
            ci_low=pl.when(n > 0).then((centre - half).clip(0, 1)),
            ci_high=pl.when(n > 0).then((centre + half).clip(0, 1)),
            same_day_share=pl.when(pl.col("ost_starts") > 0).then(
                pl.col("ost_same_day") / pl.col("ost_starts")
            ),
            quarter_end=quarter_end_expr(pl.col("quarter_index")),
        )
        .with_columns(
            # A quarter not yet over (as of `as_of`, or today) is its figures to date: the waits
            # still open at its end, and its referrals, are not its last word.
            complete=pl.col("quarter_end") <= day,
            as_of=pl.lit(day, dtype=pl.Date),
        )
        .select(*MEASURE_COLUMNS, "quarter_end", "complete", "as_of", *COVERAGE_COLUMNS)
        .collect(engine=engine_for(by_source.height))
    )


COVERAGE_COLUMNS = ("adps_sent", "adps_in_area")
"""How many of an area's ADPs the extract holds episodes of, and how many it has: a board or
Scotland made of some of its ADPs is said to be so (`Tayside`, 1 of 3 ADPs)."""


def _coverage(areas: pl.LazyFrame, sent: pl.Series) -> pl.LazyFrame:
    """Per area: its ADPs among `sent` (ADP codes), and all its ADPs."""
    import polars as pl

    return areas.group_by("area_id").agg(
        adps_sent=pl.col("adp").is_in(pl.lit(sent).implode()).sum().cast(pl.Int64),
        adps_in_area=pl.len().cast(pl.Int64),
    )


class _Quarters(NamedTuple):
    """The quarter index of every day from the earliest date in the extract to 43 days past the
    latest (a referral's "waiting over six weeks" quarter): each row's quarter is then one
    lookup by its day number, not a date's year and month worked out for every row. `last_date` is
    the latest date in the extract: the last day counted when no as-of date is given."""

    first_day: int
    lookup: pl.Series
    last_date: dt.date | None

    @classmethod
    def spanning(cls, rows: pl.DataFrame) -> _Quarters:
        import polars as pl

        # Day numbers, not Python dates: a frame may hold dates Python cannot (year -768).
        dates = [pl.col("referral_date"), pl.col("treatment_start_date")]
        bounds = (
            rows.lazy()
            .select(
                pl.min_horizontal(d.min() for d in dates).cast(pl.Int32).alias("low"),
                pl.max_horizontal(d.max() for d in dates).cast(pl.Int32).alias("high"),
            )
            .collect(engine=engine_for(rows.height))
        )
        low, high = bounds.row(0)
        last = None if high is None else dt.date(1970, 1, 1) + dt.timedelta(days=int(high))
        low, top = (0, 0) if low is None else (int(low), int(high) + LONG_WAIT_DAYS + 1)
        lookup = pl.select(
            quarter_index_expr(pl.int_range(low, top + 1, dtype=pl.Int32).cast(pl.Date))
        ).to_series()
        return cls(low, lookup, last)

    def of(self, date: pl.Expr) -> pl.Expr:
        import polars as pl

        return pl.lit(self.lookup).gather(date.cast(pl.Int32) - self.first_day)


def _completed_from(histogram: pl.LazyFrame) -> pl.LazyFrame:
    """Completed waits per area and quarter from (wait, count) rows: counts, the share within 21
    days, same-day OST starts, and the exact median (the middle of the cumulative counts; with
    an even count, the mean of the two middle waits)."""
    import polars as pl

    keys = ["area_id", "quarter_index"]
    cumulative = (
        histogram.sort([*keys, "wait"])
        .with_columns(upto=pl.col("n").cum_sum().over(keys), total=pl.col("n").sum().over(keys))
        .with_columns(
            low=(pl.col("total") + 1) // 2,  # the 1-based positions of the middle wait(s)
            high=pl.col("total") // 2 + 1,
        )
    )
    middle = pl.col("upto") - pl.col("n")
    return cumulative.group_by(keys).agg(
        completed=pl.col("n").sum(),
        within_21_days=pl.col("n").filter(pl.col("wait") <= WITHIN_DAYS).sum(),
        median_wait_days=(
            pl.col("wait")
            .filter((middle < pl.col("low")) & (pl.col("upto") >= pl.col("low")))
            .first()
            + pl.col("wait")
            .filter((middle < pl.col("high")) & (pl.col("upto") >= pl.col("high")))
            .first()
        )
        / 2,
        ost_starts=pl.col("ost").sum(),
        ost_same_day=pl.col("ost").filter(pl.col("wait") == 0).sum(),
    )


def measure_files(
    paths: Sequence[Path | str | NamedBytes],
    by: Level = "adp",
    limits: Limits | None = None,
    as_of: dt.date | None = None,
) -> pl.DataFrame:
    """Validate episodes returns and compute their measures. A file named is read as an
    episodes return; a folder is searched for its episodes returns, and files in it whose header
    is plainly another kind's are passed over (one whose kind cannot be told is checked, and
    refused if it is not episodes).

    Raises:
        InvalidReturn: a file is not a valid episodes return (the report says why).
        InvalidPath: a folder named holds no episodes return.
    """
    import polars as pl

    from mission.report import Report
    from mission.validation import InvalidReturn

    checked = _episodes_returns(paths, limits)
    report = Report.of((c.report for c in checked), strict=False)
    # The rows as the checks left them (codes, not text): the measures group by code, and
    # turning a million codes into text first would cost more than the measures themselves.
    frames = [c.coded for c in checked]
    if not report.valid or any(f is None for f in frames):
        raise InvalidReturn(report)
    rows = pl.concat((f.drop(ROW) for f in frames if f is not None), how="vertical_relaxed")
    return episode_measures(rows, by, as_of)


def _episodes_returns(
    paths: Sequence[Path | str | NamedBytes], limits: Limits | None
) -> list[CheckedReturn]:
    """Every file checked in one run, so rules across files (an episode sent twice) see them
    all; those of another kind found in a folder passed over, and a file named that is not an
    episodes return (or one of a kind not told) checked again as one, to be told why not."""
    from mission.checking import check_files

    folders = [p for p in paths if not isinstance(p, NamedBytes) and Path(p).is_dir()]
    named = {Path(p) for p in paths if not isinstance(p, NamedBytes) and p not in folders}
    found = check_files(paths, None, limits=limits)
    checked = [c for c in found if c.kind is Kind.EPISODES]
    again = _to_check_as_episodes(found, named)
    if again:
        # Checked again with the others, as one run: rows across files (an episode in a named
        # workbook and in a folder's file) are still compared.
        sources = [c.source for c in checked if c.source is not None]
        checked = list(check_files([*sources, *again], Kind.EPISODES, limits=limits))
    if not checked:
        from mission.walk import InvalidPath

        raise InvalidPath(", ".join(str(p) for p in folders[:3]), "holds no episodes return")
    return checked


def _to_check_as_episodes(
    found: Sequence[CheckedReturn], named: set[Path]
) -> list[Path | NamedBytes]:
    """The files read as another kind (or none) that must be told why they are no episodes
    return: each one named, and any found in a folder whose kind could not be told."""
    again: list[Path | NamedBytes] = []
    for item in found:
        if item.kind is Kind.EPISODES or item.source is None:
            continue
        if item.kind is None or _named(item.source, named):
            again.append(item.source)
    return again


def _named(source: Path | NamedBytes, named: set[Path]) -> bool:
    """Whether a file read was named itself (standard input too), not found in a folder."""
    return isinstance(source, NamedBytes) or Path(source) in named
