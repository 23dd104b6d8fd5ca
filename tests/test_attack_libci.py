"""Attacks as a developer importing `mission` and as a CI pipeline gating a repository of
returns (`mission check`, its output formats, the pre-commit hooks and the Action).

Every CLI test runs the installed console script in a subprocess from the repository's folder,
as CI and pre-commit do. Each builds its repository in `tmp_path`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sysconfig
from pathlib import Path

import pytest

import mission

MISSION = str(Path(sysconfig.get_path("scripts")) / "mission")
OST_HEADER = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total\n"
FIFE_OST = OST_HEADER + "Fife,2024/25 Q1,1466,530,181,0,3,2180\n"
CONFIG = '[check]\nreturns = "returns"\npattern = "{adp}/{kind}/{period}.{ext}"\n'


def _run(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    full.update(env or {})
    return subprocess.run(
        [MISSION, *args], cwd=cwd, capture_output=True, text=True, timeout=120, env=full
    )


def _repo(tmp_path: Path) -> Path:
    """A repository with mission.toml and one valid return, returns/fife/ost/2024-25-q1.csv."""
    root = tmp_path / "repo"
    (root / "returns" / "fife" / "ost").mkdir(parents=True)
    (root / "mission.toml").write_text(CONFIG)
    (root / "returns" / "fife" / "ost" / "2024-25-q1.csv").write_text(FIFE_OST)
    return root


def test_summary_never_appends_to_a_return_the_run_read(tmp_path: Path) -> None:
    """`mission check --summary` naming a return the run read is refused (exit 2) and the
    return is left byte for byte as it was, as `-o` and `--sarif` naming it are."""
    root = _repo(tmp_path)
    ret = root / "returns" / "fife" / "ost" / "2024-25-q1.csv"
    before = ret.read_bytes()
    done = _run(root, "check", ".", "--summary", "returns/fife/ost/2024-25-q1.csv")
    assert ret.read_bytes() == before
    assert done.returncode == 2


def test_github_step_summary_never_appends_to_a_return_the_run_read(tmp_path: Path) -> None:
    """With $GITHUB_STEP_SUMMARY pointing at the return being validated, `mission validate
    --format github` leaves the return unchanged."""
    root = _repo(tmp_path)
    ret = root / "returns" / "fife" / "ost" / "2024-25-q1.csv"
    before = ret.read_bytes()
    _run(
        root,
        "validate",
        "returns/fife/ost/2024-25-q1.csv",
        "--format",
        "github",
        env={"GITHUB_STEP_SUMMARY": str(ret)},
    )
    assert ret.read_bytes() == before


def test_check_output_never_overwrites_its_own_config(tmp_path: Path) -> None:
    """`mission check . -o mission.toml` (or `--sarif`/`--summary mission.toml`) is refused
    with exit 2 and leaves mission.toml intact, so the next run still reads its config."""
    root = _repo(tmp_path)
    config = root / "mission.toml"
    for args in (
        ("-o", "mission.toml"),
        ("--format", "json", "-o", "mission.toml"),
        ("--sarif", "mission.toml"),
        ("--summary", "mission.toml"),
    ):
        done = _run(root, "check", ".", *args)
        assert config.read_text() == CONFIG, args
        assert done.returncode == 2, args


def test_output_named_for_a_format_not_written_is_refused(tmp_path: Path) -> None:
    """README: an -o name that says a format the command does not write is refused (exit 2);
    `.toml` and `.yaml` are such names, only .txt, .log and no ending are free."""
    root = _repo(tmp_path)
    for name in ("notes.toml", "report.yaml"):
        done = _run(root, "validate", "returns", "-o", name)
        assert done.returncode == 2, name
        assert not (root / name).exists(), name


def test_dangling_or_looping_link_in_returns_fails_the_gate(tmp_path: Path) -> None:
    """A return file in the returns folder that cannot be read (a symlink loop, a link to a
    file that is not there) fails `mission check` as it fails `mission validate FILE`: it is
    never silently dropped."""
    root = _repo(tmp_path)
    ost = root / "returns" / "fife" / "ost"
    os.symlink("2024-25-q3.csv", ost / "2024-25-q2.csv")
    os.symlink("2024-25-q2.csv", ost / "2024-25-q3.csv")
    os.symlink("not-committed.csv", ost / "2024-25-q4.csv")
    direct = _run(root, "validate", "returns/fife/ost/2024-25-q2.csv")
    assert direct.returncode == 1
    done = _run(root, "check", ".", "--format", "json")
    report = json.loads(done.stdout)
    listed = {Path(f["path"]).name for f in report["report"]["files"]}
    assert {"2024-25-q2.csv", "2024-25-q3.csv", "2024-25-q4.csv"} <= listed
    assert done.returncode == 1


def test_return_saved_in_an_unread_format_is_not_silently_passed(tmp_path: Path) -> None:
    """An officer's return committed as .xls or .ods at returns/<adp>/<kind>/<period> is
    reported (at least a warning, failing --strict), never skipped with the gate passing."""
    root = _repo(tmp_path)
    ost = root / "returns" / "fife" / "ost"
    (ost / "2024-25-q2.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    (ost / "2024-25-q3.ods").write_bytes(b"PK\x03\x04" + b"\0" * 60)
    done = _run(root, "check", ".", "--strict", "--format", "json")
    assert done.returncode != 0
    text = done.stdout
    assert "2024-25-q2.xls" in text and "2024-25-q3.ods" in text


def test_check_with_no_returns_does_not_pass_the_gate(tmp_path: Path) -> None:
    """A repository whose returns folder holds no returns is not 'valid' (exit 0): like
    `mission validate returns/` (exit 2) and `--exclude` leaving nothing, a gate that checked
    nothing must not pass."""
    root = tmp_path / "repo"
    (root / "returns").mkdir(parents=True)
    (root / "mission.toml").write_text(CONFIG)
    assert _run(root, "validate", "returns").returncode == 2
    assert _run(root, "check", ".").returncode != 0


def test_pre_commit_validate_hook_passes_when_only_archived_returns_change(
    tmp_path: Path,
) -> None:
    """docs/ci.md's pre-commit setup (`mission-validate` with `args: [--exclude,
    "*/archive/*"]`) lets through a commit that changes only archived returns: pre-commit
    hands the hook those files, the hook leaves them out and passes (exit 0)."""
    root = _repo(tmp_path)
    archive = root / "returns" / "archive"
    archive.mkdir()
    (archive / "old.csv").write_text("anything,at all\n1,2\n")
    # pre-commit runs: entry + args + the changed files that match `files:`
    done = _run(root, "validate", "--exclude", "*/archive/*", "returns/archive/old.csv")
    assert done.returncode == 0, done.stderr


def test_one_file_named_two_ways_is_one_file(tmp_path: Path) -> None:
    """A file named twice (relative and absolute, or through `..`) is checked once, never
    reported as duplicating itself across files."""
    root = _repo(tmp_path)
    rel = "returns/fife/ost/2024-25-q1.csv"
    for other in (str(root / rel), "returns/fife/../fife/ost/2024-25-q1.csv"):
        done = _run(root, "validate", rel, other)
        assert done.returncode == 0, (other, done.stdout)
        assert "duplicate-across-files" not in done.stdout


def test_sarif_region_of_a_json_return_is_never_a_record_number(tmp_path: Path) -> None:
    """SARIF's region.startLine is a line of the file: a finding in the second record of a
    pretty-printed JSON return points at the line that record is on, or at the file alone
    (mission does not know JSON lines), never at line 2."""
    root = _repo(tmp_path)
    rehab = root / "returns" / "fife" / "rehab"
    rehab.mkdir()
    text = (
        '{\n  "kind": "rehab",\n  "spec_version": 1,\n  "rows": [\n'
        '    {"adp": "Fife", "period": "2024/25 Q1", "funding_source": "adp", '
        '"placements_started": 3},\n'
        '    {"adp": "Fife", "period": "2024/25 Q1", "funding_source": "nhs", '
        '"placements_started": -2}\n  ]\n}\n'
    )
    (rehab / "2024-25-q1.json").write_text(text)
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if '"nhs"' in ln)
    done = _run(root, "check", ".", "--format", "sarif")
    results = json.loads(done.stdout)["runs"][0]["results"]
    bad = [r for r in results if r["ruleId"] == "negative-count"]
    assert bad
    region = bad[0]["locations"][0]["physicalLocation"].get("region")
    assert region is None or region["startLine"] == line


def test_sarif_and_annotation_columns_are_character_columns(tmp_path: Path) -> None:
    """SARIF startColumn and GitHub's `col=` count characters along the line, so a CSV finding
    on `total` (the 8th field) points at where that field starts in the line, not character 8;
    or there is no column at all (the line alone)."""
    root = _repo(tmp_path)
    ret = root / "returns" / "fife" / "ost" / "2024-25-q1.csv"
    line = "Fife,2024/25 Q1,1466,530,181,0,3,9999"
    ret.write_text(OST_HEADER + line + "\n")
    want = line.index("9999") + 1
    sarif = json.loads(_run(root, "check", ".", "--format", "sarif").stdout)
    bad = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "total-mismatch"]
    region = bad[0]["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 2 and region.get("startColumn", want) == want
    github = _run(root, "check", ".", "--format", "github").stdout
    assert f"line=2,col={want}," in github or ("line=2," in github and "col=" not in github)


def test_sarif_line_of_a_csv_record_after_a_multiline_cell(tmp_path: Path) -> None:
    """After a quoted cell holding line breaks, a finding's SARIF startLine and GitHub `line=`
    are the line the record starts on in the file, where code scanning will show it."""
    root = _repo(tmp_path)
    ret = root / "returns" / "fife" / "ost" / "2024-25-q1.csv"
    ret.write_text(
        OST_HEADER.rstrip("\n") + ",note\n"
        'Fife,2024/25 Q1,1466,530,181,0,3,2180,"one\ntwo\nthree"\n'
        "Fife,2024/25 Q1,1,1,1,1,1,99,x\n"
    )
    sarif = json.loads(_run(root, "check", ".", "--format", "sarif").stdout)
    bad = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "total-mismatch"]
    assert bad[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 5


def test_misspelt_config_table_is_refused(tmp_path: Path) -> None:
    """mission.toml refuses a misspelt key (`pattren`) with exit 2; a misspelt table (`[chek]`)
    is refused the same way, not silently replaced by the defaults."""
    root = _repo(tmp_path)
    (root / "mission.toml").write_text('[chek]\nreturns = "elsewhere"\n')
    done = _run(root, "check", ".")
    assert done.returncode == 2


def test_config_pattern_that_cannot_match_is_refused(tmp_path: Path) -> None:
    """A pattern with no {ext}, or one climbing out with `..`, is a bad config (exit 2), not a
    run that calls every file name 'not a quarter' or turns every name check into a warning."""
    root = _repo(tmp_path)
    for pattern in ("{adp}/{kind}/{period}", "../{adp}/{kind}/{period}.{ext}"):
        (root / "mission.toml").write_text(f'[check]\npattern = "{pattern}"\n')
        assert _run(root, "check", ".").returncode == 2, pattern


def test_read_return_gives_other_zero_when_blank() -> None:
    """The contract says ost `other` blank = 0: read_return gives 0 there, not null, so a row's
    medication columns add up to its total."""
    data = mission.NamedBytes("o.csv", (OST_HEADER + "Fife,2024/25 Q1,1,2,3,4,,10\n").encode())
    frame = mission.read_return(data)
    assert frame["other"].to_list() == [0]


def test_validate_of_nothing_is_not_valid() -> None:
    """`mission.validate([])` (a glob that matched nothing) raises InvalidPath, as a folder
    holding no returns does, rather than returning a valid Report of zero files."""
    with pytest.raises(mission.InvalidPath):
        mission.validate([])


@pytest.mark.parametrize("end", ["\r", "\n"])
def test_a_line_break_in_a_file_name_is_where_annotations_and_sarif_point(
    tmp_path: Path, end: str
) -> None:
    """A file named with a CR (or LF) was pointed at by its escaped text (`a\\rb.csv`, SARIF
    `a%5Crb.csv`), which names no file: the annotation says `%0D` (GitHub decodes it), the SARIF
    URI the character itself, percent-encoded (found by an attack)."""
    name = f"a{end}b.csv"
    (tmp_path / name).write_text(FIFE_OST.replace(",2180", ",2181"))  # a wrong total: an error
    said = _run(tmp_path, "validate", name, "--format", "github")
    assert said.returncode == 1, said.stderr
    code = "%0D" if end == "\r" else "%0A"
    assert f"file=a{code}b.csv," in said.stdout
    sarif = _run(tmp_path, "validate", name, "--format", "sarif")
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in json.loads(sarif.stdout)["runs"][0]["results"]
    }
    assert uris == {f"a{code}b.csv"}


def test_completeness_names_no_refusal_beside_no_period(tmp_path: Path) -> None:
    """A repository whose only return is for a quarter not ended (refused): no quarter is
    judged, and its row said `...; Fife: refused` beside the period `—`."""
    root = tmp_path / "repo"
    (root / "returns" / "fife" / "ost").mkdir(parents=True)
    (root / "mission.toml").write_text(CONFIG)
    late = FIFE_OST.replace("2024/25 Q1", "2090/91 Q1")
    (root / "returns" / "fife" / "ost" / "2090-91-q1.csv").write_text(late)
    done = _run(root, "check", ".", "--format", "json")
    assert done.returncode == 1, done.stderr
    ost = next(c for c in json.loads(done.stdout)["completeness"] if c["kind"] == "ost")
    assert (ost["period"], ost["refused"]) == (None, [])


def test_history_without_a_store_names_no_path(tmp_path: Path) -> None:
    done = _run(tmp_path, "history", env={"MISSION_STORE": ""})
    assert done.returncode == 2
    assert "Could not run: no store given: pass --store PATH" in done.stderr


def test_a_missing_return_whose_place_holds_a_file_points_at_that_file(tmp_path: Path) -> None:
    """Found by a newcomer: Fife's place held Angus's return (`name-mismatch`), and Fife's
    `return-missing` said to add the file that was already there."""
    root = _repo(tmp_path)
    (root / "returns" / "fife" / "ost" / "2024-25-q1.csv").write_text(
        FIFE_OST.replace("Fife,", "Angus,")
    )
    done = _run(root, "check", ".", "--require-complete", "--format", "json")
    assert done.returncode == 1, done.stderr
    findings = [f for r in json.loads(done.stdout)["report"]["files"] for f in r["findings"]]
    fife = next(f for f in findings if f["code"] == "return-missing" and "Fife" in f["message"])
    assert fife["hint"].startswith("returns/fife/ost/2024-25-q1.csv is there but is not read")
    (root / "returns" / "fife" / "rehab").mkdir()
    (root / "returns" / "fife" / "rehab" / "2024-25-q1.JSON").write_text("[]")  # any ending
    done = _run(root, "check", ".", "--require-complete", "--format", "json")
    findings = [f for r in json.loads(done.stdout)["report"]["files"] for f in r["findings"]]
    held = next(f for f in findings if f["message"].startswith("no rehab return for 2024/25 Q1 "
                                                                "from Fife"))  # fmt: skip
    assert held["hint"].startswith("returns/fife/rehab/2024-25-q1.JSON is there")
    rehab = next(f for f in findings if f["message"].startswith("no rehab return for 2024/25 Q1 "
                                                                 "from Angus"))  # fmt: skip
    assert rehab["hint"].startswith("Add it as returns/angus/rehab/2024-25-q1.csv (or .xlsx)")
