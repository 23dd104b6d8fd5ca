"""What the shell offers to complete an option's value (Typer's `autocompletion`).

Without `from __future__ import annotations`, as the command modules (see `mission.cli`): Typer
reads these functions' hints on every run, whether or not anything is completed.
"""

from mission.kinds import Kind


def complete_adps(incomplete: str) -> list[str]:
    """The ADPs' codes and names."""
    from mission.adps import all_adps

    names = [name for a in all_adps() for name in (a.code, a.name)]
    return [n for n in names if n.lower().startswith(incomplete.lower())]


def complete_targets(incomplete: str) -> list[str]:
    """The shipped targets' ids."""
    from mission.targets import load_targets as shipped

    return [t for t in shipped() if t.startswith(incomplete)]


def complete_kinds(incomplete: str) -> list[str]:
    """The kinds of return."""
    return [k.value for k in Kind if k.value.startswith(incomplete.lower())]
