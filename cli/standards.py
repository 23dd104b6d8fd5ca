"""`mission standards`: the ten MAT standards, their deadlines and how they are assessed."""

import typer

from . import console
from .options import FormatOption, ListFormat, TargetsOption, echo_json, load_targets


def standards(format: FormatOption = ListFormat.TEXT, targets: TargetsOption = None) -> None:
    """List the ten MAT standards with deadlines, the RAGB statuses and evidence streams.

    Example: mission standards --format json
    """
    from mission.standards import EvidenceStream, MatStatus, mat_standards

    target_set = load_targets(targets)
    items = mat_standards(target_set.standard_deadlines())
    if format is ListFormat.JSON:
        echo_json(
            {
                "standards": [s.to_dict() for s in items],
                "statuses": [
                    {"status": s.value, "letter": s.letter, "meaning": s.meaning} for s in MatStatus
                ],
                "evidence_streams": [e.value for e in EvidenceStream],
            }
        )
        return
    from .render import line, table

    standards_table = table(
        "MAT standards",
        ("#", "name", "deadline", "standard"),
        ((s.number, s.name, str(s.deadline or "—"), s.statement) for s in items),
    )
    statuses = table(
        "Assessment statuses (lowest to highest)",
        ("status", "letter", "meaning"),
        ((s.value, s.letter, s.meaning) for s in MatStatus),
    )
    streams = ", ".join(e.value for e in EvidenceStream)
    console.show([standards_table, statuses, line(f"Evidence streams: {streams}.")])


def register(app: typer.Typer) -> None:
    app.command("standards")(standards)
