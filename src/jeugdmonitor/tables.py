"""The clean tables as files: written as parquet by the cleaning stage, read back (validated, from
data/clean/<year>/) by the reports. The one module that knows their format, so the report
layer reads tables without loading the cleaning stage."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa

from jeugdmonitor import paths
from jeugdmonitor.errors import DamagedFileError


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Write every table as Parquet; files appear under their final name only when complete."""
    out_dir.mkdir(parents=True, exist_ok=True)
    # new tables are unvalidated: drop the stamp and manifest first, so an interrupted
    # write can never be taken for validated data
    (out_dir / paths.VALIDATION_STAMP_NAME).unlink(missing_ok=True)
    (out_dir / paths.MANIFEST_NAME).unlink(missing_ok=True)
    written = []
    for name, frame in tables.items():
        target = out_dir / paths.table_filename(name)
        partial = target.with_suffix(".parquet.partial")
        frame.to_parquet(partial, index=False)
        partial.replace(target)
        written.append(target)
    manifest = {name: {"rijen": len(frame), "kolommen": list(frame.columns)} for name, frame in tables.items()}
    # written last: the Makefile target of the cleaning stage
    (out_dir / paths.MANIFEST_NAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return written


def read_table(year: int, name: str) -> pd.DataFrame:
    path = paths.clean_table(year, name)
    if not path.exists():
        raise FileNotFoundError(f"{path} bestaat niet: voer eerst `make clean-data YEAR={year}` uit")
    try:
        return pd.read_parquet(path)
    except (pa.ArrowException, OSError, ValueError) as error:
        raise DamagedFileError(f"{paths.display_path(path)} is beschadigd of afgebroken en niet te lezen ({error}); "
                               f"maak de schone data opnieuw: rm -r {paths.display_path(path.parent)} && "
                               f"make validate YEAR={year}") from None
