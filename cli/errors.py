"""Turn every exception that reaches the CLI into a message and a distinct exit code."""

from __future__ import annotations

import os
import sys
from typing import Any

import typer
from typer.core import TyperGroup

from cli import console
from cli.exit_codes import ExitCode


def debug_enabled() -> bool:
    return "--debug" in sys.argv or os.environ.get("MISSION_DEBUG") == "1"


def start_time_limit(seconds: int) -> None:
    """Stop the run with exit 2 once `seconds` have passed (Unix alarm; a no-op elsewhere)."""
    import signal

    from mission.errors import MissionError

    class TimeLimitReached(MissionError):
        pass

    def stop(signum: int, frame: object) -> None:
        raise TimeLimitReached(
            f"stopped after {seconds} s (--time-limit): the input is too large or too slow to "
            "read; raise the limit if it is genuine"
        )

    if hasattr(signal, "SIGALRM"):
        signal.signal(signal.SIGALRM, stop)
        signal.alarm(seconds)


def fail(message: str, code: ExitCode, title: str = "Error") -> typer.Exit:
    """Show `message` in a red panel on stderr; return the Exit to raise."""
    from rich.markup import escape
    from rich.panel import Panel

    console.err().print(Panel(escape(message), title=title, border_style="red", expand=False))
    return typer.Exit(int(code))


class MissionGroup(TyperGroup):
    """The root command group: library errors become exit 2, anything unexpected exit 3."""

    def invoke(self, ctx: Any) -> Any:
        console.reset()
        from mission.errors import MissionError

        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except MissionError as error:
            raise fail(str(error), ExitCode.USAGE, "Could not run") from error
        except KeyboardInterrupt:
            raise
        except Exception as error:
            if debug_enabled():
                console.err().print_exception()
            message = (
                f"mission hit an internal error: {type(error).__name__}: {error}\n"
                "This is a bug in mission, not in your data. Run again with --debug to see "
                "the traceback, and report it."
            )
            raise fail(message, ExitCode.INTERNAL, "Internal error") from error
