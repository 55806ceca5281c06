"""Every raw source read and checked, one loader per source: what the cleaning stage starts from."""

from __future__ import annotations

from typing import Any

from jeugdmonitor.definitions import config
from jeugdmonitor.sources.areas import load_urbanisation
from jeugdmonitor.sources.cbs import load_population, load_spending, load_youth_care, load_youth_care_by_age
from jeugdmonitor.sources.exports import load_region_exports
from jeugdmonitor.sources.rawdata import RawData, RawFile


def load_raw(cfg: config.Config) -> RawData:
    """Read and check every raw source (checksums, columns, codes, numbers): one loader per source,
    each checking its file's contract and recording the file (for the raw-data suites) and its
    provenance."""
    files: list[RawFile] = []
    provenance: list[dict[str, Any]] = []
    youth_care = load_youth_care(cfg, files, provenance)
    youth_care_by_age = load_youth_care_by_age(cfg, files, provenance)
    population = load_population(cfg, files, provenance)
    spending = load_spending(cfg, files, provenance)
    exports = load_region_exports(cfg, files, provenance)
    urbanisation = load_urbanisation(cfg, provenance)
    return RawData(
        youth_care=youth_care,
        population=population,
        spending=spending,
        waiting=exports["wachttijden"],
        trajectories=exports["trajecten"],
        budget=exports["budget"],
        youth_care_by_age=youth_care_by_age,
        urbanisation=urbanisation,
        provenance=provenance,
        files=files,
    )
