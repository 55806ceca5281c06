"""The sample of CBS's area table in data/raw/cbs/gebieden/ (part of `make sample-data`): the
bundled municipalities with their real codes, names and jeugdregio, the real province of each
region, and one fictitious region standing for the rest of the country, in the shape `make
fetch` writes (TypedDataSet with ID, RegioS and the topics, a RegioS file, sidecars)."""

from __future__ import annotations

from pathlib import Path

from jeugdmonitor.definitions import config
from jeugdmonitor.sources import areas, raw

# The topic keys the sample uses. Code_1, Naam_2 (municipality) and Code_28, Naam_29 (province) are
# those of 85385NED as public scripts use them; the jeugdregio keys and Code_52 (stedelijkheid) are
# inferred (see data/raw/README.md).
SAMPLE_TOPICS = {"gemeentecode": "Code_1", "gemeentenaam": "Naam_2", "jeugdregio_code": "Code_18",
                 "jeugdregio_naam": "Naam_19", "provincie_code": "Code_28", "provincie_naam": "Naam_29",
                 "stedelijkheid": "Code_52"}
# stedelijkheid of a municipality the sample does not list: from its inhabitants in 2023 (at least
# this many -> this class), else 5 (niet stedelijk); cities are denser than villages, roughly
URBANISATION_BY_INHABITANTS = ((200_000, 1), (100_000, 2), (50_000, 3), (20_000, 4))
REGION_KEY_WIDTH = 10  # StatLine pads RegioS keys and text topics with spaces
NOTE = "vorm van de echte tabel; echte codes en namen van de gebundelde gemeenten, een fictieve regio; fictieve voorbeelddata"


def _first(titles: str | list[str]) -> str:
    """The title a sample table uses for a configured title or list of alternatives."""
    return titles if isinstance(titles, str) else titles[0]


def write_area_tables(cfg: config.Config, out: Path) -> list[Path]:
    """One sample area table per year of `gebieden.jaren` in config/voorbeelddata.yaml."""
    return [path for year in cfg.sample["gebieden"]["jaren"] for path in write_area_table(cfg, out, int(year))]


def urbanisation(cfg: config.Config, code: str) -> str:
    """The sample's stedelijkheid of a municipality: as config/voorbeelddata.yaml lists it, or
    from its inhabitants in 2023; a municipality with neither stops the generator."""
    listed = cfg.sample["gebieden"].get("stedelijkheid", {})
    if code in listed:
        return str(int(listed[code]))
    people = cfg.sample["inwoners_2023"].get(code)
    if people is None:
        raise ValueError(f"config/voorbeelddata.yaml: gemeente {code} staat niet onder gebieden.stedelijkheid en "
                         "heeft geen inwoners_2023; geef een van beide")
    return next((str(c) for least, c in URBANISATION_BY_INHABITANTS if int(people) >= least), "5")


def write_area_table(cfg: config.Config, out: Path, year: int) -> list[Path]:
    spec = cfg.sample["gebieden"]
    area = areas.settings(cfg)
    table = area.tables[year]
    register = cfg.register
    extra = spec["fictieve_regio"]
    provinces = {**{region: tuple(pair) for region, pair in spec["provincies"].items()}, extra["code"]: tuple(extra["provincie"])}
    rows: list[tuple[str, ...]] = []
    for municipality in register.existing(year):
        if municipality.region is None:
            continue
        province = provinces.get(municipality.region, ("", ""))
        rows.append((municipality.code, municipality.name, municipality.region,
                     register.region(municipality.region).name, *province, urbanisation(cfg, municipality.code)))
    known = {row[0] for row in rows}  # once registered (make regio), the fictitious region comes from the register
    rows += [(str(code), str(name), str(extra["code"]), str(extra["naam"]), *(str(p) for p in extra["provincie"]),
              urbanisation(cfg, str(code)))
             for code, name in extra["gemeenten"].items() if code not in known]
    rows.sort(key=lambda row: row[0])
    dimension = area.region_dimension
    data_path = out / area.data_file.format(tabel=table)
    header = ["ID", dimension, *SAMPLE_TOPICS.values()]
    raw.write_csv(data_path, header, [[str(index), row[0].ljust(REGION_KEY_WIDTH), *(value.ljust(REGION_KEY_WIDTH) for value in row)]
                                      for index, row in enumerate(rows)], quote_all=True)
    meta = {"tabel": table, "titel": area.title.format(jaar=year), "opgehaald": cfg.sample["retrieval_date"],
            "licentie": "CC BY 4.0", "fictief": True, "jaar": year,
            "maker": f"jeugdmonitor.devtools.sample_data (zaad {cfg.sample['zaad']})"}
    base_url = f"{cfg.sources[areas.AREAS]['url']}/{table}"
    raw.write_sidecar(data_path, {**meta, "bron": f"{area.source_name}, tabel {table} (TypedDataSet) — {NOTE}",
                                  "url": f"{base_url}/TypedDataSet", "rijen": len(rows), "dimensie": dimension,
                                  "onderwerpen": SAMPLE_TOPICS,
                                  # as a fetch records them: the group and topic titles that matched (the first configured)
                                  "titels": {role: [_first(group), _first(title)] for role, (group, title) in area.topics.items()}})
    dimension_path = data_path.with_name(data_path.name.replace("TypedDataSet", dimension))
    raw.write_csv(dimension_path, ["Key", "Title"], [[code.ljust(REGION_KEY_WIDTH), name] for code, name, *_ in rows],
                  quote_all=True)
    raw.write_sidecar(dimension_path, {**meta, "bron": f"{area.source_name}, tabel {table} (dimensie {dimension}) — {NOTE}",
                                       "url": f"{base_url}/{dimension}", "rijen": len(rows)})
    return [data_path, dimension_path]
