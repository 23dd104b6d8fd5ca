"""Docs and data cannot drift: help on every command, every fixture used, README codes current."""

from __future__ import annotations

import re

import pytest
import typer.main

from mission.cli.app import app
from mission.findings import CATALOGUE
from mission.findings_docs import catalogue_markdown

from ..conftest import FIXTURES, INVALID, ROOT, VALID
from ..test_validation import EXPECTED, VALID_NOTES


def _commands() -> list[list[str]]:
    group = typer.main.get_command(app)
    paths: list[list[str]] = []

    def walk(command, prefix: list[str]) -> None:  # type: ignore[no-untyped-def]
        for name, sub in getattr(command, "commands", {}).items():
            paths.append([*prefix, name])
            walk(sub, [*prefix, name])

    walk(group, [])
    return paths


@pytest.mark.parametrize("path", _commands(), ids=lambda p: " ".join(p))
def test_every_command_has_help_with_an_example(cli, path: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Every command has help text, and it shows an example."""
    result = cli(*path, "--help")
    assert result.exit_code == 0
    is_group = path in (["targets"], ["adps"])
    assert "Example" in result.stdout or (is_group and "show" in result.stdout)


def test_readme_lists_every_finding_code() -> None:
    """The README's code list is exactly the catalogue's Markdown."""
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"<!-- codes:start -->\n(.*?)\n<!-- codes:end -->", readme, re.S)
    assert block is not None
    assert block.group(1) == catalogue_markdown()


def test_every_fixture_is_used() -> None:
    """Every fixture file is pinned by a test's expectations."""
    pinned = {INVALID / n for n, _ in EXPECTED} | {VALID / n for n in VALID_NOTES}
    pinned |= set((INVALID / "across").iterdir())
    pinned |= {
        FIXTURES / "demo" / f"{kind}.csv"
        for kind in ("ost", "rehab", "naloxone", "mat", "episodes", "deaths", "population")
    }
    pinned.add(FIXTURES / "demo" / "dataset.toml")  # the demo set says it is synthetic
    # Whole folders that tests use as one: the sample repository and the hostile corpus.
    pinned |= {
        p
        for folder in ("repository", "hostile")
        for p in (FIXTURES / folder).rglob("*")
        if p.is_file()
    }
    files = {p for p in FIXTURES.rglob("*") if p.is_file() and p.suffix not in (".py", ".md")}
    pinned = {p for p in pinned if p.suffix not in (".py", ".md")}
    assert files == pinned


def test_fixtures_cover_the_catalogue() -> None:
    """Between them the fixtures and the targeted tests raise every finding code."""
    raised = {code for _, found in EXPECTED for code, _ in found}
    raised |= {code for found in VALID_NOTES.values() for code, _ in found}
    elsewhere = {
        "duplicate-across-files",
        "slice-in-two-files",  # tests/test_store.py
        "kind-mismatch",
        "too-many-findings",
        "outside-folder",
        "name-mismatch",
        "unexpected-path",  # tests/test_check.py
        "return-missing",  # tests/test_integrations.py
        "cell-places-unsure",  # tests/test_attack_within.py
        "annotated-copy",  # tests/test_newcomer5.py
        "totals-row",  # tests/test_newcomer5.py
        "hidden-kind-sheet",  # tests/test_hidden_sheets.py
        "hidden-sheet-only",  # tests/test_hidden_sheets.py
        "merged-cells",  # tests/test_merged_cells.py
        "hidden-rows",  # tests/test_hidden_cells.py
        "hidden-columns",  # tests/test_hidden_cells.py
        "period-not-ended",  # tests/test_validation.py, tests/test_check.py (today moves)
        "name-kind-mismatch",  # tests/test_validation.py
        "other-sheet-not-read",  # tests/test_hidden_sheets.py
        "hidden-sheet-passed-over",  # tests/test_hidden_sheets.py
        "adp-council-area",  # tests/test_council_areas.py
        "two-row-header",  # tests/test_merged_cells.py
        "formula-value-unsure",  # tests/test_stale_formulas.py
    }
    assert set(CATALOGUE) == raised | elsewhere
