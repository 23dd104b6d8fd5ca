"""The three leaks of issue 13, each built from returns, published safely, then crafted back into
a published folder the way the old report printed it: `mission audit` must catch every one."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from mission.adps import all_adps
from mission.disclosure import Pattern
from mission.publish import DisclosureRefused, build_publication, write_board_papers, write_report
from mission.publish.folder_audit import InvalidPublication, audit_folders
from mission.publish.tables import PublicationTable
from mission.publish.write import write_national
from mission.returns import Returns, load_returns
from mission.targets import load_targets
from mission.tracker import progress


def _load(folder: Path, files: dict[str, str]) -> Returns:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return load_returns([folder], today=dt.date(2026, 11, 25))


def _record(folder: Path) -> dict[str, object]:
    return json.loads((folder / "published.json").read_text())


def _save(folder: Path, record: dict[str, object], beside: Path | None = None) -> None:
    """A crafted record saved in `folder`; with the files of the folder `beside` (copied), the
    pages it describes, so the audit reads its tables and finds no file missing."""
    if beside is not None:
        shutil.copytree(beside, folder, dirs_exist_ok=True)
    (folder / "published.json").write_text(json.dumps(record))


def _cell(record: dict[str, object], table: str, row: str, column: str) -> dict[str, object]:
    cells = record["tables"][table]["cells"]  # type: ignore[index]
    return next(c for c in cells if (c["row"], c["column"]) == (row, column))


def _figure(record: dict[str, object], table: str, name: str) -> dict[str, object]:
    figures = record["tables"][table]["figures"]  # type: ignore[index]
    return next(f for f in figures if f["figure"]["name"] == name)


# --- 1. the waiting-times chart drew ADPs whose table cells were c -----------------------------

WAITS = {"Moray": (4, 1), "Outer Hebrides": (1, 0), "Aberdeen City": (120, 15), "Highland": (80, 9)}
# Every other ADP reports too (a national figure is judged only on a period every ADP sent).
WAITS |= {a.name: (60, 6) for a in all_adps() if a.name not in WAITS}


def _episodes() -> str:
    lines = [
        "adp,person_id,referral_date,treatment_start_date,referral_source,substance,treatment_type"
    ]
    number = 0
    for adp, (within, over) in WAITS.items():
        for wait in [7] * within + [30] * over:
            number += 1
            start = dt.date(2025, 4, 1) + dt.timedelta(days=wait)
            lines.append(f"{adp},P{number:05d},2025-04-01,{start},self,drugs,ost")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def waits(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("waits")
    returns = _load(root / "returns", {"episodes.csv": _episodes()})
    result = progress(returns, as_of=dt.date(2025, 8, 1))
    return write_report(result, returns, root / "report")["html"].parent


def test_waiting_chart_draws_no_hidden_adp(waits: Path) -> None:
    """Moray (4 of 5) and Outer Hebrides (1 of 1) are c in the table and not in the chart."""
    record = _record(waits)
    table = "waiting-times 2025/26 Q1"
    for adp in ("moray", "outer-hebrides"):
        assert _figure(record, table, f"percent {adp}")["printed"] == "c"
        assert _figure(record, table, f"interval {adp}")["printed"] == "c"
    drawn = record["charts"]["charts/waiting-times-by-adp.png"]  # type: ignore[index]
    assert not any("moray" in str(key) or "outer-hebrides" in str(key) for *_, key in drawn)
    assert audit_folders([waits]).ok


def test_leak_chart_of_hidden_waits_fails_the_audit(waits: Path, tmp_path: Path) -> None:
    """Crafted as the old chart drew it — Moray's and Outer Hebrides' intervals beside a table
    that prints them as c — the audit fails; printed in the table too, it fails again."""
    record = _record(waits)
    table = "waiting-times 2025/26 Q1"
    for adp in ("moray", "outer-hebrides"):
        record["charts"]["charts/waiting-times-by-adp.png"].append(  # type: ignore[index]
            [table, "figure", [f"interval {adp}"]]
        )
    _save(tmp_path, record, waits)
    drawn = audit_folders([tmp_path])
    assert not drawn.ok
    assert any(
        "waiting-times-by-adp.png draws waiting-times 2025/26 Q1: ['interval moray']" in p
        for p in drawn.problems()
    )
    for adp in ("moray", "outer-hebrides"):
        _figure(record, table, f"interval {adp}")["printed"] = "shown"
    _save(tmp_path, record, waits)
    shown = audit_folders([tmp_path])
    assert not shown.ok
    exposed = shown.tables[table].exposed
    assert "interval moray gives away moray × within" in exposed
    assert "interval outer-hebrides gives away outer-hebrides × within" in exposed


# --- 2. an apportioned target gave the count away ----------------------------------------------

REHAB = {"Moray": (4, 9), "Highland": (40, 70), "Glasgow City": (200, 380), "Fife": (267, 481)}


def _rehab() -> str:
    """REHAB's four ADPs, and every other ADP with none started: a target is shared out by a
    period every ADP reported."""
    from mission.adps import all_adps

    lines = ["adp,period,funding_source,placements_started"]
    others = {a.name: (0, 0) for a in all_adps() if a.name not in REHAB}
    for adp, (first, later) in {**REHAB, **others}.items():
        for year, count in (("2021/22", first), ("2023/24", later)):
            lines += [f"{adp},{year} Q{q},adp,{count if q == 1 else 0}" for q in range(1, 5)]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def rehab(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rehab")
    returns = _load(root / "returns", {"rehab.csv": _rehab()})
    result = progress(returns, as_of=dt.date(2024, 6, 1))
    return write_report(result, returns, root / "report")["html"].parent


def test_apportioned_target_of_a_hidden_count_is_hidden(rehab: Path) -> None:
    """Moray's 2021/22 count (4) is c, and so are its target and its percent of the way, while
    Scotland's 511 is printed."""
    record = _record(rehab)
    assert _cell(record, "rehab", "moray", "2021/22")["printed"] == "c"
    assert _figure(record, "rehab", "total of column 2021/22")["printed"] == 511
    assert _figure(record, "rehab", "target moray")["printed"] == "c"
    assert _figure(record, "rehab", "of the way moray")["printed"] == "c"
    assert _figure(record, "rehab", "target fife")["printed"] == 523
    markdown = (rehab / "report.md").read_text()
    assert (
        "| Moray | 9 | 2023/24 | 9 | 2023/24 | c | apportioned by share of 2021/22 | " in markdown
    )
    assert audit_folders([rehab]).ok


def test_leak_apportioned_target_fails_the_audit(rehab: Path, tmp_path: Path) -> None:
    """Crafted as the old report printed it — a target of 8 beside Scotland's 511 — Moray's
    hidden count is pinned to 4 and the audit fails; so does its percent of the way printed
    beside its 2023/24 count of 9."""
    from mission.disclosure import Figure

    counts = {("moray", "2021/22"): 4, ("moray", "2023/24"): 9}
    for name in ("target moray", "of the way moray"):
        record = _record(rehab)
        figure = _figure(record, "rehab", name)
        figure["printed"] = Figure.model_validate(figure["figure"]).value(counts)
        assert _cell(record, "rehab", "moray", "2023/24")["printed"] == 9
        _save(tmp_path, record, rehab)
        result = audit_folders([tmp_path])
        assert not result.ok, name
        assert any(
            r.item == "moray × 2021/22" and (r.low, r.high) == (4, 4)
            for r in result.tables["rehab"].leaks
        ), name


# --- 3. the single-ADP view printed the national secondary cell --------------------------------

DEATHS = {"Orkney": (3, 6), "Shetland": (7, 5), "Fife": (60, 58), "Angus": (12, 15)}


@pytest.fixture(scope="module")
def deaths(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, tuple[str, str, int]]:
    root = tmp_path_factory.mktemp("deaths")
    lines = ["adp,calendar_year,drug_misuse_deaths"]
    for adp, pair in DEATHS.items():
        lines += [f"{adp},{year},{n}" for year, n in zip((2022, 2023), pair, strict=True)]
    returns = _load(root / "returns", {"deaths.csv": "\n".join(lines) + "\n"})
    result = progress(returns, as_of=dt.date(2024, 6, 1))
    publication = build_publication(result, load_targets(), returns)
    pattern = publication.tables["deaths"].pattern
    secondary = sorted(pattern.hidden - pattern.primary)
    assert secondary, "the crafted table needs a secondary cell"
    adp, year = secondary[0]
    true = dict(zip(("2022", "2023"), DEATHS[_name(adp)], strict=True))[year]
    national = write_report(result, returns, root / "national")["html"].parent
    paper = write_board_papers(result, returns, root / "paper", [adp])["published"].parent
    return national, paper, (adp, year, true)


def _name(code: str) -> str:
    return next(n for n in DEATHS if n.lower().replace(" ", "-") == code)


def test_single_adp_view_prints_through_the_national_pattern(
    deaths: tuple[Path, Path, tuple[str, str, int]],
) -> None:
    """The secondary ADP's board paper prints its hidden year as c too; read with the national
    report, everything is still protected."""
    national, paper, (adp, year, _) = deaths
    assert _cell(_record(paper), "deaths", adp, year)["printed"] == "c"
    assert _cell(_record(national), "deaths", adp, year)["printed"] == "c"
    assert audit_folders([national, paper]).ok


def test_leak_single_adp_view_fails_the_audit(
    deaths: tuple[Path, Path, tuple[str, str, int]], tmp_path: Path
) -> None:
    """Crafted as the old single-ADP view printed it (its own pattern shows the national
    secondary cell), the board paper alone passes, but read with the national report Orkney's
    3 follows from the total and the audit fails."""
    national, paper, (adp, year, true) = deaths
    record = _record(paper)
    _cell(record, "deaths", adp, year)["printed"] = true
    _save(tmp_path, record, paper)
    assert audit_folders([tmp_path]).ok
    together = audit_folders([national, tmp_path])
    assert not together.ok
    leaks = {r.item: (r.low, r.high) for r in together.tables["deaths"].leaks}
    assert leaks["orkney × 2022"] == (3, 3)


# --- refusing to publish, and the command ------------------------------------------------------


def test_report_refuses_and_writes_nothing_when_the_audit_fails(tmp_path: Path) -> None:
    """A publication whose pattern hides nothing prints 4: the audit refuses before any file."""
    returns = _load(tmp_path / "returns", {"rehab.csv": _rehab()})
    result = progress(returns, as_of=dt.date(2024, 6, 1))
    publication = build_publication(result, load_targets(), returns)
    entry = publication.tables["rehab"]
    unsafe = PublicationTable(
        name=entry.name, title=entry.title, table=entry.table, pattern=Pattern(),
        scale=entry.scale, years=entry.years,
    )  # fmt: skip
    publication.tables = {**publication.tables, "rehab": unsafe}
    with pytest.raises(DisclosureRefused, match="moray × 2021/22 is printed although it is 1 to 4"):
        write_national(publication, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_audit_command(cli, rehab: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`mission audit` exits 0 on a report, 1 on a leak (saying which), 2 on a folder that is
    not a publication; --format json prints the library's result."""
    assert cli("audit", rehab).exit_code == 0
    record = _record(rehab)
    _figure(record, "rehab", "target moray")["printed"] = 8.0
    (tmp_path / "leak").mkdir()
    _save(tmp_path / "leak", record, rehab)
    failed = cli("audit", tmp_path / "leak")
    assert failed.exit_code == 1
    assert "moray × 2021/22 can be narrowed to 4–4" in failed.stdout
    as_json = json.loads(cli("audit", tmp_path / "leak", "--format", "json").stdout)
    assert as_json["ok"] is False and as_json == audit_folders([tmp_path / "leak"]).to_dict()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli("audit", empty).exit_code == 2
    with pytest.raises(InvalidPublication, match=r"holds no published\.json"):
        audit_folders([empty])


def _nan_figure(record: dict[str, object]) -> None:
    figure = _figure(record, "rehab", "total of column 2021/22")
    figure["printed"] = float("nan")


def _bad_drawing(record: dict[str, object]) -> None:
    record["charts"] = {"charts/x.png": [1, ["rehab"], "cell"]}


def _unknown_table(record: dict[str, object]) -> None:
    record["charts"] = {"charts/x.png": [["nowhere", "cell", ["a", "b"]]]}


def _chart_not_a_list(record: dict[str, object]) -> None:
    record["charts"] = {"charts/x.png": 5}


def _empty_key(record: dict[str, object]) -> None:
    record["charts"] = {"charts/x.png": [["rehab", "figure", []]]}


@pytest.mark.parametrize(
    ("damage", "code"),
    [
        (_nan_figure, 2),
        (_bad_drawing, 1),
        (_unknown_table, 1),
        (_chart_not_a_list, 1),
        (_empty_key, 1),
    ],
    ids=[
        "nan-figure",
        "malformed-drawing",
        "chart-from-an-unpublished-table",
        "chart-not-a-list",
        "drawing-with-an-empty-key",
    ],
)
def test_audit_of_a_damaged_record_never_crashes(
    cli, rehab: Path, tmp_path: Path, damage: object, code: int
) -> None:  # type: ignore[no-untyped-def]
    """A published.json with a NaN, a malformed drawing, a chart of an unknown table, a chart
    that is not a list of drawings or a drawing with an empty key is refused (2) or failed (1),
    never a crash (3)."""
    record = _record(rehab)
    damage(record)  # type: ignore[operator]
    _save(tmp_path, record, rehab)
    assert cli("audit", tmp_path).exit_code == code


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000 + "]" * 100_000, "[]", '{"format": "mission-published"}', "\xff"],
    ids=["nested", "not-an-object", "no-tables", "not-utf8"],
)
def test_audit_refuses_what_is_not_a_record(cli, tmp_path: Path, text: str) -> None:  # type: ignore[no-untyped-def]
    """Deep nesting, the wrong shape, no tables or bytes that are not text: exit 2, named."""
    (tmp_path / "published.json").write_bytes(text.encode("latin-1"))
    result = cli("audit", tmp_path)
    assert result.exit_code == 2
    assert "published.json" in result.output


def _total(name: str, cells: list[str], printed: float) -> dict[str, object]:
    return {
        "figure": {
            "name": name,
            "kind": "total",
            "numerator": [[[c, "2020/21"], 1.0] for c in cells],
        },
        "printed": printed,
    }


def test_audit_across_dates_keeps_every_figure_whatever_its_name(tmp_path: Path) -> None:
    """Figures of one name but other definitions at two dates are all kept, even when a renamed
    one's new name is taken already: one edition that fails the audit fails it with another."""
    cells = [
        {"row": r, "column": "2020/21", "printed": v}
        for r, v in (("a", "c"), ("b", "c"), ("c", 10))
    ]
    first = [_total("X", ["a", "b"], 10.0), _total("X (publication 2)", ["a", "c"], 13.0)]
    for as_of, figures in (
        ("2024-06-30", first),
        ("2025-06-30", [_total("X", ["a", "b", "c"], 20.0)]),
    ):
        table = {"name": "t", "protection": 5, "cells": cells, "figures": figures}
        record = {"format": "mission-published", "as_of": as_of, "tables": {"t": table}}
        (tmp_path / as_of).mkdir()
        (tmp_path / as_of / "published.json").write_text(json.dumps(record))
    one, two = tmp_path / "2024-06-30", tmp_path / "2025-06-30"
    assert not audit_folders([one]).ok
    assert not audit_folders([one, two]).ok
    assert not audit_folders([two, one]).ok
