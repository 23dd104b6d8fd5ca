"""A board paper for one ADP: its position on every target, its trend against Scotland's, its MAT
standards over the years, its waiting times with n and interval, its deaths with a five-year
average, and its rates — printed through the same patterns as the national report.
"""

from __future__ import annotations

from typing import Any

from mission.disclosure import SUPPRESSED
from mission.kinds import Kind
from mission.publish.bundle import HIDDEN, NOTHING, Printer, Publication, Shown
from mission.publish.rate_views import adp_rate, rates_apply, scotland_rate
from mission.publish.tables import COUNT_KINDS, FIVE_YEARS, figure_names, rate_period
from mission.publish.views import adp_judged, adp_row, series_value, waiting_table
from mission.standards import MatStatus
from mission.tracker import Assessment, Point, TargetProgress
from mission.tracker.wording import coverage_text

__all__ = ["board_view", "mat_years", "trend_rows"]


def _own(t: TargetProgress, adp: str) -> Assessment | None:
    return next((a for a in t.adps if a.area == adp), None)


def _position(
    publication: Publication, printer: Printer, t: TargetProgress, a: Assessment
) -> dict[str, str]:
    row = adp_row(printer, t, a)
    versus = row["comparison"]
    period = rate_period(t)
    if not versus and period and rates_apply(publication, t):
        found = scotland_rate(publication, printer, t, period)
        line = adp_rate(publication, printer, t, a, period, found[1] if found else None)
        if line.comparison:
            versus = f"rate {line.comparison}" if line.comparison != SUPPRESSED else SUPPRESSED
            versus += f" ({period})" if versus != SUPPRESSED else ""
    return {**row, "id": t.id, "title": t.title, "kind": t.kind.value, "comparison": versus}


def _index(value: float | None, base: float | None) -> str:
    if value is None or not base:
        return "—"
    return f"{100 * value / base:.0f}"


def trend_rows(printer: Printer, t: TargetProgress, a: Assessment) -> list[dict[str, Any]]:
    """The ADP's figure and Scotland's per period, each also as an index (first shown = 100)."""
    rows = []
    base_own = base_scotland = None
    for p in t.series:
        own = adp_judged(printer, t, a, p.period)
        scotland = series_value(printer, t, p)
        # Scotland is indexed only where every ADP reported: a sum missing ADPs is no level.
        whole = scotland if p.coverage.complete else NOTHING
        if own.known and whole.known and base_own is None:
            base_own, base_scotland = own.known, whole.known
        rows.append(
            {
                "period": p.period,
                "end": p.end,
                "own": own,
                "scotland": scotland,
                "scotland_whole": whole,
                "adp": own.text(t.unit),
                # Scotland's figure from fewer than every ADP says so, as the national report does.
                "scotland_text": " ".join(
                    filter(None, (scotland.text(t.unit), coverage_text(p.coverage, details=False)))
                ),
                "own_index": _index(own.known, base_own) if base_own else "—",
                "scotland_index": _index(whole.known, base_scotland) if base_own else "—",
            }
        )
    return rows


def mat_years(publication: Publication, adp: str) -> list[dict[str, Any]]:
    """The ADP's MAT statuses per assessed year (ended by the as-of date), oldest first."""
    import polars as pl

    from mission.periods import FinancialYear
    from mission.tracker import returns_as_of

    if publication.returns is None:
        return []
    frame = returns_as_of(publication.returns, publication.as_of).get(Kind.MAT)
    if frame is None:
        return []
    own = frame.filter(pl.col("adp") == adp)
    years = sorted({str(y) for y in own["year"].to_list()}, key=FinancialYear.parse)
    rows = []
    for year in years:
        found = dict(own.filter(pl.col("year") == year).select("standard", "status").iter_rows())
        statuses = [MatStatus(found.get(n, MatStatus.NOT_ASSESSED.value)) for n in range(1, 11)]
        full = [s.value in ("green", "blue") for s in statuses]
        rows.append(
            {
                "year": year,
                "statuses": [s.value for s in statuses],
                "cells": [{"letter": s.letter, "label": s.label, "key": s.value} for s in statuses],
                "early": f"{sum(full[:5])} of 5",
                "late": f"{sum(full[5:])} of 5",
                "provisional": str(sum(s is MatStatus.PROVISIONAL_GREEN for s in statuses)),
            }
        )
    return rows


def _versus(own: Point | None, shown: bool, scotland: Shown) -> str:
    """Better, similar or worse than Scotland by the ADP's interval; `c` if either is hidden
    (a hidden quarter of no completed waits too: it reads as any hidden count does)."""
    if not shown:
        return SUPPRESSED
    if own is None:
        return ""
    if scotland.known is None or own.low is None or own.high is None:
        return SUPPRESSED
    reference = scotland.known
    return "better" if own.low > reference else "worse" if own.high < reference else "similar"


def _waiting_row(printer: Printer, t: TargetProgress, a: Assessment, p: Point) -> dict[str, str]:
    """One quarter of the ADP's waiting times, as its quarter's table prints it: a quarter with
    no completed waits is the count 0 where the pattern prints it, and `c` where it hides it."""
    table = waiting_table(t, p.period)
    own = next((q for q in a.series if q.period == p.period), None)
    shown = not printer.figure(table, figure_names.wait_interval(a.area)).hidden
    interval = "—" if shown else SUPPRESSED
    if shown and own is not None and own.low is not None and own.high is not None:
        interval = f"{own.low:.1f}% to {own.high:.1f}%"
    scotland = series_value(printer, t, p)
    n = printer.figure(table, figure_names.waits(a.area))
    share = printer.figure(table, figure_names.within_percent(a.area))
    return {
        "period": p.period,
        "n": n.text(),
        "share": share.text(t.unit),
        "interval": interval,
        "scotland": scotland.text(t.unit),
        "comparison": _versus(own, shown, scotland),
    }


def _waiting_rows(printer: Printer, t: TargetProgress, a: Assessment) -> list[dict[str, str]]:
    return [_waiting_row(printer, t, a, p) for p in t.series]


def _five_year(
    publication: Publication, printer: Printer, t: TargetProgress, a: Assessment
) -> dict[str, str] | None:
    """The ADP's deaths over the last five years, as an average a year, beside Scotland's."""
    periods = [p.period for p in t.series][-FIVE_YEARS:]
    if len(periods) < FIVE_YEARS:
        return None
    total = printer.figure(t.id, figure_names.five_years(a.area))
    if total.value is None and any(printer.cell(t.id, a.area, p).hidden for p in periods):
        total = HIDDEN  # not declared: it would span a hidden year (see `count_table`)
    scotland = [printer.total(t.id, p).known for p in periods]
    scotland_average = None if None in scotland else sum(s or 0 for s in scotland) / FIVE_YEARS
    return {
        "years": f"{periods[0]}–{periods[-1]}",
        "average": _average(total),
        "rate": SUPPRESSED if total.hidden else _five_year_rate(publication, t, a, total, periods),
        "scotland": "—" if scotland_average is None else f"{scotland_average:,.1f}",
    }


def _five_year_rate(
    publication: Publication, t: TargetProgress, a: Assessment, total: Shown, periods: list[str]
) -> str:
    """Deaths a year per 100,000 over the five years, or — without every year's estimate."""
    population = publication.population
    if total.known is None or population is None:
        return "—"
    entry = publication.tables[t.id]
    found = [population.estimate(a.area, entry.years[p]) for p in periods]
    if not all(found):
        return "—"
    people = sum(e.population for e in found if e) / FIVE_YEARS
    return f"{100_000 * total.known / FIVE_YEARS / people:,.1f}"


def _average(total: Shown) -> str:
    if total.hidden:
        return SUPPRESSED
    return "—" if total.value is None else f"{total.value / FIVE_YEARS:,.1f}"


def _death_rows(
    publication: Publication, printer: Printer, t: TargetProgress, a: Assessment
) -> list[dict[str, str]]:
    rows = []
    for p in t.series:
        count = adp_judged(printer, t, a, p.period)
        row = {
            "period": p.period,
            "count": count.text(t.unit),
            "scotland": series_value(printer, t, p).text(t.unit),
            "rate": "—",
            "interval": "—",
            "scotland_rate": "—",
            "comparison": "",
        }
        if rates_apply(publication, t):
            found = scotland_rate(publication, printer, t, p.period)
            reference = found[1] if found else None
            line = adp_rate(publication, printer, t, a, p.period, reference).row(t.unit)
            row |= {
                "rate": line["rate"],
                "interval": line["interval"],
                "comparison": line["comparison"],
                "scotland_rate": f"{reference.value:,.1f}" if reference else "—",
            }
        rows.append(row)
    return rows


def _rates(publication: Publication, printer: Printer, a_code: str) -> list[dict[str, str]]:
    rows = []
    for t in publication.progress.targets:
        a = _own(t, a_code)
        period = rate_period(t)
        if a is None or period is None or not rates_apply(publication, t):
            continue
        found = scotland_rate(publication, printer, t, period)
        reference = found[1] if found else None
        line = adp_rate(publication, printer, t, a, period, reference).row(t.unit)
        rows.append(
            {
                **line,
                "title": t.title,
                "scotland_rate": f"{reference.value:,.1f}" if reference else "—",
            }
        )
    return rows


def board_view(publication: Publication, adp: str, output: str) -> dict[str, Any]:
    """Everything a board paper prints for one ADP (by code), read through printer `output`."""
    printer = publication.printer(output)
    positions, trends, waiting, deaths = [], [], None, None
    name = adp
    for t in publication.progress.targets:
        a = _own(t, adp)
        if a is None:
            continue
        name = a.name
        positions.append(_position(publication, printer, t, a))
        if t.kind in COUNT_KINDS and t.kind is not Kind.DEATHS:
            trends.append(
                {
                    "id": t.id,
                    "title": t.title,
                    "unit": t.unit,
                    "rows": trend_rows(printer, t, a),
                    "notes": list(a.notes),
                }
            )
        elif t.kind is Kind.EPISODES:
            waiting = {"id": t.id, "title": t.title, "rows": _waiting_rows(printer, t, a)}
        elif t.kind is Kind.DEATHS:
            deaths = {
                "id": t.id,
                "title": t.title,
                "rows": _death_rows(publication, printer, t, a),
                "five_year": _five_year(publication, printer, t, a),
            }
    return {
        "adp": adp,
        "name": name,
        "positions": positions,
        "trends": trends,
        "mat": mat_years(publication, adp),
        "waiting": waiting,
        "deaths": deaths,
        "rates": _rates(publication, printer, adp),
    }
