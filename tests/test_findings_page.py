"""The findings page: one self-contained HTML file an officer can open or attach to an email."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mission.formats import to_html
from mission.formats.text import cell_reference
from mission.report import Report
from mission.validation import validate

from .browser import axe_violations, visit
from .conftest import INVALID, VALID

TODAY = dt.date(2026, 11, 25)
HOSTILE = '<img src="https://example.org/x.png" onerror="alert(1)">'


def _quoted(text: str) -> str:
    """A CSV field with its quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    folder = tmp_path_factory.mktemp("returns")
    (folder / "ost.csv").write_text(
        "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total\n"
        f"{_quoted(HOSTILE)},Q1 24/25,1,1,1,1,0,5\n"
    )
    return validate(
        [folder, INVALID / "ost-bad-counts.csv", INVALID / "mat-status-evidence.csv", VALID],
        today=TODAY,
    )


@pytest.fixture(scope="module")
def page(report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("page") / "findings.html"
    path.write_text(to_html(report), encoding="utf-8")
    return path


class _Rows(HTMLParser):
    """The text of every finding row's cells, and every URL the page names."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.urls: list[str] = []
        self._in_row = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("src", "href", "action"):
            if found.get(name):
                self.urls.append(str(found[name]))
        if tag == "tr" and "finding" in (found.get("class") or ""):
            self._in_row = True
            self.rows.append([])
        elif tag == "td" and self._in_row:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr":
            self._in_row = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _parsed(page: Path) -> _Rows:
    parser = _Rows()
    parser.feed(page.read_text("utf-8"))
    return parser


def test_every_finding_is_a_row_with_its_fields(report: Report, page: Path) -> None:
    """Each finding is one row: severity, row, cell, column, value as typed, message, fix, code."""
    rows = _parsed(page).rows
    assert len(rows) == len(report.findings)
    expected = [
        [
            {"error": "Error", "warning": "Warning", "info": "Note"}[f.severity.value],
            str(f.row) if f.row else "—",
            cell_reference(f) or "",
            f.column or "",
            f.value or "",
            f.message,
            f.hint or "",
            f.code,
        ]
        for f in report.findings
    ]
    assert rows == expected
    assert [
        "Warning",
        "2",
        "D2",
        "status",
        "green",
        "status is green but the experiential evidence is partial",
    ] in [r[:6] for r in rows]


def test_page_is_self_contained_and_escapes_what_it_shows(page: Path) -> None:
    """The page links only to itself, and a hostile value is text, never markup."""
    text = page.read_text("utf-8")
    assert all(url.startswith("#") for url in _parsed(page).urls)
    assert "<img" not in text
    assert "&lt;img src=&#34;https://example.org/x.png&#34;" in text
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text)
    assert policy is not None and "default-src &#39;none&#39;" in policy.group(1)


def test_page_works_in_a_real_browser(page: Path) -> None:
    """No console error and no request beyond the file; the severity filter hides and shows."""
    with visit(page) as seen:
        notes = seen.page.locator("tr.sev-info")
        errors = seen.page.locator("tr.sev-error")
        assert notes.count() > 0 and notes.first.is_visible()
        total = seen.page.locator("tr.finding").count()
        assert seen.page.locator("#shown").inner_text() == f"Showing {total} of {total} findings."
        seen.page.get_by_label(re.compile(r"^Notes")).uncheck()
        assert not notes.first.is_visible()
        assert errors.first.is_visible()
        shown = total - notes.count()
        assert seen.page.locator("#shown").inner_text() == f"Showing {shown} of {total} findings."
        seen.page.get_by_label(re.compile(r"^Notes")).check()
        assert notes.first.is_visible()
    assert seen.errors == []
    assert seen.requests == [page.resolve().as_uri()]


def test_filter_works_without_javascript(page: Path) -> None:
    """With scripts off (an email client's preview), the filter still hides rows, by CSS alone."""
    with visit(page, javascript=False) as seen:
        warnings = seen.page.locator("tr.sev-warning")
        assert warnings.first.is_visible()
        seen.page.get_by_label(re.compile(r"^Warnings")).uncheck()
        assert not warnings.first.is_visible()
        assert seen.page.locator("tr.sev-error").first.is_visible()


def test_page_meets_wcag_22_aa(page: Path) -> None:
    """axe-core finds no violation of the WCAG 2.2 A and AA rules."""
    assert axe_violations(page) == []


def test_cli_writes_the_page(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`validate --format html -o FILE` writes the page and exits 1 for an invalid return."""
    out = tmp_path / "findings.html"
    result = cli("validate", INVALID / "ost-total-mismatch.csv", "--format", "html", "-o", out)
    assert result.exit_code == 1
    text = out.read_text("utf-8")
    assert text.startswith("<!doctype html>")
    assert "total is 570 but the medication columns add up to 572" in text
