"""mission: track Scotland's National Drugs Mission.

The public API is re-exported here and imported lazily, so that `import mission` (and the CLI's
`--help`) stays fast: polars and matplotlib load only when a function that needs them is called.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from mission._version import __version__

if TYPE_CHECKING:
    from mission.adps import (
        Adp,
        AdpMatch,
        AmbiguousAdp,
        InvalidAdp,
        UnknownAdp,
        all_adps,
        match_adp,
        resolve_adp,
    )
    from mission.errors import MissionError
    from mission.findings import Finding, Severity
    from mission.limits import Limits
    from mission.measures import episode_measures
    from mission.periods import FinancialYear, InvalidPeriod, Quarter
    from mission.progress import Progress, Status, progress
    from mission.publish import write_report
    from mission.report import FileReport, Report
    from mission.returns import Returns, load_returns
    from mission.spec import UnknownKind
    from mission.standards import MatStandard, MatStatus, mat_standards
    from mission.targets import InvalidTargetFile, Target, TargetSet, load_targets
    from mission.templates import write_template
    from mission.validation import InvalidPath, InvalidReturn, read_return, validate

_EXPORTS = {
    "Adp": "mission.adps",
    "AdpMatch": "mission.adps",
    "AmbiguousAdp": "mission.adps",
    "FileReport": "mission.report",
    "Finding": "mission.findings",
    "FinancialYear": "mission.periods",
    "InvalidPath": "mission.validation",
    "InvalidReturn": "mission.validation",
    "Limits": "mission.limits",
    "Report": "mission.report",
    "Severity": "mission.findings",
    "UnknownKind": "mission.spec",
    "read_return": "mission.validation",
    "episode_measures": "mission.measures",
    "Progress": "mission.progress",
    "Status": "mission.progress",
    "progress": "mission.progress",
    "write_report": "mission.publish",
    "Returns": "mission.returns",
    "load_returns": "mission.returns",
    "validate": "mission.validation",
    "write_template": "mission.templates",
    "InvalidAdp": "mission.adps",
    "InvalidPeriod": "mission.periods",
    "InvalidTargetFile": "mission.targets",
    "MatStandard": "mission.standards",
    "MatStatus": "mission.standards",
    "MissionError": "mission.errors",
    "Quarter": "mission.periods",
    "Target": "mission.targets",
    "TargetSet": "mission.targets",
    "UnknownAdp": "mission.adps",
    "all_adps": "mission.adps",
    "load_targets": "mission.targets",
    "mat_standards": "mission.standards",
    "match_adp": "mission.adps",
    "resolve_adp": "mission.adps",
}

__all__ = [
    "Adp",
    "AdpMatch",
    "AmbiguousAdp",
    "FileReport",
    "FinancialYear",
    "Finding",
    "InvalidAdp",
    "InvalidPath",
    "InvalidPeriod",
    "InvalidReturn",
    "InvalidTargetFile",
    "Limits",
    "MatStandard",
    "MatStatus",
    "MissionError",
    "Progress",
    "Quarter",
    "Report",
    "Returns",
    "Severity",
    "Status",
    "Target",
    "TargetSet",
    "UnknownAdp",
    "UnknownKind",
    "__version__",
    "all_adps",
    "episode_measures",
    "load_returns",
    "load_targets",
    "mat_standards",
    "match_adp",
    "progress",
    "read_return",
    "resolve_adp",
    "validate",
    "write_report",
    "write_template",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mission' has no attribute {name!r}")
    return getattr(import_module(module), name)


def __dir__() -> list[str]:
    return __all__
