"""Shared test helpers: where the fixtures are, and a way to run the real CLI in-process."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
VALID = FIXTURES / "valid"
INVALID = FIXTURES / "invalid"

settings.register_profile("ci", max_examples=60, deadline=None)
settings.load_profile("ci")


@pytest.fixture
def cli():  # type: ignore[no-untyped-def]
    """Invoke `mission` in-process with Typer's CliRunner; returns the Result."""
    from mission.cli.app import app

    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    return invoke


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    """After a run of the hostile tests, say how long the slowest single command took."""
    import sys

    tools = next((m for n, m in sys.modules.items() if n.endswith("hostile_tools")), None)
    slowest = getattr(tools, "SLOWEST", None)
    if slowest:
        shown = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in sorted(slowest.items()))
        terminalreporter.write_line(f"hostile: slowest single run per group: {shown}")
