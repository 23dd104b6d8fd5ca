"""Helpers for the hostile tests: run `mission` as a stranger's file would make it run, and say
whether the run broke a promise (exit code, traceback, raw escapes, time, memory).

Two ways to run: in-process with Typer's CliRunner (fast; for inputs that cannot kill the
process), and a child process of the installed `mission` entry point under `ulimit -v` (for inputs
that have aborted the process or hung, so a failure is a failed test, not a dead test run).
"""

from __future__ import annotations

import io
import os
import resource
import struct
import subprocess
import sysconfig
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

MISSION = str(Path(sysconfig.get_path("scripts")) / "mission")
ULIMIT_V_KB = 4_000_000
"""`ulimit -v 4000000`, as the issue's acceptance asks: 4 GB of address space."""
FEW_SECONDS = 5.0
"""What "a few seconds" means for one run of one command over one crafted file: seconds of CPU
the run itself used (user + system, every thread), so a busy machine shared with other jobs
does not fail a run that did no more work than usual; wall time only decides a hang."""
KILL_AFTER = 20.0
"""A child still running after this long is killed and counted as a hang."""
RAW_CONTROL = ("\x1b", "\x9b")
"""ESC and the 8-bit CSI: either one raw in output lets a file drive the reader's terminal."""
CRASH_MARKERS = ("Traceback", "internal error", "panicked at", "RUST_BACKTRACE", "stack backtrace")

SLOWEST: dict[str, float] = {}
"""The slowest run seen per test, for the report (pytest -s prints nothing; see `record`)."""


@dataclass(frozen=True)
class Outcome:
    """How one run ended: exit code (negative: killed by that signal), output, time, memory."""

    args: tuple[str, ...]
    code: int
    output: str
    elapsed: float
    peak_rss_mb: float | None = None
    cpu: float | None = None
    """CPU seconds the run used (None when not measured): what "a few seconds" is judged on."""

    def problems(
        self, *, codes: tuple[int, ...] = (0, 1, 2), seconds: float = FEW_SECONDS
    ) -> list[str]:
        """Every promise this run broke, in words (empty when it ended cleanly); `seconds` is
        the CPU it may take."""
        found = []
        if self.code not in codes:
            found.append(f"exit {self.code} (wanted one of {codes})")
        found += [f"{marker!r} in output" for marker in CRASH_MARKERS if marker in self.output]
        found += [f"raw {c!r} in output" for c in RAW_CONTROL if c in self.output]
        spent = self.elapsed if self.cpu is None else self.cpu
        if spent > seconds:
            found.append(f"took {spent:.1f} s of CPU (over {seconds} s; wall {self.elapsed:.1f} s)")
        return found

    def describe(self) -> str:
        return f"{' '.join(self.args)} -> {self.code}: {self.output[-400:]!r}"


def record(name: str, outcome: Outcome) -> None:
    SLOWEST[name] = max(SLOWEST.get(name, 0.0), outcome.elapsed)


def run(args: list[str], env: dict[str, str] | None = None) -> Outcome:
    """Run `mission ARGS` in-process; a Python exception shows up as 'Traceback' in the output."""
    from mission.cli.app import app

    started, before = time.perf_counter(), _cpu_seconds(resource.RUSAGE_SELF)
    result = CliRunner().invoke(app, [str(a) for a in args], env=env)
    elapsed = time.perf_counter() - started
    cpu = _cpu_seconds(resource.RUSAGE_SELF) - before
    output = result.output + (result.stderr if result.stderr_bytes else "")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        output += f"\nTraceback: {result.exception!r}"
    return Outcome(tuple(map(str, args)), result.exit_code, output, elapsed, cpu=cpu)


def _cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _limit_memory() -> None:
    limit = ULIMIT_V_KB * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run_child(
    args: list[str],
    *,
    env: dict[str, str] | None = None,
    timeout: float = KILL_AFTER,
) -> Outcome:
    """Run the installed `mission ARGS` in a child under `ulimit -v`, measuring its peak memory."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [MISSION, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        preexec_fn=_limit_memory,
    )
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(child.stdout.read()))  # type: ignore[union-attr]
    reader.start()
    note = ""
    while True:  # wait4, not Popen.wait: only wait4 says how much memory the child used
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - started > timeout:
            child.kill()
            pid, status, usage = os.wait4(child.pid, 0)
            note = f"\n[killed after {timeout:.0f} s: a hang]"
            break
        time.sleep(0.01)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    reader.join()
    child.stdout.close()  # type: ignore[union-attr]
    output = b"".join(chunks).decode("utf-8", "replace") + note
    cpu = usage.ru_utime + usage.ru_stime
    return Outcome(
        tuple(map(str, args)), child.returncode, output, elapsed, usage.ru_maxrss / 1024, cpu
    )


# --- zip archives that lie -------------------------------------------------------------------


def raw_deflate(data: bytes) -> tuple[bytes, int, int]:
    """(raw deflate stream, CRC-32, size) of `data`."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data)


def repeated_deflate(
    prefix: bytes, filler: bytes, times: int, suffix: bytes
) -> tuple[bytes, int, int]:
    """Raw deflate of prefix + filler * times + suffix without ever holding the inflated bytes.

    After a full flush deflate forgets its history, so the compressed form of `filler` is the
    same every time: one copy, repeated. 3 GB of inflated sheet costs 3 MB and half a second.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    compressor.compress(filler)
    compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(filler) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.compress(suffix) + compressor.flush(zlib.Z_FINISH)
    crc = zlib.crc32(prefix)
    for _ in range(times):
        crc = zlib.crc32(filler, crc)
    crc = zlib.crc32(suffix, crc)
    return head + block * times + tail, crc, len(prefix) + len(filler) * times + len(suffix)


def write_zip(path: Path, members: dict[str, tuple[bytes, int, int]]) -> None:
    """A zip of raw-deflated members, each (stream, CRC-32, the size its headers declare)."""
    out = io.BytesIO()
    central = []
    for name, (stream, crc, declared) in members.items():
        offset = out.tell()
        encoded = name.encode()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(stream),
                declared,
                len(encoded),
                0,
            )
            + encoded
            + stream
        )
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(stream),
                declared,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    count = len(members)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), start, 0))
    path.write_bytes(out.getvalue())
