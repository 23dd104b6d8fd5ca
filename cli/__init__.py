"""The `mission` command line: a thin Typer layer over the `mission` library.

The modules that declare commands (and `app`, the root's options) do without `from __future__
import annotations`: Typer reads a command's type hints on every run, and each hint kept as text
is compiled anew, some eighty compiles (a few milliseconds) of every start. A hint naming what is
imported only for type checking is quoted instead.
"""
