"""Attacks on the library and CI surface and on the returns store (black box: the installed CLI).

Each test states the behaviour that should hold; each failed on the code it was written against.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

MISSION = str(Path(sys.executable).with_name("mission"))
OST_HEADER = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total\n"


def _run(
    *args: object, cwd: Path | None = None, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [MISSION, *(str(a) for a in args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,  # type: ignore[arg-type]
    )


def _ost(path: Path, adp: str = "Fife", period: str = "2023/24 Q1", methadone: int = 10) -> Path:
    total = methadone + 20
    path.write_text(OST_HEADER + f"{adp},{period},{methadone},10,10,0,0,{total}\n")
    return path


def _bad_ost(path: Path) -> Path:
    path.write_text(OST_HEADER + "Fife,2023/24 Q1,10,10,10,0,0,999\n")  # total-mismatch
    return path


# --- output paths ---------------------------------------------------------------------------


def test_output_never_overwrites_the_return_being_validated(tmp_path: Path) -> None:
    """`-o` (and `--sarif`) naming the return being validated is refused, and the return is untouched."""
    ret = _bad_ost(tmp_path / "ost.csv")
    before = ret.read_bytes()
    result = _run("validate", ret, "-o", ret)
    assert ret.read_bytes() == before, "the officer's return was replaced by the report"
    assert result.returncode == 2
    other = _bad_ost(tmp_path / "ost2.csv")
    before2 = other.read_bytes()
    _run("validate", other, "-f", "json", "-o", tmp_path / "r.json", "--sarif", other)
    assert other.read_bytes() == before2, "the return was replaced by the SARIF file"


def test_output_to_a_fifo_writes_into_it_and_keeps_it(tmp_path: Path) -> None:
    """`-o` to a FIFO or device (/dev/stdout, /dev/null) writes into it and never replaces the node."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        result = _run("validate", _ost(tmp_path / "ost.csv"), "-f", "json", "-o", fifo)
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced by a regular file"
        assert result.returncode == 0, result.stderr
        data = os.read(reader, 1 << 20)
        assert json.loads(data)["valid"] is True
    finally:
        os.close(reader)


def test_progress_text_output_goes_to_the_file_given(tmp_path: Path) -> None:
    """`mission progress -o FILE` writes FILE (in the default text format too), not stdout."""
    out = tmp_path / "progress.txt"
    result = _run("progress", _ost(tmp_path / "ost.csv"), "-o", out)
    assert result.returncode == 0, result.stderr
    assert out.exists(), "-o was ignored: the table went to stdout"
    assert "opioid substitution" in out.read_text()


def test_measures_text_output_goes_to_the_file_given(tmp_path: Path) -> None:
    """`mission measures -o FILE` writes FILE (in the default text format too), not stdout."""
    episodes = tmp_path / "episodes.csv"
    episodes.write_text(
        "adp,person_id,referral_date,treatment_start_date,referral_source,substance,treatment_type\n"
        "Fife,P1,2024-04-02,2024-04-10,self,drugs,ost\n"
    )
    out = tmp_path / "measures.txt"
    result = _run("measures", episodes, "-o", out)
    assert result.returncode == 0, result.stderr
    assert out.exists(), "-o was ignored: the table went to stdout"


# --- --exclude ------------------------------------------------------------------------------


def test_validate_exclude_leaves_files_out(tmp_path: Path) -> None:
    """`mission validate DIR --exclude 'archive/*'` does not validate the excluded files."""
    returns = tmp_path / "returns"
    (returns / "archive").mkdir(parents=True)
    _ost(returns / "ost.csv")
    _bad_ost(returns / "archive" / "old.csv")
    result = _run("validate", returns, "--exclude", "archive/*", "-f", "json")
    report = json.loads(result.stdout)
    assert [Path(f["path"]).name for f in report["files"]] == ["ost.csv"]
    assert result.returncode == 0


def test_library_validate_honours_exclude(tmp_path: Path) -> None:
    """`mission.validate(folder, exclude=[...])`, as docs/ci.md shows it, leaves those files out."""
    returns = tmp_path / "returns"
    (returns / "archive").mkdir(parents=True)
    _ost(returns / "ost.csv")
    _bad_ost(returns / "archive" / "old.csv")
    code = (
        "import mission, sys\n"
        f"r = mission.validate({str(returns)!r}, exclude=['archive/*'])\n"
        "sys.exit(0 if [f.path for f in r.files] and r.valid and len(r.files) == 1 else 1)\n"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=120).returncode == 0


def test_check_that_excludes_every_file_does_not_pass(tmp_path: Path) -> None:
    """A `mission check` whose --exclude leaves no file to check does not report valid (exit 0)."""
    repo = tmp_path / "repo"
    folder = repo / "returns" / "fife" / "ost"
    folder.mkdir(parents=True)
    _bad_ost(folder / "2023-24-q1.csv")
    assert _run("check", repo).returncode == 1
    result = _run("check", repo, "--exclude", "*")
    assert result.returncode != 0, (
        "a typo in --exclude turns the CI gate green with 0 files checked"
    )


# --- paths ----------------------------------------------------------------------------------


def test_an_empty_path_is_not_the_current_folder(tmp_path: Path) -> None:
    """`mission submit ""` (an unset variable) is refused as no such file; it never submits the current folder."""
    work = tmp_path / "work"
    work.mkdir()
    _ost(work / "someone-elses-return.csv")
    store = tmp_path / "store.sqlite"
    result = _run("submit", "", "--store", store, cwd=work)
    assert result.returncode == 2, result.stdout
    assert "accepted" not in result.stdout
    assert _run("validate", "", cwd=work).returncode == 2


def test_stdin_given_twice_is_read_once(tmp_path: Path) -> None:
    """`mission validate - -` reads standard input once (as the same path given twice is checked once)."""
    data = _ost(tmp_path / "ost.csv").read_text()
    result = subprocess.run(
        [MISSION, "validate", "-", "-", "-f", "json"],
        input=data,
        capture_output=True,
        text=True,
        timeout=60,
    )
    report = json.loads(result.stdout)
    assert len(report["files"]) == 1, "the second '-' was reported as an empty file"
    assert result.returncode == 0


# --- the store ------------------------------------------------------------------------------


def test_submit_result_does_not_depend_on_argument_order(tmp_path: Path) -> None:
    """Two files of one submit that cover the same slice give the same store whatever their order."""
    a = _ost(tmp_path / "ost-q1.csv", methadone=10)
    b = _ost(tmp_path / "ost-q1-resent.csv", methadone=11)
    exports = []
    for name, order in (("ab", (a, b)), ("ba", (b, a))):
        store = tmp_path / f"{name}.sqlite"
        _run("submit", *order, "--store", store)
        exports.append(_run("export", "--kind", "ost", "--store", store).stdout)
    assert exports[0] == exports[1], f"order decides which revision is stored:\n{exports}"


def test_progress_from_a_store_as_of_ignores_later_revisions(tmp_path: Path) -> None:
    """`progress --store S --as-of T` uses the revisions accepted by T, as `export --as-of T` does."""
    store = tmp_path / "store.sqlite"
    assert (
        _run("submit", _ost(tmp_path / "v1.csv", methadone=100), "--store", store).returncode == 0
    )
    time.sleep(0.05)
    between = dt.datetime.now(dt.UTC).isoformat()
    time.sleep(0.05)
    assert (
        _run("submit", _ost(tmp_path / "v2.csv", methadone=110), "--store", store).returncode == 0
    )
    exported = _run("export", "--kind", "ost", "--store", store, "--as-of", between).stdout
    assert ",120\n" in exported  # the store itself knows the total as it stood: 100 + 20
    result = _run("progress", "--store", store, "--as-of", between, "-t", "ost", "-f", "json")
    [ost] = json.loads(result.stdout)["targets"]
    assert ost["latest_value"] == 120, "progress used a revision sent after --as-of"


def _nobody_can_run() -> bool:
    return os.geteuid() != 0 or shutil.which("setpriv") is not None


@pytest.mark.skipif(not _nobody_can_run(), reason="needs a user who cannot write the folder")
def test_read_only_reader_never_silently_misses_committed_submissions(tmp_path: Path) -> None:
    """A reader that cannot write the store's folder sees every committed submission, or is refused (exit 2)."""
    folder = Path(tempfile.mkdtemp(prefix="mission-ro-", dir="/tmp"))
    try:
        store = folder / "store.sqlite"
        first = _ost(folder / "v1.csv", methadone=100)
        second = _ost(folder / "v2.csv", methadone=110)
        assert _run("submit", first, "--store", store).returncode == 0
        # A writer that committed and then died (kill -9): its WAL holds the commit.
        code = (
            "import mission, os, sys\n"
            f"s = mission.Store({str(store)!r})\n"
            f"[o] = s.submit([{str(second)!r}])\n"
            "os._exit(0 if o.status == 'accepted' else 1)\n"
        )
        assert subprocess.run([sys.executable, "-c", code], timeout=120).returncode == 0
        assert Path(f"{store}-wal").stat().st_size > 0
        Path(f"{store}-shm").unlink()  # e.g. the store and its WAL copied to a shared folder
        for path in folder.iterdir():
            path.chmod(0o644)
        folder.chmod(0o555)
        argv = ["export", "--kind", "ost", "--store", str(store)]
        if os.geteuid() == 0:
            cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", MISSION, *argv]
        else:
            cmd = [MISSION, *argv]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        assert result.returncode == 2 or ",130\n" in result.stdout, (
            f"exit {result.returncode}, stale rows given as current:\n{result.stdout}"
        )
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


# --- CI surface -----------------------------------------------------------------------------


def test_job_summary_shows_cell_values_as_inert_text(tmp_path: Path) -> None:
    """A stranger's cell reaches the GitHub job summary as text, never as a live link or HTML tag."""
    ret = tmp_path / "ost.csv"
    ret.write_text(
        OST_HEADER
        + "[Click to fix](https://evil.example/login),2023/24 Q1,10,10,10,0,0,30\n"
        + "<img src=https://evil.example/pixel.png>,2023/24 Q2,10,10,10,0,0,30\n"
    )
    summary = tmp_path / "summary.md"
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary)}
    env.pop("GITHUB_OUTPUT", None)
    _run("validate", ret, "-f", "github", env=env)
    text = summary.read_text()
    assert "](https://evil.example/login)" not in text, "a live Markdown link in the job summary"
    assert "<img src=" not in text, "a raw HTML tag in the job summary"


def test_template_for_an_unknown_adp_exits_1(tmp_path: Path) -> None:
    """An ADP that does not exist exits 1 (as the README's exit-code table says), in `template` too."""
    assert _run("adps", "show", "Narnia").returncode == 1
    assert _run("template", "ost", "--adp", "Narnia", "-o", tmp_path / "t.csv").returncode == 1


# --- the library ----------------------------------------------------------------------------


def test_progress_to_polars_as_the_package_docstring_shows() -> None:
    """`mission.progress(returns).to_polars()`, the example in `help(mission)`, works."""
    code = "import mission\nr = mission.progress(mission.load_returns([]))\nr.to_polars()\n"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-500:]


def test_returns_are_immutable() -> None:
    """A `Returns` cannot be changed after it is made (its frames mapping refuses assignment)."""
    code = (
        "import mission\n"
        "r = mission.load_returns([])\n"
        "try:\n"
        "    r.frames['ost'] = None\n"
        "except TypeError:\n"
        "    raise SystemExit(0)\n"
        "raise SystemExit(1)\n"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=120).returncode == 0
