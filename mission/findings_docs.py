"""The finding-code catalogue as Markdown: the README's list is this text, so docs cannot drift."""

from __future__ import annotations

from collections.abc import Iterable

from mission.findings import CATALOGUE, CodeInfo

__all__ = ["catalogue_markdown"]


def catalogue_markdown(infos: Iterable[CodeInfo] | None = None) -> str:
    """A Markdown table of finding codes with severity, meaning and fix."""
    rows = ["| code | severity | meaning | fix |", "|---|---|---|---|"]
    for info in infos if infos is not None else CATALOGUE.values():
        cells = (f"`{info.code}`", info.severity.value, info.meaning, info.fix)
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(rows)
