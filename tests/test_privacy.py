"""Person ids planted in an episodes return appear in no output of any command, in any format.

Two sets: ids in the person_id column of a valid and a broken return (below), and the hostile
corpus's `planted-*` returns, whose ids sit where a reader cannot know their column: a stray cell
past the header, a notes row, a title row, a file with no header row (so the ids are header
cells), a JSON key; and in the person_id column with control characters, too long, repeated.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from .conftest import FIXTURES
from .hostile_tools import run

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
    from mission.cli.app import app

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
    writes into it (comments, the Findings sheet) is checked. A workbook mission writes whole
    (a report's) is checked cell by cell."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    if "Findings" not in book.sheetnames:
        cells = [str(v) for s in book.worksheets for r in s.iter_rows(values_only=True) for v in r]
        assert cells
        return [(f"{path} cells", "\n".join(cells))]
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


HOSTILE_PLANTED = sorted((FIXTURES / "hostile").glob("planted-*"))
PLANTED_ID = re.compile(r"planted[-_\s]?[0-9a-f]{8}", re.IGNORECASE)
"""A planted id as written, or as a header is normalised (`planted_0a11c0de`)."""


def test_the_corpus_plants_ids_in_every_position() -> None:
    """The hostile corpus plants ids in each position, in CSV, Excel and JSON."""
    names = {p.name for p in HOSTILE_PLANTED}
    for position in ("extra-cell", "notes-row", "title-row", "no-header"):
        assert {f"planted-{position}{suffix}" for suffix in (".csv", ".xlsx", ".json")} <= names


def _leaks(where: str, text: str) -> list[str]:
    """Each planted id found in `text`, with what is around it."""
    return [
        f"{where}: {match.group()} in {text[max(match.start() - 80, 0) : match.end() + 40]!r}"
        for match in PLANTED_ID.finditer(text)
    ]


@pytest.mark.parametrize("path", HOSTILE_PLANTED, ids=[p.name for p in HOSTILE_PLANTED])
def test_no_planted_id_in_validate_output(path: Path) -> None:
    """`validate` in every format, with the kind read from the header and with --kind
    episodes, shows no planted id, whatever position the reader found it in."""
    leaks = []
    for kind in ([], ["--kind", "episodes"]):
        for fmt in ("text", "json", "junit"):
            outcome = run(["validate", str(path), "-f", fmt, "--max-findings", "1000", *kind])
            leaks += _leaks(f"{fmt} {' '.join(kind)}", outcome.output)
    assert not leaks, "\n".join(leaks)


def test_no_planted_id_from_any_command(tmp_path: Path) -> None:
    """Every command, in every format, over all the corpus's planted returns at once (as files,
    as a folder and as a repository for `check`), shows and writes no planted id, apart from
    the store itself."""
    repo = tmp_path / "repo"
    (repo / "returns").mkdir(parents=True)
    for path in HOSTILE_PLANTED:
        shutil.copy(path, repo / "returns" / path.name)
    files = [str(p) for p in sorted((repo / "returns").iterdir())]
    out = tmp_path / "out"
    out.mkdir()
    store = str(out / "store.sqlite")
    commands = [
        *(
            ["validate", *files, "-f", f, "--max-findings", "1000"]
            for f in ("text", "json", "junit", "github", "sarif")
        ),
        *(
            ["validate", *files, "-f", f, "-o", str(out / f"v.{f}")]
            for f in ("text", "junit", "sarif")
        ),
        ["--debug", "validate", *files, "--kind", "episodes"],
        *(["progress", *files, "-f", f] for f in ("text", "json", "csv", "markdown")),
        ["report", *files, "-o", str(out / "report")],
        *(["measures", *files, "-f", f] for f in ("text", "json", "csv")),
        ["measures", *files, "-f", "parquet", "-o", str(out / "m.parquet")],
        ["submit", *files, "--store", store],
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
            str(out / "e.parquet"),
        ],
        ["progress", "--store", store, "-f", "markdown"],
        *(["check", str(repo), "-f", f] for f in ("text", "json", "github", "markdown")),
        ["check", str(repo), "--summary", str(out / "summary.md")],
    ]
    leaks = []
    for args in commands:
        outcome = run(args)
        assert outcome.code in (0, 1, 2), outcome.describe()
        leaks += _leaks(" ".join(a for a in args if a not in files)[:60], outcome.output)
    for path in out.rglob("*"):
        if path.is_file() and not path.name.startswith("store.sqlite"):
            leaks += _leaks(str(path.relative_to(out)), path.read_bytes().decode("latin-1"))
    assert not leaks, "\n".join(leaks)
