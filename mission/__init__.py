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
    from mission.periods import FinancialYear, InvalidPeriod, Quarter
    from mission.standards import MatStandard, MatStatus, mat_standards
    from mission.targets import InvalidTargetFile, Target, TargetSet, load_targets

_EXPORTS = {
    "Adp": "mission.adps",
    "AdpMatch": "mission.adps",
    "AmbiguousAdp": "mission.adps",
    "FinancialYear": "mission.periods",
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

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mission' has no attribute {name!r}")
    return getattr(import_module(module), name)


def __dir__() -> list[str]:
    return __all__
