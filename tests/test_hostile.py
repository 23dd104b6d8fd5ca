"""Hostile input: every command that reads files, over the whole corpus, ends cleanly and quickly.

Exit codes may only be 0, 1 or 2; no traceback may reach the user; nothing may hang; no cell may
reach the terminal raw; nothing in a file may run. Files that have killed the reading process
(`fixtures/hostile/may-abort/`) and inputs too big to commit are only read in a child process of
the installed entry point under `ulimit -v 4000000`, so a failure fails a test, not the test run.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sysconfig
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from .conftest import FIXTURES, ROOT
from .hostile_tools import (
    FEW_SECONDS,
    Outcome,
    raw_deflate,
    record,
    repeated_deflate,
    run,
    run_child,
    write_zip,
)

HOSTILE = FIXTURES / "hostile"
CORPUS = sorted(p for p in HOSTILE.iterdir() if p.is_file() and p.suffix != ".py")
MAY_ABORT = sorted((HOSTILE / "may-abort").iterdir())
TIME_BOUND = 30.0
ESC = "\x1b"
MEMORY_BASE_MB = 400
"""What the interpreter, polars and one small crafted file may cost together."""
MEMORY_MULTIPLE = 10
"""Peak memory per byte of input file; keep equal to the multiple the README's limits table states."""
CAP = 10_000
"""The default per-code findings cap (mission.Limits.max_findings_per_code)."""


def test_corpus_is_big_enough() -> None:
    """The corpus holds at least 40 crafted files in-process and 15 read only in a child."""
    assert len(CORPUS) >= 40
    assert len(MAY_ABORT) >= 15


def _run(args: list[str]) -> tuple[int, str, float]:
    """Exit code, output and the CPU seconds the run used (a busy machine does not inflate it)."""
    outcome = run(args)
    assert outcome.cpu is not None
    return outcome.code, outcome.output, outcome.cpu


def _well_formed(args: list[str], output: str) -> str | None:
    """Why a machine format's output cannot be parsed, or None when it can."""
    fmt = args[args.index("--format") + 1] if "--format" in args else "text"
    try:
        if fmt == "junit":
            ElementTree.fromstring(output.encode("utf-8"))
        elif fmt in ("json", "sarif"):
            json.loads(output)
    except (ElementTree.ParseError, ValueError, UnicodeError) as error:
        return f"{fmt} output is not well-formed: {error}"
    return None


def _broken(args: list[str], outcome: Outcome, name: str) -> str | None:
    """What is wrong with one run over the file called `name`, or None."""
    problems = outcome.problems()
    problems += [p for p in [_well_formed(args, outcome.output)] if p]
    if outcome.code == 2 and name not in outcome.output:
        problems.append("exit 2 without naming the file")
    if not problems:
        return None
    return f"{' '.join(args[:1] + args[2:])}: {problems} {outcome.output[-300:]!r}"


@pytest.fixture(scope="module")
def verdicts() -> dict[str, tuple[str | None, bool]]:
    """Each corpus file's kind and validity, from one JSON validation of the whole corpus
    (empty when that run fails: then every command runs on every file)."""
    outcome = run(["validate", *map(str, CORPUS), "--format", "json"])
    try:
        files = json.loads(outcome.output)["files"]
    except (ValueError, KeyError):
        return {}
    return {Path(f["path"]).name: (f.get("kind"), _valid_alone(f)) for f in files}


def _valid_alone(file: dict[str, Any]) -> bool:
    """Whether a file of a joint run would be valid alone (the corpus repeats Fife's Q1 a lot)."""
    return not [
        f
        for f in file.get("findings", [])
        if f["severity"] == "error" and f["code"] != "duplicate-across-files"
    ]


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_every_command_survives(
    path: Path, tmp_path: Path, verdicts: dict[str, tuple[str | None, bool]]
) -> None:
    """Each command ends with 0, 1 or 2 in a few seconds, no traceback, no raw escape, and a
    refusal (exit 2) names the file (`progress` and `report` run on files valid alone, whose
    content reaches them, `measures` on episodes returns; the whole-corpus runs cover the rest)."""
    kind, valid = verdicts.get(path.name, ("episodes", True))
    commands = [
        ["validate", str(path)],
        ["validate", str(path), "--annotate", str(tmp_path / "annotated.xlsx")],
        ["submit", str(path), "--store", str(tmp_path / "store.sqlite")],
    ]
    if valid:
        commands.append(["progress", str(path)])
        commands.append(["report", str(path), "-o", str(tmp_path / "report")])
    if kind == "episodes":
        commands.append(["measures", str(path)])
    outcomes = [(args, run(args)) for args in commands]
    for _, outcome in outcomes:
        record("every-command", outcome)
    broken = [b for args, outcome in outcomes if (b := _broken(args, outcome, path.name))]
    assert not broken, "\n".join(broken)


def test_the_whole_corpus_validates_to_json(verdicts: dict[str, tuple[str | None, bool]]) -> None:
    """`validate --format json` over every corpus file at once gives a verdict for each."""
    assert set(verdicts) == {p.name for p in CORPUS}


@pytest.mark.parametrize("fmt", ["junit", "sarif", "github", "html"])
def test_machine_formats_over_the_whole_corpus(fmt: str) -> None:
    """`validate --format FMT` over every corpus file at once ends with exit 1 and output
    that parses (JUnit is well-formed XML, SARIF is JSON)."""
    args = ["validate", *map(str, CORPUS), "--format", fmt]
    outcome = run(args)
    assert outcome.code == 1, outcome.describe()
    problems = [p for p in outcome.problems() if not p.startswith("took")]
    problems += [p for p in [_well_formed(args, outcome.output)] if p]
    assert not problems, (problems, outcome.output[-500:])


@pytest.mark.parametrize("command", ["progress", "progress-markdown", "report", "measures"])
def test_the_whole_corpus_through_the_other_commands(command: str, tmp_path: Path) -> None:
    """`progress` (text and markdown), `report` and `measures` over every corpus file at once
    end with 0, 1 or 2 and no raw escape, listing the files they left out."""
    files = list(map(str, CORPUS))
    args = {
        "progress": ["progress", *files],
        "progress-markdown": ["progress", *files, "--format", "markdown"],
        "report": ["report", *files, "-o", str(tmp_path / "report")],
        "measures": ["measures", *files],
    }[command]
    outcome = run(args)
    problems = [p for p in outcome.problems() if not p.startswith("took")]
    assert not problems, (problems, outcome.output[-500:])


def test_check_over_the_corpus(tmp_path: Path) -> None:
    """`mission check` on a repository made of the whole corpus ends cleanly."""
    returns = tmp_path / "repo" / "returns"
    returns.mkdir(parents=True)
    for path in CORPUS:
        shutil.copy(path, returns / path.name)
    for fmt in ("text", "json", "github", "markdown"):
        code, output, elapsed = _run(["check", str(tmp_path / "repo"), "--format", fmt])
        assert code == 1, output[-500:]
        assert "Traceback" not in output
        assert ESC not in output
        assert elapsed < TIME_BOUND


def test_installed_entry_point_over_the_corpus() -> None:
    """A real process under `ulimit -v` validating the whole corpus folder, `may-abort/`
    included, exits 1, quietly, in bounded time."""
    outcome = run_child(["validate", str(HOSTILE)], timeout=60)
    assert outcome.code == 1, outcome.describe()
    assert not [p for p in outcome.problems() if not p.startswith("took")], outcome.describe()
    assert outcome.elapsed < 60


# --- files that have killed the reading process: read only in a child -----------------------


@pytest.mark.parametrize("path", MAY_ABORT, ids=[p.name for p in MAY_ABORT])
def test_may_abort_file_in_a_child(path: Path) -> None:
    """Under `ulimit -v 4000000` the installed `mission validate` ends with 0, 1 or 2 (never a
    signal or a hang) in a few seconds, within a flat memory bound, and names the file."""
    outcome = run_child(["validate", str(path)], timeout=10)
    record("may-abort", outcome)
    assert not outcome.problems(), (outcome.problems(), outcome.describe())
    assert path.name in outcome.output
    assert outcome.peak_rss_mb is not None and outcome.peak_rss_mb < MEMORY_BASE_MB, (
        f"{outcome.peak_rss_mb:.0f} MB for a {path.stat().st_size:,}-byte file"
    )


@pytest.mark.parametrize("command", ["progress", "report", "submit", "check"])
def test_may_abort_folder_over_every_command(command: str, tmp_path: Path) -> None:
    """Every other command that reads returns survives the whole `may-abort/` folder in a child."""
    repo = tmp_path / "repo"
    shutil.copytree(HOSTILE / "may-abort", repo / "returns")
    args = {
        "progress": ["progress", str(repo / "returns")],
        "report": ["report", str(repo / "returns"), "-o", str(tmp_path / "report")],
        "submit": ["submit", str(repo / "returns"), "--store", str(tmp_path / "s.sqlite")],
        "check": ["check", str(repo)],
    }[command]
    outcome = run_child(args, timeout=30)
    assert not [p for p in outcome.problems() if not p.startswith("took")], outcome.describe()
    assert outcome.cpu is not None and outcome.cpu < 3 * FEW_SECONDS, outcome.describe()


# --- inputs too big to commit, built at test time --------------------------------------------

SHARED_STRINGS_RELS = (
    b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
SST_HEAD = (
    b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    b'main"><si><t>adp</t></si>'
)


def _workbook(path: Path, sheet: bytes, shared: tuple[bytes, int, int] | None) -> Path:
    """A minimal workbook whose sheet is `sheet`; `shared` is a ready raw-deflated table."""
    from importlib import util

    spec = util.spec_from_file_location("build_hostile", HOSTILE / "build_hostile.py")
    assert spec is not None and spec.loader is not None
    build = util.module_from_spec(spec)
    spec.loader.exec_module(build)
    members = {
        "[Content_Types].xml": raw_deflate(build.CONTENT_TYPES),
        "_rels/.rels": raw_deflate(build.ROOT_RELS),
        "xl/workbook.xml": raw_deflate(build.WORKBOOK),
        "xl/_rels/workbook.xml.rels": raw_deflate(SHARED_STRINGS_RELS if shared else build.RELS),
        "xl/worksheets/sheet1.xml": raw_deflate(build.SHEET_HEAD + sheet),
    }
    if shared:
        members["xl/sharedStrings.xml"] = shared
    write_zip(path, members)
    return path


@pytest.mark.parametrize("member", ["sharedStrings", "sheet"])
def test_three_gigabytes_declared_as_one_thousand_bytes(member: str, tmp_path: Path) -> None:
    """A 3 MB workbook whose member declares 1,000 bytes and inflates to 3 GB is refused
    (exit 1, could-not-read) in a few seconds without the memory to hold it."""
    filler = b"A" * (1 << 20)
    if member == "sharedStrings":
        stream, crc, _ = repeated_deflate(SST_HEAD + b"<si><t>", filler, 3_000, b"</t></si></sst>")
        sheet = b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
        path = _workbook(tmp_path / "bomb.xlsx", sheet, (stream, crc, 1_000))
    else:
        head = b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
        stream, crc, _ = repeated_deflate(
            head, filler, 3_000, b"</t></is></c></row></sheetData></worksheet>"
        )
        path = tmp_path / "bomb.xlsx"
        _workbook(path, b"", None)
        members = {}
        import zipfile

        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                members[info.filename] = raw_deflate(archive.read(info))
        members["xl/worksheets/sheet1.xml"] = (stream, crc, 1_000)
        write_zip(path, members)
    assert path.stat().st_size < 4_000_000
    outcome = run_child(["validate", str(path), "--format", "json"], timeout=30)
    record("3 GB bomb", outcome)
    assert not outcome.problems(), (outcome.problems(), outcome.describe())
    assert outcome.code == 1
    assert "could-not-read" in outcome.output
    assert outcome.peak_rss_mb is not None and outcome.peak_rss_mb < MEMORY_BASE_MB


def test_fifty_megabyte_quoted_cell(tmp_path: Path) -> None:
    """One 50 MB quoted cell ends with exit 1 in a few seconds, in memory within the stated
    multiple of the file size, under `ulimit -v`."""
    path = tmp_path / "ost.csv"
    header = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total\n"
    path.write_text(header + '"Fife' + "x" * 50_000_000 + '",2023/24 Q1,1,2,3,4,0,10\n')
    size_mb = path.stat().st_size / 1024 / 1024
    outcome = run_child(["validate", str(path)], timeout=30)
    record("50 MB cell", outcome)
    assert not outcome.problems(), (outcome.problems(), outcome.describe())
    assert outcome.code == 1
    assert outcome.peak_rss_mb is not None
    assert outcome.peak_rss_mb < MEMORY_BASE_MB + MEMORY_MULTIPLE * size_mb, outcome.peak_rss_mb


def _count_codes(report_json: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in (f for file in json.loads(report_json)["files"] for f in file["findings"]):
        counts[item["code"]] = counts.get(item["code"], 0) + 1
    return counts


def test_three_hundred_thousand_extra_cells_are_capped(tmp_path: Path) -> None:
    """300,000 rows with a stray cell list at most the cap of extra-cells findings plus one
    too-many-findings, in a few seconds (today: 300,000 findings, 110 MB of JSON)."""
    path = tmp_path / "ost.csv"
    header = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total"
    path.write_text(
        header + "\n" + "".join(f"Fife,2023/24 Q1,1,2,3,4,0,10,s{i}\n" for i in range(300_000))
    )
    outcome = run_child(["validate", str(path), "--format", "json"], timeout=60)
    record("300k extra cells", outcome)
    assert not outcome.problems(), (outcome.problems()[:3], outcome.output[-300:])
    counts = _count_codes(outcome.output)
    assert all(n <= CAP for n in counts.values()), counts
    assert counts.get("extra-cells", 0) >= 1


def _every_code_rows(kind: str, rows: int) -> str:
    """A return whose every row breaks as many rules as it can, each a different way."""
    if kind == "ost":
        lines = [
            "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total"
        ]
        lines += [
            f'Nowhere{i},2023/24 Q{5 + i % 4},x{i},-{i},{i}.5,c,"1,{i:03d}",,stray{i},more'
            for i in range(rows)
        ]
    else:
        lines = [
            "adp,person_id,referral_date,treatment_start_date,referral_source,substance,treatment_type"
        ]
        dates = ("05/31/2024", "2999-01-01", "1990-01-01", "2024-13-45", "31/02/2024")
        lines += [
            f"Fife,P{i}\x07,{dates[i % 5]},2020-01-0{1 + i % 9},robot{i},gin,,x{i}"
            for i in range(rows)
        ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("kind", ["ost", "episodes"])
def test_cap_holds_for_every_code(kind: str, tmp_path: Path) -> None:
    """With 12,000 rows that each break many rules, no code lists more than the cap, and
    too-many-findings appears at most once per code."""
    path = tmp_path / f"{kind}.csv"
    path.write_text(_every_code_rows(kind, 12_000))
    outcome = run(["validate", str(path), "--format", "json"])
    record("cap for every code", outcome)
    assert outcome.code == 1, outcome.describe()
    counts = _count_codes(outcome.output)
    over = {code: n for code, n in counts.items() if n > CAP}
    assert not over, over
    assert counts.get("too-many-findings", 0) <= len(counts) - 1, counts
    assert len(counts) >= 6, counts


def test_time_limit_fires_inside_the_excel_reader(tmp_path: Path) -> None:
    """With --time-limit 1, a workbook whose shared strings take seconds to parse ends with
    exit 2 and the time-limit message, never a could-not-read finding and exit 1."""
    rng = random.Random(11)
    words = [b"<si><t>%s</t></si>" % w for w in (b"alpha", b"beta", b"gamma", b"delta")]
    filler = b"".join(rng.choice(words) for _ in range(60_000))
    shared = repeated_deflate(SST_HEAD, filler, 150, b"</sst>")
    sheet = b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    path = _workbook(tmp_path / "ost.xlsx", sheet, shared)
    outcome = run_child(["--time-limit", "1", "validate", str(path)], timeout=30)
    if "time-limit" in outcome.output or "time limit" in outcome.output:
        assert outcome.code == 2, outcome.describe()
        assert "could-not-read" not in outcome.output, outcome.describe()
    else:  # read, or refused, before the limit: then it must not have taken longer than it
        assert outcome.code in (0, 1) and outcome.elapsed < 2, outcome.describe()


def test_limits_after_the_subcommand_and_from_the_environment(tmp_path: Path) -> None:
    """`mission validate --max-file-mb 1 FILE` and `MISSION_MAX_FILE_MB=1` refuse a 2 MB file
    as the root option does."""
    path = tmp_path / "ost.csv"
    header = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total"
    path.write_text(header + "\n" + "Fife,2023/24 Q1,1,2,3,4,0,10\n" * 80_000)
    assert path.stat().st_size > 2 * 1024 * 1024
    assert "over the limit" in run(["--max-file-mb", "1", "validate", str(path)]).output
    after = run(["validate", "--max-file-mb", "1", str(path)])
    assert after.code == 1 and "over the limit" in after.output, after.describe()
    from_env = run(["validate", str(path)], env={"MISSION_MAX_FILE_MB": "1"})
    assert from_env.code == 1 and "over the limit" in from_env.output, from_env.describe()


@pytest.fixture(scope="module")
def slow_episodes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3,000,000-row episodes return: seconds to validate, so a one-second limit fires."""
    big = tmp_path_factory.mktemp("slow") / "episodes.csv"
    header = "adp,person_id,referral_date,treatment_start_date,referral_source,substance,treatment_type\n"
    big.write_text(header + "Fife,X,2024-04-01,2024-04-02,self,drugs,ost\n" * 3_000_000)
    return big


def test_time_limit_from_the_environment(slow_episodes: Path) -> None:
    """`MISSION_TIME_LIMIT=1` stops a slow run with exit 2, as --time-limit does."""
    outcome = run_child(
        ["validate", str(slow_episodes)], env={"MISSION_TIME_LIMIT": "1"}, timeout=60
    )
    assert outcome.code == 2, outcome.describe()
    assert "time-limit" in outcome.output.lower() or "time limit" in outcome.output.lower()


# --- single files with one promise each ------------------------------------------------------


def _codes(path: Path, *extra: str) -> tuple[Outcome, list[str]]:
    outcome = run(["validate", str(path), "--format", "json", *extra])
    try:
        found = [
            f["code"] for file in json.loads(outcome.output)["files"] for f in file["findings"]
        ]
    except ValueError:
        found = []
    return outcome, found


def test_xlsx_value_beyond_the_last_header_column_is_an_error() -> None:
    """An Excel value beyond the last header column is an extra-cells error, as in CSV."""
    outcome, codes = _codes(HOSTILE / "xlsx-value-beyond-header.xlsx")
    assert outcome.code == 1, outcome.describe()
    assert "extra-cells" in codes


def test_unclosed_quote_in_the_header_is_not_an_empty_file() -> None:
    """An unclosed quote in the header is reported as what it is, never as `empty-file`."""
    outcome, codes = _codes(HOSTILE / "unclosed-quote-in-header.csv")
    assert outcome.code == 1, outcome.describe()
    assert codes and "empty-file" not in codes, codes


def test_a_file_named_with_brackets_is_read() -> None:
    """`Fife OST [final].csv`, a valid return, is read as itself and is valid."""
    outcome = run(["validate", str(HOSTILE / "Fife OST [final].csv")])
    assert outcome.code == 0, outcome.describe()


@pytest.mark.parametrize(
    "name",
    [
        "json-5000-digit-integer.json",
        "json-lone-surrogate-in-cell.json",
        "json-lone-surrogate-in-key.json",
        "header-holds-uffff.csv",
        "header-holds-xml-invalid-controls.csv",
    ],
)
def test_machine_formats_stay_well_formed(name: str) -> None:
    """Huge integers, lone surrogates, U+FFFF and XML-illegal controls leave JSON, SARIF and
    JUnit output well-formed, with exit 0 or 1."""
    for fmt in ("json", "sarif", "junit", "github"):
        args = ["validate", str(HOSTILE / name), "--format", fmt]
        outcome = run(args)
        assert outcome.code in (0, 1), outcome.describe()
        assert _well_formed(args, outcome.output) is None, _well_formed(args, outcome.output)
        outcome.output.encode("utf-8")


def test_junit_written_to_a_file_is_well_formed(tmp_path: Path) -> None:
    """JUnit written with -o over a header holding U+FFFF parses as XML."""
    target = tmp_path / "junit.xml"
    outcome = run(
        ["validate", str(HOSTILE / "header-holds-uffff.csv"), "-f", "junit", "-o", str(target)]
    )
    assert outcome.code == 1, outcome.describe()
    ElementTree.parse(target)


def test_two_gigabyte_line_is_refused_by_size(tmp_path: Path) -> None:
    """A CSV with a 2 GB line is refused at once by the size limit, without reading it."""
    path = tmp_path / "ost.csv"
    with path.open("wb") as stream:
        stream.write(b"adp,period,methadone\nFife,2023/24 Q1,")
        stream.seek(2 * 1024**3)
        stream.write(b"1\n")
    code, output, elapsed = _run(["validate", str(path)])
    assert code == 1
    assert "over the limit" in output
    assert elapsed < 5


def test_large_json_within_limits(tmp_path: Path) -> None:
    """A 30 MB JSON return is read in bounded time; over --max-file-mb it is refused."""
    row = '{"adp": "Fife", "calendar_year": 2023, "drug_misuse_deaths": 1},'
    path = tmp_path / "deaths.json"
    path.write_text("[" + row * 450_000 + row[:-1] + "]")
    code, output, elapsed = _run(["validate", str(path), "--max-findings", "1"])
    assert code == 1 and elapsed < TIME_BOUND
    code, output, _ = _run(["--max-file-mb", "10", "validate", str(path)])
    assert code == 1 and "over the limit" in output


def test_file_names_with_escape_sequences(tmp_path: Path) -> None:
    """A file name holding a terminal escape sequence is shown escaped."""
    path = tmp_path / f"ost{ESC}[31mred.csv"
    path.write_text((FIXTURES / "invalid" / "ost-total-mismatch.csv").read_text())
    for fmt in ("text", "json", "github", "junit"):
        code, output, _ = _run(["validate", str(tmp_path), "--format", fmt])
        assert code == 1
        assert ESC not in output, fmt


def test_target_files_never_run_code(tmp_path: Path) -> None:
    """Target files are data: a file that tries to run code is refused and nothing runs."""
    marker = Path("/tmp/mission-pwned")
    marker.unlink(missing_ok=True)
    code, output, _ = _run(["targets", "--targets", str(HOSTILE / "targets-evil")])
    assert code == 2
    assert "evil.toml" in output or "local.toml" in output
    assert not marker.exists()


def test_formulas_are_neutralised_in_what_we_write(tmp_path: Path) -> None:
    """A comment starting with = is stored as sent but exported with a leading quote."""
    rows = ["adp,year,standard,status,comment"]
    rows += [f"Fife,2024/25,{s},amber," for s in range(1, 10)]
    rows.append('Fife,2024/25,10,amber,"=HYPERLINK(""http://127.0.0.1"",""x"")"')
    path = tmp_path / "mat.csv"
    path.write_text("\n".join(rows) + "\n")
    store = tmp_path / "s.sqlite"
    assert _run(["submit", str(path), "--store", str(store)])[0] == 0
    code, output, _ = _run(["export", "--kind", "mat", "--store", str(store)])
    assert code == 0
    assert "'=HYPERLINK" in output
    assert "\n=HYPERLINK" not in output and ",=HYPERLINK" not in output


def test_time_limit_stops_a_slow_run(slow_episodes: Path) -> None:
    """--time-limit ends a run that takes too long with exit 2 and a clear message."""
    mission = str(Path(sysconfig.get_path("scripts")) / "mission")
    done = subprocess.run(
        [mission, "--time-limit", "1", "validate", str(slow_episodes)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert done.returncode == 2
    assert "--time-limit" in done.stderr
    assert "Traceback" not in done.stderr


def test_corpus_is_reproducible() -> None:
    """The corpus builder is part of the repository (files can be rebuilt)."""
    assert (HOSTILE / "build_hostile.py").is_file()
    assert ROOT.joinpath("README.md").read_text().count("fixtures/hostile/") >= 1
