"""What a page says about its build: the run date (today, or fixed by SOURCE_DATE_EPOCH) and the
checkout's commit, both printed in the Verantwoording.

SOURCE_DATE_EPOCH is the reproducible-builds convention (https://reproducible-builds.org/specs/source-date-epoch/):
a whole number of seconds since 1970-01-01 00:00:00 UTC. When it is set, the build date is the
UTC date of that moment, so two runs on the same inputs give byte-identical pages.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from functools import cache

from jeugdmonitor import paths
from jeugdmonitor.errors import BuildDateError

ENV_VAR = "SOURCE_DATE_EPOCH"
# the last year a download can carry: an Excel workbook is a zip, whose entries' dates end in 2107
LAST_YEAR = 2107



def build_datetime(environ: dict[str, str] | None = None) -> dt.datetime:
    """The moment of SOURCE_DATE_EPOCH in UTC when set, else now in local time (no time zone, whole
    seconds: as a workbook's document properties store it)."""
    env = os.environ if environ is None else environ
    raw = env.get(ENV_VAR)
    if raw is None:
        return dt.datetime.now().replace(microsecond=0)
    text = raw.strip()
    if not (text.isascii() and text.isdigit()):  # the convention: ASCII digits only, no sign, no fraction
        raise BuildDateError(f"{ENV_VAR}={raw!r} is geen geheel aantal seconden sinds 1970-01-01 UTC "
                             f"(haal hem weg, of zet bijvoorbeeld {ENV_VAR}=$(git log -1 --format=%ct))")
    try:
        moment = dt.datetime.fromtimestamp(int(text), tz=dt.UTC)
    except (OverflowError, OSError, ValueError) as error:
        raise BuildDateError(f"{ENV_VAR}={raw!r} valt buiten het bereik van een datum: {error}") from error
    if moment.year > LAST_YEAR:
        raise BuildDateError(f"{ENV_VAR}={raw!r} valt na het jaar {LAST_YEAR} ({moment:%Y-%m-%d}): een Excel-werkboek "
                             f"kan zo'n datum niet dragen; zet {ENV_VAR} op een moment tot en met {LAST_YEAR}")
    return moment.replace(tzinfo=None)


def build_date(environ: dict[str, str] | None = None) -> dt.date:
    """The UTC date of SOURCE_DATE_EPOCH when set, else today's local date."""
    return build_datetime(environ).date()


@cache
def git_commit() -> str:
    """The checkout's commit (asked once per process: a run does not change it)."""
    try:
        result = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=paths.PROJECT_ROOT,
                                capture_output=True, text=True, check=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "onbekend (geen git-checkout)"
    return result.stdout.strip()
