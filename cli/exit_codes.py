"""The exit codes every `mission` command uses, documented in the README."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Distinct codes so a script can tell "the data is wrong" from "the tool could not run"."""

    OK = 0
    """Valid: no errors (and, with --strict, no warnings)."""
    INVALID = 1
    """The data has errors, or the thing asked for does not exist."""
    USAGE = 2
    """Could not run: a bad option, a missing path, a broken target file, output closed early."""
    INTERNAL = 3
    """A bug in mission: please report it, with the output of --debug."""
