"""The threshold rule: counts from 1 to 4 are shown as `c` (zero is shown).

`suppress_group` is the first, one-group version of secondary suppression (a lone hidden cell in a
group with a published total takes the smallest other non-zero cell with it). It cannot see across
groups (a hidden pair in one column is recovered through the row totals): tables for publication
use `suppression_pattern` and `audit` instead. No view uses it any more: it stays as the naive rule
the tests show leaking.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["SMALLEST_SHOWN", "SUPPRESSED", "is_small", "suppress_group"]

SUPPRESSED = "c"
SMALLEST_SHOWN = 5


def is_small(count: float | None) -> bool:
    """A count that must not be published (1 to 4)."""
    return count is not None and 0 < count < SMALLEST_SHOWN


def suppress_group(counts: Mapping[str, float | None], total_shown: bool = True) -> set[str]:
    """The keys of `counts` to show as `c`: small counts, plus a secondary cell when needed.

    Args:
        counts: the cells of one group (e.g. every ADP's figure for one period).
        total_shown: the group's total is published beside the cells.
    """
    hidden = {key for key, value in counts.items() if is_small(value)}
    if total_shown and len(hidden) == 1:
        candidates = sorted(
            (value, key)
            for key, value in counts.items()
            if key not in hidden and value is not None and value > 0
        )
        if candidates:
            hidden.add(candidates[0][1])
    return hidden
