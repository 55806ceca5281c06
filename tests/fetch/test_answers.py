"""Tests for jeugdmonitor.fetch.answers: CBS's answers checked and read (empty cells, the table's
dimensions) against the local CBS server."""

from __future__ import annotations

import pytest

from jeugdmonitor import fetch
from jeugdmonitor.sources import raw

from .helpers import (
    FEED,
    MISSING,
    YEARS,
    YOUTH_DATA,
    csv_rows,
    read_like_clean,
    with_source,
)


def test_null_becomes_the_missing_mark(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    fetch.fetch(["cbs_jeugdzorg"], years=YEARS, out_dir=out, cfg=cfg)
    topics = ["JongerenMetJeugdzorg_1", "JongerenMetJeugdzorgRelatief_2", "Jeugdzorgtrajecten_3"]
    rows = {(r["VormenVanJeugdzorg"], r["RegioS"].strip(), r["Perioden"]): r for r in csv_rows(out / YOUTH_DATA)}

    suppressed = rows[("A027919", "GM0503", "2024JJ00")]  # JB 1 Totaal jeugdbescherming
    assert [suppressed[t] for t in topics] == [MISSING, MISSING, MISSING]
    partly = rows[("A027918", "GM0503", "2024JJ00")]  # JH 122 Totaal jeugdhulp met verblijf
    assert partly["Jeugdzorgtrajecten_3"] == MISSING
    assert partly["JongerenMetJeugdzorg_1"] == "265".rjust(9)
    assert partly["JongerenMetJeugdzorgRelatief_2"] == "0.9".rjust(9)
    assert all(len(row[t]) == raw.CBS_CELL_WIDTH for row in rows.values() for t in topics)

    frame, _ = read_like_clean(cfg, "cbs_jeugdzorg", out)
    cell = frame[(frame["RegioS"] == "GM0503") & (frame["Perioden"] == "2024JJ00")
                 & (frame["VormenVanJeugdzorg"] == "A027919")]
    assert cell[topics].isna().all(axis=None)
    assert frame[topics].notna().sum().sum() == len(frame) * len(topics) - 4


def test_a_filtered_dimension_the_table_lacks_stops_before_any_lookup(cbs_server, tmp_path, cfg):
    wrong = with_source(cfg, "cbs_bevolking", ophalen={**cfg.sources["cbs_bevolking"]["ophalen"],
                                                       "titels": {"Leeftijdsklasse": "^x$"}})

    with pytest.raises(fetch.FetchError, match=r"geen dimensie\(s\) \['Leeftijdsklasse'\] die ophalen"):
        fetch.fetch(["cbs_bevolking"], years=YEARS, out_dir=tmp_path / "raw", cfg=wrong)
    assert [path for path, _ in cbs_server.requests] == [f"{FEED}03759ned/DataProperties"]
