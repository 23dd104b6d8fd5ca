"""Statistical disclosure control for published tables: one suppression pattern, then an audit.

**The rule.** Counts from 1 to 4 are printed as `c`; zero is printed. Then further cells are
hidden until no hidden count can be worked out to within a range narrower than 5: for every cell
printed as `c`, the lowest and highest values consistent with everything published beside it —
the other cells, the row, column and grand totals, any other total ("Scotland"), and every
percentage, rate, apportioned target or "percent of the way" that is shown — are at least 5
apart. A range of width 5 that holds a count of 1–4 also holds a count of 5 or more, so a reader
cannot even tell that a hidden count is small, let alone which small count it is. Zero is a
possible value of every hidden count. Figures computed from a hidden count (a percentage, a rate,
an interval, an apportioned target, a percent of the way) are hidden with it. A total is hidden
only when it is itself 1–4, or when nothing else would protect a cell.

**How.** `CountTable` holds the true counts and declares every figure a publication prints with
them (`mission.disclosure.table` explains how derived figures become linear bounds).
`suppression_pattern` decides, once per table, which cells and figures are hidden; every view of
the table (national, single ADP, charts, Markdown, HTML, CSV) prints through that one `Pattern`,
and `publish` gives the printed values. `audit` checks any pattern against the table the way
statistical offices do (tau-ARGUS, sdcTable): a linear program finds each hidden count's range
given everything printed, with counts relaxed to real numbers and the ends then narrowed to
whole numbers. The range is checked against the protection; views printed together are checked
together (`Pattern.revealing`).

`mission.publish` builds every published table on this engine; a table as printed
(`mission.disclosure.printed`) is kept beside a publication and audited from the printed values
alone (`mission audit`). `suppress_group` is the first, per-group rule, no longer used by any
view: it stays as the naive rule the tests show leaking.
"""

from __future__ import annotations

from mission.disclosure.audit import AuditResult, HiddenRange, audit
from mission.disclosure.pattern import Pattern, Published, publish
from mission.disclosure.secondary import suppression_pattern
from mission.disclosure.table import (
    CellKey,
    CountTable,
    Figure,
    FigureKind,
    apportioned,
    interval,
    of_the_way,
    percent,
    rate,
    ratio,
    total,
)
from mission.disclosure.threshold import SMALLEST_SHOWN, SUPPRESSED, is_small, suppress_group

__all__ = [
    "SMALLEST_SHOWN",
    "SUPPRESSED",
    "AuditResult",
    "CellKey",
    "CountTable",
    "Figure",
    "FigureKind",
    "HiddenRange",
    "Pattern",
    "Published",
    "apportioned",
    "audit",
    "interval",
    "is_small",
    "of_the_way",
    "percent",
    "publish",
    "rate",
    "ratio",
    "suppress_group",
    "suppression_pattern",
    "total",
]
