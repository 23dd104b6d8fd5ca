"""Turn every exception that reaches the CLI into a message and a distinct exit code."""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

import typer
from typer.core import TyperGroup

from . import console
from .exit_codes import ExitCode

# Options of the root command that may also be written after the subcommand.
_GLOBAL_VALUES = ("--max-file-mb", "--max-rows", "--max-cells", "--max-columns", "--time-limit")
_GLOBAL_FLAGS = ("--debug",)
_GRACE_SECONDS = 5


def fail(message: str, code: ExitCode, title: str = "Error") -> typer.Exit:
    """Show `message` on stderr (a red panel on a terminal); return the Exit to raise."""
    if console.is_terminal("err"):
        from rich.panel import Panel
        from rich.text import Text

        console.err().print(Panel(Text(message), title=title, border_style="red", expand=False))
    else:
        from .render import line

        console.show([line(f"{title}: {message}")], "err")
    return typer.Exit(int(code))


def start_time_limit(seconds: int) -> threading.Timer | None:
    """End the run with exit 2 once `seconds` have passed, wherever it is.

    The alarm raises `TimeLimitReached` in Python code; a library call that holds the
    interpreter past it is ended by a watchdog a few seconds later (Unix; a no-op elsewhere).
    Returns the watchdog, which the caller cancels when the run ends.
    """
    import signal

    from mission.errors import TimeLimitReached

    def stop(signum: int, frame: object) -> None:
        raise TimeLimitReached(seconds)

    if not hasattr(signal, "SIGALRM"):
        return None
    signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)

    def hard_stop() -> None:
        sys.stderr.write(f"mission: {TimeLimitReached(seconds)}\n")
        sys.stderr.flush()
        os._exit(int(ExitCode.USAGE))

    watchdog = threading.Timer(seconds + _GRACE_SECONDS, hard_stop)
    watchdog.daemon = True
    watchdog.start()
    return watchdog


class Stopped(BaseException):
    """A signal asked the run to stop (SIGTERM, SIGHUP): the run unwinds, as on Ctrl-C, so a
    temporary file or a half-written output is removed on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def stop_on_signals() -> None:
    """SIGTERM and SIGHUP end the run as Ctrl-C does (Python's default ends it on the spot)."""
    import signal

    def stop(signum: int, frame: object) -> None:
        raise Stopped(signum)

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)


def stop_time_limit(watchdog: threading.Timer | None) -> None:
    """The run ended in time: disarm the alarm and the watchdog."""
    import signal

    if watchdog is None:
        return
    watchdog.cancel()
    if hasattr(signal, "SIGALRM"):
        signal.alarm(0)


def named_command(args: list[str], commands: set[str]) -> str | None:
    """The command `args` run: the first word after the root's own options, if it is a command.

    None when there is none, when that word is not a command (a typo: the whole tree is needed
    to suggest one) or when an option such as `--help` comes first (the root's help lists all).
    """
    items = iter(args)
    for arg in items:
        name = arg.split("=", 1)[0]
        if name in _GLOBAL_FLAGS:
            continue
        if name in _GLOBAL_VALUES:
            if "=" not in arg:
                next(items, None)
            continue
        return arg if arg in commands else None
    return None


def hoist_global_options(args: list[str], commands: set[str]) -> list[str]:
    """Move root options written after the subcommand to before it, so both orders work."""
    if not args:
        return args
    try:
        at = next(i for i, a in enumerate(args) if a in commands)
    except StopIteration:
        return args
    moved: list[str] = []
    rest: list[str] = []
    items = iter(enumerate(args[at + 1 :], start=at + 1))
    for _, arg in items:
        if arg == "--":
            rest.append(arg)
            rest.extend(a for _, a in items)
            break
        name = arg.split("=", 1)[0]
        if name in _GLOBAL_FLAGS:
            moved.append(arg)
        elif name in _GLOBAL_VALUES:
            moved.append(arg)
            if "=" not in arg:
                value = next(items, None)
                if value is not None:
                    moved.append(value[1])
        else:
            rest.append(arg)
    return [*args[:at], *moved, args[at], *rest]


class MissionGroup(TyperGroup):
    """The root command group: global options anywhere; errors become distinct exit codes."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_global_options(list(args), set(self.commands)))

    def invoke(self, ctx: Any) -> Any:
        from .context import forget_reads

        console.reset()
        forget_reads()

        try:
            return self._invoke(ctx)
        finally:
            from .context import RunContext

            obj = ctx.find_root().obj
            if isinstance(obj, RunContext):
                stop_time_limit(obj.watchdog)

    def _invoke(self, ctx: Any) -> Any:
        from mission.errors import MissionError

        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except MissionError as error:
            raise fail(str(error), ExitCode.USAGE, "Could not run") from error
        except BrokenPipeError:
            # The reader went away (`mission validate big.csv | head`): stop quietly, as `cat`
            # does, and send whatever is still buffered nowhere rather than to a traceback.
            silence_stdout()
            raise typer.Exit(ExitCode.USAGE) from None
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            message = f"{where}{error.strerror or error}"
            raise fail(message, ExitCode.USAGE, "Could not read or write a file") from error
        except KeyboardInterrupt:
            raise
        except Exception as error:
            from .context import RunContext

            obj = ctx.find_root().obj
            if isinstance(obj, RunContext) and obj.debug:
                console.err().print_exception()
            message = (
                f"mission hit an internal error: {type(error).__name__}: {error}\n"
                "This is a bug in mission, not in your data. Run again with --debug to see "
                "the traceback, and report it."
            )
            raise fail(message, ExitCode.INTERNAL, "Internal error") from error


def silence_stdout() -> None:
    import os
    import sys

    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # stdout is not a real file (a test runner's capture): nothing to silence
    finally:
        os.close(devnull)
