"""`progress --format markdown`: the national report's Markdown, or an ADP's board paper, without
chart links, through the same patterns as `mission report`."""

from __future__ import annotations

from typing import Any

from mission.publish.bundle import Publication
from mission.publish.write import environment, national_view

__all__ = ["markdown"]

OUTPUT = "progress.md"


def _only_national(view: dict[str, Any], target: str) -> dict[str, Any]:
    kept = [t for t in view["targets"] if t["id"] == target]
    return {**view, "targets": kept, "key_points": [t["key_point"] for t in kept]}


def _only_board(view: dict[str, Any], target: str) -> dict[str, Any]:
    positions = [p for p in view["positions"] if p["id"] == target]
    kinds = {p["kind"] for p in positions}
    titles = {p["title"] for p in positions}
    return {
        **view,
        "positions": positions,
        "trends": [t for t in view["trends"] if t["id"] == target],
        "waiting": view["waiting"] if "episodes" in kinds else None,
        "deaths": view["deaths"] if "deaths" in kinds else None,
        "mat": view["mat"] if "mat" in kinds else [],
        "rates": [r for r in view["rates"] if r["title"] in titles],
    }


def markdown(publication: Publication, *, target: str | None = None, adp: str | None = None) -> str:
    """The Markdown of the national report (or of `adp`'s board paper), narrowed to `target`."""
    if adp is not None:
        from mission.publish.board_write import board_page_view

        view = board_page_view(publication, adp, OUTPUT)
        template = "board.md.j2"
    else:
        view = national_view(publication, OUTPUT, with_charts=False)
        template = "report.md.j2"
    if target is not None:
        view = _only_board(view, target) if adp is not None else _only_national(view, target)
    return str(environment(False).get_template(template).render(**view)).strip() + "\n"
