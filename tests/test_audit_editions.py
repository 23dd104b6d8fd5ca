"""Two editions of one publication read together: a count revised in between (a late return)
makes them editions of different counts, which the audit refuses, naming the count."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DEMO = Path(__file__).parent.parent / "fixtures" / "demo"


def _edition(cli, tmp_path: Path, name: str, orkney_2023: str | None) -> Path:  # type: ignore[no-untyped-def]
    """A report from the demo's deaths, with Orkney's 2023 count as given (None: not sent)."""
    returns = tmp_path / f"returns-{name}"
    returns.mkdir()
    for part in ("deaths.csv", "population.csv", "dataset.toml"):
        shutil.copy(DEMO / part, returns / part)
    deaths = returns / "deaths.csv"
    lines = deaths.read_text().splitlines()
    kept = [line for line in lines if not line.startswith("Orkney,2023,")]
    if orkney_2023 is not None:
        kept.append(f"Orkney,2023,{orkney_2023}")
    deaths.write_text("\n".join(kept) + "\n")
    out = tmp_path / name
    result = cli("report", returns, "-o", out)
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from typer.testing import CliRunner

    from mission.cli.app import app

    runner = CliRunner()

    def cli(*args: object):  # type: ignore[no-untyped-def]
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    tmp = tmp_path_factory.mktemp("editions")
    return {
        "first": _edition(cli, tmp, "first", "1"),
        "revised": _edition(cli, tmp, "revised", "3"),
        "late": _edition(cli, tmp, "late", None),
    }


def test_a_revised_count_is_refused_and_named(cli, editions: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    """Orkney's 2023 deaths revised from 1 to 3 moves Scotland's printed total: the two editions
    are refused (exit 2) with the total named (they passed as one publication)."""
    result = cli("audit", editions["first"], editions["revised"])
    said = " ".join(result.stderr.split())
    assert result.exit_code == 2, result.stdout
    assert "1172 in one edition and 1174 in another" in said


def test_a_late_return_is_refused_and_named(cli, editions: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    """An edition printed before Orkney's return came is refused with the other, naming the
    cell one printed and the other did not."""
    result = cli("audit", editions["first"], editions["late"])
    said = " ".join(result.stderr.split())
    assert result.exit_code == 2, result.stdout
    assert "orkney × 2023 is printed in one and not the other" in said


def test_one_edition_twice_is_one_publication(cli, editions: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    """The same edition given twice is read as one publication, and passes."""
    result = cli("audit", editions["first"], editions["first"])
    assert result.exit_code == 0, result.stderr
