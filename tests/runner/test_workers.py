"""Tests for jeugdmonitor.runner.workers: a worker kernel is reset between pages."""

from __future__ import annotations

from pathlib import Path

from jeugdmonitor.runner import workers


def test_the_reset_between_pages_clears_the_namespace_folder_and_counter():
    code = workers.reset_code(Path("/proj/notebooks"))
    assert "'reset', '-f'" in code and "chdir('/proj/notebooks')" in code and "execution_count = 1" in code
    assert code.index("'reset'") < code.index(".freeze()"), "what survives the reset is frozen, after it"
    compile(code, "reset", "exec")
