"""A fuzz harness over every reader, through the stable CLI: random bytes, near-valid CSV, near-valid
JSON and mutated Excel workbooks are fed to `mission validate` in-process (CliRunner); whatever the
input, the exit code is 0, 1 or 2 and no traceback reaches the user.

A reader can kill the process that runs it (a native abort, as the Excel reader did), so the suite
runs the harness in a child process under `ulimit -v 4000000`; before each example the input is
saved to `$MISSION_FUZZ_LAST`, so an abort still leaves the file that caused it. Each crash found
becomes a fixture in `fixtures/hostile/` (or `fixtures/hostile/may-abort/` if it kills the process).

In the suite the run is bounded (a fixed, derandomised set of examples, about 20 s). By hand:

    MISSION_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz_readers.py   # random, with shrinking
    MISSION_FUZZ_TARGETS=csv,json MISSION_FUZZ_EXAMPLES=2000 python tests/test_fuzz_readers.py
"""

from __future__ import annotations

import io
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import traceback
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
VALID = ROOT / "fixtures" / "valid"
BY_HAND = int(os.environ.get("MISSION_FUZZ_EXAMPLES", "0"))
BOUNDED = {"bytes": 40, "csv": 80, "json": 80, "xlsx": 100}
"""Examples per target in the suite's bounded run (about 12 s on two shared cores)."""
ULIMIT_V = 4_000_000 * 1024

settings.register_profile(
    "fuzz-bounded",
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
settings.register_profile(
    "fuzz-by-hand",
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)


def _profile(target: str) -> settings:
    """The settings for one target: bounded in the suite, as many examples as asked by hand."""
    if BY_HAND:
        return settings(settings.get_profile("fuzz-by-hand"), max_examples=BY_HAND)
    return settings(settings.get_profile("fuzz-bounded"), max_examples=BOUNDED[target])


# --- the property ------------------------------------------------------------------------------


def _validate(data: bytes, suffix: str, fmt: str) -> None:
    """Write `data` as a return and validate it: exit 0, 1 or 2, and no traceback."""
    from typer.testing import CliRunner

    from mission.cli.app import app

    last = os.environ.get("MISSION_FUZZ_LAST")
    if last:
        Path(last).write_bytes(data)
        Path(last + ".suffix").write_text(suffix)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"return{suffix}"
        path.write_bytes(data)
        result = CliRunner().invoke(app, ["validate", str(path), "--format", fmt])
    output = result.output + (result.stderr if result.stderr_bytes else "")
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed, f"{type(result.exception).__name__}: {result.exception}"
    said = next((line for line in output.splitlines() if "internal error" in line), output[-300:])
    assert result.exit_code in (0, 1, 2), f"exit {result.exit_code}: {said}"
    assert "Traceback" not in output and "internal error" not in output, said


FORMATS = st.sampled_from(["text", "json", "junit"])


# --- bytes ---------------------------------------------------------------------------------------

MAGIC = [
    b"",
    b"PK\x03\x04",
    b"PAR1",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"[",
    b"{",
    b"\x00",
]
SUFFIXES = [".csv", ".tsv", ".txt", ".json", ".xlsx", ".xlsm", ".parquet"]


@st.composite
def any_bytes(draw: st.DrawFn) -> tuple[bytes, str]:
    magic = draw(st.sampled_from(MAGIC))
    return magic + draw(st.binary(max_size=2048)), draw(st.sampled_from(SUFFIXES))


# --- near-valid text -----------------------------------------------------------------------------

TOKENS = [
    ",", ";", "\t", '"', '""', "\n", "\r", "\r\n", "\x00", "\ufeff", "\x1b[31m", "\x1b]8;;x\x07",
    "\u202e", "\ud800", "\uffff", "\x85", "\u2028", "9" * 40, "-1", "1e400", "NaN", "0x1F",
    "=HYPERLINK(\"x\")", "[/]", "[link=https://x]", "ÿ", " ", "", "1,000", "2023/24 Q5",
    "31/02/2024", "05/31/2024", "9999-12-31", "Fife", "person_id", "total", "episodes",
]  # fmt: skip
"""Fragments a stranger's file plausibly holds; lone surrogates become invalid UTF-8 bytes."""
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]
CSV_TEMPLATES = [
    VALID / name for name in ("ost.csv", "rehab.csv", "naloxone.csv", "mat.csv", "episodes.csv")
]


@st.composite
def mutated_text(draw: st.DrawFn, template: str, tokens: list[str]) -> str:
    """`template` with a few insertions, deletions, repeated lines and a truncation."""
    text = template
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(text)))
        operation = draw(st.sampled_from(["insert", "delete", "repeat", "truncate", "swap"]))
        if operation == "insert":
            text = text[:at] + draw(st.sampled_from(tokens)) * draw(st.integers(1, 3)) + text[at:]
        elif operation == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        elif operation == "repeat":
            lines = text.splitlines(keepends=True) or [text]
            line = lines[min(at, len(lines) - 1)]
            text = text + line * draw(st.integers(1, 200))
        elif operation == "truncate":
            text = text[:at]
        else:
            old, new = draw(st.sampled_from([(",", ";"), (",", "\t"), ("\n", "\r"), ('"', "")]))
            text = text.replace(old, new)
    return text


def _encode(text: str, encoding: str) -> bytes:
    if encoding.startswith("utf-8"):
        return text.encode(encoding, "surrogatepass")
    return text.encode(encoding, "replace")


@st.composite
def near_valid_csv(draw: st.DrawFn) -> tuple[bytes, str]:
    template = draw(st.sampled_from(CSV_TEMPLATES)).read_text("utf-8")
    text = draw(mutated_text(template, TOKENS))
    return _encode(text, draw(st.sampled_from(ENCODINGS))), draw(st.sampled_from([".csv", ".tsv"]))


# --- near-valid JSON -----------------------------------------------------------------------------

KEYS = ["adp", "period", "person_id", "total", "methadone", "referral_date", "kind", "rows"]
RAW = {
    "@@digits@@": "1" * 5_000,
    "@@surrogate@@": "\\ud800",
    "@@low@@": "\\udc00x",
    "@@nul@@": "\\u0000",
}
"""Placeholders written in place of what `json.dumps` cannot write: a 5,000-digit number, a lone
surrogate escape, a NUL escape (a string's quotes are dropped around a number)."""
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([10**400, -(10**400), 2**63, -(2**63) - 1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(TOKENS),
    st.sampled_from(list(RAW)),
    st.text(max_size=20),
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(KEYS) | st.sampled_from(list(RAW)[1:]) | st.text(max_size=8),
            inner,
            max_size=6,
        ),
    ),
    max_leaves=30,
)
JSON_TOKENS = [*TOKENS, "{", "}", "[", "]", ":", "\\ud800", "\\udc00", "\\u0000", "1" * 5000]


@st.composite
def near_valid_json(draw: st.DrawFn) -> tuple[bytes, str]:
    """A wrapper or an array of rows built from the contract's keys, then perhaps mutated."""
    rows = draw(st.lists(JSON_VALUES, max_size=6))
    wrapped = draw(st.booleans())
    document: object = rows
    if wrapped:
        document = {"kind": draw(SCALARS), "spec_version": draw(SCALARS), "rows": rows}
    text = json.dumps(document, ensure_ascii=draw(st.booleans()), default=str)
    text = text.replace('"@@digits@@"', RAW["@@digits@@"])
    for placeholder, raw in RAW.items():
        text = text.replace(placeholder, raw)
    if draw(st.booleans()):
        template = (VALID / "rehab-wrapper.json").read_text("utf-8")
        text = draw(mutated_text(draw(st.sampled_from([text, template])), JSON_TOKENS))
    return _encode(text, draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))), ".json"


# --- mutated workbooks ---------------------------------------------------------------------------

XLSX_TEMPLATES = [VALID / "ost-excel-title-rows-notes.xlsx", VALID / "deaths-sheet1.xlsx"]
REF = re.compile(rb"""\b(r|ref|spans|count|uniqueCount)\s*=\s*("[^"]*"|'[^']*')""")


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@st.composite
def cell_reference(draw: st.DrawFn) -> bytes:
    """A reference as XML allows it to be written: any case, leading zeros, huge numbers."""
    letters = draw(st.text(alphabet="ABCDXYZxfd", min_size=0, max_size=6))
    number = draw(st.one_of(st.integers(0, 1_100_000), st.integers(0, 10**15)))
    zeros = "0" * draw(st.integers(0, 12))
    text = draw(st.sampled_from([f"{letters}{zeros}{number}", f"{number}", f"{letters}"]))
    return text.encode()


@st.composite
def mutated_workbook(draw: st.DrawFn) -> tuple[bytes, str]:
    members = _members(draw(st.sampled_from(XLSX_TEMPLATES)))
    for _ in range(draw(st.integers(1, 4))):
        operation = draw(
            st.sampled_from(["attribute", "attribute", "flip", "insert", "drop", "prefix"])
        )
        with_refs = sorted(n for n, d in members.items() if REF.search(d))
        name = draw(
            st.sampled_from(
                with_refs if operation == "attribute" and with_refs else sorted(members)
            )
        )
        data = members[name]
        if operation == "attribute" and (found := list(REF.finditer(data))):
            match = draw(st.sampled_from(found))
            quote = draw(st.sampled_from([b'"', b"'"]))
            space = draw(st.sampled_from([b"", b" ", b"\n\t"]))
            value = draw(cell_reference())
            replaced = match.group(1) + space + b"=" + space + quote + value + quote
            members[name] = data[: match.start()] + replaced + data[match.end() :]
        elif operation == "flip" and data:
            at = draw(st.integers(0, len(data) - 1))
            members[name] = (
                data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
            )
        elif operation == "insert":
            at = draw(st.integers(0, len(data)))
            token = draw(
                st.sampled_from([b"<", b"&", b"]]>", b"&#0;", b"<c/>", b"<row/>", b"\xff"])
            )
            members[name] = data[:at] + token * draw(st.integers(1, 50)) + data[at:]
        elif operation == "drop":
            del members[name]
        elif operation == "prefix":
            members[name] = re.sub(rb"<(/?)(c|row|v|t|si)\b", rb"<\1x:\2", data).replace(
                b"<worksheet ",
                b'<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ',
            )
        if not members:
            break
    archive = _zip(members)
    if draw(st.booleans()):  # and damage the archive itself: headers, sizes, compressed data
        at = draw(st.integers(0, len(archive) - 1))
        archive = (
            archive[:at] + bytes([archive[at] ^ draw(st.integers(1, 255))]) + archive[at + 1 :]
        )
    return archive, draw(st.sampled_from([".xlsx", ".xlsm"]))


# --- running the targets -------------------------------------------------------------------------

TARGETS: dict[str, st.SearchStrategy[tuple[bytes, str]]] = {
    "bytes": any_bytes(),
    "csv": near_valid_csv(),
    "json": near_valid_json(),
    "xlsx": mutated_workbook(),
}


def _target(name: str) -> Callable[[], None]:
    @_profile(name)
    @given(example=TARGETS[name], fmt=FORMATS)
    def fuzz(example: tuple[bytes, str], fmt: str) -> None:
        _validate(example[0], example[1], fmt)

    return fuzz


def main() -> int:
    """Run each chosen target; report every target that failed; 0 when none did."""
    chosen = os.environ.get("MISSION_FUZZ_TARGETS", ",".join(TARGETS)).split(",")
    failed = []
    for name in chosen:
        try:
            _target(name)()
        except Exception as error:  # a falsified property: report it, go on to the next target
            failed.append(name)
            shown = "".join(traceback.format_exception_only(error))
            print(f"--- fuzz target {name} failed:\n{shown[-2500:]}", file=sys.stderr)
            last = os.environ.get("MISSION_FUZZ_LAST")
            if last and Path(last).exists():
                keep = Path(f"{last}-{name}{Path(last + '.suffix').read_text()}")
                keep.write_bytes(Path(last).read_bytes())
                print(f"the failing input is kept as {keep}", file=sys.stderr)
    print(f"fuzz targets run: {chosen}; failed: {failed}", file=sys.stderr)
    return 1 if failed else 0


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ULIMIT_V, ULIMIT_V))


def test_readers_survive_fuzzing(tmp_path: Path) -> None:
    """Random bytes, near-valid CSV and JSON and mutated workbooks, through `mission validate`
    in a child under `ulimit -v`, always end with exit 0, 1 or 2 and no traceback; a child that
    dies leaves the input that killed it."""
    last = tmp_path / "last-input"
    examples = BY_HAND or sum(BOUNDED.values())
    done = subprocess.run(
        [sys.executable, __file__],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "MISSION_FUZZ_LAST": str(last), "COLUMNS": "120"},
        preexec_fn=_limit_memory,
        timeout=max(120, examples),
        check=False,
    )
    frames = re.compile(
        r"^\s+(\d+: |at )"
    )  # a native backtrace says nothing the first line does not
    report = "\n".join(line for line in done.stderr.splitlines() if not frames.match(line))[-4000:]
    if done.returncode < 0:
        suffix = Path(f"{last}.suffix").read_text() if last.exists() else ""
        report += (
            f"\nthe child was killed by signal {-done.returncode}; the input that killed it is "
            f"{last} (a {suffix} file): commit it to fixtures/hostile/may-abort/"
        )
    if done.returncode != 0:
        pytest.fail(report, pytrace=False)


if __name__ == "__main__":
    sys.exit(main())
