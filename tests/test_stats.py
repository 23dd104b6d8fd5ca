"""Wilson intervals, comparisons with Scotland, and the least-squares line."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mission.stats import compare_with_reference, least_squares, wilson_interval


def test_wilson_known_value() -> None:
    """9 of 10 gives the textbook Wilson 95% interval (0.596, 0.982)."""
    interval = wilson_interval(9, 10)
    assert interval is not None
    assert interval == pytest.approx((0.5958, 0.9821), abs=1e-4)


def test_wilson_edges() -> None:
    """All or none stays inside [0, 1]; no trials gives no interval."""
    assert wilson_interval(0, 0) is None
    low, high = wilson_interval(5, 5) or (0, 0)
    assert high == 1.0
    assert 0.5 < low < 1


@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_contains_the_proportion(pair: tuple[int, int]) -> None:
    """The interval always contains the observed share and stays within [0, 1]."""
    k, n = pair
    low, high = wilson_interval(k, n) or (0.0, 0.0)
    assert 0 <= low <= k / n + 1e-12
    assert k / n - 1e-12 <= high <= 1


def test_compare_with_reference() -> None:
    """Whole interval above is better, below is worse, overlapping is similar."""
    assert compare_with_reference((0.91, 0.97), 0.90) == "better"
    assert compare_with_reference((0.80, 0.88), 0.90) == "worse"
    assert compare_with_reference((0.85, 0.95), 0.90) == "similar"
    assert compare_with_reference((0.80, 0.88), 0.90, higher_is_better=False) == "better"
    assert compare_with_reference(None, 0.9) is None


def test_least_squares() -> None:
    """A straight line is recovered exactly; one point has no line."""
    assert least_squares([0, 1, 2], [1, 3, 5]) == pytest.approx((2.0, 1.0))
    assert least_squares([1], [1]) is None
