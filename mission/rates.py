"""Rates per 100,000 population: the population of each period, exact Poisson intervals, funnels.

**Population.** The `population` kind (reference data: National Records of Scotland's mid-year
estimates) gives each ADP's population by calendar year; council areas that share an ADP are
added. A period's population is the mid-year estimate of the calendar year it belongs to: a
calendar year's own; a financial year's (and each of its quarters') is the mid-year of its first
calendar year (2023/24 → mid-2023). A year with no estimate uses the latest earlier one, and
says so. Scotland's population for a figure is the sum over the ADPs in that figure.

**Intervals.** A rate `r = 100,000 · k / P` of a count `k` gets the exact Poisson 95% interval
of `k` (Garwood's, from the chi-square distribution: `χ²(0.025; 2k)/2` to `χ²(0.975; 2k+2)/2`),
scaled the same way; the population is taken as known. An ADP's rate is `higher`, `similar` or
`lower` than Scotland's as its interval lies wholly above, across or below Scotland's rate.

**Funnel plots.** Around Scotland's rate `r₀`, the control limits at population `P` are the exact
Poisson limits of a count with mean `r₀·P/100,000` (95% and 99.8%), scaled to rates: the area a
chance variation would reach, narrowing as populations grow (Spiegelhalter, 2005).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from mission.kinds import Kind
from mission.text import cited

if TYPE_CHECKING:
    from mission.returns import Returns

__all__ = [
    "PER",
    "Estimate",
    "Population",
    "Rate",
    "compare_rate",
    "funnel_limits",
    "poisson_interval",
    "population_of",
    "population_year",
    "rate_of",
]

PER = 100_000
"""Rates are per 100,000 people."""
METHOD = (
    "per 100,000 population (mid-year estimates); 95% intervals are exact Poisson intervals of "
    "the count (Garwood)"
)


def population_year(end: dt.date) -> int:
    """The calendar year whose mid-year estimate a period uses, from the period's last day.

    A calendar year ends in December (its own year); a financial year or one of its quarters
    ends April to March, and uses the mid-year of the financial year's first calendar year.
    """
    return end.year if end.month > 3 else end.year - 1


@dataclass(frozen=True)
class Estimate:
    """The population a figure is divided by, and which year's estimate it is."""

    population: int
    year: int
    wanted: int

    @property
    def note(self) -> str:
        """Words for a later year than the estimates reach: `mid-2023 estimate used for 2024`."""
        if self.year == self.wanted:
            return ""
        return f"no mid-{self.wanted} estimate: mid-{self.year} used"


@dataclass(frozen=True)
class Population:
    """Mid-year estimates per (ADP code, calendar year), council areas added together."""

    by_adp: Mapping[str, Mapping[int, int]] = field(default_factory=dict)
    sources: tuple[str, ...] = ()

    def estimate(self, adp: str, year: int) -> Estimate | None:
        """The ADP's estimate for `year`, else its latest earlier one; None if it has neither."""
        years = self.by_adp.get(adp, {})
        earlier = [y for y in years if y <= year]
        if not earlier:
            return None
        used = max(earlier)
        return Estimate(population=years[used], year=used, wanted=year)

    def total(self, adps: Iterable[str], year: int) -> Estimate | None:
        """The population of several ADPs (Scotland's figure): None unless every one has one."""
        found = [self.estimate(adp, year) for adp in adps]
        if not found or any(e is None for e in found):
            return None
        known = [e for e in found if e is not None]
        return Estimate(
            population=sum(e.population for e in known),
            year=min(e.year for e in known),
            wanted=year,
        )


def population_of(returns: Returns) -> Population | None:
    """The population estimates among the returns (the `population` kind), or None."""
    import polars as pl

    frame = returns.get(Kind.POPULATION)
    if frame is None or frame.height == 0:
        return None
    summed = frame.group_by("adp", "calendar_year").agg(pl.col("population").sum())
    by_adp: dict[str, dict[int, int]] = {}
    for adp, year, population in summed.iter_rows():
        by_adp.setdefault(str(adp), {})[int(year)] = int(population)
    sources: tuple[str, ...] = ()
    if "source" in frame.columns:
        sources = _printable(returns, {str(s) for s in frame["source"].drop_nulls().unique() if s})
    return Population(by_adp=by_adp, sources=sources)


def _printable(returns: Returns, sources: set[str]) -> tuple[str, ...]:
    """The population sources a publication may print: those that read as a citation
    (`text.cited`) and are no person id of the returns' records, as typed or retyped."""
    from mission.person_ids import ids_held, person_ids_among, records_of_people

    sources = {s for s in sources if cited(s)}
    people = records_of_people((kind.spec, frame) for kind, frame in returns.frames.items())
    people = [*people, *ids_held((*returns.people_left_out, *returns.people_unnamed))]
    return tuple(sorted(sources - person_ids_among(sources, people)))


def poisson_interval(count: int, level: float = 0.95) -> tuple[float, float]:
    """The exact (Garwood) interval for the mean of a Poisson count."""
    from scipy.stats import chi2

    tail = (1 - level) / 2
    low = 0.0 if count == 0 else float(chi2.ppf(tail, 2 * count)) / 2
    high = float(chi2.ppf(1 - tail, 2 * count + 2)) / 2
    return low, high


@dataclass(frozen=True)
class Rate:
    """A rate per 100,000 with its 95% interval and the estimate it was divided by."""

    value: float
    low: float
    high: float
    estimate: Estimate


def rate_of(count: int, estimate: Estimate) -> Rate:
    """`count` per 100,000 of `estimate`'s population, with its exact Poisson 95% interval."""
    low, high = poisson_interval(count)
    scale = PER / estimate.population
    return Rate(value=count * scale, low=low * scale, high=high * scale, estimate=estimate)


def compare_rate(
    rate: Rate | None, reference: float | None
) -> Literal["higher", "similar", "lower"] | None:
    """Higher, similar or lower than the reference rate, by the interval."""
    if rate is None or reference is None:
        return None
    if rate.low > reference:
        return "higher"
    if rate.high < reference:
        return "lower"
    return "similar"


def funnel_limits(
    reference: float, populations: Sequence[float], level: float
) -> tuple[list[float], list[float]]:
    """The lower and upper control limits (rates) around `reference` at each population."""
    from scipy.stats import chi2

    tail = (1 - level) / 2
    lows, highs = [], []
    for population in populations:
        mean = reference * population / PER
        low = float(chi2.ppf(tail, 2 * mean)) / 2 if mean > 0 else 0.0
        high = float(chi2.ppf(1 - tail, 2 * mean + 2)) / 2
        lows.append(low * PER / population)
        highs.append(high * PER / population)
    return lows, highs
