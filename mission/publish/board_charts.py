"""A board paper's charts: the ADP against Scotland, each drawn only from what the tables print.

Counts of different sizes are compared as an index (each series' first printed period = 100);
waiting times as the share within three weeks with its interval as a band; deaths as rates per
100,000 with their intervals (or counts, without population estimates); MAT as a grid of years by
standard; and the ADP's place in the funnel of deaths rates.
"""

from __future__ import annotations

from typing import Any

from mission.charts import ChartPoint, Line, mat_grid, trend
from mission.kinds import Kind
from mission.publish.board import mat_years, trend_rows
from mission.publish.bundle import Printer, Publication
from mission.publish.national_charts import (
    Chart,
    chart_frame,
    chart_output,
    funnel_chart,
    not_drawn,
)
from mission.publish.rate_views import adp_rate, rates_apply, scotland_rate
from mission.publish.tables import COUNT_KINDS, figure_names
from mission.publish.views import series_value, waiting_table
from mission.standards import MatStatus
from mission.tracker import Assessment, TargetProgress

__all__ = ["board_charts"]


def _name(adp: str, chart: str) -> str:
    return f"{adp}-{chart}"


def _indexed(rows: list[dict[str, Any]], key: str, base: float) -> list[ChartPoint]:
    """One series' printed values as an index (`base` = 100)."""
    return [
        ChartPoint(r["period"], r["end"], 100 * r[key].known / base)
        for r in rows
        if r[key].known is not None
    ]


def _index_chart(publication: Publication, t: TargetProgress, adp: str) -> Chart | None:
    a = next((x for x in t.adps if x.area == adp), None)
    if a is None:
        return None
    name = _name(adp, f"trend-{t.id}")
    printer = publication.printer(chart_output(name))
    rows = trend_rows(printer, t, a)
    base = next((r for r in rows if r["own"].known and r["scotland_whole"].known), None)
    if base is None:
        return _counts_chart(publication, t, a.name, name, rows)
    own = _indexed(rows, "own", base["own"].known)
    scotland = _indexed(rows, "scotland_whole", base["scotland_whole"].known)
    last = own[-1]
    hidden = sum(r["own"].hidden for r in rows)
    direction = "up" if last.value > 100 else "down" if last.value < 100 else "level"
    alt = (
        f"{t.title}, {a.name} against Scotland as an index ({base['period']} = 100): "
        f"{a.name} {direction} to {last.value:.0f} by {last.period}; Scotland "
        f"{scotland[-1].value:.0f} by {scotland[-1].period}."
    )
    alt += not_drawn(hidden, f"period(s) of {a.name}")
    lines = [Line(a.name, tuple(own), "series"), Line("Scotland", tuple(scotland), "compare")]
    frame = chart_frame(
        publication,
        f"{t.title}: {a.name} and Scotland",
        alt,
        ylabel=f"index, {base['period']} = 100",
        xlabel="period (each at its end)",
    )
    figure = trend(frame, lines)
    return None if figure is None else Chart(name, figure, alt)


def _counts_chart(
    publication: Publication,
    t: TargetProgress,
    adp_name: str,
    name: str,
    rows: list[dict[str, Any]],
) -> Chart | None:
    """The ADP's own printed counts, when none is above zero to index from."""
    own = [
        ChartPoint(r["period"], r["end"], r["own"].known)
        for r in rows
        if r["own"].known is not None
    ]
    if not own:
        return None
    hidden = sum(r["own"].hidden for r in rows)
    alt = f"{t.title}, {adp_name}: {own[-1].value:,.0f} in {own[-1].period}."
    alt += not_drawn(hidden, "period(s)")
    frame = chart_frame(
        publication, f"{t.title}: {adp_name}", alt, ylabel=t.unit, xlabel="period (each at its end)"
    )
    figure = trend(frame, [Line(adp_name, tuple(own), "series")], zero=True)
    return None if figure is None else Chart(name, figure, alt)


Points = tuple[list[ChartPoint], list[ChartPoint], int]
"""An ADP's printed points, Scotland's, and how many of the ADP's are hidden."""


def _waiting_points(printer: Printer, t: TargetProgress, a: Assessment) -> Points:
    own, scotland, hidden = [], [], 0
    for p in t.series:
        table = waiting_table(t, p.period)
        point = next((q for q in a.series if q.period == p.period), None)
        value = printer.figure(table, figure_names.within_percent(a.area))
        band = printer.figure(table, figure_names.wait_interval(a.area))
        if value.hidden or band.hidden:
            hidden += 1  # a hidden quarter of no completed waits is counted as any other
        elif point is not None and value.known is not None:
            own.append(ChartPoint(p.period, p.end, value.known, point.low, point.high))
        national = series_value(printer, t, p)
        if national.known is not None:
            scotland.append(ChartPoint(p.period, p.end, national.known))
    return own, scotland, hidden


def _waiting_chart(publication: Publication, t: TargetProgress, adp: str) -> Chart | None:
    a = next((x for x in t.adps if x.area == adp), None)
    if a is None:
        return None
    name = _name(adp, "waiting-times")
    own, scotland, hidden = _waiting_points(publication.printer(chart_output(name)), t, a)
    if not own or not scotland:
        return None
    alt = (
        f"Completed waits within three weeks, {a.name}: {own[-1].value:.1f}% in {own[-1].period} "
        f"(95% interval {own[-1].low or 0:.1f}% to {own[-1].high or 0:.1f}%), against Scotland's "
        f"{scotland[-1].value:.1f}% and the 90% standard."
    )
    alt += not_drawn(hidden, "quarter(s)")
    standard = tuple(ChartPoint(p.period, p.end, 90.0) for p in (t.series[0], t.series[-1]))
    lines = [
        Line(a.name, tuple(own), "series", band=True),
        Line("Scotland", tuple(scotland), "compare"),
        Line("standard: 90%", standard, "standard"),
    ]
    frame = chart_frame(
        publication,
        f"Waiting times: {a.name} and Scotland",
        alt,
        ylabel="% of completed waits within 21 days",
        xlabel="quarter (at its end)",
        percent=True,
    )
    figure = trend(frame, lines)
    return None if figure is None else Chart(name, figure, alt)


def _rate_points(
    publication: Publication, printer: Printer, t: TargetProgress, a: Assessment
) -> Points:
    own, scotland, hidden = [], [], 0
    for p in t.series:
        found = scotland_rate(publication, printer, t, p.period)
        reference = found[1] if found else None
        line = adp_rate(publication, printer, t, a, p.period, reference)
        if line.rate.known is not None and line.interval is not None:
            own.append(ChartPoint(p.period, p.end, line.rate.known, *line.interval))
        else:
            hidden += 1
        if reference is not None:
            scotland.append(ChartPoint(p.period, p.end, reference.value))
    return own, scotland, hidden


def _count_points(printer: Printer, t: TargetProgress, a: Assessment) -> Points:
    own, hidden = [], 0
    for p in t.series:
        value = printer.cell(t.id, a.area, p.period)
        hidden += value.hidden
        if value.known is not None:
            own.append(ChartPoint(p.period, p.end, value.known))
    return own, [], hidden


def _deaths_chart(publication: Publication, t: TargetProgress, adp: str) -> Chart | None:
    a = next((x for x in t.adps if x.area == adp), None)
    if a is None:
        return None
    name = _name(adp, "deaths")
    printer = publication.printer(chart_output(name))
    rates = rates_apply(publication, t)
    if rates:
        own, scotland, hidden = _rate_points(publication, printer, t, a)
    else:
        own, scotland, hidden = _count_points(printer, t, a)
    if not own:
        return None
    unit = "deaths per 100,000" if rates else t.unit
    alt = f"Drug misuse deaths, {a.name}: {own[-1].value:,.1f} {unit} in {own[-1].period}"
    same = next((p for p in reversed(scotland) if p.period == own[-1].period), None)
    alt += f", against Scotland's {same.value:,.1f} that year." if same else "."
    if scotland and scotland[-1].period != own[-1].period:
        alt += f" Scotland's latest: {scotland[-1].value:,.1f} in {scotland[-1].period}."
    alt += not_drawn(hidden, "year(s)")
    lines = [Line(a.name, tuple(own), "series", band=rates)]
    if scotland:
        lines.append(Line("Scotland", tuple(scotland), "compare"))
    frame = chart_frame(
        publication,
        f"Drug misuse deaths: {a.name}" + (" and Scotland" if rates else ""),
        alt,
        ylabel=unit,
        xlabel="calendar year (at its end)",
    )
    figure = trend(frame, lines, zero=True)
    return None if figure is None else Chart(name, figure, alt)


def _mat_chart(publication: Publication, adp: str, adp_name: str) -> Chart | None:
    years = mat_years(publication, adp)
    if not years:
        return None
    last = years[-1]
    alt = (
        f"MAT standards, {adp_name}, {years[0]['year']} to {last['year']}: in {last['year']} "
        f"{last['early']} of MAT 1-5 and {last['late']} of MAT 6-10 fully implemented, "
        f"{last['provisional']} provisional green. Each cell is lettered."
    )
    frame = chart_frame(
        publication,
        f"MAT standards by year, {adp_name}: B blue, G green, PG provisional green, A amber, R red",
        alt,
    )
    letters = {s.value: s.letter for s in MatStatus}
    figure = mat_grid(frame, [y["year"] for y in years], [y["statuses"] for y in years], letters)
    return None if figure is None else Chart(_name(adp, "mat"), figure, alt)


def board_charts(publication: Publication, adp: str, adp_name: str) -> list[Chart]:
    """Every chart of one ADP's board paper that has something to draw."""
    found: list[Chart | None] = []
    for t in publication.progress.targets:
        if t.kind in COUNT_KINDS and t.kind is not Kind.DEATHS:
            found.append(_index_chart(publication, t, adp))
        elif t.kind is Kind.EPISODES:
            found.append(_waiting_chart(publication, t, adp))
        elif t.kind is Kind.DEATHS:
            found.append(_deaths_chart(publication, t, adp))
            found.append(
                funnel_chart(publication, t, highlight=adp, name=_name(adp, "funnel-deaths"))
            )
    found.append(_mat_chart(publication, adp, adp_name))
    return [c for c in found if c is not None]
