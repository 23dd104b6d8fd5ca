"""A file's rules run side by side, their findings told in the rules' order."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

    from mission.kinds import KindSpec
    from mission.parsing import CellContext
    from mission.rules import Rule

__all__ = ["run_rules"]


def run_rules(rules: Sequence[Rule], frame: pl.DataFrame, spec: KindSpec, ctx: CellContext) -> None:
    """Run every rule on `frame`, each but the first on a thread of its own; the findings go to
    `ctx` in the rules' order, whatever order the rules finish in.

    A rule spends most of its time in polars, which lets go of Python's lock while it works, so
    two rules use two cores: a million episodes' duplicate-key sort runs beside the dates check.
    Each rule has a context of its own (`CellContext.apart`: its own findings, its own record of
    which cells may be quoted), so no rule sees another's work and the report is the same as
    when they ran one after another.
    """
    if len(rules) < 2:
        for rule in rules:
            rule(frame, spec, ctx)
        return
    contexts = [ctx.apart() for _ in rules]
    failures: list[BaseException] = []

    def run(rule: Rule, own: CellContext) -> None:
        try:
            rule(frame, spec, own)
        except BaseException as error:  # told on the caller's thread, as if it ran there
            failures.append(error)

    threads = [
        threading.Thread(target=run, args=(rule, own), daemon=True)
        for rule, own in zip(rules[1:], contexts[1:], strict=True)
    ]
    for thread in threads:
        thread.start()
    try:
        rules[0](frame, spec, contexts[0])
    finally:
        for thread in threads:
            thread.join()
    if failures:
        raise failures[0]
    for own in contexts:
        ctx.take(own)
