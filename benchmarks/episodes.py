"""National scale: mission against the floor and the named peers, side by side, in one run.

Every figure is the minimum over interleaved repeats of whole processes (the floor, mission and
the peers take turns, so a busy moment on a shared machine hits them alike), with each process's
own peak resident memory. It measures, and writes to benchmarks/RESULTS.md:

  start-up   `mission validate` and `mission measures` on a 10-row file against
             `python -c "import polars"`;
  episodes   at each size (100k, 1M, 10M rows by default): `polars.read_csv` (the floor),
             `mission validate`, `mission measures`, pandera's polars backend with the same checks,
             and frictionless (100k only: it takes minutes beyond that); with each tool's 10-row
             run in the same rounds, taken off its big run for the per-row figures;
  xlsx       a 100k-row workbook: `mission validate` against pandera reading the same rows;
  store      `mission submit` of the 1M-row extract against `mission validate` of it, and
             `mission export` against `polars.read_csv` of what export writes.

Run it from a fresh clone:

    pip install ".[bench]" && python benchmarks/episodes.py

Options: --sizes 100000,1000000 to choose sizes; --repeat N (default 3; at least 7 for the start-up
and for files up to 1M rows, whose rounds are short); --keep DIR to keep the
generated files; --results FILE (default benchmarks/RESULTS.md; '-' to skip writing).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

SEED = 20210120
PLANTED = 0.001
HERE = Path(__file__).resolve().parent
WEIGHTS = (
    227, 263, 94, 116, 250, 153, 238, 86, 527, 183, 209, 1140, 109, 97, 120,
    181, 120, 341, 323, 121, 134, 112, 144, 160, 374, 116, 148, 22, 23, 26,
)  # fmt: skip


def generate(path: Path, rows: int, seed: int = SEED) -> None:
    """A national episodes extract: referrals 2021/22 to 2025/26, waits mostly short, some long,
    about 0.1% planted errors (an unknown ADP, an unknown source, a start before the referral,
    a date in US order)."""
    import numpy as np
    import polars as pl

    from mission.adps import all_adps
    from mission.kinds import Kind

    spec = Kind.EPISODES.spec
    rng = np.random.default_rng(seed)
    adps = np.array([a.name for a in all_adps()])
    weights = np.array(WEIGHTS, dtype=float)
    weights /= weights.sum()
    sources = np.array(spec.column("referral_source").choices)
    source_p = np.array([30, 6, 18, 9, 5, 10, 8, 3, 8, 3], dtype=float) / 100
    referral = np.datetime64("2021-04-01") + rng.integers(0, 1800, rows).astype("timedelta64[D]")
    wait = np.where(rng.random(rows) < 0.2, 0, rng.exponential(9, rows).astype(int))
    started = rng.random(rows) < 0.92
    treatment = referral + wait.astype("timedelta64[D]")
    frame = (
        pl.DataFrame(
            {
                "adp": rng.choice(adps, rows, p=weights),
                "person_id": np.char.add("P", np.arange(rows).astype(str)),
                "referral_date": referral,
                "treatment_start_date": np.where(started, treatment, np.datetime64("NaT")),
                "referral_source": rng.choice(sources, rows, p=source_p),
                "substance": rng.choice(
                    np.array(["drugs", "alcohol", "both"]), rows, p=[0.55, 0.3, 0.15]
                ),
                "treatment_type": rng.choice(np.array(spec.column("treatment_type").choices), rows),
                "started": started,
            }
        )
        .with_columns(
            pl.col("referral_date", "treatment_start_date").cast(pl.Date),
            pl.when("started").then("treatment_type").alias("treatment_type"),
        )
        .drop("started")
        .with_columns(pl.col("referral_date", "treatment_start_date").dt.strftime("%Y-%m-%d"))
    )
    planted = rng.random(rows) < PLANTED
    kinds = rng.integers(0, 4, rows)

    def plant(column: str, kind: int, value: str) -> pl.Expr:
        mask = pl.Series(planted & (kinds == kind))
        return pl.when(mask).then(pl.lit(value)).otherwise(column).alias(column)

    frame = frame.with_columns(
        plant("adp", 0, "Glasgo"),
        plant("referral_source", 1, "postman"),
        plant("treatment_start_date", 2, "2020-01-01"),
        plant("referral_date", 3, "31/05/2024"),
    )
    if path.suffix == ".xlsx":
        frame.write_excel(path, worksheet="episodes")
    else:
        frame.write_csv(path)


@dataclass
class Run:
    seconds: float
    peak_mb: float
    returncode: int
    rounds: tuple[float, ...] = ()
    """Every round's seconds, in order (`interleaved`): `paired` sets them beside another's."""


def paired(runs: Run, floor: Run) -> float | None:
    """The median, over rounds, of a command's seconds over the floor's in the same round: a
    ratio a busy spell that lasts a round or more cannot move as it moves the best of each."""
    import statistics

    if not runs.rounds or len(runs.rounds) != len(floor.rounds):
        return None
    return statistics.median(a / b for a, b in zip(runs.rounds, floor.rounds, strict=True))


def per_row_rounds(
    theirs: Run, theirs_start: Run, ours: Run, ours_start: Run, rows: int
) -> float | None:
    """The per-row ratio (`Bench.per_row`) as the median of each round's own: frictionless's
    100k run less its 10-row run in a round, against ours less ours in the same round. A
    difference of two best-ofs taken from different rounds is only as steady as the noisier of
    them (at 100k ours is tens of milliseconds), so this says how far to trust the best-of."""
    import statistics

    if not (theirs.rounds and ours.rounds) or len(ours.rounds) != len(ours_start.rounds):
        return None
    friction = [
        (a - b) / (100_000 - 10) for a, b in zip(theirs.rounds, theirs_start.rounds, strict=True)
    ]
    mission = [
        max(a - b, 1e-3) / (rows - 10) for a, b in zip(ours.rounds, ours_start.rounds, strict=True)
    ]
    if len(friction) != len(mission):  # frictionless ran at 100k only: its own median then
        return statistics.median(friction) / statistics.median(mission)
    return statistics.median(t / o for t, o in zip(friction, mission, strict=True))


def run(command: list[str]) -> Run:
    """Run a whole process; its own peak RSS from wait4 (Linux reports KiB)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if process.stderr:
        process.stderr.close()
    return Run(elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status))


Prepare = Callable[[], None]

START_UP = "mission validate (10 rows: start-up)"
FRICTIONLESS_START_UP = "frictionless (10 rows: start-up)"
_MANY = 7
"""Rounds at least, where a round is short (start-up, and files up to `_SHORT` rows)."""
_SHORT = 1_000_000


def interleaved(
    commands: dict[str, list[str]], repeat: int, before: dict[str, Prepare] | None = None
) -> dict[str, Run]:
    """The best (fastest) of `repeat` rounds, each round running every command once in turn."""
    best: dict[str, Run] = {}
    seen: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            if before and name in before:
                before[name]()
            result = run(command)
            seen[name].append(result.seconds)
            kept = best.get(name)
            if kept is None or result.seconds < kept.seconds:
                best[name] = Run(
                    result.seconds,
                    min(result.peak_mb, kept.peak_mb if kept else 1e9),
                    result.returncode,
                )
    return {name: replace(r, rounds=tuple(seen[name])) for name, r in best.items()}


@dataclass
class Goal:
    what: str
    value: float
    limit: float
    lower_is_better: bool = True
    paired: float | None = None
    """The same ratio as the median of each round's own (`paired`), where it is one of runs."""

    @property
    def met(self) -> bool:
        return self.value <= self.limit if self.lower_is_better else self.value >= self.limit


def byte_compile() -> None:
    """Compile mission's modules, as `pip install` does: an editable install under
    PYTHONDONTWRITEBYTECODE (set on some machines) would otherwise compile its ~60 modules from
    source on every run, 45 ms that no installed copy pays."""
    import compileall

    import mission

    package = Path(mission.__file__).resolve().parent
    for folder in {package, (package / "cli").resolve()}:
        compileall.compile_dir(folder, quiet=1)


class Bench:
    """Runs the sections and keeps every row and goal for the printout and RESULTS.md."""

    def __init__(self, folder: Path, repeat: int) -> None:
        self.folder = folder
        self.repeat = repeat
        self.python = sys.executable
        self.mission = shutil.which("mission") or sys.exit("mission is not installed")
        byte_compile()
        self.rows: list[tuple[str, str, Run, float | None]] = []
        self.goals: list[Goal] = []

    def data(self, rows: int, suffix: str = ".csv") -> Path:
        path = self.folder / f"episodes-{rows}{suffix}"
        if not path.exists():
            # In a child: a forked child's peak RSS counts its parent's pages.
            subprocess.run([self.python, __file__, "--generate", str(rows), str(path)], check=True)
        return path

    def clean(self, path: Path) -> Path:
        clean = path.with_name(path.stem + "-clean.csv")
        if not clean.exists():
            subprocess.run(
                [self.python, str(HERE / "peers.py"), "clean", str(path), str(clean)], check=True
            )
        return clean

    def record(self, section: str, results: dict[str, Run], floor: str | None) -> None:
        base = results[floor].seconds if floor else None
        for name, result in results.items():
            ratio = result.seconds / base if base and "start-up" not in name else None
            self.rows.append((section, name, result, ratio))
            shown = f"{ratio:>7.2f}" if ratio is not None else "       "
            print(
                f"{section:<16} {name:<42} {result.seconds:>7.2f} s {result.peak_mb:>7.0f} MB "
                f"{shown} rc={result.returncode}",
                flush=True,
            )

    def tiny(self) -> Path:
        """The 10-row file the start-up runs read."""
        return self.data(10)

    def startup(self) -> None:
        tiny = self.tiny()
        commands = {
            'python -c "import polars" (floor)': [self.python, "-c", "import polars"],
            "mission validate (10 rows)": [self.mission, "validate", str(tiny)],
            "mission measures (10 rows)": [self.mission, "measures", str(self.clean(tiny))],
            "frictionless (10 rows)": [self.python, str(HERE / "peers.py"), "frictionless",
                                       str(tiny)],
        }  # fmt: skip
        results = interleaved(commands, max(self.repeat, _MANY))
        self.record("start-up", results, 'python -c "import polars" (floor)')
        floor = results['python -c "import polars" (floor)'].seconds
        for name in ("mission validate (10 rows)", "mission measures (10 rows)"):
            ratio = results[name].seconds / floor
            same_rounds = paired(results[name], results['python -c "import polars" (floor)'])
            self.goals.append(
                Goal(f"start-up: {name} / import polars", ratio, 1.3, True, same_rounds)
            )

    def episodes(self, rows: int) -> dict[str, Run]:
        path = self.data(rows)
        clean = self.clean(path)
        out = self.folder / "out"
        commands = {
            "polars.read_csv (floor)": [
                self.python, "-c",
                f"import polars as pl; pl.read_csv({str(path)!r}, infer_schema=False, glob=False)",
            ],
            "mission validate": [self.mission, "validate", str(path), "-f", "json", "-o",
                                 str(out.with_suffix(".json"))],
            "mission measures": [self.mission, "measures", str(clean), "-f", "parquet", "-o",
                                 str(out.with_suffix(".parquet"))],
            "pandera (polars backend)": [self.python, str(HERE / "peers.py"), "pandera",
                                         str(path)],
        }  # fmt: skip
        # Each tool's start-up, taken in the same rounds (a busy moment hits both runs alike)
        # with the same command line: the per-row figures take it off (`per_row`).
        commands[START_UP] = [self.mission, "validate", str(self.tiny()), "-f", "json", "-o",
                              str(out.with_name("out-10.json"))]  # fmt: skip
        if rows <= 100_000:
            commands["frictionless"] = [self.python, str(HERE / "peers.py"), "frictionless",
                                        str(path)]  # fmt: skip
            commands[FRICTIONLESS_START_UP] = [self.python, str(HERE / "peers.py"),
                                               "frictionless", str(self.tiny())]  # fmt: skip
        results = interleaved(commands, self.rounds(rows))
        self.record(f"{rows:,} rows", results, "polars.read_csv (floor)")
        floor = results["polars.read_csv (floor)"]
        validate, measures = results["mission validate"], results["mission measures"]
        pandera = results["pandera (polars backend)"]
        self.goals.append(
            Goal(
                f"{rows:,}: validate faster than pandera (pandera / validate)",
                pandera.seconds / validate.seconds,
                1.0,
                lower_is_better=False,
            )
        )
        if rows == 1_000_000:
            self.goals.append(
                Goal("1M: validate / read_csv", validate.seconds / floor.seconds, 1.5, True,
                     paired(validate, floor))
            )  # fmt: skip
            self.goals.append(
                Goal("1M: measures / read_csv", measures.seconds / floor.seconds, 2.0, True,
                     paired(measures, floor))
            )  # fmt: skip
        if rows == 10_000_000:
            self.goals.append(
                Goal("10M: validate / read_csv", validate.seconds / floor.seconds, 2.0, True,
                     paired(validate, floor))
            )  # fmt: skip
            self.goals.append(
                Goal(
                    "10M: validate peak memory / read_csv's", validate.peak_mb / floor.peak_mb, 1.0
                )
            )
        return results

    def xlsx(self, rows: int = 100_000) -> None:
        path = self.data(rows, ".xlsx")
        commands = {
            "mission validate (xlsx)": [self.mission, "validate", str(path), "-f", "json", "-o",
                                        str(self.folder / "xlsx.json")],
            "pandera (xlsx via polars.read_excel)": [self.python, str(HERE / "peers.py"),
                                                     "pandera", str(path)],
        }  # fmt: skip
        results = interleaved(commands, self.rounds(rows))
        self.record(f"{rows:,} xlsx", results, None)
        pandera, ours = (
            results["pandera (xlsx via polars.read_excel)"],
            results["mission validate (xlsx)"],
        )
        same_rounds = paired(pandera, ours)
        self.goals.append(
            Goal(
                f"{rows:,}-row xlsx: validate no slower than pandera (pandera / validate)",
                pandera.seconds / ours.seconds,
                1.0,
                lower_is_better=False,
                paired=same_rounds,
            )
        )

    def store(self, rows: int = 1_000_000) -> None:
        path = self.data(rows)
        clean = self.clean(path)
        store = self.folder / "store.sqlite"
        exported = self.folder / "exported.csv"

        def fresh() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{store}{suffix}").unlink(missing_ok=True)

        if not exported.exists():
            fresh()
            subprocess.run([self.mission, "submit", str(clean), "--store", str(store)],
                           check=True, stdout=subprocess.DEVNULL)  # fmt: skip
            subprocess.run([self.mission, "export", "--kind", "episodes", "--include-person-ids",
                            "--store", str(store), "-o", str(exported)], check=True)  # fmt: skip
        commands = {
            "mission validate (the submitted file)": [self.mission, "validate", str(clean), "-f",
                                                      "json", "-o", str(self.folder / "v.json")],
            "mission submit (new store)": [self.mission, "submit", str(clean), "--store",
                                           str(store)],
            "mission export": [self.mission, "export", "--kind", "episodes",
                               "--include-person-ids", "--store", str(store), "-o",
                               str(self.folder / "export-again.csv")],
            "polars.read_csv of the export": [self.python, "-c", "import polars as pl; "
                                              f"pl.read_csv({str(exported)!r}, glob=False)"],
        }  # fmt: skip
        results = interleaved(commands, self.rounds(rows), {"mission submit (new store)": fresh})
        self.record(f"{rows:,} store", results, None)
        submit = results["mission submit (new store)"].seconds
        validate = results["mission validate (the submitted file)"].seconds
        export = results["mission export"].seconds
        floor = results["polars.read_csv of the export"].seconds
        self.goals.append(Goal(f"{rows:,}: submit / validate", submit / validate, 3.0))
        self.goals.append(Goal(f"{rows:,}: export / read_csv of its output", export / floor, 2.0))

    def per_row(self, sizes: list[int]) -> None:
        """Per row, not per run: each tool's start-up (its 10-row run, in the same rounds as its
        big run) is taken off first, so the ratio is of the work that grows with the file.
        frictionless runs at 100k only; its per-row time is set against ours at every size."""

        def found(section: str, name: str) -> Run | None:
            return next((r for s, n, r, _ in self.rows if s == section and n == name), None)

        friction = found("100,000 rows", "frictionless")
        friction_start = found("100,000 rows", FRICTIONLESS_START_UP)
        if friction is None or friction_start is None:
            return
        theirs_per_row = (friction.seconds - friction_start.seconds) / (100_000 - 10)
        for rows in sizes:
            ours = found(f"{rows:,} rows", "mission validate")
            ours_start = found(f"{rows:,} rows", START_UP)
            if ours is None or ours_start is None:
                continue
            ours_per_row = max(ours.seconds - ours_start.seconds, 1e-3) / (rows - 10)
            self.goals.append(
                Goal(
                    f"{rows:,}: frictionless per row / validate per row (start-up taken off)",
                    theirs_per_row / ours_per_row,
                    50.0,
                    lower_is_better=False,
                    paired=per_row_rounds(friction, friction_start, ours, ours_start, rows),
                )
            )

    def rounds(self, rows: int) -> int:
        """Rounds for a size: more where a round takes seconds, so one busy moment on a
        shared machine cannot set the figure a goal is judged on."""
        return max(self.repeat, _MANY) if rows <= _SHORT else self.repeat

    def markdown(self) -> str:
        lines = [
            "# Benchmark results",
            "",
            f"Written by `python benchmarks/episodes.py` on {time.strftime('%Y-%m-%d')}: "
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}. "
            f"Each figure is the best of {self.repeat} interleaved runs of a whole process "
            f"(start-up, and files of up to {_SHORT:,} rows: of at least {_MANY}); memory is the process's own peak resident set. mission's modules "
            "are byte-compiled first, as an installed copy's are. A goal's 'median of rounds' "
            "is the median of each round's own ratio (the command over the floor run just "
            "before it): a busy spell of the machine moves it less than it moves the best "
            "of each; the goal is judged on the best of each.",
            "",
            "## Goals",
            "",
            "| goal | measured | limit | met | median of rounds |",
            "|---|---:|---:|:---:|---:|",
        ]
        for goal in self.goals:
            sign = "≤" if goal.lower_is_better else "≥"
            rounds = f"{goal.paired:.2f}" if goal.paired is not None else ""
            lines.append(f"| {goal.what} | {goal.value:.2f} | {sign} {goal.limit:g} | "
                         f"{'yes' if goal.met else '**no**'} | {rounds} |")  # fmt: skip
        lines += ["", "## Every run", "", "| section | what | seconds | peak MB | × floor |",
                  "|---|---|---:|---:|---:|"]  # fmt: skip
        for section, name, result, ratio in self.rows:
            shown = f"{ratio:.2f}" if ratio is not None else ""
            lines.append(f"| {section} | {name} | {result.seconds:.2f} | {result.peak_mb:.0f} | "
                         f"{shown} |")  # fmt: skip
        return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100000,1000000,10000000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None)
    parser.add_argument("--results", default=str(HERE / "RESULTS.md"))
    parser.add_argument("--skip", default="", help="sections to skip: startup,xlsx,store")
    parser.add_argument("--generate", nargs=2, metavar=("ROWS", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(Path(args.generate[1]), int(args.generate[0]))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    skip = set(args.skip.split(","))
    folder = args.keep or Path(tempfile.mkdtemp(prefix="mission-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    bench = Bench(folder, args.repeat)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; best of {args.repeat} interleaved runs (of at least {_MANY} for short rounds)")  # fmt: skip
    if "startup" not in skip:
        bench.startup()
    for rows in sizes:
        bench.episodes(rows)
    if "xlsx" not in skip:
        bench.xlsx()
    if "store" not in skip and 1_000_000 in sizes:
        bench.store()
    bench.per_row(sizes)
    print()
    for goal in bench.goals:
        rounds = f"; median of rounds {goal.paired:.2f}" if goal.paired is not None else ""
        print(f"{'met ' if goal.met else 'MISS'} {goal.what}: {goal.value:.2f}{rounds} "
              f"({'≤' if goal.lower_is_better else '≥'} {goal.limit:g})")  # fmt: skip
    if args.results != "-":
        Path(args.results).write_text(bench.markdown(), encoding="utf-8")
        print(f"wrote {args.results}")
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
