"""The wheel a user installs: the library typed, the CLI inside the package, no stray top-level."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from .conftest import ROOT


def test_wheel_ships_the_cli_inside_the_package(tmp_path: Path) -> None:
    """The wheel holds mission/py.typed, mission/cli and the target files, and no top-level cli."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("national_drugs_mission-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "mission/py.typed" in names
    assert "mission/cli/app.py" in names
    assert "mission/_targets/ost.toml" in names
    assert not any(n.startswith("cli/") for n in names)
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"mission"}
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "mission = mission.cli:main" in text
