"""From ADP figures to points: Scotland's (added up, honest about who is missing) and each ADP's.

A national point adds up the ADPs that have a figure for the period; its coverage counts the ADPs
that sent a return for it and names the ones that sent nothing. A missing ADP is never a zero.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from mission.adps import Adp
from mission.periods import PeriodType
from mission.stats import wilson_interval
from mission.tracker.model import Coverage, Point

if TYPE_CHECKING:
    import polars as pl

__all__ = ["adp_points", "national_points", "quarter_labels", "returned_by_period"]

NO_ROWS = "no rows for"
"""How a figure's coverage says a quarter of its year had no rows from an ADP that sent others:
counted as none started (`mission.tracker.assemble` says so beside a judgement on it)."""


def quarter_labels(year: str, quarters: Iterable[int]) -> str:
    """Quarter numbers of a financial year as canonical labels: `2025/26 Q2, 2025/26 Q3`."""
    return ", ".join(f"{year} Q{n}" for n in quarters)


def _point(period_type: PeriodType, row: Mapping[str, Any], coverage: Coverage) -> Point:
    period = str(row["period"])
    numerator, denominator = row.get("numerator"), row.get("denominator")
    low = high = None
    if numerator is not None and denominator:
        value = 100 * numerator / denominator
        interval = wilson_interval(int(numerator), int(denominator))
        if interval:
            low, high = 100 * interval[0], 100 * interval[1]
    else:
        value = float(row["value"])
    prorated = row.get("prorated")
    if prorated:
        value = value * 4 / prorated
    quarters = row.get("quarters")
    return Point(
        period=period,
        end=period_type.parse(period).end_date,
        value=value,
        coverage=coverage,
        numerator=numerator,
        denominator=denominator,
        low=low,
        high=high,
        prorated_from_quarters=int(prorated) if prorated is not None else None,
        quarters=tuple(int(q) for q in quarters) if quarters is not None else (),
    )


def returned_by_period(returned: pl.DataFrame) -> dict[str, set[str]]:
    """Period -> the ADP codes that sent a return for it."""
    found: dict[str, set[str]] = {}
    for adp, period in returned.select("adp", "period").unique().iter_rows():
        found.setdefault(str(period), set()).add(str(adp))
    return found


def _absent(values: pl.DataFrame) -> dict[tuple[str, str], list[int]]:
    if "absent" not in values.columns:
        return {}
    return {
        (str(adp), str(period)): list(quarters)
        for adp, period, quarters in values.select("adp", "period", "absent").iter_rows()
        if quarters
    }


def national_points(
    values: pl.DataFrame,
    returned: pl.DataFrame,
    period_type: PeriodType,
    adps: Sequence[Adp],
    no_figure: str,
    refused: Collection[tuple[str, str | None]] = (),
) -> list[Point]:
    """Scotland's point per period: the ADP figures added up, with who returned and who did not
    (of those, whose return for the period was left out as invalid: `refused`, as
    `Built.refused`)."""
    import polars as pl

    if values.height == 0:
        return []
    # An ADP's figure for a period some of whose rows were in a return refused is a part:
    # not added to Scotland's, and the ADP said as refused for it (never its part as whole).
    partial = spoiled(values, refused)
    if partial:
        values, returned = (_without(frame, partial) for frame in (values, returned))
        if values.height == 0:
            return []
    share = "numerator" in values.columns
    sums = (
        [pl.col("numerator").sum(), pl.col("denominator").sum()]
        if share
        else [pl.col("value").sum()]
    )
    if "prorated" in values.columns:
        sums.append(pl.col("prorated").min())
    sums.append(pl.col("adp").alias("with_figure"))
    national = values.group_by("period").agg(*sums)
    returns = returned_by_period(returned)
    absent = _absent(values)
    points = []
    for row in national.iter_rows(named=True):
        period = str(row["period"])
        parted = {code for code, year in partial if year == period}
        sent = (returns.get(period, set()) | set(row["with_figure"])) - parted
        invalid = refused_for(refused, period) | parted
        coverage = _coverage(adps, sent, invalid, _details(adps, row, sent, absent, no_figure))
        points.append(_point(period_type, row, coverage))
    return sorted(points, key=lambda p: p.end)


def _coverage(
    adps: Sequence[Adp], sent: set[str], invalid: set[str], details: list[str]
) -> Coverage:
    """Who a national point is built from: those that sent a return for it, those that sent
    nothing (missing), and those whose return for it was refused."""
    return Coverage(
        reported=len(sent),
        expected=len(adps),
        missing=tuple(a.name for a in adps if a.code not in sent | invalid),
        details=tuple(details),
        refused=tuple(a.name for a in adps if a.code in invalid - sent),
    )


def _details(
    adps: Sequence[Adp],
    row: Mapping[str, Any],
    sent: set[str],
    absent: Mapping[tuple[str, str], list[int]],
    no_figure: str,
) -> list[str]:
    """What ADPs that returned left out of a period: no figure in it, or quarters with no rows."""
    period = str(row["period"])
    figure = set(row["with_figure"])
    details = [f"{a.name}: {no_figure}" for a in adps if a.code in sent - figure]
    details += [
        f"{a.name}: {NO_ROWS} {quarter_labels(period, absent[(a.code, period)])}"
        for a in adps
        if (a.code, period) in absent
    ]
    return details


def refused_for(refused: Collection[tuple[str, str | None]], period: str) -> set[str]:
    """The ADPs (by code) whose return for `period` was left out as invalid: a return of that
    period, of a quarter of that year (a year's figure comes from its quarters), or of no period
    it could be dated to."""
    return {
        code
        for code, sent in refused
        if sent is None or sent == period or sent.startswith(f"{period} ")
    }


def _without(frame: pl.DataFrame, pairs: set[tuple[str, str]]) -> pl.DataFrame:
    """`frame` without the rows of these (ADP, period) pairs."""
    import polars as pl

    adp, period = pl.col("adp").cast(pl.String), pl.col("period").cast(pl.String)
    key = pl.concat_str(adp, period, separator="\x00")
    return frame.filter(~key.is_in([f"{a}\x00{p}" for a, p in pairs]))


def spoiled(
    values: pl.DataFrame, refused: Collection[tuple[str, str | None]]
) -> set[tuple[str, str]]:
    """The (ADP, period) figures that lack rows a refused return held: a return refused for the
    period, or for a quarter of the year (a year made of the quarters an ADP sent, one of which
    it also sent in a return left out, is a part of the year, not the whole an ADP's quarter
    with no rows, none started, makes); and a quarter an ADP sent no rows for, in a year it sent
    others, when a return of its was refused whose period could not be read (`2025/26 Q5`)."""
    import polars as pl

    if not refused:
        return set()
    dated = [(code, sent) for code, sent in refused if sent is not None]
    undated = {code for code, sent in refused if sent is None}
    pairs = values.select(pl.col("adp").cast(pl.String), pl.col("period").cast(pl.String))
    found = {
        (code, period)
        for code, period in pairs.unique().iter_rows()
        if code in refused_for(dated, period)
    }
    gaps = {(code, year) for (code, year), quarters in _absent(values).items() if quarters}
    return found | {(code, year) for code, year in gaps if code in undated}


def adp_points(
    values: pl.DataFrame,
    period_type: PeriodType,
    adp: Adp,
    refused: Collection[tuple[str, str | None]] = (),
) -> list[Point]:
    """One ADP's points, oldest first; each is 1 of 1, with any quarter it sent no rows for. A
    period some of whose rows were refused (`spoiled`) has no point: the ADP's part of it is
    never its figure, as it is not added to Scotland's (a published table's rows add up to its
    total); its row says `no valid return for` the period instead."""
    import polars as pl

    own = values.filter(pl.col("adp") == adp.code)
    own = _without(own, spoiled(own, [(c, p) for c, p in refused if c == adp.code]))
    absent = _absent(own)
    points = []
    for row in own.iter_rows(named=True):
        period = str(row["period"])
        quarters = absent.get((adp.code, period), [])
        details = (f"{NO_ROWS} {quarter_labels(period, quarters)}",) if quarters else ()
        points.append(_point(period_type, row, Coverage(reported=1, expected=1, details=details)))
    return sorted(points, key=lambda p: p.end)
