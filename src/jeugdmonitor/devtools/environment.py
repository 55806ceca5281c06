"""environment.yml (conda) from requirements.lock, so both pin the same versions.

Run `python -m jeugdmonitor.devtools.environment > environment.yml` (make environment.yml)."""

from __future__ import annotations

import re
import sys

from jeugdmonitor import paths

PYTHON_VERSION = "3.11"
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;#]+)")


def normalise(name: str) -> str:
    """PEP 503 name normalisation: great_expectations == Great-Expectations."""
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins(text: str) -> dict[str, str]:
    pins = {}
    for line in text.splitlines():
        match = PIN.match(line.strip())
        if match:
            pins[normalise(match.group(1))] = match.group(2)
    return pins


def render(lock_text: str) -> str:
    lines = [
        "# Conda environment for the jeugdmonitor workbook. Generated from requirements.lock",
        "# by `make environment.yml`; tests fail when the two disagree. Use: conda env create -f environment.yml",
        "name: jeugdmonitor",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python={PYTHON_VERSION}",
        "  - pip",
        "  - pip:",
    ]
    lines += [f"      - {name}=={version}" for name, version in sorted(lock_pins(lock_text).items())]
    lines.append("      - -e .")
    return "\n".join(lines) + "\n"


def main() -> int:
    sys.stdout.write(render((paths.PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
