"""Writing a publication: the national report, board papers, and the record of what they print.

A run builds every page and chart in memory first, each through its own `Printer`; then the
audit runs over everything the run prints (`Publication.audit`), and only if it passes is
anything written. Each folder gets `published.json`, the tables as its files print them, so
`mission audit FOLDER` can check it later without the returns.
"""

from __future__ import annotations

import base64
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mission._version import __version__
from mission.disclosure import SUPPRESSED
from mission.errors import MissionError
from mission.files import write_bytes_atomic, write_text_atomic
from mission.publish.bundle import Publication
from mission.publish.folder_files import CHECKSUMS, RECORD_VERSION, checksums, folder_files
from mission.publish.national_charts import Chart, chart_output
from mission.publish.rate_views import RATE_METHOD, rate_rows
from mission.publish.views import key_point, target_section
from mission.rates import METHOD
from mission.walk import PUBLISHED_RECORD

if TYPE_CHECKING:
    from mission.disclosure import AuditResult

__all__ = [
    "PUBLISHED_FILE",
    "DisclosureRefused",
    "FolderInUse",
    "ReportFiles",
    "environment",
    "national_view",
    "write_national",
]

TEMPLATES = Path(__file__).resolve().parent.parent / "report_templates"
PUBLISHED_FILE = PUBLISHED_RECORD
PROTECTION_WORDS = (
    "Counts from 1 to 4 are shown as c (zero is shown, but for a quarter's completed waits, "
    "where it is hidden as they are). Further figures are hidden until no hidden count can be "
    "worked out to within a range narrower than 5 from anything published with it (totals, "
    "percentages, rates, intervals, targets, charts); figures computed from a hidden count are "
    "hidden with it, and so is a status (achieved, on track...) shown as c."
)


class FolderInUse(MissionError):
    """The folder holds files the run would not write: nothing was written.

    `published.json` records what one run printed; pages beside it from another run (another
    board paper, a stale chart, the returns themselves) would sit there unaudited.

    Attributes:
        folder: the folder.
        others: the files (relative to it) the run would not write.
    """

    def __init__(self, folder: Path, others: Sequence[str]) -> None:
        self.folder = folder
        self.others = tuple(others)
        shown = ", ".join(self.others[:3]) + (" …" if len(self.others) > 3 else "")
        super().__init__(
            f"{folder} holds files this run does not write ({shown}), so its published.json "
            "could not record every page in it: publish into an empty or new folder (several "
            "board papers together: --adp all), or empty this one"
        )


class DisclosureRefused(MissionError):
    """The audit found a hidden count a reader could work out: nothing was written.

    Attributes:
        problems: each leak, in words (never the hidden value itself).
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        shown = "; ".join(self.problems[:5])
        more = f" (and {len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
        super().__init__(f"the disclosure audit failed, so nothing was written: {shown}{more}")


_INLINE_MARKUP = re.compile(r"([\\`*_\[\]|~])")
_LINE_START_MARKUP = re.compile(r"^([#>]|[-+=](?=\s|$))")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def markdown_inert(value: object) -> str:
    """A value printed into Markdown, inert: no emphasis, code, link, image, table cell break or
    HTML tag (angle brackets and ampersands become entities), and nothing at its start that
    would begin a heading, quote or list. Every `{{ }}` of a Markdown template passes through
    it, so a file name, a data set's note or a target's words can only ever be text.

    Lighter than `mission.text.escape_markdown`: parentheses, `#` and `+` inside a line, and `!`
    not followed by `[`, mean nothing there, so our own prose stays readable in the raw file.
    """
    text = "" if value is None else str(value)
    text = _INLINE_MARKUP.sub(r"\\\1", text)
    text = re.sub(r"[&<>]", lambda m: _ENTITIES[m[0]], text)
    return _LINE_START_MARKUP.sub(r"\\\1", text)


def environment(autoescape: bool) -> Any:
    """Templates: HTML autoescaped, or Markdown with every printed value made inert."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=None if autoescape else markdown_inert,
    )


@dataclass
class Rendered:
    """One run's files, in memory until the audit passes."""

    texts: dict[str, str] = field(default_factory=dict)
    charts: dict[str, Chart] = field(default_factory=dict)
    images: dict[str, bytes] = field(default_factory=dict)
    outputs: dict[str, list[str]] = field(default_factory=dict)
    """Printer name -> the files that print it."""


def png(chart: Chart) -> bytes:
    buffer = io.BytesIO()
    chart.figure.savefig(
        buffer, format="png", metadata={"Title": chart.name, "Description": chart.alt}
    )
    return buffer.getvalue()


def svg(chart: Chart) -> bytes:
    buffer = io.BytesIO()
    chart.figure.savefig(
        buffer, format="svg", metadata={"Title": chart.name, "Description": chart.alt}
    )
    return buffer.getvalue()


def embed(chart: Chart, image: bytes, folder: str = "charts") -> dict[str, str]:
    return {
        "png": base64.b64encode(image).decode("ascii"),
        "path": f"{folder}/{chart.name}.png",
        "alt": chart.alt,
        "name": chart.name,
    }


def dataset_view(publication: Publication) -> dict[str, Any]:
    dataset = publication.dataset
    return {
        "synthetic": publication.synthetic,
        "dataset_title": dataset.title if dataset else "",
        "dataset_note": dataset.note if dataset else "",
    }


def national_view(publication: Publication, output: str, with_charts: bool) -> dict[str, Any]:
    """The national report's view model, read through the printer `output`."""
    printer = publication.printer(output)
    sections = []
    for t in publication.progress.targets:
        section = target_section(publication, printer, t)
        section["rates"] = rate_rows(publication, printer, t)
        section["key_point"] = key_point(printer, t)
        sections.append(section)
    population = publication.population
    return {
        "as_of": str(publication.as_of),
        "method": publication.progress.method.value,
        "version": __version__,
        "key_points": [section["key_point"] for section in sections],
        "targets": sections,
        "notes": list(publication.progress.notes),
        "suppressed": SUPPRESSED,
        "protection": PROTECTION_WORDS,
        "rate_method": RATE_METHOD,
        "population_sources": list(population.sources) if population else [],
        "with_charts": with_charts,
        **dataset_view(publication),
    }


class ReportFiles(dict[str, Path]):
    """What a report run wrote: `html`, `markdown`, `csv`, `published`, a `charts` folder."""


def _audit_problems(results: dict[str, AuditResult]) -> list[str]:
    problems = []
    for name, result in results.items():
        problems += [f"{name}: {item} is printed although it is 1 to 4" for item in result.exposed]
        problems += [f"{name}: {r.item} can be narrowed to {r.low}–{r.high}" for r in result.leaks]
    return problems


def published_record(publication: Publication, rendered: Rendered) -> str:
    """`published.json`: the tables as the run's files print them, what each chart draws, and
    each file written with its SHA-256 and size (so `mission audit` can tell a file changed)."""
    tables = publication.printed()
    charts = {
        chart_output(name): publication.drawn_by(chart_output(name)) for name in rendered.charts
    }
    record = {
        "format": "mission-published",
        "version": RECORD_VERSION,
        "made_by": f"mission {__version__}",
        "as_of": str(publication.as_of),
        "dataset": publication.dataset.to_dict() if publication.dataset else None,
        "protection": PROTECTION_WORDS,
        "rates": METHOD,
        "files": written_files(rendered),
        CHECKSUMS: checksums(file_bytes(rendered)),
        "charts": charts,
        "tables": {name: table.model_dump(mode="json") for name, table in tables.items()},
    }
    return json.dumps(record, indent=1, ensure_ascii=False) + "\n"


def audit_or_refuse(publication: Publication) -> None:
    """Audit everything the run prints; refuse if any hidden count can be worked out.

    Raises:
        DisclosureRefused: the audit failed.
    """
    problems = _audit_problems(publication.audit())
    if problems:
        raise DisclosureRefused(problems)


def _others(folder: Path, written: set[str]) -> list[str]:
    """Files under `folder` (relative, `/`-separated) that a run writing `written` would not.
    Hidden ones count (`mission audit` counts them: a web server serves them); only OS litter
    (`.DS_Store`, `Thumbs.db`) is no file at all."""
    if not folder.is_dir():
        return []
    return [name for name in folder_files(folder) if name not in written]


def written_files(rendered: Rendered) -> list[str]:
    """Every file a run writes (relative to its folder), `published.json` last."""
    return [*sorted(rendered.texts.keys() | rendered.images.keys()), PUBLISHED_FILE]


def file_bytes(rendered: Rendered) -> dict[str, bytes]:
    """Every file a run writes but `published.json`, as the bytes written (and hashed)."""
    return {name: text.encode("utf-8") for name, text in rendered.texts.items()} | rendered.images


def write_rendered(folder: Path, rendered: Rendered, publication: Publication) -> None:
    """Write every file of a run (after its audit passed), then `published.json`.

    A folder may be written into again by the same set of files (a run made again); one that
    holds any other file is refused, so `published.json` always records every page beside it.

    Raises:
        FolderInUse: the folder holds files the run would not write.
    """
    others = _others(folder, set(written_files(rendered)))
    if others:
        raise FolderInUse(folder, others)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in file_bytes(rendered).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, data)
    write_text_atomic(folder / PUBLISHED_FILE, published_record(publication, rendered))


def render_charts(rendered: Rendered, charts: Iterable[Chart], folder: str, svgs: bool) -> None:
    for chart in charts:
        rendered.charts[chart.name] = chart
        rendered.images[f"{folder}/{chart.name}.png"] = png(chart)
        if svgs:
            rendered.images[f"{folder}/{chart.name}.svg"] = svg(chart)
        rendered.outputs[chart_output(chart.name)] = [f"{folder}/{chart.name}.png"]


def write_national(publication: Publication, folder: Path) -> ReportFiles:
    """The national report: report.html (self-contained), report.md, report.csv, report.xlsx,
    charts/ and published.json — audited together before anything is written."""
    from mission.publish.national_charts import national_charts
    from mission.publish.table_files import published_csv, published_workbook

    rendered = Rendered()
    render_charts(rendered, national_charts(publication), "charts", svgs=True)
    view = national_view(publication, "report", with_charts=True)
    by_name = {
        c.name: embed(c, rendered.images[f"charts/{c.name}.png"]) for c in rendered.charts.values()
    }
    for section in view["targets"]:
        section["charts"] = [
            by_name[n]
            for n in (f"trajectory-{section['id']}", f"funnel-{section['id']}")
            if n in by_name
        ]
    view["charts"] = [
        by_name[n]
        for n in (
            "ost-by-medication",
            "naloxone-by-source",
            "rehab-by-funding",
            "mat-heatmap",
            "waiting-times-by-adp",
        )
        if n in by_name
    ]
    rendered.texts["report.html"] = environment(True).get_template("report.html.j2").render(**view)
    markdown = environment(False).get_template("report.md.j2").render(**view)
    rendered.texts["report.md"] = markdown.strip() + "\n"
    rendered.outputs["report"] = ["report.html", "report.md"]
    rendered.texts["report.csv"] = published_csv(publication, "report.csv")
    rendered.outputs["report.csv"] = ["report.csv"]
    workbook = published_workbook(publication, "report.xlsx")
    rendered.images["report.xlsx"] = workbook
    rendered.outputs["report.xlsx"] = ["report.xlsx"]
    audit_or_refuse(publication)
    write_rendered(folder, rendered, publication)
    return ReportFiles(
        html=folder / "report.html",
        markdown=folder / "report.md",
        csv=folder / "report.csv",
        xlsx=folder / "report.xlsx",
        published=folder / PUBLISHED_FILE,
        charts=folder / "charts",
    )
