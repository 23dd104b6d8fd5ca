"""`progress`: every target, nationally and per ADP, judged as of a date."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace

from mission.errors import MissionError
from mission.kinds import Kind
from mission.periods import day_of
from mission.returns import Returns
from mission.targets import TargetSet, load_targets
from mission.tracker.assemble import target_progress
from mission.tracker.matrix import mat_matrix
from mission.tracker.model import Method, Progress
from mission.tracker.series import build_series, returns_as_of

__all__ = ["progress"]


def progress(
    returns: Returns,
    targets: TargetSet | None = None,
    as_of: dt.date | dt.datetime | str | None = None,
    *,
    method: Method = Method.STRAIGHT_LINE,
) -> Progress:
    """Progress on every target from validated returns.

    Args:
        returns: from `load_returns` (or the store).
        targets: the targets in force; the shipped ones by default.
        as_of: the date to judge at (a date, an instant, or text as `--as-of` takes it: an
            instant is judged at the last day wholly ended by it); today by default. Only
            periods that had ended by then count: a later period never changes a judgement made
            as of an earlier date.
        method: straight-line (default) or Open SDG's progress measure.
    """
    if not isinstance(returns, Returns):
        raise MissionError(
            f"progress takes the returns `load_returns` (or a store's `returns()`) gives, not "
            f"{type(returns).__name__}: mission.progress(mission.load_returns(paths))"
        )
    targets = targets if targets is not None else load_targets()
    as_of = dt.date.today() if as_of is None else day_of(as_of)
    ended = returns_as_of(returns, as_of)
    left = _left_out(returns)
    results = []
    for target in targets.values():
        told = left.get(target.measure.kind, ())
        try:
            built = build_series(ended, target, as_of)
        except KeyError:
            measure = f"{target.measure.kind}/{target.measure.statistic}"
            note = f"the measure {measure!r} is not one mission computes"
            results.append(target_progress(target, None, as_of, method, notes=(*told, note)))
            continue
        refused = _refused_by(returns, Kind(target.measure.kind), as_of)
        if built is not None:
            built = replace(built, refused=refused)
        results.append(target_progress(target, built, as_of, method, told, refused))
    return Progress(
        as_of=as_of,
        method=method,
        targets=tuple(results),
        mat_matrix=mat_matrix(ended),
        notes=tuple(returns.notes),
    )


def _refused_by(returns: Returns, kind: Kind, as_of: dt.date) -> frozenset[tuple[str, str | None]]:
    """The ADPs and periods of returns of `kind` left out as invalid, for periods that had ended
    by `as_of`: a refused return for a later quarter says nothing of the ADP as of then, as a
    valid one would count for nothing either."""
    from mission.periods import InvalidPeriod, Quarter

    spec = kind.spec
    parse = spec.period_type.parse if spec.period_column else Quarter.parse

    def ended(period: str | None) -> bool:
        try:
            return period is None or parse(period).end_date <= as_of
        except InvalidPeriod:
            return True

    return frozenset(pair for pair in returns.refused.get(kind, ()) if ended(pair[1]))


def _left_out(returns: Returns) -> dict[str, tuple[str, ...]]:
    """For each kind of return, a note saying how many files of it were left out as invalid:
    every target that kind feeds lacks their figures (a national file and its late revision,
    both refused as the same key twice, leave a target with nothing to judge)."""
    files = returns.report.files if returns.report is not None else ()
    counts = Counter(file.kind for file in files if file.kind is not None and not file.valid)
    return {
        kind: (
            f"{count} {kind} file(s) left out for errors: their figures are not counted here "
            "(the notes at the end name them; `mission validate` says why)",
        )
        for kind, count in counts.items()
    }
