"""Assessments, nationally and per ADP: a series, its goal, the metrics, the status and the notes.

Per-ADP goals: a share target (MAT, waiting times) applies to every ADP as it stands; a count
target (OST, rehab) is the ADP's `local_targets` entry if the target files give one, else the
national target apportioned by the ADP's share of the basis period (the baseline period when the
series has it, else its first period). An apportioned share of 0, or none, is no local target.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import NamedTuple

from mission.adps import Adp, all_adps
from mission.kinds import Kind
from mission.periods import PeriodType
from mission.stats import compare_with_reference
from mission.targets import Direction, Target
from mission.text import listed
from mission.tracker.metrics import Goal, Metrics, basis_point, measure, whole
from mission.tracker.model import (
    Assessment,
    Coverage,
    Method,
    Point,
    Related,
    TargetProgress,
)
from mission.tracker.points import (
    NO_ROWS,
    adp_points,
    national_points,
    refused_for,
    returned_by_period,
)
from mission.tracker.rules import decide
from mission.tracker.series import Built, RelatedBuilt
from mission.tracker.wording import absent_text

__all__ = ["SCOTLAND", "assess", "target_progress"]

SCOTLAND = "scotland"


def _newest_candidate(points: Sequence[Point], m: Metrics) -> Point | None:
    deadline = m.goal.deadline
    candidates = [p for p in points if not m.deadline_passed or (deadline and p.end <= deadline)]
    return candidates[-1] if candidates else None


def _judging_notes(
    points: Sequence[Point], m: Metrics, refused: Collection[tuple[str, str | None]], everyone: int
) -> list[str]:
    """Which point was judged, and why that one."""
    notes: list[str] = []
    judged, deadline = m.judged, m.goal.deadline
    if not points:
        return ["no valid returns for this target"]
    last = _newest_candidate(points, m)
    told = _deadline_notes(points, m, refused, everyone)
    if told is not None:
        return told
    if judged is None:
        best = max(points, key=lambda p: (p.coverage.reported, p.end))
        if not best.coverage.complete:
            return [
                f"not judged: no period has returns from every ADP (at most "
                f"{best.coverage.reported} of {best.coverage.expected}, in {best.period}); "
                "missing ADPs are never counted as zero"
            ]
        return [f"no figure for a period ending by the deadline ({deadline})"]
    if m.deadline_passed:
        # No figure here: notes are free text that no suppression pattern reads, and the
        # judged figure is printed beside the status (hidden there when it must be).
        notes.append(
            f"deadline passed ({deadline}): judged on {judged.period}, the last period ending by it"
        )
    if last is not None and last.period != judged.period:
        notes.append(
            f"judged on {judged.period}, the newest period every ADP reported: "
            f"{last.period} is from {last.coverage.reported} of {last.coverage.expected}"
        )
    return notes


def _deadline_notes(
    points: Sequence[Point], m: Metrics, refused: Collection[tuple[str, str | None]], everyone: int
) -> list[str] | None:
    """Once the deadline has passed, why its period was judged or not (see `choose_judged`);
    None when there is no such period to speak of. A period with no figure because every return
    for it was refused (`refused`, as `Built.refused`) says so: it is not still to come."""
    wanted, deadline, judged = m.goal.deadline_period, m.goal.deadline, m.judged
    if not m.deadline_passed or wanted is None:
        return None
    point = next((p for p in points if p.period == wanted), None)
    if point is None:
        invalid = refused_for(refused, wanted)
        if invalid:
            whose = (
                "a return for it was refused"
                if len(invalid) == 1
                else f"the returns for it from {len(invalid)} ADPs were refused"
            )
            # Scotland's: the others sent none.
            others = f"; {everyone - len(invalid)} sent none" if everyone > len(invalid) else ""
            return [
                f"not judged: no valid figure for {wanted}, the period the deadline judges: "
                f"{whose} (`mission validate` says why){others}"
            ]
        return [f"not judged: no figure yet for {wanted}, the period the deadline judges"]
    if whole(point):
        return [f"deadline passed ({deadline}): judged on {wanted}, the period the deadline judges"]
    if judged is None:
        return [
            f"not judged: {wanted}, the period the deadline ({deadline}) judges, is not whole "
            f"({_unfinished(point)}); missing ADPs are never counted as zero, so it is judged "
            "once every ADP has a valid return for it"
        ]
    return [
        f"deadline passed ({deadline}): {wanted} is not whole ({_unfinished(point)}), but what "
        "is in already meets the target, and counts only grow"
    ]


def _unfinished(point: Point) -> str:
    """Why a point is not the period's whole, in words."""
    said = []
    if not point.coverage.complete:
        said.append(f"{point.coverage.reported} of {point.coverage.expected} ADPs reported")
        said.extend(absent_text(point.coverage, every=True))
    if point.prorated_from_quarters:
        said.append(f"{point.prorated_from_quarters} of 4 quarters are in")
    return "; ".join(said)


def _none_started(point: Point) -> str:
    """The quarters with no rows (`NO_ROWS`) a judged figure counts as none started, in words:
    `the quarters Orkney and Shetland sent no rows for` nationally, `its quarters with no rows`
    for an ADP's own; "" for none. A judgement on such a year says it rests on them (a newcomer
    read `missed` with no word of them)."""
    gaps = [d for d in point.coverage.details if NO_ROWS in d]
    if not gaps:
        return ""
    if point.coverage.expected == 1:
        return "its quarters with no rows"
    return f"the quarters {listed([d.split(': ', 1)[0] for d in gaps])} sent no rows for"


def _notes(
    points: Sequence[Point],
    m: Metrics,
    rule: str,
    refused: Collection[tuple[str, str | None]],
    everyone: int,
) -> list[str]:
    notes = _judging_notes(points, m, refused, everyone)
    if rule == "no-numeric-target":
        notes.append("no numeric target: judged against the baseline and the recent trend")
    for point in dict.fromkeys(p for p in (m.judged, m.latest) if p is not None):
        if point.prorated_from_quarters:
            notes.append(
                f"{point.period} is pro-rated from the {point.prorated_from_quarters} "
                "quarter(s) any ADP sent rows for (a quarter had not ended, or no ADP sent rows "
                "for it)"
            )
    if m.judged is not None and (counted := _none_started(m.judged)):
        notes.append(
            f"{m.judged.period} counts {counted} as none started: a return still to come for "
            "one would add to the figure"
        )
    latest = m.latest
    if latest is not None and not latest.coverage.complete and latest.coverage.expected > 1:
        notes.append(
            f"{latest.period}: {latest.coverage.reported} of {latest.coverage.expected} ADPs "
            f"reported ({'; '.join(absent_text(latest.coverage, every=True))}); missing ADPs are "
            "not counted as zero"
        )
    if m.sdg is not None and m.sdg.note:
        notes.append(f"Open SDG: {m.sdg.note}")
    return notes


def assess(
    points: Sequence[Point],
    *,
    area: str,
    name: str,
    goal: Goal,
    as_of: dt.date,
    method: Method = Method.STRAIGHT_LINE,
    empty: Coverage | None = None,
    gap: str | None = None,
    notes: Sequence[str] = (),
    refused: Collection[tuple[str, str | None]] = (),
) -> Assessment:
    """Judge a series (oldest first, every period ended by `as_of`) against a goal; `refused`
    (as `Built.refused`, the series' own ADPs' only) says which periods lack a figure because
    their returns were refused."""
    m = measure(points, goal, as_of, method)
    status, rule = decide(m)
    judged, latest = m.judged, m.latest
    return Assessment(
        area=area,
        name=name,
        status=status,
        rule=rule,
        sdg=m.sdg,
        judged_value=judged.value if judged else None,
        judged_period=judged.period if judged else None,
        judged_coverage=judged.coverage if judged else None,
        percent_of_way=m.percent_of_way,
        expected_value=m.expected_value,
        projected_value=m.projected_value,
        trend_per_year=m.trend_per_year,
        latest_value=latest.value if latest else None,
        latest_period=latest.period if latest else None,
        coverage=latest.coverage if latest else (empty or Coverage(reported=0, expected=1)),
        gap=gap,
        baseline_value=goal.baseline_value,
        baseline_period=goal.baseline_period,
        baseline_end=goal.baseline_end,
        target_value=goal.target_value,
        target_source=goal.target_source,
        deadline=goal.deadline,
        interval=(judged.low, judged.high)
        if judged and judged.low is not None and judged.high is not None
        else None,
        series=tuple(points),
        notes=(*notes, *_notes(points, m, rule, refused, empty.expected if empty else 1)),
    )


def _national_goal(target: Target, period_type: PeriodType | None) -> Goal:
    baseline = target.baseline
    return Goal(
        direction=target.direction,
        target_value=target.target_value,
        target_source="national" if target.target_value is not None else None,
        deadline=target.deadline,
        deadline_period=_deadline_period(target, period_type),
        baseline_value=baseline.value if baseline else None,
        baseline_period=baseline.period if baseline else None,
        baseline_end=baseline.end if baseline else None,
    )


def _deadline_period(target: Target, period_type: PeriodType | None) -> str | None:
    """The period the deadline judges: `target_period`, else the last one ending by it."""
    if target.deadline is None or period_type is None:
        return None
    if target.target_period is not None:
        return target.target_period
    period = period_type.containing(target.deadline)
    return str(period if period.end_date <= target.deadline else period.previous())


def _basis(target: Target, national: Sequence[Point]) -> Point | None:
    """The period a national count target is apportioned by (`basis_point`)."""
    return basis_point(national, target.baseline.period if target.baseline else None)


def _own_value(own: Sequence[Point], period: str | None) -> float | None:
    return next((p.value for p in own if p.period == period), None)


def _unshared(target: Target, national: Sequence[Point]) -> str:
    """Why a count target has no period to be shared by (`basis_point` found none every ADP
    reported): the ADPs the baseline's period (else the first) lacks, named."""
    baseline = target.baseline.period if target.baseline else None
    point = next((p for p in national if p.period == baseline), national[0] if national else None)
    if point is None or not absent_text(point.coverage):
        return "no local target: no period every ADP reported to share the target by"
    return (
        f"no local target: it is shared by each ADP's figure for {point.period}, and not every "
        f"ADP has one ({'; '.join(absent_text(point.coverage))})"
    )


def _apportioned(
    target: Target, adp: Adp, mine: float | None, basis: Point | None, unshared: str
) -> tuple[float | None, str | None]:
    """The national count target times the ADP's share of the basis period, and its source
    (`unshared` when there is no such period)."""
    local = target.local_target(adp.code)
    if local is not None:
        return local.target_value, "local target"
    if target.target_value is None:
        return None, None
    if basis is None:
        return None, unshared
    basis_text = basis.period
    if mine is None:
        return None, f"no local target: {adp.name} has no figure for {basis_text}"
    if not basis.value or not mine:
        whose = adp.name + ("'" if adp.name.endswith("s") else "'s")  # Outer Hebrides'
        return None, f"no local target: {whose} share of {basis_text} is 0"
    return target.target_value * mine / basis.value, f"apportioned by share of {basis.period}"


def _count_goal(target: Target, adp: Adp, own: Sequence[Point], scotland: _Scotland) -> Goal:
    basis, national = scotland.basis, scotland.goal
    mine = _own_value(own, basis.period) if basis else None
    basis_value = basis.value if basis is not None else None
    local = target.local_target(adp.code)
    baseline = _own_value(own, national.baseline_period)
    if local is not None and local.baseline_value is not None:
        baseline = local.baseline_value
    elif (
        baseline is None
        and national.baseline_value is not None
        and mine is not None
        and basis_value
    ):
        # Worked out exactly as the apportioned target is (`_apportioned`), so a target equal to
        # its baseline nationally is equal to it for every ADP, to the last bit.
        baseline = national.baseline_value * mine / basis_value
    value, source = _apportioned(target, adp, mine, basis, scotland.unshared)
    return Goal(
        direction=national.direction,
        target_value=value,
        target_source=source,
        expects_target=target.target_value is not None,
        deadline=national.deadline,
        deadline_period=national.deadline_period,
        baseline_value=baseline,
        baseline_period=national.baseline_period,
        baseline_end=national.baseline_end,
    )


def _share_goal(target: Target, adp: Adp, own: Sequence[Point], national: Goal) -> Goal:
    local = target.local_target(adp.code)
    own_baseline = _own_value(own, national.baseline_period)
    baseline = own_baseline if own_baseline is not None else national.baseline_value
    if local is not None and local.baseline_value is not None:
        baseline = local.baseline_value
    value, source = target.target_value, "national standard" if target.target_value else None
    if local is not None:
        value, source = local.target_value, "local target"
    return Goal(
        direction=national.direction,
        target_value=value,
        target_source=source,
        deadline=national.deadline,
        deadline_period=national.deadline_period,
        baseline_value=baseline,
        baseline_period=national.baseline_period,
        baseline_end=national.baseline_end,
    )


def _gap(
    built: Built,
    adp: Adp,
    own: Sequence[Point],
    newest: Point | None,
    returned: dict[str, set[str]],
) -> str | None:
    """What this ADP lacks for Scotland's newest period, in words; None if it has a figure."""
    if newest is None or any(p.period == newest.period for p in own):
        return None
    # An ADP whose return was left out as invalid did send one: said so, never "no return".
    sent = {period for code, period in built.refused if code == adp.code}
    if not own and not any(adp.code in codes for codes in returned.values()):
        return "no valid return" if sent else "no return"
    # A refused return for the period, or a part of it: its figure is no figure (`spoiled`).
    if adp.code in refused_for(built.refused, newest.period):
        return f"no valid return for {newest.period}"
    if adp.code in returned.get(newest.period, set()):
        return f"{built.no_figure} in {newest.period}"
    return f"no return for {newest.period}"


def _comparison(
    kind: Kind, direction: Direction, own: Assessment, national: Sequence[Point]
) -> str | None:
    """Waiting times: the ADP's interval against Scotland's figure for the same period."""
    if kind is not Kind.EPISODES or own.judged_period is None:
        return None
    reference = next((p.value for p in national if p.period == own.judged_period), None)
    return compare_with_reference(own.interval, reference, direction is Direction.INCREASE)


def _related(
    related: RelatedBuilt, built: Built, adps: Sequence[Adp], adp: Adp | None = None
) -> Related:
    if adp is None:
        points = national_points(
            related.values, built.returned, built.period_type, adps, built.no_figure, built.refused
        )
    else:
        points = adp_points(related.values, built.period_type, adp, built.refused)
    latest = points[-1] if points else None
    expected = len(adps) if adp is None else 1
    return Related(
        name=related.name,
        title=related.title,
        unit=related.unit,
        latest_value=latest.value if latest else None,
        latest_period=latest.period if latest else None,
        coverage=latest.coverage if latest else Coverage(reported=0, expected=expected),
        series=tuple(points),
    )


class _Scotland(NamedTuple):
    """What every ADP's assessment of a target is set beside: worked out once per target."""

    points: Sequence[Point]
    goal: Goal
    basis: Point | None
    """The period a count target is apportioned by (`_basis`)."""
    returned: dict[str, set[str]]
    """Period -> the ADPs that sent a return for it."""
    unshared: str
    """Why there is no `basis`, when there is none (`_unshared`)."""


def _adp_assessment(
    target: Target,
    built: Built,
    adp: Adp,
    scotland: _Scotland,
    as_of: dt.date,
    method: Method,
) -> Assessment:
    own = adp_points(built.values, built.period_type, adp, built.refused)
    national = scotland.points
    goal = (
        _share_goal(target, adp, own, scotland.goal)
        if built.is_share
        else _count_goal(target, adp, own, scotland)
    )
    assessed = assess(
        own,
        area=adp.code,
        name=adp.name,
        goal=goal,
        as_of=as_of,
        method=method,
        gap=_gap(built, adp, own, national[-1] if national else None, scotland.returned),
        refused=[pair for pair in built.refused if pair[0] == adp.code],
    )
    return assessed.model_copy(
        update={
            "comparison": _comparison(target.measure.kind, target.direction, assessed, national),
            "related": tuple(_related(r, built, all_adps(), adp) for r in built.related),
        }
    )


def _none_valid(
    goal: Goal, refused: frozenset[tuple[str, str | None]], as_of: dt.date
) -> tuple[Assessment, ...]:
    """Every ADP, none with a figure, when every return of the kind was left out as invalid: said
    as in any other table (`_gap`), rather than no table at all."""
    if not refused:
        return ()
    sent = {code for code, _ in refused}
    return tuple(
        assess(
            [],
            area=adp.code,
            name=adp.name,
            # Nothing to share a count target by, nor a baseline of the ADP's own.
            goal=replace(goal, target_value=None, target_source=None, baseline_value=None),
            as_of=as_of,
            gap="no valid return" if adp.code in sent else "no return",
        )
        for adp in sorted(all_adps(), key=lambda a: a.code)
    )


def target_progress(
    target: Target,
    built: Built | None,
    as_of: dt.date,
    method: Method,
    notes: Sequence[str] = (),
    refused: frozenset[tuple[str, str | None]] = frozenset(),
) -> TargetProgress:
    """A target's national assessment and every ADP's, from its figures (None: no valid
    returns). With none, each ADP is still listed when some sent a return left out as invalid
    (`refused`, as `Built.refused`): `no valid return`, or `no return`, beside its name."""
    adps = all_adps()
    head = {
        "id": target.id,
        "title": target.title,
        "kind": target.measure.kind,
        "unit": target.unit,
        "direction": target.direction,
        "standards": target.measure.standards,
    }
    points = (
        national_points(
            built.values, built.returned, built.period_type, adps, built.no_figure, built.refused
        )
        if built is not None
        else []
    )
    goal = _national_goal(target, built.period_type if built is not None else None)
    sent = {code for code, _ in refused}
    national = assess(
        points,
        area=SCOTLAND,
        name="Scotland",
        goal=goal,
        as_of=as_of,
        method=method,
        empty=Coverage(
            reported=0,
            expected=len(adps),
            missing=tuple(a.name for a in adps if a.code not in sent),
            refused=tuple(a.name for a in adps if a.code in sent),
        ),
        notes=notes,
        refused=built.refused if built is not None else refused,
    )
    if built is None:
        return TargetProgress(**head, **dict(national), adps=_none_valid(goal, refused, as_of))
    scotland = _Scotland(
        points,
        goal,
        _basis(target, points),
        returned_by_period(built.returned),
        _unshared(target, points),
    )
    # Every ADP, the ones with no return too: a missing ADP is said next to its name, in every
    # view, never left out of the table.
    per_adp = tuple(
        _adp_assessment(target, built, adp, scotland, as_of, method)
        for adp in sorted(adps, key=lambda a: a.code)
    )
    related = tuple(_related(r, built, adps) for r in built.related)
    return TargetProgress(**head, **{**dict(national), "related": related}, adps=per_adp)
