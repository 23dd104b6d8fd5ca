"""One self-contained HTML page of a report, for people: open it by double-click, attach it to an
email. A summary, then each file's findings — row, cell, column, the value as typed, what is wrong
and how to fix it — filterable by severity with plain HTML, CSS and a few lines of inline script.
The page makes no request of its own: a Content-Security-Policy allows nothing but its inline
style and script (by hash), so not even a hostile value could make it reach out.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mission.findings import Severity
from mission.formats.text import cell_reference

if TYPE_CHECKING:
    from mission.findings import Finding
    from mission.report import FileReport, Report

__all__ = ["to_html"]

_TEMPLATES = Path(__file__).parent / "templates"
_LABELS = {Severity.ERROR: "Error", Severity.WARNING: "Warning", Severity.INFO: "Note"}
_PLURALS = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "notes"}


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "severity": f.severity.value,
        "label": _LABELS[f.severity],
        "code": f.code,
        "row": "" if f.row is None else str(f.row),
        "cell": cell_reference(f) or "",
        "column": f.column or "",
        "value": "" if f.value is None else f.value,
        "has_value": f.value is not None,
        "message": f.message,
        "hint": f.hint or "",
    }


def _file(index: int, file: FileReport) -> dict[str, Any]:
    return {
        "id": f"file-{index}",
        "path": file.path,
        "kind": file.kind or "unknown",
        "format": file.format,
        "rows": f"{file.rows:,}",
        "covers": file.covers or "",
        "errors": file.errors,
        "warnings": file.warnings,
        "infos": file.infos,
        "valid": file.valid,
        "findings": [_finding(f) for f in file.findings],
    }


def _digest(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def to_html(report: Report, title: str = "Validation findings") -> str:
    """The report as one HTML page with everything inline, escaped by the template engine."""
    import jinja2

    from mission._version import __version__

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    style = (_TEMPLATES / "findings.css").read_text("utf-8")
    script = (_TEMPLATES / "findings.js").read_text("utf-8")
    summary = report.summary
    counts = {
        Severity.ERROR: summary["errors"],
        Severity.WARNING: summary["warnings"],
        Severity.INFO: summary["infos"],
    }
    return environment.get_template("findings.html.j2").render(
        title=title,
        version=__version__,
        spec_version=report.spec_version,
        valid=report.valid,
        strict=report.strict,
        summary=summary,
        total=sum(counts.values()),
        severities=[
            {"key": s.value, "label": _PLURALS[s].capitalize(), "count": counts[s]}
            for s in Severity
        ],
        files=[_file(i, f) for i, f in enumerate(report.files, start=1)],
        style=style,
        script=script,
        policy=(
            "default-src 'none'; "
            f"style-src '{_digest(style)}'; script-src '{_digest(script)}'; "
            "img-src data:; form-action 'none'; base-uri 'none'"
        ),
    )
