"""`mission report` says what it is doing on a terminal (a report takes half a minute, 30 board
papers a minute: a newcomer thought it had hung), and nothing on a pipe or in a log."""

from __future__ import annotations

import os
import pty
import subprocess
from pathlib import Path

from ..conftest import FIXTURES
from ..hostile_tools import MISSION


def _report(tmp_path: Path, stderr: int) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "MISSION_RICH"}
    return subprocess.run(
        [MISSION, "report", FIXTURES / "valid" / "deaths.csv", "-o", tmp_path / "out"],
        stdout=subprocess.PIPE,
        stderr=stderr,
        env=env,
        timeout=120,
        check=False,
    )


def test_a_terminal_is_told_each_step(tmp_path: Path) -> None:
    main, other = pty.openpty()
    try:
        done = _report(tmp_path, other)
        os.close(other)
        said = b""
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the other end closed: all is read
                break
            if not chunk:
                break
            said += chunk
    finally:
        os.close(main)
    assert done.returncode == 0
    text = said.decode("utf-8", "replace")
    # The quick steps may pass between two frames of the spinner; the report's own is long.
    assert "Writing the report" in text and "Wrote " in text


def test_a_pipe_gets_the_result_alone(tmp_path: Path) -> None:
    done = _report(tmp_path, subprocess.PIPE)
    assert done.returncode == 0
    assert done.stderr.decode().startswith("Wrote ") and b"Judging" not in done.stderr
