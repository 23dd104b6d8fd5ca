"""The base of every "cannot go on" error the library raises.

Problems in a user's data are not exceptions: they are `Finding`s collected into a `Report`.
Exceptions are kept for when work cannot continue (an unreadable target file, an unknown kind),
so the CLI can turn every one of them into a clear message and exit code.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["FileProblem", "MissionError", "TimeLimitReached"]


class MissionError(Exception):
    """Work cannot go on; the message says why and what to do."""


class FileProblem(MissionError):
    """A file or folder that cannot be used, said as `PATH: problem`.

    Attributes:
        path: the file or folder.
        problem: what is wrong, in words.
    """

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class TimeLimitReached(MissionError):
    """The run passed its time limit (`--time-limit`): it stops, whatever it was reading."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        super().__init__(
            f"stopped after {seconds} s (--time-limit): the input is too large or too slow to "
            "read; raise the limit if it is genuine"
        )
