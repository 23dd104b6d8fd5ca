"""The MAT matrix: every ADP's status on all ten standards, for the newest year that has ended."""

from __future__ import annotations

from mission.adps import adp_by_code
from mission.kinds import Kind
from mission.periods import FinancialYear
from mission.returns import Returns
from mission.standards import MatStatus
from mission.tracker.model import MatMatrix, MatRow

__all__ = ["mat_matrix"]


def mat_matrix(returns: Returns) -> MatMatrix | None:
    """The newest assessed year in `returns` (already cut at the as-of date), ADP by standard."""
    import polars as pl

    frame = returns.get(Kind.MAT)
    if frame is None or frame.height == 0:
        return None
    year = str(max(FinancialYear.parse(y) for y in frame["year"].unique().to_list()))
    latest = frame.filter(pl.col("year") == year)
    rows = []
    for code in latest["adp"].unique().to_list():
        statuses = dict(
            latest.filter(pl.col("adp") == code).select("standard", "status").iter_rows()
        )
        ordered = tuple(
            MatStatus(statuses.get(n, MatStatus.NOT_ASSESSED.value)) for n in range(1, 11)
        )
        rows.append(MatRow(adp=code, name=adp_by_code(code).name, statuses=ordered))
    return MatMatrix(year=year, rows=tuple(sorted(rows, key=lambda r: r.name)))
