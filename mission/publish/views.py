"""What the national report prints for each target: plain rows of text, read through a `Printer`.

The HTML, the Markdown, `progress --format markdown` and the workbook all print these rows, so no
two of them can disagree or show a count another hides. An ADP's status, "vs Scotland" and every
figure computed from a hidden count are hidden with it; Scotland's own figures are printed when
Scotland's totals are.
"""

from __future__ import annotations

from typing import Any

from mission.disclosure import SUPPRESSED
from mission.kinds import Kind
from mission.publish.bundle import HIDDEN, NOTHING, Printer, Publication, Shown
from mission.publish.tables import COUNT_KINDS, OVER, WITHIN, figure_names, status_periods
from mission.tracker import Assessment, Point, TargetProgress
from mission.tracker.wording import (
    coverage_text,
    judged_text,
    latest_text,
    number,
    point_note,
    short_percent,
    status_text,
    target_number,
)

__all__ = [
    "adp_judged",
    "adp_row",
    "is_percent",
    "key_point",
    "national_gate",
    "series_rows",
    "target_section",
    "waiting_table",
]


def is_percent(target: TargetProgress) -> bool:
    return "percent" in target.unit


def waiting_table(target: TargetProgress, quarter: str | None) -> str:
    """The waiting-times table of one quarter."""
    return f"{target.id} {quarter}"


def _waiting_total(printer: Printer, target: TargetProgress, quarter: str) -> Shown:
    """Scotland's completed waits in a quarter and the share within three weeks."""
    table = waiting_table(target, quarter)
    within = printer.figure(table, figure_names.column_total(WITHIN))
    over = printer.figure(table, figure_names.column_total(OVER))
    if within.hidden or over.hidden:
        return HIDDEN
    if within.value is None:
        return NOTHING
    return Shown((within.value or 0) + (over.value or 0))


def series_value(printer: Printer, target: TargetProgress, point: Point) -> Shown:
    """Scotland's figure for one period, as printed."""
    if target.kind in COUNT_KINDS:
        return printer.total(target.id, point.period)
    if target.kind is Kind.EPISODES:
        n = _waiting_total(printer, target, point.period)
        return n if n.hidden else Shown(point.value)
    return Shown(point.value)


def national_gate(printer: Printer, target: TargetProgress) -> bool:
    """Scotland's judged and latest totals are printed (so figures from them may be)."""
    periods = {p for p in (target.judged_period, target.latest_period) if p}
    points = [p for p in target.series if p.period in periods]
    return not any(series_value(printer, target, p).hidden for p in points)


def series_rows(
    publication: Publication, printer: Printer, target: TargetProgress
) -> list[dict[str, str]]:
    """Scotland by period: the figure, n (waiting times), who reported, the published figure."""
    published = _published(publication, target)
    unit = target.unit
    rows = []
    for p in target.series:
        value = series_value(printer, target, p)
        n = _waiting_total(printer, target, p.period) if target.kind is Kind.EPISODES else NOTHING
        interval = "—"
        if p.low is not None and p.high is not None and not value.hidden:
            interval = f"{p.low:.1f}% to {p.high:.1f}%"
        rows.append(
            {
                "period": p.period,
                "value": value.text(unit),
                "n": n.text(),
                "interval": interval,
                "published": published.get(p.period, ""),
                "reported": f"{p.coverage.reported} of {p.coverage.expected}",
                "note": point_note(p),  # every gap, beside Scotland's number
            }
        )
    return rows


def _published(publication: Publication, target: TargetProgress) -> dict[str, str]:
    found = publication.targets.get(target.id)
    if found is None:
        return {}
    return {f.period: number(f.value, target.unit) for f in found.published if f.series is None}


def adp_judged(
    printer: Printer, target: TargetProgress, a: Assessment, period: str | None
) -> Shown:
    """An ADP's figure for one period as printed (a count, or a share)."""
    if period is None:
        return NOTHING
    if target.kind in COUNT_KINDS:
        return printer.cell(target.id, a.area, period)
    if target.kind is Kind.EPISODES:
        return printer.figure(waiting_table(target, period), figure_names.within_percent(a.area))
    point = next((p for p in a.series if p.period == period), None)
    return Shown(point.value if point else None)


def _adp_target(printer: Printer, target: TargetProgress, a: Assessment) -> Shown:
    if target.kind in COUNT_KINDS and (a.target_source or "").startswith("apportioned"):
        return printer.figure(target.id, figure_names.target(a.area))
    return Shown(a.target_value)


def _adp_way(printer: Printer, target: TargetProgress, a: Assessment, judged: Shown) -> Shown:
    if a.percent_of_way is None:
        return NOTHING
    if target.kind in COUNT_KINDS:
        return printer.figure(target.id, figure_names.of_the_way(a.area))
    return HIDDEN if judged.hidden else Shown(a.percent_of_way)


def _comparison(printer: Printer, target: TargetProgress, a: Assessment) -> str:
    """Waiting times: the ADP against Scotland, `c` whenever its interval is hidden (a hidden
    zero, with nothing to compare, reads as any hidden count does)."""
    if target.kind is not Kind.EPISODES or a.judged_period is None:
        return a.comparison or ""
    table = waiting_table(target, a.judged_period)
    band = printer.figure(table, figure_names.wait_interval(a.area))
    return SUPPRESSED if band.hidden else a.comparison or ""


def _waits(printer: Printer, target: TargetProgress, a: Assessment) -> str:
    if target.kind is not Kind.EPISODES or a.judged_period is None:
        return ""
    return printer.figure(waiting_table(target, a.judged_period), figure_names.waits(a.area)).text()


def _status_hidden(printer: Printer, target: TargetProgress, a: Assessment, judged: Shown) -> bool:
    """The ADP's status is printed as `c`: a figure it is worked out from is hidden.

    A count target declares the status as a figure of its table (`tables.status_periods`);
    waiting times read the share within three weeks of each quarter the status is judged from.
    """
    if judged.hidden:
        return True
    if target.kind in COUNT_KINDS:
        return printer.figure(target.id, figure_names.status(a.area)).hidden
    if target.kind is Kind.EPISODES:
        tables = printer.publication.tables
        names = [
            (waiting_table(target, p), figure_names.within_percent(a.area))
            for p in _status_quarters(target, a)
        ]
        return any(t in tables and not tables[t].pattern.shows(n) for t, n in names)
    return False


def _status_quarters(target: TargetProgress, a: Assessment) -> list[str]:
    """Every quarter of Scotland's series from the first the ADP's status reads to the judged
    one: a quarter of no completed waits in between is skipped by the trend, so its hidden zero
    would be told apart from a hidden count by a status printed beside it."""
    periods = status_periods(a)
    quarters = [p.period for p in target.series]
    if not periods or periods[0] not in quarters or periods[-1] not in quarters:
        return periods
    return quarters[quarters.index(periods[0]) : quarters.index(periods[-1]) + 1]


def adp_row(printer: Printer, target: TargetProgress, a: Assessment) -> dict[str, str]:
    """One ADP's row of a target's table: the status, the percent of the way and the comparison
    are hidden whenever a figure they are worked out from is."""
    unit = target.unit
    judged = adp_judged(printer, target, a, a.judged_period)
    status_hidden = _status_hidden(printer, target, a, judged)
    latest = adp_judged(printer, target, a, a.latest_period)
    way = _adp_way(printer, target, a, judged)
    aimed = _adp_target(printer, target, a)
    return {
        "name": a.name,
        "status": SUPPRESSED if status_hidden else status_text(a),
        "status_key": "hidden" if status_hidden else a.status.value,
        "judged": judged.text(unit),
        "judged_period": a.judged_period or "—",
        "n": _waits(printer, target, a),
        "latest": latest.text(unit),
        "latest_period": _latest_period(a),
        "target": _target_text(aimed, judged, a, unit),
        "target_source": a.target_source or "",
        "percent": SUPPRESSED
        if way.hidden
        else _percent(None if way.value is None else a.percent_of_way),
        "comparison": _comparison(printer, target, a),
    }


def _latest_period(a: Assessment) -> str:
    """The latest period with what the ADP lacks (`2025/26 Q3 — no return for 2025/26 Q4`), or
    what it lacks alone (`no return`)."""
    extra = coverage_text(a.coverage) if a.latest_value is not None else ""
    said = [words for words in (a.latest_period, extra, a.gap) if words]
    return " — ".join(said) or "—"


def _target_text(aimed: Shown, judged: Shown, a: Assessment, unit: str) -> str:
    """The target, to a tenth where whole numbers would print a missed target equal to the
    figure that missed it. Both are printed: nothing is told that the printed counts they are
    worked out from do not tell already; `published.json` keeps the whole number its audit
    reads."""
    if aimed.hidden or judged.hidden or aimed.value is None:
        return aimed.text(unit)
    return target_number(a.target_value, a.judged_value, unit)


def _percent(value: float | None) -> str:
    """A percent of the way, whole, never `100%` short of it (`short_percent`)."""
    return "—" if value is None else short_percent(value)


def key_point(printer: Printer, t: TargetProgress) -> str:
    """A target in one sentence."""
    if t.judged_value is None:
        return f"{t.title}: {status_text(t)}, no figure to judge."
    if not national_gate(printer, t):
        return f"{t.title}: Scotland's figure is withheld to protect small numbers."
    text = f"{t.title}: {status_text(t)} — {judged_text(t, t.unit)}"
    if t.target_value is not None:
        text += f", against a target of {number(t.target_value, t.unit)}"
        text += f" by {t.deadline}" if t.deadline else ""
    elif t.baseline_value is not None:
        text += f" (baseline {number(t.baseline_value, t.unit)} in {t.baseline_period})"
    if t.latest_period != t.judged_period or not t.coverage.complete:
        text += f"; latest {latest_text(t, t.unit)}"
    return text + "."


def _related(printer: Printer, t: TargetProgress) -> list[dict[str, str]]:
    rows = []
    for r in t.related:
        latest = number(r.latest_value, r.unit)
        if t.kind is Kind.NALOXONE and r.latest_period:
            kits = printer.total(t.id, r.latest_period)
            first = printer.figure(t.id, figure_names.column_total(f"{r.latest_period} first"))
            latest = SUPPRESSED if kits.hidden or first.hidden else latest
        rows.append(
            {
                "title": r.title,
                "latest": latest,
                "period": r.latest_period or "—",
                "coverage": coverage_text(r.coverage, details=False),
            }
        )
    return rows


def _headline(printer: Printer, t: TargetProgress) -> dict[str, str]:
    unit = t.unit
    shown = national_gate(printer, t)

    def gated(text: str) -> str:
        return text if shown else SUPPRESSED

    baseline = "—"
    if t.baseline_period:
        baseline = f"{number(t.baseline_value, unit)} ({t.baseline_period})"
    return {
        "status": gated(status_text(t)),
        "status_key": t.status.value if shown else "hidden",
        "judged": gated(judged_text(t, unit)),
        "latest": gated(latest_text(t, unit)),
        "target": number(t.target_value, unit),
        "deadline": str(t.deadline or "—"),
        "baseline": baseline,
        "expected": number(t.expected_value, unit),
        "projected": gated(number(t.projected_value, unit)),
        "percent": gated(_percent(t.percent_of_way)),
    }


def target_section(publication: Publication, printer: Printer, t: TargetProgress) -> dict[str, Any]:
    """Everything the report prints about one target, as text."""
    target = publication.targets.get(t.id)
    sources = [
        f"{p.publisher}, {p.document}"
        + (f" ({p.date})" if p.date else "")
        + (f" {p.url}" if p.url else "")
        for p in (target.provenance if target else ())
    ]
    return {
        "id": t.id,
        "title": t.title,
        "kind": t.kind.value,
        **_headline(printer, t),
        "notes": list(t.notes),
        "related": _related(printer, t),
        "series": series_rows(publication, printer, t),
        "adps": [adp_row(printer, t, a) for a in t.adps],
        "waiting": t.kind is Kind.EPISODES,
        "sources": sources,
        "confidence": " ".join(target.confidence.split()) if target else "",
    }
