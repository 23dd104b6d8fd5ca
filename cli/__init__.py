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
    import gc
    import sys

    # Python's cyclic collector runs every 700 new objects, and loading typer and polars makes a
    # hundred thousand that live as long as the process: 80 passes, 9 ms of a small run (4 ms
    # more when set only once typer is loaded). The run's own objects are few and short-lived
    # (the rows live in polars), so it runs far less often.
    gc.set_threshold(100_000, 50, 100)
    try:
        from .app import main as start

        start()
    except KeyboardInterrupt:
        sys.exit(130)
