"""Renderings of a `Report`: plain text lines, JSON, JUnit XML, GitHub annotations and step
summaries, SARIF 2.1.0, Markdown and a self-contained HTML page.

Each is a pure function of the report, so every output says the same thing; the CLI only writes
the text. (The terminal view, which needs rich, lives in the CLI.) One module per format, loaded
when first used.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mission.formats.github import github_step_summary, to_github
    from mission.formats.html import to_html
    from mission.formats.json import to_json
    from mission.formats.junit import to_junit
    from mission.formats.markdown import check_markdown, report_markdown
    from mission.formats.rows import rows_csv
    from mission.formats.sarif import to_sarif
    from mission.formats.text import finding_line, summary_line

# Each format loads when asked for: a text run needs none of JUnit's XML or the HTML page.
_EXPORTS = {
    "check_markdown": "markdown",
    "finding_line": "text",
    "github_step_summary": "github",
    "report_markdown": "markdown",
    "rows_csv": "rows",
    "summary_line": "text",
    "to_github": "github",
    "to_html": "html",
    "to_json": "json",
    "to_junit": "junit",
    "to_sarif": "sarif",
}

__all__ = [
    "check_markdown",
    "finding_line",
    "github_step_summary",
    "report_markdown",
    "rows_csv",
    "summary_line",
    "to_github",
    "to_html",
    "to_json",
    "to_junit",
    "to_sarif",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mission.formats' has no attribute {name!r}")
    value = getattr(import_module(f"mission.formats.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
