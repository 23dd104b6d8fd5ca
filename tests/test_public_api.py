"""The public API: every exported name is what it says, before and after the submodules load."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import mission

from .conftest import VALID


def test_no_exported_name_is_shadowed_by_a_submodule() -> None:
    """`from mission import NAME` gives the same object before and after every submodule loads."""
    code = textwrap.dedent(
        """
        import importlib, pkgutil, types
        import mission
        before = {}
        for name in mission.__all__:
            exec(f"from mission import {name} as value", globals())
            before[name] = value
            assert not isinstance(value, types.ModuleType), name
        for info in pkgutil.walk_packages(mission.__path__, "mission."):
            if ".cli" not in info.name:
                importlib.import_module(info.name)
        for name in mission.__all__:
            exec(f"from mission import {name} as value", globals())
            assert value is before[name], name
            assert getattr(mission, name) is before[name], name
        print("ok", len(mission.__all__))
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok")


def test_public_classes_and_functions_say_what_they_are() -> None:
    """Every exported class and function has a docstring, so help(mission) reads well."""
    missing = [
        name
        for name in mission.__all__
        if name != "__version__"
        and callable(getattr(mission, name))
        and not (getattr(mission, name).__doc__ or "").strip()
    ]
    assert missing == []


def test_paths_may_be_strings() -> None:
    """A folder given as a string is a path, never iterated letter by letter."""
    returns = mission.load_returns(str(VALID / "ost.csv"))
    assert set(returns.frames) == {mission.Kind.OST}
    assert mission.validate(str(VALID / "ost.csv")).valid


def test_charts_leave_the_callers_backend_alone(tmp_path: Path) -> None:
    """Writing a report draws on its own Agg canvases: the caller's backend stays as it was."""
    code = textwrap.dedent(
        f"""
        import matplotlib
        matplotlib.use("svg")
        import mission
        returns = mission.load_returns({str(VALID / "ost.csv")!r})
        mission.write_report(mission.progress(returns), returns, {str(tmp_path)!r})
        print(matplotlib.get_backend())
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "svg"
