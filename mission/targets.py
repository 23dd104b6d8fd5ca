"""The Mission's targets, loaded from TOML data so a user can correct or extend them.

Figures such as the OST baseline or the MAT 6–10 deadline are uncertain; they live in `targets/`
with their provenance rather than in code. A user's own directory (`--targets DIR`) is laid on top
of the shipped set: a file with a shipped `id` is merged key by key (so an ADP can add just its
`local_targets`), a new `id` adds a target.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    Field,
    ValidationError,
    model_validator,
)

from mission.adps import InvalidAdp, resolve_adp
from mission.errors import MissionError
from mission.kinds import Kind
from mission.models import Figure, Frozen, Prose, SaneDate
from mission.periods import CalendarYear, FinancialYear, InvalidPeriod, Quarter

__all__ = [
    "Baseline",
    "Direction",
    "InvalidTargetFile",
    "LocalTarget",
    "Measure",
    "Provenance",
    "PublishedFigure",
    "Target",
    "TargetSet",
    "TargetSummary",
    "UnknownTarget",
    "load_targets",
    "mission_outcomes",
    "shipped_targets_dir",
]

_CALENDAR_YEAR = re.compile(r"^\d{4}$")


class UnknownTarget(MissionError, KeyError):
    """No target has this id (a `KeyError` too, as a mapping's missing key is).

    Attributes:
        target_id: the id asked for.
    """

    def __init__(self, target_id: str, known: Iterable[str]) -> None:
        self.target_id = target_id
        self.message = f"{target_id!r} is not a target: the targets are {', '.join(known)}"
        super().__init__(self.message)

    def __str__(self) -> str:  # KeyError's own shows its message quoted again
        return self.message


class InvalidTargetFile(MissionError, ValueError):
    """A target file that cannot be used.

    Attributes:
        path: the file.
        key: the dotted key at fault (`baseline.value`), or None when the file as a whole is.
        problem: what is wrong, in words.
    """

    def __init__(self, path: Path, key: str | None, problem: str) -> None:
        self.path = path
        self.key = key
        self.problem = problem
        where = f"{path}: {key}" if key else str(path)
        super().__init__(f"{where}: {problem}")


class Direction(StrEnum):
    """Which way is better."""

    INCREASE = "increase"
    DECREASE = "decrease"


def _parse_period(text: str) -> Quarter | FinancialYear | CalendarYear:
    """A period as a target file writes it: a calendar year, a financial year or a quarter.

    The three canonical forms cannot be mistaken for one another (`2021`, `2021/22`,
    `2021/22 Q1`), so a target file need not say which it means.
    """
    value = str(text).strip()
    if _CALENDAR_YEAR.match(value):
        return CalendarYear.parse(value)
    try:
        return FinancialYear.parse(value)
    except InvalidPeriod:
        pass
    try:
        return Quarter.parse(value)
    except InvalidPeriod:
        raise ValueError(
            f"{value!r} is not a period: use a calendar year (2021), a financial year (2021/22) "
            "or a quarter (2021/22 Q1)"
        ) from None


def _canonical_period(text: str) -> str:
    """Accept a calendar year, a financial year or a quarter, and write it canonically."""
    return str(_parse_period(text))


def _adp_code(text: str) -> str:
    try:
        return resolve_adp(text).code
    except InvalidAdp as error:
        raise ValueError(str(error)) from None


PeriodText = Annotated[str, AfterValidator(_canonical_period)]
AdpCode = Annotated[str, AfterValidator(_adp_code)]


def _standard_numbers(standards: tuple[int, ...]) -> tuple[int, ...]:
    bad = [s for s in standards if not 1 <= s <= 10]
    if bad:
        raise ValueError(f"MAT standards are numbered 1 to 10, not {bad[0]}")
    return standards


STATISTICS: dict[Kind, dict[str, tuple[bool, type[Quarter | FinancialYear | CalendarYear]]]] = {
    Kind.OST: {"latest_quarter_total": (False, Quarter)},
    Kind.REHAB: {"yearly_sum": (False, FinancialYear)},
    Kind.NALOXONE: {"yearly_sum": (False, FinancialYear)},
    Kind.DEATHS: {"yearly_sum": (False, CalendarYear)},
    Kind.MAT: {"share_fully_implemented": (True, FinancialYear)},
    Kind.EPISODES: {"share_within_21_days": (True, Quarter)},
}
"""The statistics mission computes from each kind of return: whether each is a share (a
percent, 0 to 100) rather than a count, and the periods it is figured for
(`mission.tracker.series` builds each one)."""


class Measure(Frozen):
    """What is counted: which return kind feeds the target and how it is summarised.

    `standards` narrows a MAT measure to some of the ten standards (MAT 1-5, MAT 6-10); empty
    means all ten.
    """

    kind: Kind
    statistic: str
    description: Prose
    standards: Annotated[tuple[int, ...], AfterValidator(_standard_numbers)] = ()

    @model_validator(mode="after")
    def _computed(self) -> Measure:
        known = STATISTICS.get(self.kind, {})
        if self.statistic not in known:
            offered = ", ".join(known) or "nothing"
            raise ValueError(
                f"mission does not compute {self.statistic!r} from {self.kind} returns "
                f"(it computes {offered})"
            )
        return self

    @property
    def share(self) -> bool:
        """Whether the measure is a share (a percent) rather than a count."""
        return STATISTICS[self.kind][self.statistic][0]

    @property
    def period_type(self) -> type[Quarter | FinancialYear | CalendarYear]:
        """The periods the measure is figured for (quarters, financial or calendar years)."""
        return STATISTICS[self.kind][self.statistic][1]


class Baseline(Frozen):
    """The starting point a target is measured from."""

    value: Figure
    period: PeriodText
    note: Prose = ""

    @property
    def end(self) -> dt.date:
        """The last day of the baseline period: where a straight-line path starts."""
        return _parse_period(self.period).end_date


class PublishedFigure(Frozen):
    """A national figure from an official publication, kept for context and for demo data.

    `series` names the related series the figure belongs to (`provisional_green` for MAT), or is
    None for the target's own measure.
    """

    period: PeriodText
    value: Figure
    series: str | None = None
    note: Prose = ""

    @property
    def end(self) -> dt.date:
        """The last day of the period: where a chart places the figure."""
        return _parse_period(self.period).end_date


class LocalTarget(Frozen):
    """An ADP's own share of a national target."""

    adp: AdpCode
    target_value: Figure
    baseline_value: Figure | None = None
    note: Prose = ""


class Provenance(Frozen):
    """Where a figure comes from."""

    document: Prose
    publisher: Prose
    date: dt.date | None = None
    url: str | None = None


class TargetSummary(Frozen):
    """The flat view of a target that `mission targets --format json` prints."""

    id: str
    title: Prose
    outcome: int
    direction: Direction
    unit: Prose
    baseline_value: Figure | None
    baseline_period: str | None
    target_value: Figure | None
    deadline: SaneDate | None
    source: str


class Target(Frozen):
    """One national target or tracked measure of the Mission."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: Prose
    outcome: int = Field(ge=1, le=6)
    measure: Measure
    unit: Prose
    direction: Direction
    baseline: Baseline | None = None
    target_value: Figure | None = None
    target_period: PeriodText | None = None
    deadline: SaneDate | None = None
    local_targets: tuple[LocalTarget, ...] = ()
    published: tuple[PublishedFigure, ...] = ()
    provenance: tuple[Provenance, ...] = Field(min_length=1)
    confidence: Prose = ""

    @model_validator(mode="after")
    def _consistent(self) -> Target:
        if self.deadline is not None and self.target_value is None:
            raise ValueError("a deadline needs a target_value to reach by then")
        self._figures_agree()
        self._periods_agree()
        seen: set[str] = set()
        for local in self.local_targets:
            if local.adp in seen:
                raise ValueError(f"local_targets names {local.adp!r} twice")
            seen.add(local.adp)
        return self

    def _figures_agree(self) -> None:
        """The target lies the way `direction` says from the baseline, and a share is a
        percent: a target of 0 for a count going up is no target, it is a typo."""
        self._agree(
            "target_value", self.target_value, self.baseline.value if self.baseline else None
        )
        for local in self.local_targets:
            self._agree(
                f"local_targets {local.adp}: target_value", local.target_value, local.baseline_value
            )

    def _agree(self, name: str, target: float | None, baseline: float | None) -> None:
        """One target and its baseline: a share is a percent, and the target lies the way the
        direction says (a count going up to 0 is no target)."""
        if self.measure.share:
            for what, figure in ((name, target), ("its baseline", baseline)):
                if figure is not None and not 0 <= figure <= 100:
                    raise ValueError(f"{what} {figure:g} is no percent: a share is 0 to 100")
        up = self.direction is Direction.INCREASE
        if target is not None and up and target <= 0 and not self.measure.share:
            raise ValueError(f"{name} {target:g} is no target for a count going up")
        if target is None or baseline is None:
            return
        if up and target < baseline:
            raise ValueError(
                f"{name} {target:g} is below its baseline {baseline:g}, but the direction is "
                "increase"
            )
        if not up and target > baseline:
            raise ValueError(
                f"{name} {target:g} is above its baseline {baseline:g}, but the direction is "
                "decrease"
            )

    def _periods_agree(self) -> None:
        """The baseline comes before the deadline, and the target's period ends by it."""
        if self.deadline is None:
            return
        if self.baseline is not None and self.baseline.end >= self.deadline:
            raise ValueError(
                f"the baseline period {self.baseline.period} ends {self.baseline.end}, not "
                f"before the deadline {self.deadline}"
            )
        if self.target_period is not None:
            period = _parse_period(self.target_period)
            wanted = self.measure.period_type
            if not isinstance(period, wanted):
                raise ValueError(
                    f"target_period {self.target_period} is no period {self.id} is figured for "
                    f"({wanted.__name__}s, e.g. {wanted.containing(self.deadline)})"
                )
            end = period.end_date
            if end > self.deadline:
                raise ValueError(
                    f"target_period {self.target_period} ends {end}, after the deadline "
                    f"{self.deadline}"
                )

    @property
    def source(self) -> str:
        """The first provenance, as one line."""
        first = self.provenance[0]
        return f"{first.publisher}, {first.document}" + (f" ({first.date})" if first.date else "")

    def local_target(self, adp_code: str) -> LocalTarget | None:
        """This ADP's own target, if the target files give one."""
        return next((t for t in self.local_targets if t.adp == adp_code), None)

    def summary(self) -> TargetSummary:
        return TargetSummary(
            id=self.id,
            title=self.title,
            outcome=self.outcome,
            direction=self.direction,
            unit=self.unit,
            baseline_value=self.baseline.value if self.baseline else None,
            baseline_period=self.baseline.period if self.baseline else None,
            target_value=self.target_value,
            deadline=self.deadline,
            source=self.source,
        )


class TargetSet(Mapping[str, Target]):
    """The targets in force, by id, in a stable order (shipped order, then the user's)."""

    def __init__(self, targets: Iterable[Target], sources: Mapping[str, tuple[Path, ...]]) -> None:
        self._targets = {t.id: t for t in targets}
        self.sources = dict(sources)

    def __getitem__(self, target_id: str) -> Target:
        try:
            return self._targets[target_id]
        except KeyError:
            raise UnknownTarget(target_id, self._targets) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._targets)

    def __len__(self) -> int:
        return len(self._targets)

    def standard_deadlines(self) -> dict[int, dt.date]:
        """Each MAT standard's deadline, from the MAT targets that name it (the earliest wins)."""
        deadlines: dict[int, dt.date] = {}
        for target in self._targets.values():
            if target.measure.kind is not Kind.MAT or target.deadline is None:
                continue
            for number in target.measure.standards or range(1, 11):
                known = deadlines.get(number)
                deadlines[number] = min(known, target.deadline) if known else target.deadline
        return deadlines


_SHIPPED_ORDER = (
    "ost",
    "rehab",
    "naloxone",
    "mat-1-5",
    "mat-6-10",
    "waiting-times",
    "deaths",
)


def shipped_targets_dir() -> Path:
    """Where the shipped target files are: inside the wheel, or at the top of a source checkout."""
    packaged = Path(str(resources.files("mission"))) / "_targets"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "targets"


@cache
def mission_outcomes() -> dict[int, str]:
    """The Mission's six outcomes, by number."""
    text = resources.files("mission").joinpath("data/outcomes.toml").read_text("utf-8")
    return {int(k): v for k, v in tomllib.loads(text)["outcomes"].items()}


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidTargetFile(path, None, "is not UTF-8 text: save it as UTF-8") from error
    except OSError as error:
        raise InvalidTargetFile(path, None, f"cannot be read: {error.strerror}") from error
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidTargetFile(path, None, f"is not valid TOML: {error}") from error
    except RecursionError as error:
        raise InvalidTargetFile(path, None, "is nested too deeply to be a target file") from error
    if "id" not in data:
        raise InvalidTargetFile(path, "id", "is missing: every target file names its target")
    if not isinstance(data["id"], str):
        raise InvalidTargetFile(path, "id", f"must be text, not {data['id']!r}")
    return data


def _merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _build(data: dict[str, Any], path: Path) -> Target:
    try:
        return Target.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or None
        problem = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            problem = "is not a target key (is it misspelt?)"
        elif first["type"] == "missing":
            problem = "is required"
        raise InvalidTargetFile(path, key, problem) from error


def _files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise InvalidTargetFile(directory, None, "is not a directory of target files")
    return sorted(directory.glob("*.toml"))


def load_targets(extra_dirs: Iterable[Path | str] | Path | str = ()) -> TargetSet:
    """The shipped targets, with each of `extra_dirs` (one folder, or several) laid on top in
    turn.

    Raises:
        InvalidTargetFile: a file is unreadable, not TOML, or breaks the target model.
    """
    if isinstance(extra_dirs, str | Path):
        extra_dirs = [extra_dirs]
    raw: dict[str, dict[str, Any]] = {}
    sources: dict[str, tuple[Path, ...]] = {}
    for directory in (shipped_targets_dir(), *extra_dirs):
        for path in _files(Path(directory)):
            data = _read_toml(path)
            target_id = data["id"]
            raw[target_id] = _merge(raw.get(target_id, {}), data)
            sources[target_id] = (*sources.get(target_id, ()), path)
    order = [i for i in _SHIPPED_ORDER if i in raw] + [i for i in raw if i not in _SHIPPED_ORDER]
    targets = [_build(raw[i], sources[i][-1]) for i in order]
    return TargetSet(targets, sources)
