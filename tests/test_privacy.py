"""Person ids planted in an episodes return appear in no output of any command, in any format."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from .conftest import FIXTURES

PLANTED = ("PLANTED-7F3A91C2", "PLANTED-19BB02D4", "PLANTED-88D2F0B6")


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An episodes return (valid) and a broken one, both carrying the planted ids."""
    folder = tmp_path_factory.mktemp("planted")
    rows = (FIXTURES / "valid" / "episodes.csv").read_text().splitlines()
    ids = ["P-7F3A91C2", "P-19BB02D4", "P-88D2F0B6"]
    text = "\n".join(rows) + "\n"
    for old, new in zip(ids, PLANTED, strict=True):
        text = text.replace(old, new)
    (folder / "returns" / "fife" / "episodes").mkdir(parents=True)
    (folder / "returns" / "fife" / "episodes" / "2024-25-q1.csv").write_text(text)
    broken = text + f"Fife,{PLANTED[0]},2024-04-02,2024-04-01,self,drugs,ost\n"
    broken += f"Fife,{PLANTED[1]},05/31/2024,,self,drugs,\n"
    (folder / "broken-episodes.csv").write_text(broken)
    shutil.copy(FIXTURES / "valid" / "ost.csv", folder / "ost.csv")
    return folder


def _outputs(folder: Path, tmp: Path) -> list[tuple[str, str]]:
    from cli.app import app

    runner = CliRunner()
    valid = str(folder / "returns" / "fife" / "episodes" / "2024-25-q1.csv")
    broken = str(folder / "broken-episodes.csv")
    store = str(tmp / "store.sqlite")
    commands = [
        *(
            ["validate", broken, valid, "-f", f, "--max-findings", "1000"]
            for f in ("text", "json", "junit", "github", "sarif", "html")
        ),
        ["validate", broken, "-o", str(tmp / "report.sarif"), "-f", "sarif"],
        ["validate", broken, "-o", str(tmp / "findings.html"), "-f", "html"],
        ["validate", broken, "--annotate", str(tmp / "annotated.xlsx")],
        *(["progress", valid, "-f", f] for f in ("text", "json", "csv", "markdown")),
        ["report", valid, "-o", str(tmp / "report")],
        *(["measures", valid, "-f", f] for f in ("text", "json", "csv")),
        ["measures", valid, "-f", "parquet", "-o", str(tmp / "m.parquet")],
        ["measures", broken],
        ["submit", valid, broken, "--store", store],
        ["history", "--store", store],
        ["export", "--kind", "episodes", "--store", store],
        [
            "export",
            "--kind",
            "episodes",
            "--store",
            store,
            "-f",
            "parquet",
            "-o",
            str(tmp / "e.parquet"),
        ],
        *(["check", str(folder), "-f", f] for f in ("text", "json", "github", "markdown")),
        ["--debug", "validate", broken],
    ]
    seen = []
    for args in commands:
        result = runner.invoke(app, args)
        seen.append((" ".join(args), result.output + result.stderr))
    for path in tmp.rglob("*"):
        if path.suffix == ".xlsx":
            seen += _written_by_mission(path)
        elif (
            path.is_file()
            and path.name != "store.sqlite"
            and not path.name.startswith("store.sqlite")
        ):
            seen.append((str(path), path.read_bytes().decode("latin-1")))
    return seen


def _written_by_mission(path: Path) -> list[tuple[str, str]]:
    """An annotated copy keeps the officer's own cells, ids included, as they were; what mission
    writes into it (comments, the Findings sheet) is checked."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    comments = [
        c.comment.text for s in book.worksheets for r in s.iter_rows() for c in r if c.comment
    ]
    listed = [str(v) for r in book["Findings"].iter_rows(values_only=True) for v in r if v]
    assert comments and listed
    return [(f"{path} comments", "\n".join(comments)), (f"{path} Findings", "\n".join(listed))]


def test_planted_ids_never_appear(planted: Path, tmp_path: Path) -> None:
    """No stdout, stderr or written file of any command shows a planted person id."""
    outputs = _outputs(planted, tmp_path)
    assert len(outputs) > 25
    for where, text in outputs:
        for person in PLANTED:
            assert person not in text, where
