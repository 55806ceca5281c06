"""Municipal spending per taakveld from the Iv3 tables, "Gemeenten <jaar> onbewerkte Iv3-data".

CBS publishes what municipalities deliver (Iv3, "Informatie voor derden") unedited on
dataderden.cbs.nl, one table per year (`cbs_iv3` in config/bronnen.yaml). A table is a sparse
cube of TaakveldBalanspost x Categorie x Gemeenten x Verslagsoort with the amounts of two
publications ("plaatsingen"), in 1 000 euro. This module turns one such table into the
workbook's spending rows, one per municipality and taakveld, plus the national figure:

- only the jaarrekening of the table's year (`verslagsoort`) and only lasten (`lasten_categorie`);
- sub-taakvelden (6.72a, 6.72b, ...) count under their taakveld; a taakveld that has a figure
  both on itself and on its sub-taakvelden would be counted twice and is refused;
- per municipality the newest plaatsing that has a figure counts (`plaatsingen`), and gives
  the status of all its figures in that table;
- an empty cell is nothing booked; `geen_opgave` (-99998) is "not delivered": the taakveld's
  figure is missing, as is every figure of a municipality without any figure in the selection;
- the national figure is the sum over every municipality of the table's Gemeenten dimension,
  missing when any of them has no figure (the tables hold no national row).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from jeugdmonitor import paths
from jeugdmonitor.sources import raw

MUNICIPALITY_KEY = re.compile(r"GM\d{4}")


@dataclass(frozen=True)
class Iv3Table:
    """One configured Iv3 table: the year it describes, its CBS id and its data file."""

    year: int
    table: str
    path: Path

    def dimension_path(self, name: str) -> Path:
        return self.path.with_name(self.path.name.replace("TypedDataSet", name))


def configured_tables(spec: dict[str, Any], raw_dir: Path | None = None) -> list[Iv3Table]:
    raw_dir = raw_dir or paths.RAW_DIR
    return [Iv3Table(int(year), str(table), raw_dir / str(spec["bestand"]).format(tabel=table))
            for year, table in sorted(spec["tabellen"].items())]


def present_tables(spec: dict[str, Any], raw_dir: Path | None = None) -> list[Iv3Table]:
    """The configured tables whose data file is in data/raw (at least one)."""
    tables = configured_tables(spec, raw_dir)
    present = [t for t in tables if t.path.exists()]
    if not present:
        folder = tables[0].path.parent if tables else raw_dir or paths.RAW_DIR
        raise raw.RawDataError(folder, f"geen van de Iv3-tabellen uit config/bronnen.yaml (cbs_iv3.tabellen: "
                                       f"{', '.join(t.table for t in tables)}) is aanwezig; draai `make fetch` of "
                                       "`make sample-data`")
    return present


def read_table(item: Iv3Table, spec: dict[str, Any], missing_mark: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The table's rows (keys stripped, amounts as floats) and its Gemeenten dimension."""
    dims = spec["dimensies"]
    frame = raw.read_cbs_table(item.path, [dims["taakveld"], dims["categorie"], dims["regio"], dims["verslagsoort"]],
                               {topic: True for topic in spec["onderwerpen"].values()}, missing_mark)
    municipalities = raw.read_dimension(item.dimension_path(dims["regio"]))
    return frame, municipalities


def taakveld_pattern(taakvelden: list[str]) -> str:
    """A TaakveldBalanspost key (stripped) that is a configured taakveld (group 1) or one of its
    sub-taakvelden, a lowercase suffix (group 2): 6.72, 6.72a, 6.72b, ... Used with fullmatch."""
    return "(" + "|".join(re.escape(t) for t in taakvelden) + ")([a-z]*)"


def _rows(index: pd.Index) -> list[int]:
    return [int(i) + 2 for i in index]  # file line numbers: header is line 1


def _check_municipalities(item: Iv3Table, region_dim: str, frame: pd.DataFrame,
                          municipalities: pd.DataFrame) -> set[str]:
    """The municipality codes of the Gemeenten dimension, after checking that each is one and
    that every row's municipality is among them (the national figure is their sum)."""
    dimension_path = item.dimension_path(region_dim)
    bad_keys = ~municipalities["Key"].str.fullmatch(MUNICIPALITY_KEY)
    if bad_keys.any():
        raise raw.RawDataError(dimension_path, f"sleutels die geen gemeentecode zijn zoals GM0518: "
                                               f"{municipalities.loc[bad_keys, 'Key'].head(3).tolist()}",
                               column="Key", rows=_rows(municipalities.index[bad_keys]))
    known = set(municipalities["Key"])
    outside = ~frame[region_dim].isin(known)
    if outside.any():
        raise raw.RawDataError(item.path, f"gemeenten die niet in {dimension_path.name} staan: "
                                          f"{frame.loc[outside, region_dim].unique()[:5].tolist()}",
                               column=region_dim, rows=_rows(frame.index[outside]))
    return known


def _lasten_of_taakvelden(item: Iv3Table, spec: dict[str, Any], frame: pd.DataFrame) -> pd.DataFrame:
    """The jaarrekening's lasten rows on the configured taakvelden, with their taakveld
    (`_taakveld`) and whether the row is a sub-taakveld (`_sub`); every taakveld must have rows."""
    dims = spec["dimensies"]
    taakveld_dim, category_dim, kind_dim = dims["taakveld"], dims["categorie"], dims["verslagsoort"]
    path, year = item.path, item.year
    report_kind = str(spec["verslagsoort"]).format(jaar=year)
    selected = frame[frame[kind_dim].eq(report_kind)]
    if selected.empty:
        raise raw.RawDataError(path, f"geen regels met {kind_dim} {report_kind!r} (de jaarrekening {year}); "
                                     f"het bestand heeft {sorted(frame[kind_dim].unique())[:6]}", column=kind_dim)
    selected = selected[selected[category_dim].str.match(str(spec["lasten_categorie"]))]
    taakvelden = [str(t) for t in spec["taakvelden"]]
    parts = selected[taakveld_dim].str.extract(f"^{taakveld_pattern(taakvelden)}$")
    selected = selected.assign(_taakveld=parts[0], _sub=parts[1].fillna("").ne(""))
    lacking = [t for t in taakvelden if not selected["_taakveld"].eq(t).any()]
    if lacking:  # e.g. renumbered taakvelden: every figure would silently be 0
        raise raw.RawDataError(path, f"geen lasten in de jaarrekening {year} op taakveld(en) {lacking} (cbs_iv3.taakvelden "
                                     f"in config/bronnen.yaml); het bestand heeft {sorted(frame[taakveld_dim].unique())[:12]}",
                               column=taakveld_dim)
    return selected[selected["_taakveld"].notna()]


def _newest_plaatsing(spec: dict[str, Any], region_dim: str,
                      selected: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series, pd.Series, int]:
    """Per municipality the newest plaatsing with any figure in the selection: the rows (amounts
    as floats), each row's amount of that plaatsing, each municipality's plaatsing (its rank in
    `plaatsingen`; the number of plaatsingen: no figure at all), and that number."""
    missing_code = float(spec["geen_opgave"])
    topics = [spec["onderwerpen"][str(p["onderwerp"])] for p in spec["plaatsingen"]]
    selected = selected.astype({t: "float64" for t in topics})  # NaN for an empty cell, whatever the reader's dtype
    has_figure = pd.DataFrame({t: selected[t].notna() & selected[t].ne(missing_code) for t in topics})
    per_municipality = has_figure.groupby(selected[region_dim]).any()
    choice = pd.Series(len(topics), index=per_municipality.index)  # len(topics): no figure at all
    for rank, topic in reversed(list(enumerate(topics))):
        choice[per_municipality[topic]] = rank
    chosen = selected[region_dim].map(choice)
    values = pd.Series(float("nan"), index=selected.index)
    for rank, topic in enumerate(topics):
        values[chosen.eq(rank)] = selected.loc[chosen.eq(rank), topic]
    return selected, values, choice, len(topics)


def _check_not_counted_twice(item: Iv3Table, spec: dict[str, Any], selected: pd.DataFrame, values: pd.Series) -> None:
    """A taakveld with a figure both on itself and on its sub-taakvelden would be counted twice."""
    dims = spec["dimensies"]
    region_dim, taakveld_dim = dims["regio"], dims["taakveld"]
    missing_code = float(spec["geen_opgave"])
    with_figure = values.notna() & values.ne(missing_code)
    figures = selected[with_figure]
    kinds = figures.groupby([region_dim, "_taakveld"])["_sub"].nunique()
    mixed = kinds[kinds > 1]
    if len(mixed):
        bad = figures.index[pd.MultiIndex.from_frame(figures[[region_dim, "_taakveld"]]).isin(mixed.index)]
        raise raw.RawDataError(item.path, f"taakveld en sub-taakvelden hebben allebei lasten voor "
                                          f"{mixed.index[:3].tolist()}: hun som zou ze dubbel tellen",
                               column=taakveld_dim, rows=_rows(bad))


def _municipal_lasten(spec: dict[str, Any], codes: list[str], selected: pd.DataFrame, values: pd.Series,
                      choice: pd.Series, plaatsingen: int) -> tuple[pd.DataFrame, pd.Series]:
    """Lasten (x 1 000 euro) per municipality and taakveld, every pair present: an empty cell is
    nothing booked, so 0, unless not delivered (geen opgave) or the municipality has no figure;
    also each municipality's plaatsing (rank), those without any figure at the least final one."""
    missing_code = float(spec["geen_opgave"])
    grid = pd.MultiIndex.from_product([codes, [str(t) for t in spec["taakvelden"]]], names=["gebied_code", "taakveld"])
    keys = [selected[spec["dimensies"]["regio"]].rename("gebied_code"), selected["_taakveld"].rename("taakveld")]
    # an empty cell is nothing booked (the cube is sparse), so a taakveld without rows is 0 ...
    lasten = values.groupby(keys).sum(min_count=0).reindex(grid, fill_value=0.0)
    # ... unless the municipality did not deliver it (geen opgave) or delivered nothing at all
    not_delivered = values.eq(missing_code).groupby(keys).any().reindex(grid, fill_value=False)
    position = choice.reindex(codes, fill_value=plaatsingen)
    without_figures = lasten.index.get_level_values("gebied_code").isin(position.index[position == plaatsingen])
    lasten = lasten.mask(not_delivered.to_numpy() | without_figures)
    # a municipality without any figure takes the least final status: nothing newer is known
    return lasten.rename("x1000").reset_index(), position.clip(upper=plaatsingen - 1)


def spending(item: Iv3Table, spec: dict[str, Any], status_labels: dict[str, dict[str, str]], national_code: str,
             frame: pd.DataFrame, municipalities: pd.DataFrame) -> pd.DataFrame:
    """Lasten per municipality (every one in the Gemeenten dimension) and taakveld, and their
    national sum: columns gebied_code, jaar, taakveld, lasten_euro (Int64), status.
    The national figure needs every municipality of the table: missing when any has none."""
    region_dim = spec["dimensies"]["regio"]
    codes = sorted(_check_municipalities(item, region_dim, frame, municipalities))
    selected = _lasten_of_taakvelden(item, spec, frame)
    statuses = [status_labels[str(p["status"])]["status"] for p in spec["plaatsingen"]]
    selected, values, choice, plaatsingen = _newest_plaatsing(spec, region_dim, selected)
    _check_not_counted_twice(item, spec, selected, values)
    municipal, position = _municipal_lasten(spec, codes, selected, values, choice, plaatsingen)
    municipal["status"] = municipal["gebied_code"].map(position).map(dict(enumerate(statuses)))

    # every municipality of the table, or no national figure
    national = municipal.groupby("taakveld", sort=False)["x1000"].sum(min_count=len(codes))
    national_rows = pd.DataFrame({"gebied_code": national_code, "taakveld": national.index, "x1000": national.to_numpy(),
                                  "status": statuses[int(position.max())]})
    result = pd.concat([municipal, national_rows], ignore_index=True)
    return pd.DataFrame({
        "gebied_code": result["gebied_code"].astype("string"),
        "jaar": item.year,
        "taakveld": result["taakveld"].astype("string"),
        "lasten_euro": (result["x1000"].astype("Float64") * 1000).round().astype("Int64"),
        "status": result["status"].astype("string"),
    })


def table_status(frame: pd.DataFrame, spec: dict[str, Any], year: int) -> str:
    """The CBS status name of the newest plaatsing with any figure in the jaarrekening rows of
    the file: what the sidecar's perioden_status records for the year."""
    missing_code = float(spec["geen_opgave"])
    frame = frame[frame[spec["dimensies"]["verslagsoort"]].eq(str(spec["verslagsoort"]).format(jaar=year))]
    for entry in spec["plaatsingen"]:
        topic = spec["onderwerpen"][str(entry["onderwerp"])]
        if (frame[topic].notna() & frame[topic].ne(missing_code)).any():
            return str(entry["status"])
    return str(spec["plaatsingen"][-1]["status"])
