"""The published report: HTML and Markdown from Jinja2 templates, with disclosure control.

Everything published goes through `_view`, which turns a `Progress` into plain rows of text with
small counts suppressed (see `mission.disclosure`), so the HTML, the Markdown and
`mission progress --format markdown` cannot disagree or leak a count the others hide.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from mission._version import __version__
from mission.disclosure import SUPPRESSED, is_small, suppress_group
from mission.files import write_text_atomic
from mission.kinds import Kind
from mission.returns import Returns
from mission.targets import TargetSet, load_targets
from mission.tracker import Assessment, Point, Progress, Related, TargetProgress
from mission.tracker.wording import (
    coverage_text,
    judged_text,
    latest_text,
    number,
    status_text,
)

__all__ = ["ReportFiles", "progress_markdown", "write_report"]

TEMPLATES = Path(__file__).parent / "report_templates"


def _environment(autoescape: bool) -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _is_percent(target: TargetProgress) -> bool:
    return "percent" in target.unit


def _fmt(value: float | None, percent: bool) -> str:
    return number(value, "percent" if percent else "")


def _point_hidden(point: Point | None, percent: bool) -> bool:
    """A count of 1-4, or a share built on one, is hidden."""
    if point is None:
        return False
    if percent:
        return is_small(point.denominator) or is_small(point.numerator)
    return is_small(round(point.value))


def _point_of(a: Assessment, period: str | None) -> Point | None:
    return next((p for p in a.series if p.period == period), None)


def _hidden(target: TargetProgress, which: str) -> set[str]:
    """ADPs whose judged (or latest) figure is hidden: small counts, and a second cell with them.

    Shares are hidden only when built on counts of people (waiting times): a MAT share counts
    standards, not people.
    """
    percent = _is_percent(target)
    if percent and target.kind is not Kind.EPISODES:
        return set()
    periods = {a.area: getattr(a, f"{which}_period") for a in target.adps}
    hidden = {a.area for a in target.adps if _point_hidden(_point_of(a, periods[a.area]), percent)}
    if not percent:
        values = {
            a.area: round(getattr(a, f"{which}_value"))
            for a in target.adps
            if getattr(a, f"{which}_value") is not None
        }
        hidden |= suppress_group(values)
    return hidden


def _adp_rows(target: TargetProgress) -> list[dict[str, str]]:
    percent = _is_percent(target)
    judged_hidden, latest_hidden = _hidden(target, "judged"), _hidden(target, "latest")
    rows = []
    for a in target.adps:
        secret = a.area in judged_hidden
        latest_period = a.latest_period or "—"
        extra = coverage_text(a.coverage) if a.latest_value is not None else ""
        for words in (extra, a.gap):
            latest_period += f" — {words}" if words else ""
        rows.append(
            {
                "name": a.name,
                "status": status_text(a),
                "status_key": a.status.value,
                "judged": SUPPRESSED if secret else _fmt(a.judged_value, percent),
                "judged_period": a.judged_period or "—",
                "latest": SUPPRESSED if a.area in latest_hidden else _fmt(a.latest_value, percent),
                "latest_period": latest_period,
                "target": _target_text(a, percent, secret),
                "target_source": a.target_source or "",
                "percent": SUPPRESSED if secret else _percent(a.percent_of_way),
                "comparison": a.comparison or "",
            }
        )
    return rows


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def _target_text(a: Assessment, percent: bool, secret: bool) -> str:
    """An apportioned target is a share of the basis count: hide it with a hidden count."""
    apportioned = (a.target_source or "").startswith("apportioned")
    if a.target_value is not None and secret and apportioned and not percent:
        return SUPPRESSED
    return _fmt(a.target_value, percent)


def _series_rows(target: TargetProgress) -> list[dict[str, str]]:
    percent = _is_percent(target)
    rows = []
    for p in target.series:
        hidden = not percent and is_small(round(p.value))
        quarters = p.prorated_from_quarters
        notes = [f"pro-rated from {quarters} quarter(s)" if quarters else ""]
        notes.append(coverage_text(p.coverage, details=False))
        rows.append(
            {
                "period": p.period,
                "value": SUPPRESSED if hidden else _fmt(p.value, percent),
                "reported": f"{p.coverage.reported} of {p.coverage.expected}",
                "note": "; ".join(n for n in notes if n),
            }
        )
    return rows


def _key_point(t: TargetProgress) -> str:
    if t.judged_value is None:
        return f"{t.title}: {status_text(t)}, no figure to judge."
    text = f"{t.title}: {status_text(t)} — {judged_text(t, t.unit)}"
    percent = _is_percent(t)
    if t.target_value is not None:
        text += f" against a target of {_fmt(t.target_value, percent)}"
        text += f" by {t.deadline}" if t.deadline else ""
    elif t.baseline_value is not None:
        text += f" (baseline {_fmt(t.baseline_value, percent)} in {t.baseline_period})"
    if t.latest_period != t.judged_period or not t.coverage.complete:
        text += f"; latest {latest_text(t, t.unit)}"
    return text + "."


def _related_row(r: Related) -> dict[str, str]:
    return {
        "title": r.title,
        "latest": number(r.latest_value, r.unit),
        "period": r.latest_period or "—",
        "coverage": coverage_text(r.coverage, details=False),
    }


def _view(
    result: Progress, targets: TargetSet, charts: dict[str, list[Path]] | None, folder: Path | None
) -> dict[str, Any]:
    def chart(name: str) -> dict[str, str] | None:
        if not charts or name not in charts:
            return None
        png = next(p for p in charts[name] if p.suffix == ".png")
        relative = png.relative_to(folder) if folder else png
        return {
            "png": base64.b64encode(png.read_bytes()).decode("ascii"),
            "path": relative.as_posix(),
            "alt": name.replace("-", " "),
        }

    sections = []
    for t in result.targets:
        target = targets.get(t.id)
        percent = _is_percent(t)
        baseline = "—"
        if t.baseline_period:
            baseline = f"{_fmt(t.baseline_value, percent)} ({t.baseline_period})"
        sources = [
            f"{p.publisher}, {p.document}"
            + (f" ({p.date})" if p.date else "")
            + (f" {p.url}" if p.url else "")
            for p in (target.provenance if target else ())
        ]
        sections.append(
            {
                "id": t.id,
                "title": t.title,
                "status": status_text(t),
                "status_key": t.status.value,
                "judged": judged_text(t, t.unit),
                "latest": latest_text(t, t.unit),
                "target": _fmt(t.target_value, percent),
                "deadline": str(t.deadline or "—"),
                "baseline": baseline,
                "expected": _fmt(t.expected_value, percent),
                "projected": _fmt(t.projected_value, percent),
                "percent": _percent(t.percent_of_way),
                "notes": list(t.notes),
                "related": [_related_row(r) for r in t.related],
                "series": _series_rows(t),
                "adps": _adp_rows(t),
                "chart": chart(f"trajectory-{t.id}"),
                "sources": sources,
                "confidence": " ".join(target.confidence.split()) if target else "",
            }
        )
    extra = [
        c
        for c in (
            chart(n)
            for n in (
                "ost-by-medication",
                "naloxone-by-source",
                "rehab-by-funding",
                "mat-heatmap",
                "waiting-times-by-adp",
            )
        )
        if c
    ]
    return {
        "as_of": str(result.as_of),
        "method": result.method.value,
        "version": __version__,
        "key_points": [_key_point(t) for t in result.targets],
        "targets": sections,
        "charts": extra,
        "notes": list(result.notes),
        "suppressed": SUPPRESSED,
    }


def progress_markdown(result: Progress, targets: TargetSet | None = None) -> str:
    """Progress as Markdown for a board paper: key points and tables, small counts suppressed."""
    view = _view(result, targets or load_targets(), None, None)
    return str(_environment(False).get_template("report.md.j2").render(**view)).strip() + "\n"


class ReportFiles(dict[str, Path]):
    """What `write_report` wrote: `html`, `markdown`, and a `charts` folder."""


def write_report(
    result: Progress, returns: Returns, folder: Path | str, targets: TargetSet | None = None
) -> ReportFiles:
    """Write report.html (self-contained), report.md and charts/ into `folder`, atomically each."""
    folder = Path(folder)
    from mission.charts import write_charts

    targets = targets or load_targets()
    folder.mkdir(parents=True, exist_ok=True)
    charts = write_charts(result, returns, folder / "charts")
    view = _view(result, targets, charts, folder)
    html = _environment(True).get_template("report.html.j2").render(**view)
    markdown = _environment(False).get_template("report.md.j2").render(**view, with_charts=True)
    files = ReportFiles(
        html=folder / "report.html", markdown=folder / "report.md", charts=folder / "charts"
    )
    write_text_atomic(files["html"], html)
    write_text_atomic(files["markdown"], markdown.strip() + "\n")
    return files
