"""Start-up: a run builds only the command it names and loads only the formats it writes."""

from __future__ import annotations

import subprocess
import sys

from mission.cli.app import app, only_named


def _names(typer_app: object) -> list[str | None]:
    commands = getattr(typer_app, "registered_commands", [])
    groups = getattr(typer_app, "registered_groups", [])
    return [c.name for c in commands] + [g.name for g in groups]


def _told(code: str) -> str:
    """The last line a fresh Python process running `code` wrote to stderr."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    lines = done.stderr.strip().splitlines()
    assert lines, done
    return lines[-1]


def test_a_named_command_is_built_alone() -> None:
    """Global options before the command do not hide it: only `validate` is left to build."""
    assert _names(only_named(["--max-rows", "5", "validate", "x.csv"])) == ["validate"]
    assert _names(only_named(["--max-rows", "validate", "validate"])) == ["validate"]


def test_a_named_group_is_built_alone() -> None:
    """A group (`targets`) is kept with its sub-commands, and nothing else."""
    pruned = only_named(["targets", "show", "ost"])
    assert _names(pruned) == ["targets"]


def test_no_name_builds_everything() -> None:
    """With no command, or a typo, the whole tree is built so help can list and suggest."""
    assert only_named([]) is app
    assert only_named(["validat", "x.csv"]) is app
    assert len(_names(app)) > 10


def test_pruning_leaves_the_app_whole() -> None:
    """Pruning works on a copy: the app the tests and library callers share keeps every command."""
    before = _names(app)
    only_named(["validate"])
    assert _names(app) == before


def test_text_output_loads_no_other_format() -> None:
    """A text run of validate imports none of the XML, HTML or SARIF writers."""
    code = (
        "import sys\n"
        "from mission.cli.app import run\n"
        "run(['validate', 'fixtures/valid'])\n"
        "gone = ('xml.etree.ElementTree', 'mission.formats.junit', 'mission.formats.html',"
        " 'mission.formats.sarif')\n"
        "print(sorted(m for m in gone if m in sys.modules), file=sys.stderr)"
    )
    assert _told(code) == "[]"


def test_help_or_a_typo_before_a_command_name_builds_everything() -> None:
    """`mission --help export` lists every command, and `mission valdate export` can suggest
    `validate`: only the first word after the root's options names the command."""
    assert only_named(["--help", "export"]) is app
    assert only_named(["-h", "validate"]) is app
    assert only_named(["valdate", "export"]) is app
    assert _names(only_named(["--max-rows=5", "--debug", "export", "--kind", "ost"])) == ["export"]


def test_each_command_module_registers_the_names_the_app_gives_it() -> None:
    """The app imports a command's module by name (`_COMMANDS`): each module registers exactly
    the commands mapped to it, so no command is lost or built from the wrong module."""
    import importlib

    import typer

    from mission.cli.app import _COMMANDS, _GROUPS

    for module_name in set(_COMMANDS.values()):
        registered = typer.Typer()
        importlib.import_module(f"mission.cli.{module_name}").register(registered)
        expected = [n for n, m in _COMMANDS.items() if m == module_name]
        assert [c.name for c in registered.registered_commands] == expected
    assert sorted(_names(app)) == sorted([*_COMMANDS, *_GROUPS])


def test_a_run_imports_no_other_command() -> None:
    """`mission validate` imports none of the other commands' modules (nor their imports)."""
    code = (
        "import sys\n"
        "from mission.cli.app import run, _COMMANDS, _GROUPS\n"
        "run(['validate', 'fixtures/valid', '-f', 'json', '-o', '-'])\n"
        "others = {*_COMMANDS.values(), *_GROUPS} - {'validate'}\n"
        "print(sorted(m for m in others if f'mission.cli.{m}' in sys.modules), file=sys.stderr)"
    )
    assert _told(code) == "[]"


def test_command_hints_are_not_text() -> None:
    """A command's type hints are objects, not text to compile on every run: no module that
    declares a command (nor `app`, the root's options) defers its annotations."""
    from pathlib import Path

    from mission.cli.app import _COMMANDS, _GROUPS

    folder = Path(__file__).resolve().parents[2] / "cli"
    deferring = [
        name
        for name in sorted({"app", *_GROUPS, *_COMMANDS.values()})
        if "from __future__ import annotations" in (folder / f"{name}.py").read_text("utf-8")
    ]
    assert deferring == []


def test_a_run_compiles_no_type_hint_of_its_command() -> None:
    """Counted as Python reports it (the `compile` audit event): building `validate` compiles
    no hint from text (before, about eighty per run)."""
    code = (
        "import sys\n"
        "from mission.cli.app import only_named\n"
        "import mission.cli.validate\n"
        "seen = []\n"
        "sys.addaudithook(lambda event, args: seen.append(event) if event == 'compile' else None)\n"
        "import typer.main\n"
        "typer.main.get_command(only_named(['validate']))\n"
        "print(len(seen), file=sys.stderr)"
    )
    assert _told(code) == "0"
