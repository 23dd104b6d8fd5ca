"""The `mission` command line: a thin Typer layer over the `mission` library."""
