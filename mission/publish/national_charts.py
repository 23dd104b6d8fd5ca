"""The national report's charts, each drawn only from what the report's tables print.

Every chart reads its values through a `Printer` of its own (`charts/NAME.png`), so the
publication knows exactly what each chart draws, and a chart can only draw a figure the tables
print. Each chart comes with alt text that states its finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mission._version import __version__
from mission.charts import (
    Area,
    ChartFrame,
    ChartPoint,
    Line,
    Reference,
    Stack,
    funnel,
    intervals,
    mat_grid,
    stacked,
    trend,
)
from mission.kinds import Kind
from mission.publish.breakdowns import BREAKDOWNS
from mission.publish.bundle import Printer, Publication
from mission.publish.rate_views import funnel_areas, funnel_limit_lines, rates_apply
from mission.publish.tables import figure_names, rate_period
from mission.publish.views import national_gate, series_value, waiting_table
from mission.standards import MatStatus
from mission.tracker import TargetProgress
from mission.tracker.wording import number

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["Chart", "chart_output", "national_charts", "source_line", "trajectory"]

VERDICT_WORDS = {
    "better": "better than Scotland",
    "worse": "worse than Scotland",
    "similar": "similar to Scotland",
    "higher": "higher than Scotland",
    "lower": "lower than Scotland",
}


@dataclass(frozen=True)
class Chart:
    """A drawn chart, its name (the file's stem), and the finding it shows in words."""

    name: str
    figure: Figure
    alt: str


def chart_output(name: str) -> str:
    """The output name a chart's printer records under."""
    return f"charts/{name}.png"


def source_line(publication: Publication, extra: str = "") -> str:
    text = f"ADP returns, as of {publication.as_of} (mission {__version__})"
    return text + (f"; {extra}" if extra else "") + "."


WITHHELD = "withheld to protect small numbers"
"""Why a figure is not drawn. Not "small numbers": a cell hidden to protect another, or by the
year-to-date rule, is not small, and saying it was would tell the reader something."""


def not_drawn(count: int, what: str) -> str:
    """` 3 period(s) not drawn: withheld to protect small numbers.`, or `` when none is."""
    return f" {count} {what} not drawn: {WITHHELD}." if count else ""


def chart_frame(publication: Publication, title: str, alt: str, **more: object) -> ChartFrame:
    """A chart's frame with the publication's source line and synthetic-data mark, so no chart
    is drawn without saying where its figures came from."""
    extra = str(more.pop("source_extra", ""))
    return ChartFrame(
        title=title,
        alt=alt,
        source=source_line(publication, extra),
        synthetic=publication.synthetic,
        **more,  # type: ignore[arg-type]
    )


def _scotland_line(printer: Printer, target: TargetProgress) -> tuple[list[ChartPoint], int]:
    points, hidden = [], 0
    for p in target.series:
        shown = series_value(printer, target, p)
        if shown.known is None:
            hidden += shown.hidden
            continue
        band = target.kind is Kind.EPISODES
        points.append(
            ChartPoint(
                p.period, p.end, shown.known, p.low if band else None, p.high if band else None
            )
        )
    return points, hidden


def _goal_lines(target: TargetProgress, judged: ChartPoint | None) -> list[Line]:
    lines: list[Line] = []
    if target.baseline_value is not None and target.baseline_end is not None:
        base = ChartPoint(target.baseline_period or "", target.baseline_end, target.baseline_value)
        lines.append(Line(f"baseline {target.baseline_period}", (base,), "baseline"))
        if target.target_value is not None and target.deadline is not None:
            goal = ChartPoint("target", target.deadline, target.target_value)
            lines.append(Line("straight-line path to the target", (base, goal), "path"))
    if target.target_value is not None and target.deadline is not None:
        goal = ChartPoint("target", target.deadline, target.target_value)
        lines.append(Line(f"target {number(target.target_value, target.unit)}", (goal,), "target"))
    if target.projected_value is not None and judged is not None and target.deadline:
        end = ChartPoint("projection", target.deadline, target.projected_value)
        lines.append(Line("projection (recent trend)", (judged, end), "projection"))
    return lines


def _published_line(publication: Publication, target: TargetProgress) -> Line | None:
    found = publication.targets.get(target.id)
    if found is None:
        return None
    points = tuple(
        ChartPoint(f.period, f.end, f.value) for f in found.published if f.series is None
    )
    publisher = found.provenance[-1].publisher if found.provenance else "official"
    return Line(f"published figure ({publisher})", points, "published") if points else None


def _trajectory_alt(target: TargetProgress, points: list[ChartPoint], hidden: int) -> str:
    unit = target.unit
    first, last = points[0], points[-1]
    text = (
        f"{target.title}, Scotland: {number(first.value, unit)} in {first.period} and "
        f"{number(last.value, unit)} in {last.period}."
    )
    if target.judged_period and target.judged_value is not None:
        text += (
            f" Judged on {target.judged_period}: {number(target.judged_value, unit)}, "
            f"{target.status.label}."
        )
    if target.target_value is not None:
        when = f" by {target.deadline}" if target.deadline else ""
        text += f" Target {number(target.target_value, unit)}{when}."
    if hidden:
        text += not_drawn(hidden, "period(s)")
    return text


def trajectory(publication: Publication, target: TargetProgress) -> Chart | None:
    """Scotland's series, the path from the baseline to the target, the projection, the
    published figures, and the judged point."""
    name = f"trajectory-{target.id}"
    printer = publication.printer(chart_output(name))
    points, hidden = _scotland_line(printer, target)
    if not points or not national_gate(printer, target):
        return None
    judged = next((p for p in points if p.period == target.judged_period), None)
    incomplete = tuple(
        p for p, s in zip(points, target.series, strict=False) if not s.coverage.complete
    )
    band = target.kind is Kind.EPISODES
    lines = [Line("Scotland", tuple(points), "series", band=band)]
    lines += _goal_lines(target, judged)
    if incomplete:
        lines.append(Line("not every ADP reported", incomplete, "incomplete"))
    if judged is not None:
        lines.append(Line(f"judged: {judged.period} ({target.status.label})", (judged,), "judged"))
    published = _published_line(publication, target)
    if published is not None:
        lines.append(published)
    alt = _trajectory_alt(target, points, hidden)
    frame = chart_frame(
        publication,
        f"{target.title}: {target.status.label}",
        alt,
        ylabel=target.unit,
        xlabel="period (each at its end)",
        percent="percent" in target.unit,
        source_extra="published figures as their publishers give them" if published else "",
    )
    figure = trend(frame, lines, zero="percent" in target.unit)
    return None if figure is None else Chart(name, figure, alt)


def _breakdown(publication: Publication, name: str) -> Chart | None:
    entry = publication.tables.get(name)
    if entry is None:
        return None
    printer = publication.printer(chart_output(name))
    table = entry.table
    stacks = []
    for row in table.rows:
        values = tuple(printer.count(name, row, column).known for column in table.columns)
        stacks.append(Stack(row.replace("_", " "), values))
    totals = [printer.figure(name, figure_names.column_total(c)).known for c in table.columns]
    last = len(table.columns) - 1
    shown = [(s.values[last], s.label) for s in stacks if s.values[last] is not None]
    alt = f"{BREAKDOWNS[name]}, by period."
    if shown:
        value, label = max(shown)
        alt += f" In {table.columns[last]}, {label} was the largest part: {value:,.0f}"
        alt += f" of {totals[last]:,.0f}." if totals[last] is not None else "."
    hidden = sum(v is None for s in stacks for v in s.values) - sum(
        table.value(r, c) is None for r in table.rows for c in table.columns
    )
    if hidden:
        alt += " Parts printed as c are drawn together, hatched."
    frame = chart_frame(publication, BREAKDOWNS[name], alt, ylabel="count", xlabel="period")
    figure = stacked(frame, list(table.columns), stacks, totals)
    return None if figure is None else Chart(name, figure, alt)


def _mat_heatmap(publication: Publication) -> Chart | None:
    matrix = publication.progress.mat_matrix
    if matrix is None:
        return None
    statuses = [[s.value for s in row.statuses] for row in matrix.rows]
    full = sum(s in ("green", "blue") for line in statuses for s in line)
    cells = sum(len(line) for line in statuses)
    alt = (
        f"MAT standards by ADP, {matrix.year}: {full} of {cells} ADP standards fully implemented "
        "(green or blue). Each cell is lettered: B blue, G green, PG provisional green, A amber, "
        "R red, - not assessed."
    )
    frame = chart_frame(
        publication,
        f"MAT standards, {matrix.year}: B blue, G green, PG provisional green, A amber, R red",
        alt,
    )
    letters = {s.value: s.letter for s in MatStatus}
    figure = mat_grid(frame, [r.name for r in matrix.rows], statuses, letters)
    return None if figure is None else Chart("mat-heatmap", figure, alt)


def _shown_waits(printer: Printer, target: TargetProgress) -> tuple[list[Area], int]:
    """The ADPs whose share and interval the judged quarter's table prints, and how many not."""
    table = waiting_table(target, target.judged_period)
    areas, hidden = [], 0
    for a in target.adps:
        share = printer.figure(table, figure_names.within_percent(a.area))
        if share.hidden or printer.figure(table, figure_names.wait_interval(a.area)).hidden:
            hidden += 1  # a hidden quarter of no completed waits is counted as any other
            continue
        if a.judged_period != target.judged_period or a.interval is None or share.known is None:
            continue  # no completed waits, printed as 0 in the table
        areas.append(Area(a.name, share.known, a.interval[0], a.interval[1], a.comparison or ""))
    return areas, hidden


def _waiting_by_adp(publication: Publication) -> Chart | None:
    target = next((t for t in publication.progress.targets if t.kind is Kind.EPISODES), None)
    if target is None or target.judged_period is None or not target.adps:
        return None
    name = "waiting-times-by-adp"
    areas, hidden = _shown_waits(publication.printer(chart_output(name)), target)
    if not areas or target.judged_value is None:
        return None
    counts = {v: sum(a.verdict == v for a in areas) for v in ("better", "similar", "worse")}
    alt = (
        f"Completed waits within three weeks by ADP, {target.judged_period}, with 95% intervals: "
        f"{counts['better']} ADPs better, {counts['similar']} similar and {counts['worse']} worse "
        f"than Scotland's {target.judged_value:.1f}%; the standard is 90%."
    )
    alt += not_drawn(hidden, "ADP(s)")
    frame = chart_frame(
        publication,
        f"Waiting times by ADP, {target.judged_period}",
        alt,
        xlabel="% of completed waits within 21 days (95% Wilson interval)",
        percent=True,
    )
    references = [
        Reference("standard: 90%", 90.0, "--", "#009E73"),
        Reference(f"Scotland {target.judged_value:.1f}%", target.judged_value),
    ]
    figure = intervals(frame, areas, references, VERDICT_WORDS)
    return None if figure is None else Chart(name, figure, alt)


def funnel_chart(
    publication: Publication,
    target: TargetProgress,
    highlight: str | None = None,
    name: str | None = None,
) -> Chart | None:
    """ADPs' rates per 100,000 against their population, with Scotland's rate and limits."""
    period = rate_period(target)
    if period is None or not rates_apply(publication, target):
        return None
    name = name or f"funnel-{target.id}"
    printer = publication.printer(chart_output(name))
    areas, reference = funnel_areas(publication, printer, target, period, highlight)
    if not areas or reference is None:
        return None
    counts = {v: sum(a.verdict == v for a in areas) for v in ("higher", "similar", "lower")}
    alt = (
        f"{target.title} per 100,000 population by ADP, {period}, against Scotland's rate of "
        f"{reference.value:,.1f}: by their 95% intervals, {counts['higher']} ADPs higher, "
        f"{counts['similar']} similar and {counts['lower']} lower than Scotland."
    )
    missing = len(target.adps) - len(areas)
    alt += f" {missing} ADP(s) not drawn: {WITHHELD}, or no estimate." if missing else ""
    if highlight is not None and not any(a.highlight for a in areas):
        name_of = next((a.name for a in target.adps if a.area == highlight), highlight)
        alt += f" {name_of} is not drawn: its rate is {WITHHELD}."
    frame = chart_frame(
        publication,
        f"{target.title} per 100,000, {period}",
        alt,
        ylabel="rate per 100,000 population",
        xlabel="population (mid-year estimate)",
    )
    centre = Reference(f"Scotland {reference.value:,.1f}", reference.value)
    figure = funnel(frame, areas, centre, funnel_limit_lines(reference.value, areas), VERDICT_WORDS)
    return None if figure is None else Chart(name, figure, alt)


def national_charts(publication: Publication) -> list[Chart]:
    """Every national chart that has something to draw."""
    found: list[Chart | None] = [trajectory(publication, t) for t in publication.progress.targets]
    found += [_breakdown(publication, name) for name in BREAKDOWNS]
    found += [_mat_heatmap(publication), _waiting_by_adp(publication)]
    found += [funnel_chart(publication, t) for t in publication.progress.targets]
    return [c for c in found if c is not None]
