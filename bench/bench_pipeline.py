"""Benchmark: time each pipeline stage on the bundled data and print the figures.

Runs on a copy of the project so the real data/clean and reports are untouched.
Usage: python bench/bench_pipeline.py [--year 2023] [--reports N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(label: str, args: list[str], env: dict[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=env, check=True, capture_output=True)
    seconds = time.perf_counter() - started
    print(f"{label:<34} {seconds:7.1f} s", flush=True)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--reports", type=int, default=6, help="number of municipality reports to build")
    args = parser.parse_args()
    python = str(ROOT / ".venv" / "bin" / "python")
    with tempfile.TemporaryDirectory(prefix="jeugdmonitor-bench-") as tmp:
        copy = Path(tmp)
        for name in ("config", "notebooks", "expectations"):
            shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("uncommitted"))
        shutil.copytree(ROOT / "data" / "raw", copy / "data" / "raw")
        env = {**os.environ, "JEUGDMONITOR_ROOT": str(copy), "GX_ANALYTICS_ENABLED": "False"}
        print(f"jeugdmonitor benchmark, year {args.year}, {os.cpu_count()} cores")
        timed("sample data generation", [python, "-m", "jeugdmonitor.sample_data", "--out", str(copy / "gen")], env, copy)
        timed("clean (notebook 01)", [python, "-m", "jeugdmonitor.cli", "clean", "--year", str(args.year)], env, copy)
        timed("validate (notebook 02, GX)", [python, "-m", "jeugdmonitor.cli", "validate", "--year", str(args.year)], env, copy)
        codes = ["GM0503", "GM0518", "GM0523", "GM1963", "GM0034", "GM0184", "GM0748", "GM0505", "GM0995", "GM1783"]
        chosen = codes[: args.reports]
        flags = [f"--gemeente={code}" for code in chosen]
        total = timed(f"reports ({len(chosen)} + their regions + index)",
                      [python, "-m", "jeugdmonitor.cli", "reports", "--year", str(args.year), *flags], env, copy)
        sizes = [p.stat().st_size / 1024 for p in (copy / "reports" / str(args.year)).glob("GM*.html")]
        print(f"{'per report (wall, incl. regions, index)':<34} {total / len(chosen):7.1f} s")
        print(f"{'report size (median)':<34} {statistics.median(sizes):7.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
