"""The benchmark script (bench/, run by `make bench`, not by the tests) keeps up with the package:
the imports its floor measurement runs in a kernel must exist."""

from __future__ import annotations

import importlib.util
import re
import sys

from .conftest import REPO_ROOT


def test_the_floor_imports_what_a_report_imports():
    spec = importlib.util.spec_from_file_location("bench_pipeline", REPO_ROOT / "bench" / "bench_pipeline.py")
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # its dataclasses look their module up there
    spec.loader.exec_module(bench)
    code = bench.FLOOR_CODE.format(kernel=bench.KERNEL_NAME)
    lines = re.findall(r'"((?:import|from) [^"]*)"', code)
    assert any("jeugdmonitor.report" in line for line in lines), code
    exec(compile("\n".join(line.replace("\\n", "\n") for line in lines), "bench floor", "exec"), {})
