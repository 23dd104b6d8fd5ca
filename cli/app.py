"""The root `mission` command: global options, and one sub-command or group per job."""

import contextlib
import copy
import importlib
import os
import sys
from functools import cache
from typing import Annotated, NoReturn

import typer

from .errors import MissionGroup, Stopped, named_command, silence_stdout, stop_on_signals
from .exit_codes import ExitCode
from .streams import prepare_streams

_root = typer.Typer(
    cls=MissionGroup,
    name="mission",
    help="Track Scotland's National Drugs Mission: check ADP returns against the data contract "
    "and show progress towards the national targets.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from mission._version import __version__

        typer.echo(f"mission {__version__}")
        raise typer.Exit()


@_root.callback()
def root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug", envvar="MISSION_DEBUG", help="Show a traceback when mission itself fails."
        ),
    ] = False,
    max_file_mb: Annotated[
        int | None,
        typer.Option(
            "--max-file-mb",
            min=1,
            max=10**8,
            envvar="MISSION_MAX_FILE_MB",
            help="Largest file to read, in MiB (default 1024).",
        ),
    ] = None,
    max_rows: Annotated[
        int | None,
        typer.Option(
            "--max-rows",
            min=1,
            max=10**12,
            envvar="MISSION_MAX_ROWS",
            help="Most rows per file (default 20,000,000).",
        ),
    ] = None,
    max_columns: Annotated[
        int | None,
        typer.Option(
            "--max-columns",
            min=1,
            max=10**9,
            envvar="MISSION_MAX_COLUMNS",
            help="Most columns per file (default 1,000).",
        ),
    ] = None,
    max_cells: Annotated[
        int | None,
        typer.Option(
            "--max-cells",
            min=1,
            max=10**13,
            envvar="MISSION_MAX_CELLS",
            help="Most cells an Excel sheet may span (default 20,000,000).",
        ),
    ] = None,
    time_limit: Annotated[
        int | None,
        typer.Option(
            "--time-limit",
            min=1,
            max=10**7,
            envvar="MISSION_TIME_LIMIT",
            help="Stop (exit 2) after this many seconds.",
        ),
    ] = None,
) -> None:
    """Track Scotland's National Drugs Mission.

    Exit codes: 0 valid, 1 invalid (or the ADP, target or code asked for does not exist),
    2 could not run (bad option, missing file, broken target file, a resource limit),
    3 internal error. Global options may come before or after the command, or from
    MISSION_* environment variables.
    """
    from .context import RunContext
    from .errors import start_time_limit

    values = {
        "max_file_bytes": max_file_mb * 1024 * 1024 if max_file_mb else None,
        "max_rows": max_rows,
        "max_columns": max_columns,
        "max_cells": max_cells,
    }
    ctx.obj = RunContext(
        debug=debug, limit_values={k: v for k, v in values.items() if v is not None}
    )
    if time_limit:
        ctx.obj.watchdog = start_time_limit(time_limit)


_GROUPS = {
    "targets": "The Mission's targets and their sources.",
    "adps": "The 30 ADPs and the names they go by.",
}
"""Each group, named as its module in `mission.cli` is, and its help."""

_COMMANDS = {
    "validate": "validate",
    "progress": "progress",
    "report": "report",
    "audit": "audit",
    "measures": "measures",
    "submit": "store",
    "history": "store",
    "export": "store",
    "upgrade": "store",
    "check": "check",
    "explain": "explain",
    "template": "template",
    "standards": "standards",
    "schema": "schema",
}
"""Each command and the module in `mission.cli` that registers it, in the order help lists them
(`tests/cli/test_startup.py` holds each module to its names)."""


def _built(names: list[str]) -> typer.Typer:
    """The root with the groups and commands `names` name, importing only their modules: a run
    names one, and the other modules (with their options and imports) are a few milliseconds of
    every start."""
    built = copy.copy(_root)
    built.registered_commands = []
    built.registered_groups = []
    for name in (n for n in _GROUPS if n in names):
        module = importlib.import_module(f"{__package__}.{name}")
        built.add_typer(module.app, name=name, help=_GROUPS[name])
    for module_name in dict.fromkeys(_COMMANDS[n] for n in _COMMANDS if n in names):
        importlib.import_module(f"{__package__}.{module_name}").register(built)
    built.registered_commands = [c for c in built.registered_commands if c.name in names]
    return built


@cache
def _whole() -> typer.Typer:
    return _built([*_GROUPS, *_COMMANDS])


def __getattr__(name: str) -> typer.Typer:
    """`app`: the whole tree, every command and group (built on first use)."""
    if name == "app":
        return _whole()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def only_named(args: list[str]) -> typer.Typer:
    """The app with just the command or group `args` name, when they name one.

    Typer builds every command's parameters, reading each function's type hints, on every run,
    and each command's module brings its own imports: a run names its command, so only that one
    is imported and built. With no name (`mission`, `mission --help export`, a typo) the whole
    tree is, to list the commands or suggest one.
    """
    name = named_command(args, {*_GROUPS, *_COMMANDS})
    return _whole() if name is None else _built([name])


def main() -> NoReturn:
    """Console-script entry point (`mission.cli.main`, which sets the collector's pace first)."""
    prepare_streams()
    stop_on_signals()
    end(run(sys.argv[1:]))


def run(args: list[str]) -> int:
    """Run the command `args` name, as `mission` would: its exit code (every output flushed)."""
    try:
        only_named(args)(args)
    except SystemExit as done:
        code = done.code
    except Stopped as stopped:
        code = 128 + stopped.signum  # as a shell reports a run a signal ended
    except OSError as error:
        # Outside a command (`--version` or `--help` into a full disk), or while telling an
        # error on a stderr that cannot take it: the run could not say what it did.
        with contextlib.suppress(OSError):
            sys.stderr.write(f"mission: could not write: {error.strerror or error}\n")
        code = ExitCode.USAGE
    else:  # pragma: no cover - a standalone Typer app always ends with SystemExit
        code = ExitCode.OK
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)  # what `sys.exit("words")` would do
        code = ExitCode.INVALID
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader left while the last lines were still buffered
        silence_stdout()
        code = ExitCode.USAGE
    except OSError:  # a full disk, a closed stream: what is still buffered is lost
        code = ExitCode.USAGE
    with contextlib.suppress(OSError):  # nobody is left to read the complaint
        sys.stderr.flush()
    return code or 0


def end(code: int) -> NoReturn:
    """End the process now. Python's own shutdown frees every module and frame one by one, for
    nothing: 30 ms with polars loaded (a sixth of a small run), 40 ms after a million rows. The
    run's files are closed as it goes (each is written through a context manager, the store
    closed by its own) and `run` flushed the standard streams."""
    os._exit(code)
