"""Benchmark at national size: print how long the pipeline takes for every municipality of the country.

Builds the national-size fictitious data (`sample_data --schaal landelijk`) in a temporary copy
of the project (the project tree is never touched), runs clean and validate once, then measures
in one run, on the same N municipalities:
  (a) the usual way: the papermill command line, then `jupyter nbconvert --to html --no-input`,
      one municipality after another;
  (b) this project's runner, twice: first `python -m jeugdmonitor.cli reports --gemeente ...`,
      which also builds the region overviews of those municipalities and the index (its seconds
      per report are its total divided by N); then the same N reports again with `--opnieuw`,
      the region overviews and index unchanged: exactly the work of (a), and the rerun after a
      correction. `ratio usual/runner` compares (a) with this second run;
  (c) the floor: starting one kernel and importing the report's libraries once;
  (d) a warm page in one process (`python -m jeugdmonitor.runner.pagecost`): CPU per page and per chart,
      vl-convert's share, with the chart structures compiled once and with every chart compiled in full.
Then it builds every report of the country (all municipalities, region overviews and index;
`--opnieuw`, so every page is built).
Usage: python bench/bench_pipeline.py [--year 2023] [-n 20] [--zonder-volledige-run]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import psutil

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python")
KERNEL_NAME = "jeugdmonitor"
REPORT_NOTEBOOK = Path("notebooks") / "03_gemeenterapport.ipynb"
MUNICIPALITY_LEVEL = "gemeente"  # vocabulary.LEVEL_MUNICIPALITY, the level of a municipality's row in gebieden
# the floor: one kernel, and the libraries a report imports (the report module pulls in pandas,
# altair via charts, jinja2 via pages)
FLOOR_CODE = """
from jupyter_client.manager import start_new_kernel
manager, client = start_new_kernel(kernel_name={kernel!r})
try:
    reply = client.execute_interactive(
        "import pandas, altair, pyarrow\\nfrom IPython.display import HTML, display\\n"
        "from jeugdmonitor import paths; from jeugdmonitor.report import charts, inputs, municipal, templates", timeout=600)
    if reply["content"]["status"] != "ok":
        raise SystemExit(f"imports in the kernel failed: {{reply['content']}}")
finally:
    client.stop_channels()
    manager.shutdown_kernel(now=True)
"""


@dataclass
class Measured:
    seconds: float
    peak_mib: float  # largest sum of the resident memory of the process tree, sampled
    cpu_seconds: float  # user + system time of the command's process tree (steadier than wall time on a shared machine)
    last_line: str = ""  # what the command printed last (the runner: how many pages it built)


class TreeMemory:
    """Samples the resident memory of a process and all its descendants (kernels, workers)."""

    def __init__(self, pid: int, interval: float = 0.2):
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            total = 0
            try:
                processes = [self.root, *self.root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            for process in processes:
                try:
                    total += process.memory_info().rss
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue  # ended between listing and reading: it no longer holds memory
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run(args: list[str], env: dict[str, str], cwd: Path) -> Measured:
    """Run one command to its end; its wall time and the peak memory of its process tree."""
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    process = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with TreeMemory(process.pid) as memory:
        output, _ = process.communicate()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the command and every process it waited for
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args[:6])} ... exited {process.returncode}:\n{output[-4000:]}")
    return Measured(seconds, memory.peak / 2**20, cpu, (output.strip().splitlines() or [""])[-1])


def run_all(commands: list[list[str]], env: dict[str, str], cwd: Path) -> Measured:
    """Several commands one after another, as one measurement."""
    results = [run(command, env, cwd) for command in commands]
    return Measured(sum(r.seconds for r in results), max(r.peak_mib for r in results), sum(r.cpu_seconds for r in results))


def line(label: str, measured: Measured, extra: str = "") -> None:
    print(f"{label:<44} {measured.seconds:8.1f} s   cpu {measured.cpu_seconds:7.1f} s   "
          f"peak memory {measured.peak_mib:7.0f} MiB{extra}", flush=True)


def spread(codes: list[str], count: int) -> list[str]:
    """`count` codes spread evenly over the sorted list (large and small, every part of the register)."""
    if count >= len(codes):
        return codes
    step = len(codes) / count
    return [codes[int(i * step)] for i in range(count)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2023, help="rapportjaar")
    parser.add_argument("-n", "--gemeenten", type=int, default=20, help="aantal gemeenten voor de vergelijking (standaard 20)")
    parser.add_argument("--zonder-volledige-run", action="store_true", help="niet alle rapportages van het land bouwen")
    args = parser.parse_args()
    year = str(args.year)
    with tempfile.TemporaryDirectory(prefix="jeugdmonitor-bench-") as tmp:
        project = Path(tmp) / "project"
        base_env = {k: v for k, v in os.environ.items() if k not in ("JEUGDMONITOR_ROOT", "MAKEFLAGS")}
        base_env["GX_ANALYTICS_ENABLED"] = "False"
        # the usual way's kernels keep IPython's history: in the temporary copy, not the user's home
        base_env["IPYTHONDIR"] = str(Path(tmp) / "ipython")
        env = {**base_env, "JEUGDMONITOR_ROOT": str(project)}
        print(f"jeugdmonitor benchmark at national size, year {year}, {os.cpu_count()} cores, "
              f"{psutil.virtual_memory().total / 2**30:.0f} GiB, load average {os.getloadavg()[0]:.1f}", flush=True)
        line("national sample data (copy of the project)",
             run([PYTHON, "-m", "jeugdmonitor.devtools.sample_data", "--schaal", "landelijk", "--doel", str(project)], base_env, ROOT))
        clean = run([PYTHON, "-m", "jeugdmonitor.cli", "clean", "--year", year], env, project)
        line("clean (notebook 01)", clean)
        validate = run([PYTHON, "-m", "jeugdmonitor.cli", "validate", "--year", year], env, project)
        line("validate (notebook 02, GX)", validate)
        print(f"{'clean + validate':<44} {clean.seconds + validate.seconds:8.1f} s", flush=True)

        areas = pd.read_parquet(project / "data" / "clean" / year / "gebieden.parquet")
        municipalities = areas[areas["niveau"] == MUNICIPALITY_LEVEL]
        chosen = spread(sorted(municipalities["gebied_code"]), args.gemeenten)
        n = len(chosen)
        region_count = municipalities.loc[municipalities["gebied_code"].isin(chosen), "regio_code"].nunique()
        print(f"comparison on {n} of {len(municipalities)} municipalities ({region_count} regions): {' '.join(chosen)}", flush=True)

        usual_dir = Path(tmp) / "gebruikelijk"
        usual_dir.mkdir()
        commands = []
        for code in chosen:
            executed = usual_dir / f"{code}.ipynb"
            commands.append([str(VENV_BIN / "papermill"), str(REPORT_NOTEBOOK), str(executed), "-p", "gemeente", code,
                             "-p", "jaar", year, "-p", "uitvoer_map", str(usual_dir), "-k", KERNEL_NAME])
            commands.append([str(VENV_BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed),
                             "--output-dir", str(usual_dir)])
        usual = run_all(commands, env, project)
        line(f"(a) usual: papermill + nbconvert, {n} reports", usual)
        flags = [f"--gemeente={code}" for code in chosen]
        first = run([PYTHON, "-m", "jeugdmonitor.cli", "reports", "--year", year, *flags], env, project)
        line(f"(b) runner, first build: {n} reports", first, f"  (+ {region_count} region overviews and the index)")
        print(f"  runner: {first.last_line}", flush=True)
        runner = run([PYTHON, "-m", "jeugdmonitor.cli", "reports", "--year", year, "--opnieuw", *flags], env, project)
        line(f"(b) runner, the same {n} reports again", runner, "  (--opnieuw; region overviews and index unchanged)")
        print(f"  runner: {runner.last_line}", flush=True)
        floor = run([PYTHON, "-c", FLOOR_CODE.format(kernel=KERNEL_NAME)], env, project)
        line("(c) floor: one kernel + the report's imports", floor)
        # (d) a warm page in one process: CPU per page and per chart, with and without the chart templates
        cost = subprocess.run([PYTHON, "-m", "jeugdmonitor.runner.pagecost", "--year", year, *chosen], env=env, cwd=project,
                              capture_output=True, text=True, check=True)
        print(cost.stdout.rstrip(), flush=True)

        per_usual, per_first, per_runner, per_floor = usual.seconds / n, first.seconds / n, runner.seconds / n, floor.seconds
        print(f"seconds per report usual: {per_usual:.2f}")
        print(f"seconds per report runner: {per_runner:.2f} (the same {n} reports again)")
        print(f"seconds per report runner, first build: {per_first:.2f} (its total / {n}, region overviews and index included)")
        print(f"seconds per report floor: {per_floor:.2f}")
        print(f"cpu seconds per report usual: {usual.cpu_seconds / n:.2f}; runner: {runner.cpu_seconds / n:.2f} "
              f"(the same {n} reports again); ratio usual/runner, cpu: {usual.cpu_seconds / runner.cpu_seconds:.1f}")
        print(f"ratio usual/runner: {per_usual / per_runner:.1f}")
        print(f"ratio usual/runner, first build: {per_usual / per_first:.1f}")
        print(f"ratio runner/floor: {per_runner / per_floor:.1f}")
        print(f"ratio usual/floor: {per_usual / per_floor:.1f}", flush=True)

        if not args.zonder_volledige_run:
            # --opnieuw: every page is built, also those the comparison above published
            everything = run([PYTHON, "-m", "jeugdmonitor.cli", "reports", "--year", year, "--opnieuw"], env, project)
            print(f"  runner: {everything.last_line}", flush=True)
            regions = areas.loc[areas["niveau"] == MUNICIPALITY_LEVEL, "regio_code"].nunique()
            line(f"all reports: {len(municipalities)} municipalities", everything, f"  (+ {regions} region overviews and the index)")
            print(f"seconds per report national: {everything.seconds / len(municipalities):.2f} (total / {len(municipalities)}); "
                  f"cpu seconds per page: {everything.cpu_seconds / (len(municipalities) + regions + 1):.2f}")
            total = clean.seconds + validate.seconds + everything.seconds
            print(f"national total (clean + validate + all reports): {total:.1f} s", flush=True)
        largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
        print(f"largest single process (ru_maxrss): {largest:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
