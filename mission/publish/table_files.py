"""The publication's tables as files for analysts: a workbook (a sheet per target) and a CSV.

Both print through the publication's patterns like every other view: a hidden count is the text
`c`, every other figure is a number (not text), so a spreadsheet can add them up.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from mission._version import __version__
from mission.disclosure import SUPPRESSED
from mission.formats import rows_csv
from mission.kinds import Kind
from mission.publish.bundle import Printer, Publication, Shown
from mission.publish.rate_views import adp_rate, rates_apply, scotland_rate
from mission.publish.tables import rate_period
from mission.publish.views import (
    adp_judged,
    adp_row,
    national_gate,
    series_value,
)
from mission.publish.write import PROTECTION_WORDS
from mission.rates import METHOD
from mission.tracker import TargetProgress
from mission.tracker.wording import point_note, status_text

__all__ = ["published_csv", "published_workbook"]

SERIES_HEADER = (
    "period", "Scotland", "completed waits", "interval low", "interval high", "published figure",
    "ADPs reported", "ADPs expected", "note",
)  # fmt: skip
ADP_HEADER = (
    "ADP", "code", "status", "judged", "judged period", "completed waits", "latest",
    "latest period", "target", "target from", "of the way (%)", "vs Scotland", "rate period",
    "rate per 100,000", "rate low", "rate high", "rate vs Scotland",
)  # fmt: skip


def published_csv(publication: Publication, output: str) -> str:
    """Every table's cells and figures as printed, one per row: table, row, column, value; and
    a `data` column saying `synthetic` on every row of a synthetic data set (a CSV travels
    without its report)."""
    printer = publication.printer(output)
    rows: list[dict[str, object]] = []
    for name, entry in publication.tables.items():
        for row, column in entry.table.counts_by_cell:
            shown = printer.count(name, row, column)
            rows.append(
                {"table": name, "row": row, "column": column, "figure": "", "value": _value(shown)}
            )
        for figure in entry.table.published_figures:
            shown = printer.figure(name, figure.name)
            value = (
                _value(shown)
                if figure.kind != "nonlinear"
                else (SUPPRESSED if shown.hidden else "shown")
            )
            rows.append(
                {"table": name, "row": "", "column": "", "figure": figure.name, "value": value}
            )
    data = "synthetic" if publication.synthetic else ""
    return rows_csv([{**row, "data": data} for row in rows])


def _value(shown: Shown) -> object:
    if shown.hidden:
        return SUPPRESSED
    if shown.value is None:
        return None
    return round(shown.value) if float(shown.value).is_integer() else round(shown.value, 4)


def _cell(shown: Shown) -> object:
    """A number as a number, `c` as text, nothing as blank."""
    if shown.hidden:
        return SUPPRESSED
    return shown.value


def _series(publication: Publication, printer: Printer, t: TargetProgress) -> list[list[object]]:
    found = publication.targets.get(t.id)
    published = {f.period: f.value for f in found.published if f.series is None} if found else {}
    rows = []
    for p in t.series:
        value = series_value(printer, t, p)
        n: object = None
        if t.kind is Kind.EPISODES and p.denominator is not None:
            n = SUPPRESSED if value.hidden else p.denominator
        interval = (p.low, p.high) if not value.hidden else (None, None)
        note = point_note(p)  # as the Markdown says it: pro-rating, and every gap
        rows.append(
            [
                p.period,
                _cell(value),
                n,
                interval[0],
                interval[1],
                published.get(p.period),
                p.coverage.reported,
                p.coverage.expected,
                note,
            ]
        )
    return rows


def _adps(
    publication: Publication, printer: Printer, t: TargetProgress, adp: str | None
) -> list[list[object]]:
    period = rate_period(t)
    reference = None
    if period and rates_apply(publication, t):
        found = scotland_rate(publication, printer, t, period)
        reference = found[1] if found else None
    rows = []
    for a in t.adps:
        if adp is not None and a.area != adp:
            continue
        words = adp_row(printer, t, a)
        judged = adp_judged(printer, t, a, a.judged_period)
        latest = adp_judged(printer, t, a, a.latest_period)
        rate: list[object] = [None, None, None, None, None]
        if period and rates_apply(publication, t):
            line = adp_rate(publication, printer, t, a, period, reference)
            low, high = line.interval or (None, None)
            rate = [period, _cell(line.rate), low, high, line.comparison]
        target: object = words["target"]
        rows.append([
            a.name, a.area, words["status"], _cell(judged), a.judged_period,
            _number(words["n"]), _cell(latest), words["latest_period"], _number(str(target)),
            a.target_source, _number(words["percent"].rstrip("%")), words["comparison"], *rate,
        ])  # fmt: skip
    return rows


def _number(text: str) -> object:
    """A figure printed as text (`1,294`, `c`, `—`) back to a number, `c`, or blank."""
    cleaned = text.replace(",", "").rstrip("%").strip()
    if cleaned in ("", "—"):
        return None
    if cleaned == SUPPRESSED:
        return SUPPRESSED
    try:
        return float(cleaned)
    except ValueError:
        return text


class _Formats:
    def __init__(self, book: Any) -> None:
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.head = book.add_format(
            {"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.bold = book.add_format({"bold": True})
        self.number = book.add_format({"num_format": "#,##0"})
        self.decimal = book.add_format({"num_format": "#,##0.0"})
        self.hidden = book.add_format({"align": "right", "italic": True})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.warn = book.add_format({"bold": True, "font_color": "#8A1C00"})


def _table(
    sheet: Any, top: int, header: Sequence[str], rows: list[list[object]], f: _Formats
) -> int:
    sheet.write_row(top, 0, header, f.head)
    for r, row in enumerate(rows, start=top + 1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if value == SUPPRESSED:
                sheet.write_string(r, c, SUPPRESSED, f.hidden)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                whole = float(value).is_integer()
                sheet.write_number(r, c, value, f.number if whole else f.decimal)
            else:
                sheet.write_string(r, c, str(value))
    return top + len(rows) + 2


def _about(book: Any, publication: Publication, f: _Formats) -> None:
    sheet = book.add_worksheet("about")
    sheet.set_column(0, 0, 110)
    lines = [
        (f"National Mission on drug deaths: progress as of {publication.as_of}", f.title),
        (f"Made by mission {__version__} ({publication.progress.method.value} method).", None),
    ]
    if publication.synthetic:
        note = publication.dataset.note if publication.dataset else ""
        lines.append((f"SYNTHETIC DATA — not real figures. {note}", f.warn))
    lines += [
        ("Publishing safely: " + PROTECTION_WORDS, f.wrap),
        (
            "A sheet per target: Scotland by period, then each ADP, then the notes. Figures are "
            "numbers; c is a hidden figure.",
            f.wrap,
        ),
        (f"Rates: {METHOD}.", f.wrap),
    ]
    lines += [(note, f.wrap) for note in publication.progress.notes]
    for row, (text, style) in enumerate(lines):
        sheet.write_string(row, 0, text, style) if style else sheet.write_string(row, 0, text)


def _target_sheet(
    book: Any,
    publication: Publication,
    printer: Printer,
    t: TargetProgress,
    adp: str | None,
    f: _Formats,
) -> None:
    sheet = book.add_worksheet(t.id[:31])
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 16, 14)
    sheet.write_string(0, 0, t.title, f.title)
    status = status_text(t) if national_gate(printer, t) else SUPPRESSED
    sheet.write_string(1, 0, f"Scotland: {status}. Unit: {t.unit}.")
    row = 2
    if publication.synthetic:
        sheet.write_string(row, 0, "SYNTHETIC DATA — not real figures.", f.warn)
        row += 1
    sheet.write_string(row + 1, 0, "Scotland by period", f.bold)
    row = _table(sheet, row + 2, SERIES_HEADER, _series(publication, printer, t), f)
    sheet.write_string(row, 0, "By ADP", f.bold)
    row = _table(sheet, row + 1, ADP_HEADER, _adps(publication, printer, t, adp), f)
    sheet.write_string(row, 0, "Notes", f.bold)
    for offset, note in enumerate(t.notes, start=1):
        sheet.write_string(row + offset, 0, note)
    sheet.freeze_panes(0, 1)


def published_workbook(
    publication: Publication,
    output: str,
    *,
    target: str | None = None,
    adp: str | None = None,
) -> bytes:
    """The workbook for analysts: an about sheet, then a sheet per target (or one)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    )
    formats = _Formats(book)
    _about(book, publication, formats)
    printer = publication.printer(output)
    for t in publication.progress.targets:
        if target is None or t.id == target:
            _target_sheet(book, publication, printer, t, adp, formats)
    book.close()
    return buffer.getvalue()
