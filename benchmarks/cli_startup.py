"""Time `mission --help` against `python -c "import typer"` in one run and print the ratio.

The goal (issue: foundation) is at most 1.5x: help must not import polars or matplotlib.
Run: python benchmarks/cli_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time


def _time(command: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    mission = shutil.which("mission") or sys.exit("mission is not installed on PATH")
    # Warm the file cache once for each, then interleave nothing: medians absorb noise.
    _time([sys.executable, "-c", "import typer"], 2)
    _time([mission, "--help"], 2)
    typer_s = _time([sys.executable, "-c", "import typer"], args.runs)
    help_s = _time([mission, "--help"], args.runs)
    print(f"{'command':<32}{'median s':>10}")
    label = 'python -c "import typer"'
    print(f"{label:<32}{typer_s:>10.3f}")
    print(f"{'mission --help':<32}{help_s:>10.3f}")
    print(f"ratio mission --help / import typer: {help_s / typer_s:.2f} (goal <= 1.5)")


if __name__ == "__main__":
    main()
