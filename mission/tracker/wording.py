"""Figures in words, the same in every view: text, Markdown, HTML, CSV notes and charts.

The library owns these strings so that no view can say something another does not: a national
figure from fewer than every ADP is always written with its coverage beside it ("30,005 from 29 of
30 ADPs; Shetland missing").
"""

from __future__ import annotations

from mission.tracker.model import Assessment, Coverage, Point, Related

__all__ = [
    "coverage_text",
    "figure",
    "judged_text",
    "latest_text",
    "number",
    "point_note",
    "related_text",
    "status_text",
]


def number(value: float | None, unit: str) -> str:
    """A figure as shown: `89.7%` for a percentage, `30,005` for a count, `—` for none."""
    if value is None:
        return "—"
    if "percent" in unit:
        return f"{value:.1f}%"
    return f"{value:,.0f}"


def short_percent(value: float) -> str:
    """A percent of the way, whole: one short of 100 never reads `100%` (99.5 is `99%`), so a
    target missed never reads as reached."""
    return f"{min(round(value), 99) if value < 100 else round(value)}%"


def target_number(target: float | None, judged: float | None, unit: str) -> str:
    """A target as shown beside the figure judged against it: to a tenth, or a hundredth, when
    whole numbers would print the two equal and they are not (39 placements against 39.14 is
    `39.1`, not `39` beside `missed`)."""
    shown = number(target, unit)
    if target is None or judged is None or judged == target or "percent" in unit:
        return shown
    for places in (1, 2):
        if number(judged, unit) != shown:
            break
        shown = f"{target:,.{places}f}"
    return shown


def figure(value: float | None, period: str | None, unit: str) -> str:
    """`29,818 (2023/24 Q4)`, or `—`."""
    if value is None or period is None:
        return "—"
    return f"{number(value, unit)} ({period})"


_NAMED_AT_MOST = 5
"""Missing ADPs named beside a figure; more are counted (the notes name every one)."""


def absent_text(coverage: Coverage, *, every: bool = False) -> list[str]:
    """`Shetland missing`, `Fife: no valid return`: the ADPs a figure lacks, named (counted when
    many, unless `every`: the notes name every one), those that sent nothing apart from those
    whose return was left out as invalid."""
    parts = []
    for who, after, words in (
        (coverage.missing, "", "missing"),
        (coverage.refused, ":", "no valid return"),
    ):
        if who:
            many = len(who) > _NAMED_AT_MOST and not every
            parts.append(f"{len(who)} {words}" if many else f"{', '.join(who)}{after} {words}")
    return parts


def coverage_text(coverage: Coverage | None, *, details: bool = True) -> str:
    """`from 29 of 30 ADPs; Shetland missing`, then what returning ADPs left out; `` if whole.

    With `details=False`, the compact form for a figure written inline: what returning ADPs left
    out is named by ADP only (`gaps: Glasgow City`), so a yearly figure from half of an ADP's
    year never reads as whole; the table of Scotland's series gives the quarters.
    """
    if coverage is None:
        return ""
    parts = []
    if not coverage.complete and coverage.expected > 1:
        parts.append(f"from {coverage.reported} of {coverage.expected} ADPs")
    if coverage.expected > 1:
        parts.extend(absent_text(coverage))
    if details or coverage.expected == 1:
        parts.extend(coverage.details)
    elif coverage.details:
        names = dict.fromkeys(d.split(": ", 1)[0] for d in coverage.details)
        parts.append("gaps: " + ", ".join(names))
    return "; ".join(parts)


def _with(text: str, *more: str) -> str:
    return "; ".join(p for p in (text, *more) if p)


def latest_text(a: Assessment, unit: str) -> str:
    """The newest figure with what it lacks: `30,005 (2025/26 Q4) from 29 of 30 ADPs; ...`.

    An ADP's figure says what its return left out, and what it has no figure for that Scotland
    has (`no return for 2025/26 Q4`, `no completed waits in 2025/26 Q4`).
    """
    if a.latest_value is None and a.gap:
        return a.gap  # `no return`: not `—; no return`
    text = _covered(a.latest_value, a.latest_period, a.coverage, unit)
    return _with(text, _prorated(a, a.latest_period), a.gap or "")


def judged_text(a: Assessment, unit: str) -> str:
    """The judged figure, with its coverage when it lacks any ADP."""
    text = _covered(a.judged_value, a.judged_period, a.judged_coverage, unit)
    return _with(text, _prorated(a, a.judged_period))


def _covered(value: float | None, period: str | None, coverage: Coverage | None, unit: str) -> str:
    """A figure with its coverage when it lacks any ADP: `from 29 of 30 ADPs` runs on from the
    figure, anything else follows a semicolon; a missing figure has none."""
    shown = figure(value, period, unit)
    words = coverage_text(coverage, details=False) if value is not None else ""
    return f"{shown} {words}" if words.startswith("from") else _with(shown, words)


def _prorated(a: Assessment, period: str | None) -> str:
    """`pro-rated from 2 of 4 quarters` beside a year's figure scaled up from the quarters in
    (a newcomer read `30,400 (2025/26)` as the whole year; only a note said otherwise)."""
    point = next((p for p in a.series if p.period == period), None) if period else None
    if point is None or not point.prorated_from_quarters:
        return ""
    return f"pro-rated from {point.prorated_from_quarters} of 4 quarters"


def status_text(a: Assessment) -> str:
    """`off track`, or with Open SDG's category beside it: `off track (Open SDG: moderate ...)`."""
    if a.sdg is None:
        return a.status.label
    return f"{a.status.label} (Open SDG: {a.sdg.category.label})"


def related_text(r: Related) -> str:
    """`share assessed provisional green: 6.0% (2025/26)`, with its coverage when partial."""
    shown = figure(r.latest_value, r.latest_period, r.unit)
    coverage = coverage_text(r.coverage, details=False) if r.latest_value is not None else ""
    return f"{r.title}: " + (
        f"{shown} {coverage}" if coverage.startswith("from") else _with(shown, coverage)
    )


def point_note(point: Point) -> str:
    """What a figure of a series is, beside it in every table of the series: pro-rated, and
    every gap (`pro-rated from 3 quarter(s); from 29 of 30 ADPs; Shetland missing`)."""
    notes = [f"pro-rated from {point.prorated_from_quarters} quarter(s)"]
    notes = notes if point.prorated_from_quarters else []
    notes.append(coverage_text(point.coverage))
    return "; ".join(n for n in notes if n)
