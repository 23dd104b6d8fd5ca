"""Hostile input: every command that reads files, over the whole corpus, ends cleanly and quickly.

Exit codes may only be 0, 1 or 2; no traceback may reach the user; nothing may hang; no cell may
reach the terminal raw; nothing in a file may run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sysconfig
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from .conftest import FIXTURES, ROOT

HOSTILE = FIXTURES / "hostile"
CORPUS = sorted(p for p in HOSTILE.iterdir() if p.is_file() and p.suffix != ".py")
TIME_BOUND = 30.0
ESC = "\x1b"


def test_corpus_is_big_enough() -> None:
    """The corpus holds at least 40 crafted files."""
    assert len(CORPUS) >= 40


def _run(args: list[str]) -> tuple[int, str, float]:
    from cli.app import app

    started = time.perf_counter()
    result = CliRunner().invoke(app, args)
    elapsed = time.perf_counter() - started
    output = result.output + (result.stderr if result.stderr_bytes else "")
    if result.exception and not isinstance(result.exception, SystemExit):
        output += f"\nTraceback: {result.exception!r}"
    return result.exit_code, output, elapsed


def _commands(path: Path, tmp: Path) -> list[list[str]]:
    return [
        ["validate", str(path)],
        ["validate", str(path), "--format", "json"],
        ["validate", str(path), "--format", "sarif"],
        ["validate", str(path), "--format", "html"],
        ["validate", str(path), "--annotate", str(tmp / "annotated.xlsx")],
        ["progress", str(path)],
        ["report", str(path), "-o", str(tmp / "report")],
        ["measures", str(path)],
        ["submit", str(path), "--store", str(tmp / "store.sqlite")],
    ]


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_every_command_survives(path: Path, tmp_path: Path) -> None:
    """Each command ends with 0, 1 or 2, no traceback, no raw escape, within the time bound."""
    for args in _commands(path, tmp_path):
        code, output, elapsed = _run(args)
        assert code in (0, 1, 2), (args, code, output[-500:])
        assert "Traceback" not in output, (args, output[-500:])
        assert ESC not in output, args
        assert elapsed < TIME_BOUND, (args, elapsed)


def test_check_over_the_corpus(tmp_path: Path) -> None:
    """`mission check` on a repository made of the whole corpus ends cleanly."""
    returns = tmp_path / "repo" / "returns"
    returns.mkdir(parents=True)
    for path in CORPUS:
        shutil.copy(path, returns / path.name)
    for fmt in ("text", "json", "github", "markdown"):
        code, output, elapsed = _run(["check", str(tmp_path / "repo"), "--format", fmt])
        assert code == 1, output[-500:]
        assert "Traceback" not in output
        assert ESC not in output
        assert elapsed < TIME_BOUND


def test_installed_entry_point_over_the_corpus() -> None:
    """A real process validating the whole corpus folder exits 1, quietly, in bounded time."""
    mission = str(Path(sysconfig.get_path("scripts")) / "mission")
    started = time.perf_counter()
    done = subprocess.run(
        [mission, "validate", str(HOSTILE)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert ESC not in done.stdout
    assert time.perf_counter() - started < 60


def test_two_gigabyte_line_is_refused_by_size(tmp_path: Path) -> None:
    """A CSV with a 2 GB line is refused at once by the size limit, without reading it."""
    path = tmp_path / "ost.csv"
    with path.open("wb") as stream:
        stream.write(b"adp,period,methadone\nFife,2023/24 Q1,")
        stream.seek(2 * 1024**3)
        stream.write(b"1\n")
    code, output, elapsed = _run(["validate", str(path)])
    assert code == 1
    assert "over the limit" in output
    assert elapsed < 5


def test_large_json_within_limits(tmp_path: Path) -> None:
    """A 30 MB JSON return is read in bounded time; over --max-file-mb it is refused."""
    row = '{"adp": "Fife", "calendar_year": 2023, "drug_misuse_deaths": 1},'
    path = tmp_path / "deaths.json"
    path.write_text("[" + row * 450_000 + row[:-1] + "]")
    code, output, elapsed = _run(["validate", str(path), "--max-findings", "1"])
    assert code == 1 and elapsed < TIME_BOUND
    code, output, _ = _run(["--max-file-mb", "10", "validate", str(path)])
    assert code == 1 and "over the limit" in output


def test_file_names_with_escape_sequences(tmp_path: Path) -> None:
    """A file name holding a terminal escape sequence is shown escaped."""
    path = tmp_path / f"ost{ESC}[31mred.csv"
    path.write_text((FIXTURES / "invalid" / "ost-total-mismatch.csv").read_text())
    for fmt in ("text", "json", "github", "junit"):
        code, output, _ = _run(["validate", str(tmp_path), "--format", fmt])
        assert code == 1
        assert ESC not in output, fmt


def test_target_files_never_run_code(tmp_path: Path) -> None:
    """Target files are data: a file that tries to run code is refused and nothing runs."""
    marker = Path("/tmp/mission-pwned")
    marker.unlink(missing_ok=True)
    code, output, _ = _run(["targets", "--targets", str(HOSTILE / "targets-evil")])
    assert code == 2
    assert "evil.toml" in output or "local.toml" in output
    assert not marker.exists()


def test_formulas_are_neutralised_in_what_we_write(tmp_path: Path) -> None:
    """A comment starting with = is stored as sent but exported with a leading quote."""
    rows = ["adp,year,standard,status,comment"]
    rows += [f"Fife,2024/25,{s},amber," for s in range(1, 10)]
    rows.append('Fife,2024/25,10,amber,"=HYPERLINK(""http://127.0.0.1"",""x"")"')
    path = tmp_path / "mat.csv"
    path.write_text("\n".join(rows) + "\n")
    store = tmp_path / "s.sqlite"
    assert _run(["submit", str(path), "--store", str(store)])[0] == 0
    code, output, _ = _run(["export", "--kind", "mat", "--store", str(store)])
    assert code == 0
    assert "'=HYPERLINK" in output
    assert "\n=HYPERLINK" not in output and ",=HYPERLINK" not in output


def test_time_limit_stops_a_slow_run(tmp_path: Path) -> None:
    """--time-limit ends a run that takes too long with exit 2 and a clear message."""
    mission = str(Path(sysconfig.get_path("scripts")) / "mission")
    big = tmp_path / "episodes.csv"
    header = "adp,person_id,referral_date,treatment_start_date,referral_source,substance,treatment_type\n"
    big.write_text(header + "Fife,X,2024-04-01,2024-04-02,self,drugs,ost\n" * 3_000_000)
    done = subprocess.run(
        [mission, "--time-limit", "1", "validate", str(big)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert done.returncode == 2
    assert "--time-limit" in done.stderr
    assert "Traceback" not in done.stderr


def test_corpus_is_reproducible() -> None:
    """The corpus builder is part of the repository (files can be rebuilt)."""
    assert (HOSTILE / "build_hostile.py").is_file()
    assert ROOT.joinpath("README.md").read_text().count("fixtures/hostile/") >= 1
