"""The GitHub Action and the pre-commit hooks, exercised by running their commands locally."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sysconfig
from pathlib import Path

import yaml

from .conftest import FIXTURES, ROOT

BIN = str(Path(sysconfig.get_path("scripts")))


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PATH": BIN + os.pathsep + os.environ.get("PATH", ""), **extra}


def _substitute(script: str, inputs: dict[str, str]) -> str:
    script = script.replace("${{ github.action_path }}", str(ROOT))
    return re.sub(r"\$\{\{ inputs\.([\w-]+) \}\}", lambda m: inputs[m.group(1)], script)


def _action() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "action.yml").read_text())


def test_action_is_composite_and_installs_from_itself() -> None:
    """The action is composite, installs mission from its own folder, then runs mission check."""
    action = _action()
    assert action["runs"]["using"] == "composite"
    install, check = action["runs"]["steps"]
    assert install["run"].strip() == 'python -m pip install --quiet "${{ github.action_path }}"'
    assert "mission" in check["run"] and "check" in check["run"]


def _run_check_step(
    repo: Path, summary: Path, strict: str = "false"
) -> subprocess.CompletedProcess[str]:
    action = _action()
    inputs = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    inputs["path"] = str(repo)
    step = action["runs"]["steps"][1]
    env = {k: _substitute(str(v), {**inputs, "strict": strict}) for k, v in step["env"].items()}
    return subprocess.run(
        ["bash", "-c", _substitute(step["run"], inputs)],
        capture_output=True,
        text=True,
        check=False,
        env=_env(GITHUB_STEP_SUMMARY=str(summary), **env),
    )


def test_action_check_step_annotates_and_summarises(tmp_path: Path) -> None:
    """Run locally, the check step annotates the broken file and writes the job summary."""
    summary = tmp_path / "summary.md"
    done = _run_check_step(FIXTURES / "repository", summary)
    assert done.returncode == 1
    assert "::error file=" in done.stdout and "name-mismatch" in done.stdout
    assert ",line=2," in done.stdout
    assert summary.read_text().startswith("## mission check: ❌ invalid")


def test_action_passes_a_clean_repository_and_strict_fails_warnings(tmp_path: Path) -> None:
    """A clean repository passes; with strict, the loose file's warning fails it."""
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "repository", repo)
    (repo / "returns" / "dundee-city" / "ost" / "2024-25-q1.csv").unlink()
    assert _run_check_step(repo, tmp_path / "s1.md").returncode == 0
    assert _run_check_step(repo, tmp_path / "s2.md", strict="true").returncode == 1


def test_pre_commit_hooks_run(tmp_path: Path) -> None:
    """Each hook's entry runs as pre-commit would run it (with file names where it passes them)."""
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"mission-check", "mission-validate"}
    repo = FIXTURES / "repository"
    whole = subprocess.run(
        hooks["mission-check"]["entry"].split(),
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        env=_env(),
    )
    assert whole.returncode == 1 and "name-mismatch" in whole.stdout
    pattern = re.compile(hooks["mission-validate"]["files"])
    changed = [str(p.relative_to(repo)) for p in sorted(repo.rglob("*")) if pattern.search(str(p))]
    assert "README.md" not in changed and len(changed) == 8
    good = [c for c in changed if "dundee" not in c]
    ok = subprocess.run(
        [*hooks["mission-validate"]["entry"].split(), *good],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        env=_env(),
    )
    assert ok.returncode == 0, ok.stdout
