"""The ten MAT standards, the RAGB statuses they are assessed in, and the three evidence streams."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources

__all__ = [
    "FULLY_IMPLEMENTED",
    "EvidenceLevel",
    "EvidenceStream",
    "MatStandard",
    "MatStatus",
    "mat_standards",
]


class MatStatus(StrEnum):
    """An assessment status, in order from least to most implemented."""

    NOT_ASSESSED = "not_assessed"
    RED = "red"
    AMBER = "amber"
    PROVISIONAL_GREEN = "provisional_green"
    GREEN = "green"
    BLUE = "blue"

    @property
    def rank(self) -> int:
        return list(MatStatus).index(self)

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def letter(self) -> str:
        """One or two letters, so a matrix is readable without colour."""
        return {"not_assessed": "-", "provisional_green": "PG"}.get(
            self.value, self.value[0].upper()
        )

    @property
    def meaning(self) -> str:
        return _MEANINGS[self]

    @property
    def fully_implemented(self) -> bool:
        """Green or blue: what counts towards the MAT target."""
        return self in (MatStatus.GREEN, MatStatus.BLUE)


FULLY_IMPLEMENTED = tuple(s.value for s in MatStatus if s.fully_implemented)
"""The statuses that count towards the MAT target: green and blue."""

_MEANINGS = {
    MatStatus.NOT_ASSESSED: "not assessed in this benchmarking round",
    MatStatus.RED: "no or limited evidence of implementation",
    MatStatus.AMBER: "partial implementation",
    MatStatus.PROVISIONAL_GREEN: "full implementation not confirmed in all evidence streams",
    MatStatus.GREEN: "fully implemented",
    MatStatus.BLUE: "sustained implementation with ongoing monitoring",
}


class EvidenceStream(StrEnum):
    """The three streams of evidence PHS's MAT Implementation Support Team assesses."""

    NUMERICAL = "numerical"
    PROCESS = "process"
    EXPERIENTIAL = "experiential"


class EvidenceLevel(StrEnum):
    """How far one evidence stream shows a standard is met."""

    MET = "met"
    PARTIAL = "partial"
    NOT_MET = "not_met"


@dataclass(frozen=True, slots=True)
class MatStandard:
    """One MAT standard; `deadline` comes from the MAT target that names it (`mat-1-5`...)."""

    number: int
    name: str
    statement: str
    deadline: dt.date | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "number": self.number,
            "name": self.name,
            "statement": self.statement,
            "deadline": None if self.deadline is None else self.deadline.isoformat(),
        }


@cache
def _raw_standards() -> tuple[dict[str, object], ...]:
    text = resources.files("mission").joinpath("data/mat_standards.toml").read_text("utf-8")
    return tuple(tomllib.loads(text)["standards"])


def mat_standards(deadlines: dict[int, dt.date] | None = None) -> tuple[MatStandard, ...]:
    """The ten standards in order, with deadlines if given (`TargetSet.standard_deadlines`)."""
    deadlines = deadlines or {}
    return tuple(
        MatStandard(
            number=int(str(raw["number"])),
            name=str(raw["name"]),
            statement=str(raw["statement"]),
            deadline=deadlines.get(int(str(raw["number"]))),
        )
        for raw in _raw_standards()
    )
