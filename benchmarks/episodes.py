"""Episodes at national scale: mission against the floor and the peers, side by side, in one run.

For each size (100k, 1M and 10M rows by default) it generates a deterministic national episodes
extract (realistic distributions, about 0.1% planted errors) and times, as whole processes:

  (a) polars.read_csv of the file alone — the floor;
  (b) mission validate (JSON report written to a file);
  (c) mission measures (Parquet written to a file);
  (d) pandera's polars backend with the same checks;
  (e) frictionless with the same checks (100k rows only: it takes minutes beyond that).

It prints seconds, peak resident memory and the ratio to the floor. Run it from a fresh clone:

    pip install ".[bench]" && python benchmarks/episodes.py

Options: --sizes 100000,1000000 to choose sizes; --keep DIR to keep the generated files.
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
from dataclasses import dataclass
from pathlib import Path

SEED = 20210120
PLANTED = 0.001
HERE = Path(__file__).resolve().parent


def generate(path: Path, rows: int, seed: int = SEED) -> None:
    """A national episodes extract: referrals 2021/22 to 2025/26, waits mostly short, some long."""
    import numpy as np
    import polars as pl

    from mission.adps import all_adps
    from mission.kinds import kind_spec

    rng = np.random.default_rng(seed)
    adps = np.array([a.name for a in all_adps()])
    weights = np.array(
        [
            227,
            263,
            94,
            116,
            250,
            153,
            238,
            86,
            527,
            183,
            209,
            1140,
            109,
            97,
            120,
            181,
            120,
            341,
            323,
            121,
            134,
            112,
            144,
            160,
            374,
            116,
            148,
            22,
            23,
            26,
        ],
        dtype=float,
    )
    weights /= weights.sum()
    sources = np.array(kind_spec("episodes").column("referral_source").choices)
    source_p = np.array([30, 6, 18, 9, 5, 10, 8, 3, 8, 3], dtype=float) / 100
    start_day = np.datetime64("2021-04-01")
    referral = start_day + rng.integers(0, 1800, rows).astype("timedelta64[D]")
    wait = np.where(rng.random(rows) < 0.2, 0, rng.exponential(9, rows).astype(int))
    started = rng.random(rows) < 0.92
    treatment = referral + wait.astype("timedelta64[D]")
    treatment_types = np.array(kind_spec("episodes").column("treatment_type").choices)
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
                "treatment_type": rng.choice(treatment_types, rows),
                "started": started,
            }
        )
        .with_columns(
            pl.col("referral_date", "treatment_start_date").cast(pl.Date),
            pl.when("started").then("treatment_type").alias("treatment_type"),
        )
        .drop("started")
    )
    frame = frame.with_columns(
        pl.col("referral_date", "treatment_start_date").dt.strftime("%Y-%m-%d"),
    )
    planted = rng.random(rows) < PLANTED
    kinds = rng.integers(0, 4, rows)
    frame = frame.with_columns(
        pl.when(pl.Series(planted & (kinds == 0)))
        .then(pl.lit("Glasgo"))
        .otherwise("adp")
        .alias("adp"),
        pl.when(pl.Series(planted & (kinds == 1)))
        .then(pl.lit("postman"))
        .otherwise("referral_source")
        .alias("referral_source"),
        pl.when(pl.Series(planted & (kinds == 2)))
        .then(pl.lit("2020-01-01"))
        .otherwise("treatment_start_date")
        .alias("treatment_start_date"),
        pl.when(pl.Series(planted & (kinds == 3)))
        .then(pl.lit("31/05/2024"))
        .otherwise("referral_date")
        .alias("referral_date"),
    )
    frame.write_csv(path)


@dataclass
class Run:
    seconds: float
    peak_mb: float
    returncode: int


def run(command: list[str]) -> Run:
    """Run a whole process; its own peak RSS from wait4 (Linux reports KiB)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if process.stderr:
        process.stderr.close()
    return Run(elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100000,1000000,10000000")
    parser.add_argument("--keep", type=Path, default=None)
    parser.add_argument("--generate", nargs=2, metavar=("ROWS", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(Path(args.generate[1]), int(args.generate[0]))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    mission = shutil.which("mission") or sys.exit(
        "mission is not installed: pip install '.[bench]'"
    )
    folder = args.keep or Path(tempfile.mkdtemp(prefix="mission-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    python = sys.executable
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"{'rows':>11} {'what':<34} {'seconds':>8} {'peak MB':>8} {'× floor':>8} {'rc':>3}")
    results: dict[tuple[int, str], Run] = {}
    for rows in sizes:
        path = folder / f"episodes-{rows}.csv"
        if not path.exists():
            # In a child process: a forked child's peak RSS counts its parent's pages, so the
            # parent must stay small for the other processes' memory figures to be their own.
            subprocess.run([python, __file__, "--generate", str(rows), str(path)], check=True)
        commands = {
            "polars.read_csv (floor)": [
                python,
                "-c",
                f"import polars as pl; pl.read_csv({str(path)!r}, infer_schema=False)",
            ],
            "mission validate": [
                mission,
                "validate",
                str(path),
                "-f",
                "json",
                "-o",
                str(folder / "report.json"),
            ],
            "mission measures": [
                mission,
                "measures",
                str(path),
                "-f",
                "parquet",
                "-o",
                str(folder / "measures.parquet"),
            ],
            "pandera (polars backend)": [python, str(HERE / "peers.py"), "pandera", str(path)],
        }
        if rows <= 100_000:
            commands["frictionless"] = [python, str(HERE / "peers.py"), "frictionless", str(path)]
        floor = None
        for name, command in commands.items():
            if name == "mission measures":
                # measures refuses an invalid extract: measure a copy without the planted errors
                clean = folder / f"episodes-{rows}-clean.csv"
                if not clean.exists():
                    subprocess.run(
                        [python, str(HERE / "peers.py"), "clean", str(path), str(clean)], check=True
                    )
                command = [*command[:2], str(clean), *command[3:]]
            result = run(command)
            results[(rows, name)] = result
            floor = floor or result.seconds
            print(
                f"{rows:>11,} {name:<34} {result.seconds:>8.2f} {result.peak_mb:>8.0f} "
                f"{result.seconds / floor:>8.2f} {result.returncode:>3}",
                flush=True,
            )
    if (100_000, "frictionless") in results:
        friction = results[(100_000, "frictionless")].seconds / 100_000
        for rows in sizes:
            ours = results[(rows, "mission validate")].seconds / rows
            print(
                f"per row, frictionless (100k) / mission validate ({rows:,}): {friction / ours:.0f}×"
            )
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
