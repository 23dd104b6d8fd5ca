"""What the CLI shows, as plain data: the only place tables and lines are composed.

A command builds `Grid`s (titled tables) and `Line`s (runs of styled text) from the library's
rows and strings, then `console.show` draws them: as rich tables on a terminal, as plain aligned
columns when the output goes to a file, a pipe or a CI log (which also spares a run the cost of
loading rich). Data is never read as markup: a file named `[link=...]x[/]` or `[/]` is shown as
written (its control characters were already escaped by the library).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from mission.findings import Finding
    from mission.report import Report

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


class Span(NamedTuple):
    """A piece of text and the style it has on a terminal (plain elsewhere)."""

    text: str
    style: str = ""


class Line(NamedTuple):
    """A line of text made of styled spans; printed without wrapping."""

    spans: tuple[Span, ...]

    @property
    def plain(self) -> str:
        return "".join(s.text for s in self.spans)


Cell = Span | str


class Grid(NamedTuple):
    """A table: a title, column names (none for a key-value grid) and rows of cells."""

    title: str | None
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    right: frozenset[str] = frozenset()
    center: frozenset[str] = frozenset()
    header: bool = True


Part = Grid | Line


def text(value: object, style: str = "") -> Span:
    """A value as text (never markup), optionally styled."""
    return Span("" if value is None else str(value), style)


def line(*spans: Span | str) -> Line:
    """A line from spans and plain strings."""
    return Line(tuple(s if isinstance(s, Span) else Span(s) for s in spans))


def table(
    title: str | None,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    right: Iterable[str] = (),
    center: Iterable[str] = (),
) -> Grid:
    """A table of cells; a cell is a `Span` (styled) or any value shown as text."""
    return Grid(
        title,
        tuple(columns),
        tuple(tuple(c if isinstance(c, Span) else text(c) for c in row) for row in rows),
        frozenset(right),
        frozenset(center),
    )


def key_value_grid(rows: Iterable[tuple[str, str]]) -> Grid:
    """A borderless two-column grid (bold key, plain value) for `show`-style commands."""
    return Grid(
        None,
        ("", ""),
        tuple((text(k, "bold"), text(v)) for k, v in rows),
        header=False,
    )


def finding_line(f: Finding) -> Line:
    """One finding as a styled line: location, severity, code, message, [value], hint."""
    from mission.formats.text import finding_location

    spans = [
        Span(f"  {finding_location(f)} "),
        Span(f.severity.value, SEVERITY_STYLE[f.severity.value]),
        Span(" "),
        Span(f.code, "bold"),
        Span(f" {f.message}"),
    ]
    if f.value is not None:
        spans.append(Span(f" [{f.value}]", "dim"))
    if f.hint:
        spans.append(Span(f" — {f.hint}"))
    return Line(tuple(spans))


def validation_parts(report: Report, max_findings: int) -> list[Part]:
    """The validate view: a table of files, then each file's findings, then the verdict."""
    from mission.formats import summary_line

    files = table(
        "Validation",
        ("file", "kind", "rows", "read as", "errors", "warnings", "verdict"),
        (
            (
                file.path,
                file.kind or "?",
                f"{file.rows:,}",
                file.covers or "",
                file.errors,
                file.warnings,
                text("valid", "green") if file.valid else text("invalid", "bold red"),
            )
            for file in report.files
        ),
        right=("rows", "errors", "warnings"),
    )
    parts: list[Part] = [files]
    shown = 0
    for file in report.files:
        if not file.findings or shown >= max_findings:
            continue
        parts += [line(""), line(text(file.path, "bold"))]
        for f in file.findings[: max_findings - shown]:
            parts.append(finding_line(f))
            shown += 1
    total = len(report.findings)
    if total > shown:
        parts += [
            line(""),
            line(f"… and {total - shown} more finding(s): use --max-findings or --format json."),
        ]
    style = "bold green" if report.valid else "bold red"
    parts += [line(""), line(text(summary_line(report), style))]
    return parts


def plain(part: Part) -> str:
    """A part as plain text: a grid's columns aligned with two spaces, no borders, no colour."""
    if isinstance(part, Line):
        return part.plain
    cells = [[c.text if isinstance(c, Span) else str(c) for c in row] for row in part.rows]
    heading = [list(part.columns)] if part.header else []
    widths = [
        max((len(r[i]) for r in heading + cells), default=0) for i in range(len(part.columns))
    ]

    def aligned(row: list[str]) -> str:
        out = []
        for i, cell in enumerate(row):
            name = part.columns[i]
            if name in part.right:
                out.append(cell.rjust(widths[i]))
            elif name in part.center:
                out.append(cell.center(widths[i]))
            else:
                out.append(cell.ljust(widths[i]))
        return "  ".join(out).rstrip()

    lines = [part.title] if part.title else []
    lines += [aligned(row) for row in heading + cells]
    return "\n".join(lines)
