"""Attacks on how the installed `mission` process ends: exit codes and output under closed,
full, non-blocking or early-closed standard streams, signals and out-of-range limits.

Every test runs the real console script (a subprocess), since the entry point (`main`, `run`,
`end` in cli/app.py) is what is attacked.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sysconfig
import time
from collections.abc import Callable
from pathlib import Path

import pytest

MISSION = str(Path(sysconfig.get_path("scripts")) / "mission")
OST_HEADER = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total\n"


def _valid_ost(tmp_path: Path) -> Path:
    path = tmp_path / "ost.csv"
    path.write_text(OST_HEADER + "Fife,2023/24 Q1,10,1,2,0,0,13\n")
    return path


def _bad_ost(tmp_path: Path, rows: int = 2000) -> Path:
    """An ost return with an error on every row: a JSON report of several hundred KB."""
    path = tmp_path / "ost-bad.csv"
    path.write_text(OST_HEADER + "Fife,2023/24 Q1,n/a,1,2,3,4,99\n" * rows)
    return path


def _episodes(tmp_path: Path, rows: int = 5000) -> Path:
    """A valid episodes return whose export is far larger than a pipe's buffer."""
    import datetime as dt

    adps = ["Fife", "Glasgow City", "Dundee City", "Aberdeen City", "Highland", "Angus"]
    sources = ["self", "hospital", "social_work", "gp"]
    types = ["psychosocial", "other", "ost", "residential_rehab"]
    start = dt.date(2023, 4, 1)
    lines = [
        "adp,person_id,referral_date,treatment_start_date,referral_source,substance,"
        "treatment_type\n"
    ]
    for i in range(rows):
        day = start + dt.timedelta(days=i % 300)
        lines.append(
            f"{adps[i % 6]},P{i:09d},{day},{day + dt.timedelta(days=i % 30)},"
            f"{sources[i % 4]},{('alcohol', 'drugs')[i % 2]},{types[i % 4]}\n"
        )
    path = tmp_path / "episodes.csv"
    path.write_text("".join(lines))
    return path


def _close_fd(fd: int) -> Callable[[], None]:
    def close() -> None:
        os.close(fd)

    return close


@pytest.mark.parametrize("to_file", [False, True], ids=["report-on-stdout", "report-to-file"])
def test_closed_stderr_keeps_the_exit_code(tmp_path: Path, to_file: bool) -> None:
    """With stderr closed (`2>&-`) a valid return still exits 0: run() must not crash flushing a
    missing sys.stderr (a regression of 8afa2cf when the report is on stdout), and the 'Wrote'
    line must not crash either."""
    out = tmp_path / "report.json"
    options = ["-f", "json", "-o", str(out)] if to_file else []
    done = subprocess.run(
        [MISSION, "validate", str(_valid_ost(tmp_path)), *options],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        preexec_fn=_close_fd(2),
        check=False,
        timeout=120,
    )
    assert out.exists() or not to_file
    assert done.returncode == 0


def test_closed_stdout_with_output_file_is_no_traceback(tmp_path: Path) -> None:
    """With stdout closed (`>&-`) and the report going to -o FILE, the run exits 0 with no
    Python traceback (run() must not crash flushing a missing sys.stdout)."""
    out = tmp_path / "report.json"
    done = subprocess.run(
        [MISSION, "validate", str(_valid_ost(tmp_path)), "-f", "json", "-o", str(out)],
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=_close_fd(1),
        check=False,
        timeout=120,
        text=True,
    )
    assert out.exists()
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr


def test_closed_stdin_is_not_an_internal_error(tmp_path: Path) -> None:
    """`mission validate - <&-` (no standard input at all) is 'could not run' (2), not exit 3."""
    done = subprocess.run(
        [MISSION, "validate", "-", "--kind", "ost"],
        capture_output=True,
        preexec_fn=_close_fd(0),
        check=False,
        timeout=120,
        text=True,
    )
    assert "Internal error" not in done.stderr, done.stderr
    assert done.returncode == 2, done.stderr


def test_export_into_a_pipe_closed_early_exits_2(tmp_path: Path) -> None:
    """`mission export ... | head -c 100` loses most of the export, so it ends with exit 2 as the
    README documents for output closed early, never 0."""
    store = tmp_path / "store.sqlite"
    submitted = subprocess.run(
        [MISSION, "submit", str(_episodes(tmp_path)), "--store", str(store)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert submitted.returncode == 0, submitted.stderr
    whole = subprocess.run(
        [MISSION, "export", "--kind", "episodes", "--store", str(store)],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout
    assert len(whole) > 4 * 65536  # far more than a pipe holds
    with subprocess.Popen(
        [MISSION, "export", "--kind", "episodes", "--store", str(store)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.read(100)
        process.stdout.close()
        process.stderr.read()
        code = process.wait(timeout=120)
    assert code == 2


def test_non_blocking_stdout_loses_nothing_silently(tmp_path: Path) -> None:
    """With a non-blocking stdout (shared with a runner that set O_NONBLOCK) the JSON report is
    either delivered whole or the run says it could not (exit 2); never cut short with exit 1."""
    bad = _bad_ost(tmp_path)
    expected = tmp_path / "expected.json"
    subprocess.run(
        [MISSION, "validate", str(bad), "-f", "json", "-o", str(expected)],
        capture_output=True,
        check=False,
        timeout=120,
    )
    size = expected.stat().st_size
    assert size > 4 * 65536
    read_end, write_end = os.pipe()
    flags = fcntl.fcntl(write_end, fcntl.F_GETFL)
    fcntl.fcntl(write_end, fcntl.F_SETFL, flags | os.O_NONBLOCK)
    try:
        process = subprocess.Popen(
            [MISSION, "validate", str(bad), "-f", "json"],
            stdout=write_end,
            stderr=subprocess.PIPE,
        )
        os.close(write_end)
        write_end = -1
        time.sleep(1)  # a reader slower than the writer
        got = bytearray()
        while chunk := os.read(read_end, 1 << 16):
            got += chunk
        process.communicate(timeout=120)
    finally:
        os.close(read_end)
        if write_end != -1:
            os.close(write_end)
    # On standard output the report ends with a line feed the file written by -o does not have.
    whole = bytes(got).rstrip(b"\n") == expected.read_bytes().rstrip(b"\n")
    assert whole or process.returncode == 2, (len(got), size, process.returncode)


@pytest.mark.parametrize("limit", ["2147483648", "9999999999"])
def test_huge_time_limit_is_not_an_internal_error(tmp_path: Path, limit: str) -> None:
    """A very large --time-limit (or MISSION_TIME_LIMIT) either just runs or is refused as a
    bad option (2); it is never an internal error (exit 3)."""
    done = subprocess.run(
        [MISSION, "--time-limit", limit, "validate", str(_valid_ost(tmp_path))],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert "Internal error" not in done.stderr, done.stderr
    assert done.returncode in (0, 2), done.stderr


def test_huge_max_rows_is_not_an_internal_error(tmp_path: Path) -> None:
    """A very large --max-rows either just runs or is refused as a bad option (2); it is never
    an internal error (exit 3)."""
    done = subprocess.run(
        [MISSION, "--max-rows", "99999999999999999999", "validate", str(_valid_ost(tmp_path))],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert "Internal error" not in done.stderr, done.stderr
    assert done.returncode in (0, 2), done.stderr


def test_sigterm_leaves_no_temporary_copy(tmp_path: Path) -> None:
    """SIGTERM while `-o /dev/stdout` waits on a slow reader removes the copy it wrote aside in
    $TMPDIR (a report of findings must not be left behind)."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    bad = _bad_ost(tmp_path)
    env = {**os.environ, "TMPDIR": str(temporary)}
    process = subprocess.Popen(
        [MISSION, "validate", str(bad), "-f", "json", "-o", "/dev/stdout"],
        stdout=subprocess.PIPE,  # never read: the copy into it blocks once the pipe is full
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while not any(temporary.rglob("*")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert any(temporary.rglob("*")), "mission never wrote aside"
        time.sleep(1.5)  # now blocked appending into the full pipe
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        assert process.stdout is not None
        process.stdout.close()
    assert sorted(temporary.rglob("*")) == []


def test_version_into_a_full_disk_is_no_traceback() -> None:
    """`mission --version > /dev/full` reports the write failure and exits 2, with no Python
    traceback (eager options write outside the command's error handling)."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [MISSION, "--version"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=60,
        )
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2, done.stderr


def test_full_stderr_does_not_turn_a_written_template_into_exit_1(tmp_path: Path) -> None:
    """When stderr is a full disk, `mission template ost -o FILE` writes the file and does not
    exit 1 ('invalid'): 0, or 2 for the message it could not print."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    target = tmp_path / "ost.csv"
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [MISSION, "template", "ost", "-o", str(target)],
            stdout=subprocess.DEVNULL,
            stderr=full,
            check=False,
            timeout=60,
        )
    assert target.exists()
    assert done.returncode in (0, 2)


def test_a_huge_file_limit_is_not_memory_set_aside_for_standard_input(tmp_path: Path) -> None:
    """`--max-file-mb` at its greatest (100 TB) is a limit, not an amount to allocate: a small
    return on standard input validates (it was a MemoryError, exit 3)."""
    done = subprocess.run(
        [MISSION, "--max-file-mb", "100000000", "validate", "-", "--kind", "ost"],
        input=_valid_ost(tmp_path).read_bytes(),
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_an_output_encoding_that_cannot_hold_a_cell_is_no_crash(
    tmp_path: Path, encoding: str
) -> None:
    """A report quoting an emoji, written where the encoding has none (PYTHONIOENCODING), ends
    as the report it is (exit 1, the character escaped), not as an internal error (exit 3)."""
    bad = tmp_path / "ost.csv"
    bad.write_text(OST_HEADER + "Fife,2023/24 Q1,\U0001f600,1,1,1,1,5\n", encoding="utf-8")
    done = subprocess.run(
        [MISSION, "validate", str(bad)],
        capture_output=True,
        check=False,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": encoding},
    )
    assert done.returncode == 1, done.stderr
    assert b"\\U0001f600" in done.stdout
