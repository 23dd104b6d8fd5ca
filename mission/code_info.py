"""What a finding code is: its severity, and what it means and how to fix it (`catalogue`)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["CodeInfo", "Severity"]


class Severity(StrEnum):
    """How much a finding matters: an error makes a return invalid."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True)
class CodeInfo:
    """What a finding code means and how to fix it."""

    code: str
    severity: Severity
    title: str
    meaning: str
    example: str
    fix: str
