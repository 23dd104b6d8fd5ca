"""The house's structure as tests: modules small enough to read in one sitting, and no module
reaching into another's private names (complexity is gated by ruff's C901 at 15)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(
    p for folder in ("mission", "cli") for p in (ROOT / folder).rglob("*.py") if p.is_file()
)
MAX_LINES = 600
MAX_COMPLEXITY = 15


def _private_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in (
            "mission",
            "cli",
        ):
            found += [
                f"{path.name}:{node.lineno} {node.module}.{a.name}"
                for a in node.names
                if a.name.startswith("_") and not a.name.startswith("__")
            ]
    return found


def test_sources_found() -> None:
    assert len(SOURCES) > 50


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_module_is_small(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines < MAX_LINES, f"{path.name} has {lines} lines"


def test_no_module_imports_another_modules_private_name() -> None:
    found = [hit for path in SOURCES for hit in _private_imports(path)]
    assert found == []


def test_the_private_import_check_can_fail(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from mission.publish.tables import _secret\n", encoding="utf-8")
    assert _private_imports(sample) == ["sample.py:1 mission.publish.tables._secret"]


def test_no_function_is_too_complex() -> None:
    from radon.complexity import cc_visit

    found = [
        f"{path.name}:{block.lineno} {block.name} ({block.complexity})"
        for path in SOURCES
        for block in cc_visit(path.read_text(encoding="utf-8"))
        if block.complexity > MAX_COMPLEXITY
    ]
    assert found == []


def test_the_complexity_check_can_fail() -> None:
    from radon.complexity import cc_visit

    branches = "".join(f"    if x == {n}:\n        return {n}\n" for n in range(16))
    (block,) = cc_visit(f"def f(x):\n{branches}    return -1\n")
    assert block.complexity > MAX_COMPLEXITY
