"""Rates per 100,000 as a publication prints them: rows, Scotland's rate, and funnel plots.

An ADP's rate and its interval are declared figures of its count (`mission.publish.tables`): a
hidden count hides both, and its comparison with Scotland. Scotland's rate is printed when its
total is, over the population of the ADPs in that total.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mission.disclosure import SUPPRESSED
from mission.publish.bundle import NOTHING, Printer, Publication, Shown
from mission.publish.tables import RATE_KINDS, figure_names, rate_period
from mission.rates import METHOD, Estimate, Rate, compare_rate, funnel_limits, rate_of
from mission.tracker import Assessment, TargetProgress

if TYPE_CHECKING:
    from mission.charts import Area

__all__ = ["RateLine", "adp_rate", "funnel_areas", "rate_rows", "rates_apply", "scotland_rate"]

COMPARED = {
    "higher": "higher than Scotland",
    "lower": "lower than Scotland",
    "similar": "similar to Scotland",
}


@dataclass(frozen=True)
class RateLine:
    """One area's rate in one period as printed: the count, population, rate and interval."""

    name: str
    period: str
    count: Shown
    estimate: Estimate | None
    rate: Shown
    interval: tuple[float, float] | None
    comparison: str
    note: str = ""
    """Why there is no rate, when that is not plain (Scotland: the ADPs with no estimate)."""

    def row(self, unit: str) -> dict[str, str]:
        low_high = "—"
        if self.rate.hidden:
            low_high = SUPPRESSED
        elif self.interval is not None:
            low_high = f"{self.interval[0]:,.1f} to {self.interval[1]:,.1f}"
        return {
            "name": self.name,
            "period": self.period,
            "count": self.count.text(unit),
            "population": f"{self.estimate.population:,}" if self.estimate else "—",
            "population_note": self.note
            or (self.estimate.note if self.estimate else "no estimate"),
            "rate": SUPPRESSED if self.rate.hidden else _one(self.rate.value),
            "interval": low_high,
            "comparison": self.comparison,
        }


def _one(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def rates_apply(publication: Publication, target: TargetProgress) -> bool:
    """Rates are published for this target: its kind has them and population is given."""
    return publication.population is not None and target.kind in RATE_KINDS and bool(target.adps)


def _year(publication: Publication, target: TargetProgress, period: str) -> int | None:
    entry = publication.tables.get(target.id)
    return entry.years.get(period) if entry else None


def scotland_rate(
    publication: Publication, printer: Printer, target: TargetProgress, period: str
) -> tuple[RateLine, Rate | None] | None:
    """Scotland's rate in a period: over the population of the ADPs in Scotland's total.

    When any of those ADPs has no estimate there is no rate ("—", the ADPs named): a rate over
    the others would print their total, and with Scotland's it the others' hidden counts.
    """
    entry = publication.tables.get(target.id)
    year = _year(publication, target, period)
    population = publication.population
    if entry is None or population is None or year is None:
        return None
    raw = printer.figure(target.id, figure_names.column_total(period))
    adps = [row for (row, column) in entry.table.counts_by_cell if column == period]
    estimate = population.total(adps, year)
    count = printer.total(target.id, period)
    if estimate is None:
        lacking = [_name(target, adp) for adp in adps if population.estimate(adp, year) is None]
        note = "no estimate for " + ", ".join(lacking) if lacking else "no estimate"
        return RateLine("Scotland", period, count, None, NOTHING, None, "", note), None
    if raw.known is None:
        return RateLine("Scotland", period, count, estimate, raw, None, ""), None
    scaled = _scaled(raw.known, estimate, entry.scale.get(period, 1.0))
    line = RateLine(
        "Scotland", period, count, estimate, Shown(scaled.value), (scaled.low, scaled.high), ""
    )
    return line, scaled


def _name(target: TargetProgress, adp: str) -> str:
    return next((a.name for a in target.adps if a.area == adp), adp)


def _estimate(
    publication: Publication, target: TargetProgress, adp: str, period: str
) -> Estimate | None:
    year = _year(publication, target, period)
    if publication.population is None or year is None:
        return None
    return publication.population.estimate(adp, year)


def _scaled(count: float, estimate: Estimate, scale: float) -> Rate:
    """The rate of a count (a year in progress pro-rated by `scale`), with its interval."""
    own = rate_of(round(count), estimate)
    return Rate(own.value * scale, own.low * scale, own.high * scale, estimate)


def adp_rate(
    publication: Publication,
    printer: Printer,
    target: TargetProgress,
    a: Assessment,
    period: str,
    reference: Rate | None,
) -> RateLine:
    """An ADP's rate in a period, with its interval and comparison, as printed."""
    entry = publication.tables.get(target.id)
    estimate = _estimate(publication, target, a.area, period)
    count = printer.cell(target.id, a.area, period)
    rate = printer.figure(target.id, figure_names.rate(a.area, period))
    if (rate.value is None and not rate.hidden) or entry is None:
        return RateLine(a.name, period, count, estimate, NOTHING, None, "")
    interval, comparison = None, SUPPRESSED
    if printer.shows(target.id, figure_names.rate_interval(a.area, period)) and estimate:
        raw = printer.count(target.id, a.area, period).known or 0.0
        scaled = _scaled(raw, estimate, entry.scale.get(period, 1.0))
        interval = (scaled.low, scaled.high)
        verdict = compare_rate(scaled, reference.value if reference else None)
        comparison = COMPARED.get(verdict or "", "")
    return RateLine(a.name, period, count, estimate, rate, interval, comparison)


def rate_rows(
    publication: Publication, printer: Printer, target: TargetProgress, period: str | None = None
) -> list[dict[str, str]]:
    """Scotland's rate, then each ADP's, in the comparison period (or `period`)."""
    period = period or rate_period(target)
    if period is None or not rates_apply(publication, target):
        return []
    found = scotland_rate(publication, printer, target, period)
    if found is None:
        return []
    scotland, reference = found
    rows = [scotland.row(target.unit)]
    for a in target.adps:
        rows.append(adp_rate(publication, printer, target, a, period, reference).row(target.unit))
    return rows


def funnel_areas(
    publication: Publication,
    printer: Printer,
    target: TargetProgress,
    period: str,
    highlight: str | None = None,
) -> tuple[list[Area], Rate | None]:
    """The ADPs whose rate and interval are printed, for a funnel plot, and Scotland's rate."""
    from mission.charts import Area

    found = scotland_rate(publication, printer, target, period)
    reference = found[1] if found else None
    areas = []
    for a in target.adps:
        line = adp_rate(publication, printer, target, a, period, reference)
        if line.rate.known is None or line.interval is None or line.estimate is None:
            continue
        verdict = next((k for k, v in COMPARED.items() if v == line.comparison), "similar")
        areas.append(
            Area(
                name=a.name,
                value=line.rate.known,
                low=line.interval[0],
                high=line.interval[1],
                verdict=verdict,
                population=float(line.estimate.population),
                highlight=a.area == highlight,
            )
        )
    return areas, reference


def funnel_limit_lines(
    reference: float, areas: list[Area]
) -> list[tuple[str, list[float], list[float], list[float]]]:
    """95% and 99.8% control limits over the populations the funnel spans."""
    smallest = min(a.population or 0 for a in areas)
    largest = max(a.population or 0 for a in areas)
    start = max(1000.0, smallest * 0.8)
    xs = [start + (largest * 1.05 - start) * i / 120 for i in range(121)]
    lines = []
    for label, level in (("95% limits", 0.95), ("99.8% limits", 0.998)):
        lows, highs = funnel_limits(reference, xs, level)
        lines.append((label, xs, lows, highs))
    return lines


RATE_METHOD = METHOD
