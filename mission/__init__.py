"""mission: track Scotland's National Drugs Mission.

Validate the data returns Alcohol and Drug Partnerships send in, against the published data
contract, and judge progress towards the Mission's national targets.

    >>> import mission
    >>> report = mission.validate("returns/")             # a Report: .valid, .findings
    >>> returns = mission.load_returns("returns/")        # the valid files' rows, by Kind
    >>> result = mission.progress(returns)                # a Progress: every target, every ADP
    >>> result.to_polars()                                # one row per target and area

The public API is re-exported here and imported lazily, so that `import mission` (and the CLI's
`--help`) stays fast: polars and matplotlib load only when a function that needs them is called.
No exported name is also the name of a submodule, so `from mission import progress` is always the
function.
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
    from mission.annotate import AnnotatedWorkbook, InvalidAnnotation, annotate_return
    from mission.catalogue import CATALOGUE, Severity
    from mission.checking import CheckedReturn, check_files
    from mission.dataset import InvalidDataset
    from mission.errors import MissionError, TimeLimitReached
    from mission.findings import Finding
    from mission.kinds import Kind, KindSpec, UnknownKind
    from mission.limits import Limits
    from mission.measures import episode_measures
    from mission.periods import CalendarYear, FinancialYear, InvalidPeriod, Period, Quarter
    from mission.publish import DisclosureRefused, write_board_papers, write_report
    from mission.publish.folder_audit import InvalidPublication, audit_folders
    from mission.readers import NamedBytes
    from mission.report import FileReport, Report
    from mission.repository import CheckReport, InvalidConfig, check_repository
    from mission.returns import Returns, load_returns
    from mission.standards import MatStandard, MatStatus, mat_standards
    from mission.store import InvalidStore, Store, StoreFailed
    from mission.targets import InvalidTargetFile, Target, TargetSet, UnknownTarget, load_targets
    from mission.templates import InvalidTemplate, TemplateExists, write_template
    from mission.tracker import Progress, Status, progress
    from mission.validation import InvalidReturn, read_return, validate
    from mission.walk import InvalidPath

_EXPORTS = {
    "Adp": "mission.adps",
    "AdpMatch": "mission.adps",
    "AmbiguousAdp": "mission.adps",
    "AnnotatedWorkbook": "mission.annotate",
    "CATALOGUE": "mission.catalogue",
    "CalendarYear": "mission.periods",
    "CheckReport": "mission.repository",
    "CheckedReturn": "mission.checking",
    "DisclosureRefused": "mission.publish",
    "FileReport": "mission.report",
    "FinancialYear": "mission.periods",
    "Finding": "mission.findings",
    "InvalidAdp": "mission.adps",
    "InvalidAnnotation": "mission.annotate",
    "InvalidConfig": "mission.repository",
    "InvalidDataset": "mission.dataset",
    "InvalidPath": "mission.walk",
    "InvalidPeriod": "mission.periods",
    "InvalidPublication": "mission.publish.folder_audit",
    "InvalidReturn": "mission.validation",
    "InvalidStore": "mission.store",
    "InvalidTargetFile": "mission.targets",
    "UnknownTarget": "mission.targets",
    "InvalidTemplate": "mission.templates",
    "Kind": "mission.kinds",
    "KindSpec": "mission.kinds",
    "Limits": "mission.limits",
    "MatStandard": "mission.standards",
    "MatStatus": "mission.standards",
    "MissionError": "mission.errors",
    "NamedBytes": "mission.readers",
    "Period": "mission.periods",
    "Progress": "mission.tracker",
    "Quarter": "mission.periods",
    "Report": "mission.report",
    "Returns": "mission.returns",
    "Severity": "mission.catalogue",
    "Status": "mission.tracker",
    "Store": "mission.store",
    "StoreFailed": "mission.store",
    "Target": "mission.targets",
    "TargetSet": "mission.targets",
    "TemplateExists": "mission.templates",
    "TimeLimitReached": "mission.errors",
    "UnknownAdp": "mission.adps",
    "UnknownKind": "mission.kinds",
    "all_adps": "mission.adps",
    "annotate_return": "mission.annotate",
    "audit_folders": "mission.publish.folder_audit",
    "check_files": "mission.checking",
    "check_repository": "mission.repository",
    "episode_measures": "mission.measures",
    "load_returns": "mission.returns",
    "load_targets": "mission.targets",
    "mat_standards": "mission.standards",
    "match_adp": "mission.adps",
    "progress": "mission.tracker",
    "read_return": "mission.validation",
    "resolve_adp": "mission.adps",
    "validate": "mission.validation",
    "write_board_papers": "mission.publish",
    "write_report": "mission.publish",
    "write_template": "mission.templates",
}

__all__ = [
    "CATALOGUE",
    "Adp",
    "AdpMatch",
    "AmbiguousAdp",
    "AnnotatedWorkbook",
    "CalendarYear",
    "CheckReport",
    "CheckedReturn",
    "DisclosureRefused",
    "FileReport",
    "FinancialYear",
    "Finding",
    "InvalidAdp",
    "InvalidAnnotation",
    "InvalidConfig",
    "InvalidDataset",
    "InvalidPath",
    "InvalidPeriod",
    "InvalidPublication",
    "InvalidReturn",
    "InvalidStore",
    "InvalidTargetFile",
    "InvalidTemplate",
    "Kind",
    "KindSpec",
    "Limits",
    "MatStandard",
    "MatStatus",
    "MissionError",
    "NamedBytes",
    "Period",
    "Progress",
    "Quarter",
    "Report",
    "Returns",
    "Severity",
    "Status",
    "Store",
    "StoreFailed",
    "Target",
    "TargetSet",
    "TemplateExists",
    "TimeLimitReached",
    "UnknownAdp",
    "UnknownKind",
    "UnknownTarget",
    "__version__",
    "all_adps",
    "annotate_return",
    "audit_folders",
    "check_files",
    "check_repository",
    "episode_measures",
    "load_returns",
    "load_targets",
    "mat_standards",
    "match_adp",
    "progress",
    "read_return",
    "resolve_adp",
    "validate",
    "write_board_papers",
    "write_report",
    "write_template",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mission' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
