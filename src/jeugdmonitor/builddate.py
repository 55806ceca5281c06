"""The build date a page states: today, or the date of SOURCE_DATE_EPOCH when it is set
(the reproducible-builds convention), so two builds of the same inputs are byte-identical."""

from __future__ import annotations

import datetime as dt
import os

ENV_VAR = "SOURCE_DATE_EPOCH"


class BuildDateError(ValueError):
    """SOURCE_DATE_EPOCH is set but is not a whole number of seconds since 1970."""


def build_datetime() -> dt.datetime:
    """The build moment in UTC without time zone (as openpyxl stores it)."""
    raw = os.environ.get(ENV_VAR)
    if raw is None or raw == "":
        return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    try:
        seconds = int(raw)
    except ValueError:
        raise BuildDateError(f"{ENV_VAR}={raw!r} is geen geheel aantal seconden sinds 1-1-1970") from None
    return dt.datetime.fromtimestamp(seconds, dt.UTC).replace(tzinfo=None)


def build_date() -> dt.date:
    return build_datetime().date()
