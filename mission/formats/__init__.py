"""Renderings of a `Report`: plain text lines, JSON, JUnit XML, GitHub annotations and step
summaries, SARIF 2.1.0, Markdown and a self-contained HTML page.

Each is a pure function of the report, so every output says the same thing; the CLI only writes
the text. (The terminal view, which needs rich, lives in the CLI.) One module per format.
"""

from __future__ import annotations

from mission.formats.github import github_step_summary, to_github
from mission.formats.html import to_html
from mission.formats.json import to_json
from mission.formats.junit import to_junit
from mission.formats.markdown import check_markdown, report_markdown
from mission.formats.rows import rows_csv
from mission.formats.sarif import to_sarif
from mission.formats.text import finding_line, summary_line

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
