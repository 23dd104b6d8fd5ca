"""Shared test helpers: where the fixtures are, and a way to run the real CLI in-process."""

from __future__ import annotations

from dataclasses import dataclass
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


DEMO_AS_OF = "2026-11-25"
"""The date the shared demo publications are made as of."""


@dataclass(frozen=True)
class Made:
    """A folder one in-process `mission report` run wrote, with how the run ended."""

    folder: Path
    exit_code: int
    output: str

    def files(self) -> dict[str, Path]:
        """The files every publication has, by the names `write_report` gives them (a board
        paper folder has no report.html: it has one page per ADP)."""
        return {
            "html": self.folder / "report.html",
            "markdown": self.folder / "report.md",
            "charts": self.folder / "charts",
            "published": self.folder / "published.json",
        }


def _make_demo(root: Path, *extra: str) -> Made:
    from mission.cli.app import app

    folder = root / "out"
    args = ["report", str(FIXTURES / "demo"), "-o", str(folder), "--as-of", DEMO_AS_OF, *extra]
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    return Made(folder, result.exit_code, result.output)


@pytest.fixture(scope="session")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> Made:
    """`mission report fixtures/demo -o OUT --as-of 2026-11-25` through the real CLI (in
    process), made once per test process (each xdist worker) and shared by every test that
    reads it (it takes 10-20 s to make).

    READ-ONLY: every test that asks for it sees the same folder. Read it, audit it, load it in a
    browser; never write, delete or touch a file in it. A test that changes a publication (to see
    the audit fail, to write over it) copies it first (`shutil.copytree(demo_report.folder,
    tmp_path / "report")`) and changes the copy, so no change leaks into another test.
    """
    return _make_demo(tmp_path_factory.mktemp("demo-report"))


@pytest.fixture(scope="session")
def demo_papers(tmp_path_factory: pytest.TempPathFactory) -> Made:
    """`mission report fixtures/demo --adp all -o OUT --as-of 2026-11-25`: every ADP's board
    paper and the index, made once per test process and shared (it takes 40-60 s to make).

    READ-ONLY, as `demo_report` is: tests that change it copy it into their tmp_path first.
    """
    return _make_demo(tmp_path_factory.mktemp("demo-papers"), "--adp", "all")


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    """After a run of the hostile tests, say how long the slowest single command took."""
    import sys

    tools = next((m for n, m in sys.modules.items() if n.endswith("hostile_tools")), None)
    slowest = getattr(tools, "SLOWEST", None)
    if slowest:
        shown = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in sorted(slowest.items()))
        terminalreporter.write_line(f"hostile: slowest single run per group: {shown}")
