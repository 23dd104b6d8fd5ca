"""Hostile names: a path is a path, whatever it holds. File and folder names with glob characters,
rich markup or terminal escapes are read as themselves and shown escaped in every output; symlink
loops and very deep folders end cleanly in `check` and `validate`.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from .conftest import FIXTURES
from .hostile_tools import RAW_CONTROL, Outcome, run

OST = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total"
OWN = f"{OST}\nFife,2023/24 Q1,1,2,3,4,0,10\n"
"""The file named with glob characters: one row, Fife."""
SIBLING = f"{OST}\nAngus,2023/24 Q1,1,1,1,1,0,4\nDundee City,2023/24 Q1,1,1,1,1,0,4\n"
"""The sibling its name matches as a pattern: two rows, Angus and Dundee."""
EPISODES = (
    "adp,person_id,referral_date,treatment_start_date,referral_source,substance,treatment_type"
)


@pytest.fixture
def inside(tmp_path: Path) -> Iterator[Path]:
    """Run from tmp_path, so names are short relative paths and tables do not wrap them."""
    before = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(before)


def _write(path: Path, csv_text: str) -> Path:
    """A return holding `csv_text`'s rows, in the format `path`'s suffix names."""
    lines = csv_text.strip().splitlines()
    header, rows = lines[0].split(","), [line.split(",") for line in lines[1:]]
    if path.suffix == ".csv":
        path.write_text(csv_text)
    elif path.suffix == ".json":
        path.write_text(json.dumps([dict(zip(header, row, strict=True)) for row in rows]))
    elif path.suffix == ".parquet":
        pl.DataFrame([dict(zip(header, row, strict=True)) for row in rows]).write_parquet(path)
    else:
        book = xlsxwriter.Workbook(str(path))
        sheet = book.add_worksheet("ost" if header[1] == "period" else "episodes")
        for number, row in enumerate([header, *rows]):
            sheet.write_row(number, 0, row)
        book.close()
    return path


def _episodes(adps: list[str]) -> str:
    rows = [f"{adp},P-{i:04d},2024-04-02,2024-04-03,self,drugs,ost" for i, adp in enumerate(adps)]
    return "\n".join([EPISODES, *rows]) + "\n"


GLOB_NAMES = {"ost[1]": "ost1", "ost?": "ost1", "ost*": "ost1", "ost[!x]1": "ost11"}
"""Names that are patterns, and the sibling each one matches."""
GLOB_CASES = [(stem, suffix) for stem in GLOB_NAMES for suffix in (".csv", ".json", ".xlsx")]
GLOB_CASES += [(stem.replace("ost", "episodes"), ".parquet") for stem in list(GLOB_NAMES)[:3]]


@pytest.mark.parametrize(("stem", "suffix"), GLOB_CASES, ids=[s + x for s, x in GLOB_CASES])
def test_a_glob_name_is_read_as_itself(stem: str, suffix: str, inside: Path) -> None:
    """`validate` and `submit` read the file named `ost[1].csv`, not the sibling `ost1.csv` its
    name matches as a pattern: one row is counted and one row, Fife's, is stored."""
    episodes = stem.startswith("episodes")
    own = _write(inside / f"{stem}{suffix}", _episodes(["Fife"]) if episodes else OWN)
    sibling_text = _episodes(["Angus", "Dundee City"]) if episodes else SIBLING
    sibling = GLOB_NAMES[stem.replace("episodes", "ost")].replace(
        "ost", "episodes" if episodes else "ost"
    )
    _write(inside / f"{sibling}{suffix}", sibling_text)
    outcome = run(["validate", own.name, "--format", "json"])
    assert outcome.code == 0, outcome.describe()
    [file] = json.loads(outcome.output)["files"]
    assert (file["path"], file["rows"]) == (own.name, 1)
    store = inside / "store.sqlite"
    submitted = run(["submit", own.name, "--store", str(store)])
    assert submitted.code == 0, submitted.describe()
    kind = "episodes" if episodes else "ost"
    with sqlite3.connect(store) as db:
        stored = db.execute("SELECT kind, adp, row_count FROM slices").fetchall()
        names = db.execute("SELECT file_name FROM submissions").fetchall()
    assert stored == [(kind, "fife", 1)]
    assert [Path(n).name for (n,) in names] == [own.name]


def test_a_return_named_with_brackets_and_spaces_is_stored(inside: Path) -> None:
    """`Fife OST [final].csv` validates and is stored with its own rows."""
    shutil.copy(FIXTURES / "hostile" / "Fife OST [final].csv", inside)
    store = str(inside / "store.sqlite")
    outcome = run(["submit", "Fife OST [final].csv", "--store", store])
    assert outcome.code == 0, outcome.describe()
    exported = run(["export", "--kind", "ost", "--store", store])
    assert exported.code == 0 and "fife" in exported.output, exported.describe()


MARKUP_NAMES = [
    "[bold red]ost.json",
    "[link=javascript:alert(1)]ost.json",
    "x[/]ost.json",
    "[link=https:/x]ost.json",
    "[/link][/][i]ost.json",
]
"""Written as JSON, which is read without a pattern-expanding API, so these tests pin the
rendering of names, not the reading (test_a_glob_name_is_read_as_itself pins that)."""


def _plant(path: Path) -> None:
    """A valid return at `path` and an invalid one beside it, its name prefixed with `bad`, so
    names reach the findings and the "left out" notes as well as the tables."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _write(path, OWN)
    _write(path.with_name("bad" + path.name), OWN.replace(",10", ",11"))


def _everywhere(folder: str, out: Path) -> list[tuple[list[str], Outcome]]:
    """Every command that shows file names, over `folder` (relative to the repository, the
    working directory), writing under `out`."""
    store = str(out / "store.sqlite")
    commands = [
        ["validate", folder],
        ["validate", folder, "--format", "github"],
        ["submit", folder, "--store", store],
        ["history", "--store", store],
        ["progress", folder],
        ["progress", folder, "--format", "markdown"],
        ["report", folder, "-o", str(out / "report")],
        ["check", "."],
        ["check", ".", "--format", "markdown", "--summary", str(out / "summary.md")],
    ]
    return [(args, run(args)) for args in commands]


@pytest.mark.parametrize("name", MARKUP_NAMES)
def test_markup_in_a_name_is_printed_literally(name: str, inside: Path) -> None:
    """A name holding rich markup never crashes a command (`[/]` did) and is printed as
    written: validate and submit show it, progress shows the invalid one it left out, and the
    report links nowhere it says."""
    _plant(inside / "repo" / "returns" / name)
    shown = str(Path("returns") / name)
    bad = str(Path("returns") / Path(name).parent / ("bad" + Path(name).name))
    os.chdir(inside / "repo")
    results = _everywhere("returns", inside)
    broken = [f"{' '.join(a)}: {o.problems()}" for a, o in results if o.problems()]
    for args, outcome in results:
        literal = {"validate": [shown, bad], "submit": [shown], "progress": [bad]}
        wanted = literal.get(args[0], []) if "--format" not in args else []
        broken += [
            f"{' '.join(args)}: {w!r} not shown as written"
            for w in wanted
            if w not in outcome.output
        ]
    html = (inside / "report" / "report.html").read_text()
    if 'href="javascript:' in html or 'href="https:/x' in html:
        broken.append("report.html links where a file name says")
    assert not broken, "\n".join(broken)


ESCAPE_NAMES = [
    "ost\x1b[31mred.json",
    "\x1b]8;;https:x\x1b\\link\x1b]8;;\x1b\\.json",
    "clear\x1b[2J\x07.json",
    "csi\x9b31m.json",
]


@pytest.mark.parametrize("name", ESCAPE_NAMES, ids=["sgr", "osc8-link", "clear-bell", "c1-csi"])
def test_escapes_in_file_and_folder_names_never_reach_output(name: str, inside: Path) -> None:
    """A file name, and a folder name, holding terminal escapes appear escaped in every
    command's output and in report.html, report.md and the check summary."""
    folder = "fife\x1b[2Jq1"
    _plant(inside / "repo" / "returns" / folder / name)
    os.chdir(inside / "repo")
    results = _everywhere("returns", inside)
    broken = [f"{' '.join(map(repr, a))}: {o.problems()}" for a, o in results if o.problems()]
    written = [inside / "report" / "report.html", inside / "report" / "report.md"]
    for page in [*written, inside / "summary.md"]:
        if not page.is_file():
            broken.append(f"{page.name} was not written")
            continue
        text = page.read_text("utf-8", "replace")
        broken += [f"raw {c!r} in {page.name}" for c in RAW_CONTROL if c in text]
    assert not broken, "\n".join(broken)


def test_symlink_loops_end_cleanly(tmp_path: Path) -> None:
    """Files that link to themselves or to each other, and a folder that links to its parent,
    end `check`, `validate` and `progress` with 0, 1 or 2 and no traceback."""
    returns = tmp_path / "repo" / "returns" / "fife" / "ost"
    returns.mkdir(parents=True)
    (returns / "2023-24-q1.csv").write_text(OWN)
    (returns / "self.csv").symlink_to("self.csv")
    (returns / "a.csv").symlink_to("b.csv")
    (returns / "b.csv").symlink_to("a.csv")
    (returns / "up").symlink_to("..", target_is_directory=True)
    (returns / "dangling.csv").symlink_to("nowhere.csv")
    repo = str(tmp_path / "repo")
    commands = [["check", repo, "--format", f] for f in ("text", "json", "github", "markdown")]
    commands += [["validate", f"{repo}/returns"], ["progress", f"{repo}/returns"]]
    results = [(args, run(args)) for args in commands]
    broken = [
        f"{' '.join(a)}: {o.problems()} {o.output[-300:]!r}" for a, o in results if o.problems()
    ]
    assert not broken, "\n".join(broken)


def _deep(root: Path, depth: int, name: str) -> None:
    """`depth` nested folders called `name` under root, with a return at the bottom; built by
    walking down so no single path handed to the OS exceeds its limit."""
    before = Path.cwd()
    os.chdir(root)
    try:
        for _ in range(depth):
            os.mkdir(name)
            os.chdir(name)
        Path("2023-24-q1.csv").write_text(OWN)
    finally:
        os.chdir(before)


@pytest.mark.parametrize("length", [1, 30], ids=["short-names", "past-path-max"])
def test_two_hundred_folders_deep(length: int, tmp_path: Path) -> None:
    """A return 200 folders down (with long names, a path over PATH_MAX) ends `check` and
    `validate` with 0, 1 or 2, no traceback, in a few seconds."""
    returns = tmp_path / "repo" / "returns"
    returns.mkdir(parents=True)
    _deep(returns, 200, "d" * length)
    repo = str(tmp_path / "repo")
    commands = [["check", repo, "--format", f] for f in ("text", "json")]
    commands += [["validate", f"{repo}/returns"]]
    results = [(args, run(args)) for args in commands]
    broken = [
        f"{' '.join(a)}: {o.problems()} {o.output[-300:]!r}" for a, o in results if o.problems()
    ]
    assert not broken, "\n".join(broken)
