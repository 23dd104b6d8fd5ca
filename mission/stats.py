"""Small statistics the progress engine needs, kept apart so each is tested on its own."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

__all__ = ["compare_with_reference", "least_squares", "wilson_interval"]

Z95 = 1.959963984540054


def wilson_interval(successes: int, trials: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval for a proportion (as fractions), or None with no trials.

    Wilson rather than the normal approximation because ADP shares are often near 100% on small
    counts, where the normal interval overshoots 1.
    """
    if trials <= 0:
        return None
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def compare_with_reference(
    interval: tuple[float, float] | None, reference: float | None, higher_is_better: bool = True
) -> Literal["better", "similar", "worse"] | None:
    """Fingertips-style comparison: is the whole interval above or below the reference value?"""
    if interval is None or reference is None:
        return None
    low, high = interval
    if low > reference:
        return "better" if higher_is_better else "worse"
    if high < reference:
        return "worse" if higher_is_better else "better"
    return "similar"


def least_squares(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float] | None:
    """Slope and intercept of the least-squares line, or None with fewer than two distinct x."""
    n = len(xs)
    if n < 2 or len(set(xs)) < 2:
        return None
    mean_x = sum(xs) / n
    mean_y = sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    return slope, mean_y - slope * mean_x
