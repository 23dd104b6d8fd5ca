"""The README's library example runs as written (so the first code a developer copies works)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_readme_library_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every line of the README's Python example runs from a checkout, and prints only what its
    own `print` asks for (the library itself never prints)."""
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("## Using the library") :]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code is not None
    (tmp_path / "fixtures").symlink_to(ROOT / "fixtures")
    monkeypatch.chdir(tmp_path)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        exec(compile(code[1], "README.md", "exec"), {})
    assert (tmp_path / "national.sqlite").exists()
    lines = printed.getvalue().splitlines()
    assert lines and all(line.startswith("fixtures/valid") for line in lines), lines[:3]
