"""`progress --format markdown`: the national report's Markdown, or an ADP's board paper, without
chart links, through the same patterns as `mission report`."""

from __future__ import annotations

from typing import Any

from mission.publish.bundle import Publication
from mission.publish.write import environment, national_view

__all__ = ["markdown"]

OUTPUT = "progress.md"


def _only_target(view: dict[str, Any], target: str) -> dict[str, Any]:
    narrowed = dict(view)
    if "targets" in view:
        kept = [t for t in view["targets"] if t["id"] == target]
        titles = {t["title"] for t in kept}
        narrowed["targets"] = kept
        narrowed["key_points"] = [p for p in view["key_points"] if p.split(":")[0] in titles]
    else:
        narrowed["positions"] = [p for p in view["positions"] if p["id"] == target]
        narrowed["trends"] = [t for t in view["trends"] if t["id"] == target]
        for key in ("waiting", "deaths"):
            if view[key] is not None and view[key]["id"] != target:
                narrowed[key] = None
        if not any(target.startswith("mat") for _ in (0,)):
            narrowed["mat"] = []
        titles = {p["title"] for p in narrowed["positions"]}
        narrowed["rates"] = [r for r in view["rates"] if r["title"] in titles]
    return narrowed


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
        view = _only_target(view, target)
    return str(environment(False).get_template(template).render(**view)).strip() + "\n"
