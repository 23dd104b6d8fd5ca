"""What every command of one run shares: the resource limits and whether to show tracebacks.

The root command builds it from its options (before or after the subcommand, or `MISSION_*`
variables) and keeps it on Typer's context, so nothing is read from `sys.argv` or a global.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from mission.limits import Limits


@dataclass
class RunContext:
    """The run's settings, as the root command parsed them."""

    debug: bool = False
    limit_values: dict[str, int] = field(default_factory=dict)
    watchdog: threading.Timer | None = None

    @property
    def limits(self) -> Limits:
        from mission.limits import Limits

        return Limits(**self.limit_values)


def run_context(ctx: typer.Context) -> RunContext:
    """The run's settings (defaults when a command runs outside the root command, in tests)."""
    root = ctx.find_root()
    if not isinstance(root.obj, RunContext):
        root.obj = RunContext()
    return root.obj
