"""Writing board papers: one HTML page (self-contained) and one Markdown file per ADP, their
charts, an index when there are several, and `published.json` — audited together first."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mission._version import __version__
from mission.disclosure import SUPPRESSED
from mission.publish.board import board_view
from mission.publish.board_charts import board_charts
from mission.publish.bundle import Publication
from mission.publish.rate_views import RATE_METHOD
from mission.publish.write import (
    PROTECTION_WORDS,
    PUBLISHED_FILE,
    Rendered,
    ReportFiles,
    audit_or_refuse,
    dataset_view,
    embed,
    environment,
    render_charts,
    write_rendered,
)

__all__ = ["board_page_view", "write_papers"]


def board_page_view(publication: Publication, adp: str, output: str) -> dict[str, Any]:
    """A board paper's view model, with the words every page carries."""
    population = publication.population
    return {
        **board_view(publication, adp, output),
        **dataset_view(publication),
        "as_of": str(publication.as_of),
        "version": __version__,
        "method": publication.progress.method.value,
        "protection": PROTECTION_WORDS,
        "suppressed": SUPPRESSED,
        "rate_method": RATE_METHOD,
        "population_sources": list(population.sources) if population else [],
        "notes": list(publication.progress.notes),
        "charts": {},
        "with_charts": False,
    }


def write_papers(publication: Publication, folder: Path, adps: Sequence[str]) -> ReportFiles:
    """A board paper per ADP (by code) in `folder`: `ADP.html`, `ADP.md`, `charts/ADP-*.png`,
    an `index.html` listing them when there are several, and `published.json`."""
    rendered = Rendered()
    pages = []
    for adp in adps:
        output = f"{adp}.html"
        view = board_page_view(publication, adp, output)
        charts = board_charts(publication, adp, view["name"])
        render_charts(rendered, charts, "charts", svgs=False)
        view["charts"] = {
            chart.name.removeprefix(f"{adp}-"): embed(
                chart, rendered.images[f"charts/{chart.name}.png"]
            )
            for chart in charts
        }
        view["with_charts"] = True
        rendered.texts[f"{adp}.html"] = (
            environment(True).get_template("board.html.j2").render(**view)
        )
        markdown = environment(False).get_template("board.md.j2").render(**view)
        rendered.texts[f"{adp}.md"] = markdown.strip() + "\n"
        rendered.outputs[output] = [f"{adp}.html", f"{adp}.md"]
        pages.append({"adp": adp, "name": view["name"], "html": f"{adp}.html", "md": f"{adp}.md"})
    if len(pages) > 1:
        index = {
            **dataset_view(publication),
            "pages": pages,
            "as_of": str(publication.as_of),
            "version": __version__,
            "protection": PROTECTION_WORDS,
        }
        rendered.texts["index.html"] = (
            environment(True).get_template("index.html.j2").render(**index)
        )
    audit_or_refuse(publication)
    write_rendered(folder, rendered, publication)
    files = ReportFiles(published=folder / PUBLISHED_FILE, charts=folder / "charts")
    for page in pages:
        files[page["adp"]] = folder / page["html"]
    if len(pages) > 1:
        files["index"] = folder / "index.html"
    return files
