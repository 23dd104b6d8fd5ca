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


def _action() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "action.yml").read_text())


def _step(action: dict, step_id: str) -> dict:  # type: ignore[type-arg]
    return next(s for s in action["runs"]["steps"] if s.get("id") == step_id)


def test_action_scripts_never_interpolate_inputs() -> None:
    """No `run:` script holds an expression (`${{ ... }}`): inputs reach the shell only through
    the environment, so an input cannot inject a command."""
    for step in _action()["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step.get("name")


def test_action_pins_what_it_uses_and_installs_itself_with_constraints() -> None:
    """Every action it uses is pinned to a commit; it installs its own version, constrained."""
    action = _action()
    for step in action["runs"]["steps"]:
        if "uses" in step:
            assert re.fullmatch(r"[\w./-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
    install = next(s for s in action["runs"]["steps"] if "pip install" in s.get("run", ""))
    assert '--constraint "$ACTION_PATH/constraints.txt" "$ACTION_PATH"' in install["run"]
    assert (ROOT / "constraints.txt").is_file()
    assert set(action["outputs"]) == {"valid", "complete", "errors", "warnings", "sarif"}


def _run_check_step(
    repo: Path, tmp: Path, **inputs: str
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """The check step as the runner runs it: inputs in the environment, outputs to a file."""
    action = _action()
    values = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    values |= {"path": str(repo), **{k.replace("_", "-"): v for k, v in inputs.items()}}
    step = _step(action, "check")
    env = {
        key: re.sub(r"\$\{\{ inputs\.([\w-]+) \}\}", lambda m: values[m.group(1)], str(value))
        for key, value in step["env"].items()
    }
    outputs = tmp / "outputs.txt"
    done = subprocess.run(
        ["bash", "-c", step["run"]],
        capture_output=True,
        text=True,
        check=False,
        env=_env(
            GITHUB_STEP_SUMMARY=str(tmp / "summary.md"),
            GITHUB_OUTPUT=str(outputs),
            RUNNER_TEMP=str(tmp),
            **env,
        ),
    )
    lines = outputs.read_text().splitlines() if outputs.exists() else []
    return done, dict(line.split("=", 1) for line in lines)


def test_action_check_step_annotates_summarises_and_sets_outputs(tmp_path: Path) -> None:
    """Run locally, the check step annotates the broken file, writes the job summary, the SARIF
    file and the step outputs."""
    done, outputs = _run_check_step(FIXTURES / "repository", tmp_path)
    assert done.returncode == 1
    assert "::error file=" in done.stdout and "name-mismatch" in done.stdout
    assert ",line=2," in done.stdout
    assert (tmp_path / "summary.md").read_text().startswith("## mission check: ❌ invalid")
    assert outputs["valid"] == "false" and outputs["errors"] == "1"
    assert outputs["sarif"] == str(tmp_path / "mission.sarif")
    assert (tmp_path / "mission.sarif").stat().st_size > 0


def test_action_inputs_cannot_inject_commands(tmp_path: Path) -> None:
    """A path input holding shell syntax is a path, not a command."""
    marker = tmp_path / "pwned"
    done, _ = _run_check_step(tmp_path, tmp_path, path=f"x; touch {marker}")
    assert done.returncode == 2
    assert not marker.exists()


def test_action_passes_a_clean_repository_and_strict_fails_warnings(tmp_path: Path) -> None:
    """A clean repository passes; with strict, the loose file's warning fails it; exclude works."""
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "repository", repo)
    (repo / "returns" / "dundee-city" / "ost" / "2024-25-q1.csv").unlink()
    assert _run_check_step(repo, tmp_path)[0].returncode == 0
    assert _run_check_step(repo, tmp_path, strict="true")[0].returncode == 1
    loose = _run_check_step(repo, tmp_path, strict="true", exclude="orkney-*\nnothing/*")
    assert loose[0].returncode == 0


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
    assert all(h["require_serial"] for h in hooks.values())
    pattern = re.compile(hooks["mission-validate"]["files"])
    changed = [
        p.relative_to(repo).as_posix()
        for p in sorted(repo.rglob("*"))
        if pattern.search(p.relative_to(repo).as_posix())
    ]
    assert "README.md" not in changed and len(changed) == 8
    for name in ("returns/fife/OST/2024-25-Q1.CSV", "returns/x.XLSX", "returns/a/b.Json"):
        assert pattern.search(name), name
    for name in ("package.json", "requirements.txt", "docs/notes.csv"):
        assert not pattern.search(name), name
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


def test_constraints_pin_every_runtime_dependency() -> None:
    """constraints.txt pins each runtime dependency of pyproject.toml to a version it allows."""
    import tomllib

    from packaging.requirements import Requirement

    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.lower().replace("_", "-")] = version
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for text in project["dependencies"]:
        requirement = Requirement(text)
        name = requirement.name.lower().replace("_", "-")
        assert name in pins, name
        assert requirement.specifier.contains(pins[name]), (name, pins[name])


def test_require_complete_fails_with_its_reason_and_outputs(tmp_path: Path) -> None:
    """With require-complete, a valid repository missing a return fails with valid=false,
    complete=false and the missing return as an error, annotated (it said valid=true, and gave
    no reason for the exit 1)."""
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "repository", repo)
    (repo / "returns" / "dundee-city" / "ost" / "2024-25-q1.csv").unlink()
    done, outputs = _run_check_step(repo, tmp_path, require_complete="true")
    assert done.returncode == 1
    assert outputs["valid"] == "false" and outputs["complete"] == "false"
    assert int(outputs["errors"]) > 1  # the fixture's repository holds a few ADPs only
    assert "return-missing" in done.stdout
    assert "no ost return for 2024/25 Q1 from Dundee City" in done.stdout
