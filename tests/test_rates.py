"""Rates per 100,000: which year's population a period uses, council areas added, exact Poisson
intervals, comparisons with Scotland and funnel limits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mission.periods import CalendarYear, FinancialYear, Quarter
from mission.rates import (
    Estimate,
    Population,
    compare_rate,
    funnel_limits,
    poisson_interval,
    population_of,
    population_year,
    rate_of,
)
from mission.returns import load_returns

from .conftest import FIXTURES, VALID


@pytest.mark.parametrize(
    ("period", "year"),
    [
        (FinancialYear.parse("2023/24"), 2023),
        (Quarter.parse("2023/24 Q1"), 2023),
        (Quarter.parse("2023/24 Q4"), 2023),
        (CalendarYear.parse("2023"), 2023),
    ],
    ids=["financial-year", "first-quarter", "last-quarter", "calendar-year"],
)
def test_population_year_follows_the_contract(period: object, year: int) -> None:
    """A financial year (and each quarter of it) uses the mid-year of its first calendar year;
    a calendar year uses its own."""
    assert population_year(period.end_date) == year  # type: ignore[attr-defined]


def test_council_areas_of_one_adp_are_added() -> None:
    """Midlothian and East Lothian, sent as two rows, are one ADP's population."""
    population = population_of(load_returns([VALID / "population.csv"]))
    assert population is not None
    estimate = population.estimate("midlothian-east-lothian", 2023)
    assert estimate is not None and estimate.population == 96_600 + 112_450


def test_a_missing_year_uses_the_latest_earlier_estimate_and_says_so() -> None:
    """With estimates to mid-2024 only, 2025 uses mid-2024 and the note says so; before the
    first estimate there is none."""
    population = Population(by_adp={"fife": {2022: 370_000, 2024: 372_000}})
    later = population.estimate("fife", 2025)
    assert later == Estimate(population=372_000, year=2024, wanted=2025)
    assert later.note == "no mid-2025 estimate: mid-2024 used"
    assert population.estimate("fife", 2023).year == 2022  # type: ignore[union-attr]
    assert population.estimate("fife", 2021) is None
    assert population.estimate("fife", 2024).note == ""  # type: ignore[union-attr]


def test_scotland_needs_every_adp_in_the_figure() -> None:
    """Scotland's population is the sum over the ADPs of the figure, or None if one has none."""
    population = Population(by_adp={"fife": {2023: 370_000}, "angus": {2023: 115_000}})
    total = population.total(["fife", "angus"], 2023)
    assert total is not None and total.population == 485_000
    assert population.total(["fife", "orkney"], 2023) is None


@pytest.mark.parametrize(
    ("count", "low", "high"),
    [(0, 0.0, 3.689), (1, 0.0253, 5.572), (10, 4.795, 18.39), (100, 81.36, 121.6)],
)
def test_poisson_interval_matches_published_tables(count: int, low: float, high: float) -> None:
    """Garwood's exact 95% limits, as tabulated (e.g. by the ONS and PHE)."""
    found = poisson_interval(count)
    assert found == pytest.approx((low, high), rel=2e-3, abs=1e-3)


@given(st.integers(0, 5000))
def test_interval_holds_the_count(count: int) -> None:
    """The interval always holds the count itself, and never goes below zero."""
    low, high = poisson_interval(count)
    assert 0 <= low <= count <= high


def test_rate_and_comparison() -> None:
    """53 deaths in 148,303 people is 35.7 per 100,000, higher than a Scotland of 21.2."""
    rate = rate_of(53, Estimate(148_303, 2023, 2023))
    assert round(rate.value, 1) == 35.7
    assert rate.low < rate.value < rate.high
    assert compare_rate(rate, 21.2) == "higher"
    assert compare_rate(rate, 36.0) == "similar"
    assert compare_rate(rate, 60.0) == "lower"
    assert compare_rate(None, 21.2) is None


def test_funnel_limits_narrow_as_populations_grow() -> None:
    """Control limits hold the reference rate and close in on it as populations grow; the
    99.8% funnel is wider than the 95% one."""
    populations = [20_000.0, 100_000.0, 600_000.0]
    lows, highs = funnel_limits(21.2, populations, 0.95)
    wide_lows, wide_highs = funnel_limits(21.2, populations, 0.998)
    widths = [h - lo for lo, h in zip(lows, highs, strict=True)]
    assert widths == sorted(widths, reverse=True)
    for low, high, wide_low, wide_high in zip(lows, highs, wide_lows, wide_highs, strict=True):
        assert wide_low <= low < 21.2 < high <= wide_high


def test_demo_population_is_synthetic_and_complete() -> None:
    """The demo set's population covers every ADP, mid-2019 to mid-2024, and says it is synthetic."""
    returns = load_returns([FIXTURES / "demo"])
    population = population_of(returns)
    assert population is not None
    assert len(population.by_adp) == 30
    assert all(set(years) == set(range(2019, 2025)) for years in population.by_adp.values())
    assert all(source.startswith("SYNTHETIC") for source in population.sources)
    assert returns.dataset is not None and returns.dataset.synthetic
