"""Publication: the national report, board papers per ADP, Markdown and workbooks, all safe.

Every published view prints through one suppression pattern per table, decided once
(`build_publication`): the national report, a board paper, `progress --format markdown` (national
or one ADP), the workbook, the CSV and every chart. Before a run writes anything, the audit
checks everything it prints together; each folder keeps `published.json`, the tables as its files
print them, so `mission audit FOLDER...` can check it (and folders published together) later.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mission.publish.bundle import Printer, Publication, Shown, build_publication
from mission.publish.write import DisclosureRefused, FolderInUse, ReportFiles

if TYPE_CHECKING:
    from mission.returns import Returns
    from mission.targets import TargetSet
    from mission.tracker import Progress

__all__ = [
    "DisclosureRefused",
    "FolderInUse",
    "Printer",
    "Publication",
    "ReportFiles",
    "Shown",
    "build_publication",
    "progress_markdown",
    "progress_workbook",
    "write_board_papers",
    "write_report",
]


def _publication(
    result: Progress, returns: Returns | None, targets: TargetSet | None
) -> Publication:
    from mission.targets import load_targets

    return build_publication(result, targets or load_targets(), returns)


def write_report(
    result: Progress, returns: Returns, folder: Path | str, targets: TargetSet | None = None
) -> ReportFiles:
    """Write the national report into `folder`: report.html (self-contained), report.md,
    report.csv, report.xlsx, charts/ and published.json, after the audit of all of them passes.

    Raises:
        DisclosureRefused: the audit found a hidden count a reader could work out.
    """
    from mission.publish.write import write_national

    return write_national(_publication(result, returns, targets), Path(folder))


def write_board_papers(
    result: Progress,
    returns: Returns,
    folder: Path | str,
    adps: list[str],
    targets: TargetSet | None = None,
) -> ReportFiles:
    """Write a board paper for each ADP (by code) into `folder`, audited together.

    Raises:
        DisclosureRefused: the audit found a hidden count a reader could work out.
    """
    from mission.publish.board_write import write_papers

    return write_papers(_publication(result, returns, targets), Path(folder), adps)


def progress_markdown(
    result: Progress,
    targets: TargetSet | None = None,
    *,
    returns: Returns | None = None,
    target: str | None = None,
    adp: str | None = None,
) -> str:
    """Progress as Markdown, through the same patterns as the report (no chart links).

    `result` is the whole progress (every ADP): the patterns are decided on it. `target` and
    `adp` narrow what is printed; with `adp`, the ADP's board paper is printed.
    """
    from mission.publish.markdown import markdown

    return markdown(_publication(result, returns, targets), target=target, adp=adp)


def progress_workbook(
    result: Progress,
    targets: TargetSet | None = None,
    *,
    returns: Returns | None = None,
    target: str | None = None,
    adp: str | None = None,
) -> bytes:
    """Progress as an Excel workbook for analysts, suppression as published: an about sheet and
    a sheet per target (Scotland by period, each ADP, the notes), numbers as numbers."""
    from mission.publish.table_files import published_workbook

    publication = _publication(result, returns, targets)
    return published_workbook(publication, "progress.xlsx", target=target, adp=adp)
