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

__all__ = ["SIDE_BY_SIDE_FROM", "run_rules"]


def run_rules(rules: Sequence[Rule], frame: pl.DataFrame, spec: KindSpec, ctx: CellContext) -> None:
    """Run every rule on `frame`: the first here, each other on a thread of its own (from
    `SIDE_BY_SIDE_FROM` rows; a smaller file's rules run in turn). The report is the same as
    when they run one after another: the others' findings wait (`CellContext.apart`) and are
    told here, rule by rule, in the rules' order (`take`), so which cells are quoted and what
    each code's cap keeps are decided in the same order as before.

    A rule spends most of its time in polars, which lets go of Python's lock while it works, so
    two rules use two cores: a million episodes' duplicate-key sort runs beside the dates check.
    A rule that fails fails the run as it would have alone (the first in the rules' order).
    """
    if len(rules) < 2 or frame.height < SIDE_BY_SIDE_FROM:
        for rule in rules:
            rule(frame, spec, ctx)
        return
    others = [_Beside(rule, ctx.apart()) for rule in rules[1:]]

    def run(beside: _Beside) -> None:
        try:
            beside.rule(frame, spec, beside.context)
        except BaseException as error:  # told on the caller's thread, as if it ran there
            beside.failure = error

    threads = [threading.Thread(target=run, args=(b,), daemon=True) for b in others]
    for thread in threads:
        thread.start()
    try:
        rules[0](frame, spec, ctx)
        for thread, beside in zip(threads, others, strict=True):
            thread.join()
            if beside.failure is not None:
                raise beside.failure
            ctx.take(beside.context)
    finally:
        for thread in threads:
            thread.join()


SIDE_BY_SIDE_FROM = 100_000
"""Rows from which a file's rules run side by side: below, a rule takes a millisecond or two,
and a thread of its own costs more than it saves."""


class _Beside:
    """A rule run on its own thread: its context, and what it raised."""

    def __init__(self, rule: Rule, context: CellContext) -> None:
        self.rule = rule
        self.context = context
        self.failure: BaseException | None = None
