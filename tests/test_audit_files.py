"""`mission audit` checks the published files themselves, not only `published.json`.

A report of the demo's deaths is made once with the real CLI; each test audits a copy of it,
touched up the way an analyst might before release (a cell retyped in report.csv or report.xlsx, a
chart deleted, a file added): every one FAILS and names the file. An untouched folder passes,
alone and with a board paper; a record from before checksums were kept is audited as before,
with a note that its files could not be checked.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from mission import audit_folders

from .conftest import FIXTURES

AS_OF = "2026-11-25"
SOURCES = (FIXTURES / "demo" / "deaths.csv", FIXTURES / "demo" / "population.csv")


def _mission(*args: object) -> Result:
    from mission.cli.app import app

    env = {"COLUMNS": "200", "MISSION_RICH": "0"}
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False, env=env)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's deaths report and Orkney's board paper, as `mission report` writes them (one
    target: every file kind a report writes, in a fifth of the demo's time to make and audit)."""
    root = tmp_path_factory.mktemp("made")
    done = _mission("report", *SOURCES, "-o", root / "report", "--as-of", AS_OF)
    assert done.exit_code == 0, done.output
    done = _mission("report", *SOURCES, "--adp", "Orkney", "-o", root / "papers", "--as-of", AS_OF)
    assert done.exit_code == 0, done.output
    return root


@pytest.fixture
def report(made: Path, tmp_path: Path) -> Path:
    """A fresh copy of the report folder, to touch up."""
    return Path(shutil.copytree(made / "report", tmp_path / "report"))


@pytest.fixture
def papers(made: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(made / "papers", tmp_path / "papers"))


def _audit(*folders: Path) -> tuple[int, str, dict[str, object]]:
    """The exit code and text of `mission audit`, and its JSON (which must agree on the code)."""
    text = _mission("audit", *folders)
    data = _mission("audit", *folders, "--format", "json")
    assert data.exit_code == text.exit_code, (text.output, data.output)
    return text.exit_code, text.output, json.loads(data.stdout)


def _failed_naming(folder: Path, *problems: str) -> None:
    code, output, data = _audit(folder)
    assert code == 1, output
    assert "FAILED" in output
    for problem in problems:
        assert problem in output, output
        assert problem in data["problems"], data["problems"]  # type: ignore[operator]
    assert data["ok"] is False


def test_an_untouched_report_passes(report: Path) -> None:
    code, output, data = _audit(report)
    assert code == 0, output
    assert (
        "PASSED: every hidden count is protected, and every file is as its run wrote it" in output
    )
    assert data["ok"] is True and data["problems"] == [] and data["notes"] == []
    assert data["files_checked"] == {report.as_posix(): True}


def test_the_record_keeps_every_file_written_with_its_sha256(report: Path) -> None:
    record = json.loads((report / "published.json").read_text())
    assert record["version"] == 2
    written = sorted(p.relative_to(report).as_posix() for p in report.rglob("*") if p.is_file())
    assert sorted(record["checksums"]) == [n for n in written if n != "published.json"]
    assert record["checksums"]["report.csv"]["size"] == (report / "report.csv").stat().st_size
    assert len(record["checksums"]["report.csv"]["sha256"]) == 64


def test_a_cell_retyped_in_the_csv_fails(report: Path) -> None:
    """A hidden count printed as c in report.csv, typed back in as 1 after the run."""
    csv = report / "report.csv"
    lines = csv.read_text().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.split(",")[4:5] == ["c"])
    cells = lines[at].split(",")
    cells[4] = "1"
    lines[at] = ",".join(cells)
    csv.write_text("".join(lines))
    _failed_naming(report, f"{report.as_posix()}/report.csv was changed after it was written")


def test_a_cell_retyped_in_the_workbook_fails(report: Path) -> None:
    """report.xlsx touched up in a spreadsheet (openpyxl here): a c becomes 1."""
    import openpyxl

    book = openpyxl.load_workbook(report / "report.xlsx")
    cell = next(
        c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value == "c"
    )
    cell.value = 1
    book.save(report / "report.xlsx")
    _failed_naming(report, f"{report.as_posix()}/report.xlsx was changed after it was written")


def test_a_deleted_chart_fails(report: Path) -> None:
    (report / "charts" / "funnel-deaths.svg").unlink()
    _failed_naming(report, f"{report.as_posix()}/charts/funnel-deaths.svg is missing")


def test_an_added_file_fails_hidden_or_not(report: Path) -> None:
    (report / "extra.csv").write_text("adp,2023\nOrkney,1\n")
    (report / "charts" / ".orkney.svg").write_text("<svg/>")
    (report / "old").mkdir()
    (report / "old" / "a.md").write_text("a draft\n")
    (report / "old" / "b.md").write_text("a draft\n")
    _failed_naming(
        report,
        f"{report.as_posix()}/extra.csv is not a file this run wrote",
        f"{report.as_posix()}/charts/.orkney.svg is not a file this run wrote",
        f"{report.as_posix()}/old/ is not a folder this run wrote (2 files)",
    )


def test_os_litter_is_no_file(report: Path) -> None:
    """What a file browser leaves (.DS_Store, Thumbs.db) is no page: the audit passes."""
    (report / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (report / "charts" / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0")
    code, output, _ = _audit(report)
    assert code == 0, output


def test_an_office_programs_lock_files_are_no_file(report: Path) -> None:
    """Attack s33b: the report opened in Excel or LibreOffice (a lock file beside it), or copied
    to a shared drive from a Mac (resource forks), still passes: what an office program leaves
    is no page."""
    (report / "~$report.xlsx").write_bytes(b"\x0bAnalyst")
    (report / ".~lock.report.xlsx#").write_text("Analyst,host,/home/a,27.11.2026 10:00,\n")
    (report / "._report.md").write_bytes(b"\0\x05\x16\x07")
    code, output, _ = _audit(report)
    assert code == 0, output
    (report / "report-old.xlsx").write_bytes(b"PK")  # a page is still a page
    assert _audit(report)[0] == 1


def test_two_folders_together(report: Path, papers: Path) -> None:
    """A report and a board paper pass together; a paper touched up fails, named by folder."""
    code, output, data = _audit(report, papers)
    assert code == 0, output
    assert data["files_checked"] == {report.as_posix(): True, papers.as_posix(): True}
    page = papers / "orkney.md"
    page.write_text(page.read_text().replace("| c |", "| 1 |", 1))
    code, output, data = _audit(report, papers)
    assert code == 1, output
    assert data["problems"] == [f"{papers.as_posix()}/orkney.md was changed after it was written"]


def test_a_record_from_before_checksums_is_audited_as_before_with_a_note(report: Path) -> None:
    """A 0.1 folder (record version 1, no checksums): its tables are audited, its files cannot
    be: the audit passes with a note saying so, even of a file it could not see changed."""
    record = json.loads((report / "published.json").read_text())
    del record["checksums"]
    record["version"], record["made_by"] = 1, "mission 0.1.0"
    (report / "published.json").write_text(json.dumps(record))
    (report / "extra.csv").write_text("adp,2023\nOrkney,1\n")
    code, output, data = _audit(report)
    assert code == 0, output
    assert "could not be checked" in output and "mission 0.1.0" in output
    assert "(the files of 1 folder could not be checked)" in output
    assert data["files_checked"] == {report.as_posix(): False}
    assert len(data["notes"]) == 1  # type: ignore[arg-type]


def test_a_record_stripped_of_its_checksums_fails(report: Path) -> None:
    """A record of version 2 always keeps checksums: one without them was edited."""
    record = json.loads((report / "published.json").read_text())
    del record["checksums"]
    (report / "published.json").write_text(json.dumps(record))
    code, output, _ = _audit(report)
    assert code == 1, output
    assert "keeps no checksums" in output


@pytest.mark.parametrize("name", ["../outside.csv", "/etc/hostname", "charts/../../x", "", "a\0b"])
def test_a_checksum_of_a_file_outside_the_folder_is_refused(report: Path, name: str) -> None:
    """The audit reads only inside the folder: a record naming a file elsewhere is refused (2)."""
    record = json.loads((report / "published.json").read_text())
    record["checksums"][name] = {"sha256": "0" * 64, "size": 1}
    (report / "published.json").write_text(json.dumps(record))
    result = _mission("audit", report)
    assert result.exit_code == 2, result.output
    assert "outside its folder" in result.output


def test_the_library_says_the_same(report: Path) -> None:
    (report / "report.md").write_text("edited\n")
    result = audit_folders([report])
    assert not result.ok
    assert result.to_dict()["problems"] == [
        f"{report.as_posix()}/report.md was changed after it was written"
    ]


def test_a_report_made_again_over_its_own_folder(report: Path) -> None:
    """Made again over its own folder (with OS litter in it), the report is written and passes;
    a hidden file the run does not write is refused, as any other file is (exit 2)."""
    (report / ".DS_Store").write_bytes(b"\0")
    again = ("report", *SOURCES, "-o", report, "--as-of", AS_OF)
    done = _mission(*again)
    assert done.exit_code == 0, done.output
    code, output, _ = _audit(report)
    assert code == 0, output
    (report / ".draft.md").write_text("a page nobody audited\n")
    done = _mission(*again)
    assert done.exit_code == 2, done.output
    assert ".draft.md" in done.output
