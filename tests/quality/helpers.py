"""What the tests of the data-quality gate share."""

from __future__ import annotations

from jeugdmonitor import paths


def _stage(tables, name, frame):
    frame.to_parquet(paths.staging_table(2023, name), index=False)


NEW_KPI = """kpis:
  pleegzorg_per_1000:
    naam: Pleegzorg
    omschrijving: "Jongeren in pleegzorg per 1.000 jongeren van 0 tot 23 jaar."
    teller: {bron: jeugdzorg, vorm: pleegzorg}
    noemer: {bron: bevolking, leeftijd: [0, 22]}
    schaal: 1000
    eenheid: "per 1.000 jongeren"
    richting: neutraal
    decimalen: 1
    marge: 0.5
"""
