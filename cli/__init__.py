"""The `mission` command line: a thin Typer layer over the `mission` library.

The modules that declare commands (and `app`, the root's options) do without `from __future__
import annotations`: Typer reads a command's type hints on every run, and each hint kept as text
is compiled anew, some eighty compiles (a few milliseconds) of every start. A hint naming what is
imported only for type checking is quoted instead.
"""


def main() -> None:
    """Console-script entry point. Ctrl-C while the command line is still loading (its first
    tenth of a second, longer on a busy machine) ends the run as the shell reports a Ctrl-C
    (130), without a traceback from inside whatever module was being imported."""
    import sys

    try:
        from .app import main as start

        start()
    except KeyboardInterrupt:
        sys.exit(130)
