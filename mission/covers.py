"""What a return's rows are of, in words: the ADPs and periods validation read them as.

An officer on deadline day wants to see more than `valid`: that the file was taken for the
right quarter (`Q2 2025/26` read as 2025/26 Q2) and the right ADP. The words are made from the
parsed columns' distinct values (`ParsedColumns.values`), never from a pass over the rows, and
name only ADPs and periods: nothing a person typed about a person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mission.adps import adp_by_code

if TYPE_CHECKING:
    import polars as pl

    from mission.kinds import KindSpec

__all__ = ["covers"]

_NAMED_AT_MOST = 3
"""ADPs named one by one; more are counted (`30 ADPs`)."""


def covers(spec: KindSpec, values: dict[str, pl.Series]) -> str | None:
    """`Fife; 2025/26 Q2`, `30 ADPs; 2021/22 Q1 to 2025/26 Q4`, `Fife; referred 2024/25 Q1 to
    2025/26 Q3` (a return of people's records is dated by its referrals); None when no value
    parsed."""
    adps = values.get("adp")
    column = spec.period_column or spec.period_from
    found = values.get(column) if column is not None else None
    parts = [
        *(_adp_words(adps) if adps is not None else []),
        *(_period_words(found.drop_nulls(), spec) if found is not None else []),
    ]
    return "; ".join(parts) or None


def _adp_words(adps: pl.Series) -> list[str]:
    """The ADPs read, by commas (`Argyll and Bute and Perth and Kinross` read as three or four),
    or counted; and how many names were read as no ADP (`Fiffe`), never quoted (it may be
    anything typed): else `read as` said the quarter alone, as if the file named no ADP."""
    codes = sorted({str(code) for code in adps.drop_nulls().to_list()})
    names = sorted(adp_by_code(code).name for code in codes)
    words = []
    if names:
        words.append(", ".join(names) if len(names) <= _NAMED_AT_MOST else f"{len(names)} ADPs")
    unread = adps.null_count()
    if unread:
        words.append(f"{unread} name{'s' if unread > 1 else ''} not read as an ADP")
    return words


def _period_words(found: pl.Series, spec: KindSpec) -> list[str]:
    """The periods read: a few named (two quarters years apart are no range), more as a range;
    a return of people's records by its referrals' first and last quarter."""
    from mission.periods import Quarter

    if not found.len():
        return []
    if spec.period_column is None:
        days = sorted(found.to_list())  # a date column's distinct values: a few thousand
        first, last = str(Quarter.containing(days[0])), str(Quarter.containing(days[-1]))
        return [f"referred {_span(first, last)}"]
    labels = sorted({str(label) for label in found.to_list()})
    return [", ".join(labels) if len(labels) <= _NAMED_AT_MOST else _span(labels[0], labels[-1])]


def _span(first: str, last: str) -> str:
    return first if first == last else f"{first} to {last}"
