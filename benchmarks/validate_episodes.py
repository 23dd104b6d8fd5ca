"""Time `mission validate` on a generated episodes file against reading it with polars alone.

A small, quick benchmark for the validation issue (the national-scale one, with pandera and
frictionless, is a separate issue). Deterministic data with a small share of planted errors.
Run: python benchmarks/validate_episodes.py [--rows N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SOURCES = [
    "self",
    "family",
    "gp",
    "hospital",
    "police",
    "justice",
    "social_work",
    "housing",
    "third_sector",
    "other",
]


def generate(path: Path, rows: int, seed: int = 20260401) -> None:
    """Episodes over 2021-2025 for all ADPs; about 0.1% of rows carry a planted error."""
    from mission.adps import all_adps

    rng = random.Random(seed)
    names = [a.name for a in all_adps()]
    start = dt.date(2021, 4, 1)
    header = "adp,person_id,referral_date,treatment_start_date,referral_source,substance"
    lines = [header + ",treatment_type"]
    for i in range(rows):
        referral = start + dt.timedelta(days=rng.randrange(1400))
        wait = int(rng.expovariate(1 / 12))
        started = referral + dt.timedelta(days=wait) if rng.random() < 0.9 else None
        kind = rng.choice(["ost", "psychosocial", "detox", "residential_rehab", "other"])
        if started and started > dt.date(2025, 12, 31):
            started = None
        adp = rng.choice(names)
        source = rng.choice(SOURCES)
        if rng.random() < 0.001:
            adp = "Glasgo"
        if rng.random() < 0.001:
            source = "postman"
        lines.append(
            f"{adp},P{i:09d},{referral.isoformat()},{started.isoformat() if started else ''},"
            f"{source},{rng.choice(['drugs', 'alcohol', 'both'])},{kind if started else ''}"
        )
    path.write_text("\n".join(lines) + "\n")


def _seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    mission = shutil.which("mission") or sys.exit("mission is not installed on PATH")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "episodes.csv"
        generate(path, args.rows)
        floor_code = f"import polars as pl; pl.read_csv({str(path)!r}, infer_schema=False)"
        empty = [sys.executable, "-c", "import polars"]
        floor = min(_seconds([sys.executable, "-c", floor_code]) for _ in range(args.runs))
        startup = min(_seconds(empty) for _ in range(args.runs))
        command = [mission, "validate", str(path), "-f", "json"]
        ours = min(_seconds(command) for _ in range(args.runs))
        size = path.stat().st_size / 1e6
    print(f"episodes: {args.rows:,} rows, {size:.1f} MB (best of {args.runs}, whole processes)")
    print(f"{'what':<40}{'seconds':>10}{'ratio':>8}")
    print(f"{'python -c import polars (start-up)':<40}{startup:>10.2f}{startup / floor:>8.2f}")
    print(f"{'polars.read_csv alone (floor)':<40}{floor:>10.2f}{1:>8.2f}")
    print(f"{'mission validate --format json':<40}{ours:>10.2f}{ours / floor:>8.2f}")
    print(f"validation work beyond the floor: {ours - floor:.2f} s")


if __name__ == "__main__":
    main()
