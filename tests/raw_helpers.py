"""What the tests of the raw sources and of the cleaning stage share: area codes of the bundled
sample data and small edits of its raw files."""

from __future__ import annotations

from jeugdmonitor.sources import raw

HOEKSCHE_WAARD = "GM1963"
HOEKSCHE_WAARD_PREDECESSORS = ["GM0585", "GM0611", "GM0588", "GM0584", "GM0617"]
OUTSIDE_2023 = {"GM0545", "GM0707", "GM0620", "GM1961"}  # Leerdam, Zederik, Vianen, Vijfheerenlanden
AREA_TABLES = ("gebieden", "jeugdzorg", "bevolking", "uitgaven", "wachttijden", "trajecten", "budget", "kpi_waarden")


def _rewrite_sidecar(path, sidecar_of=None, **changes) -> None:
    """A new sidecar for `path` (copied from `sidecar_of`'s when given), with `changes`."""
    meta = {k: v for k, v in raw.read_sidecar(sidecar_of or path).items() if k not in ("bestand", "sha256")}
    raw.write_sidecar(path, {**meta, **changes})


def _age_file(root, table: str = "84135NED", name: str = "TypedDataSet"):
    return root / "data" / "raw" / "cbs" / f"{table}_{name}.csv"
