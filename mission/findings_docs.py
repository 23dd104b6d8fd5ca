"""The finding-code catalogue as Markdown: the README's list and `docs/codes.md` are this text, so
docs cannot drift."""

from __future__ import annotations

from collections.abc import Iterable

from mission.findings import CATALOGUE, CodeInfo

__all__ = ["catalogue_markdown", "codes_document"]


def catalogue_markdown(infos: Iterable[CodeInfo] | None = None) -> str:
    """A Markdown table of finding codes with severity, meaning and fix."""
    rows = ["| code | severity | meaning | fix |", "|---|---|---|---|"]
    for info in infos if infos is not None else CATALOGUE.values():
        cells = (f"`{info.code}`", info.severity.value, info.meaning, info.fix)
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(rows)


def codes_document() -> str:
    """The text of `docs/codes.md`: one section per code, headed by the code (its anchor)."""
    lines = [
        "# Finding codes",
        "",
        "<!-- Generated from the catalogue in mission/findings.py; do not edit. Regenerate with",
        "python -c \"from mission.findings_docs import codes_document as d; print(d(), end='')\""
        " > docs/codes.md -->",
        "",
        "Every finding mission reports carries one of these codes, and the same code always has",
        "the same severity. `mission explain CODE` prints the same explanation in the terminal.",
    ]
    for info in CATALOGUE.values():
        example = f"`{info.example}`" if "`" not in info.example else info.example
        lines += [
            "",
            f"## {info.code}",
            "",
            f"**{info.title}** ({info.severity.value})",
            "",
            info.meaning,
            "",
            f"Example: {example}",
            "",
            f"Fix: {info.fix}",
        ]
    return "\n".join(lines) + "\n"
