"""CBS's keys in a table's dimension files, found by their titles: ages, age groups, forms of
care and topics. CBS renumbers keys between tables; titles stay, so a contract fits a series."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jeugdmonitor import paths
from jeugdmonitor.definitions import cbs_titles, config
from jeugdmonitor.sources import raw


def cbs_source(cfg: config.Config, key: str) -> tuple[dict[str, Any], Path]:
    spec = cfg.sources[key]
    return spec, paths.RAW_DIR / spec["bestand"]


def dimension_file(data_path: Path, name: str) -> Path:
    return data_path.with_name(data_path.name.replace("TypedDataSet", name))


AGE_GROUP = -1  # a Leeftijd key that is a group of ages ("0 tot 5 jaar", "95 jaar of ouder")


TOTAL_AGE = -2  # the Leeftijd key of all ages together


def ages_by_title(path: Path, spec: dict[str, Any], dimension: str, total_key: str) -> dict[str, int]:
    """Leeftijd key -> single year of age, TOTAL_AGE or AGE_GROUP, read from the dimension's titles.

    Keys differ between CBS tables, titles do not: "<n> jaar" is one year of age
    (`enkel_jaar_titel` in config/bronnen.yaml); `total_key` is the key of `totaal_leeftijd`, found
    by its title (`total_key_of`). A title that is neither that, the total nor a recognisable age
    group is an error, so that a new kind of category is never summed blindly."""
    dimension_path = dimension_file(path, dimension)
    ages = raw.read_dimension(dimension_path)
    single_year = re.compile(spec["enkel_jaar_titel"])
    group = re.compile(r"^\d+ (tot|à|-) \d+ jaar$|^\d+ jaar of (ouder|jonger)$|^jonger dan \d+ jaar$", re.IGNORECASE)
    age_of: dict[str, int] = {}
    strange = []
    for line, (key, title) in enumerate(zip(ages["Key"], ages["Title"], strict=True), start=2):
        match = single_year.fullmatch(title.strip())
        if key.strip() == total_key:
            age_of[key] = TOTAL_AGE
        elif match:
            age_of[key] = int(match.group(1))
        elif group.fullmatch(title.strip()):
            age_of[key] = AGE_GROUP
        else:
            strange.append((line, key, title))
    if strange:
        raise raw.RawDataError(
            dimension_path, "titels die geen enkel leeftijdsjaar zijn (enkel_jaar_titel "
            f"{spec['enkel_jaar_titel']}), geen leeftijdsgroep en niet het totaal {spec['totaal_leeftijd']!r} ({total_key!r}): "
            + ", ".join(f"{key!r} {title!r}" for _, key, title in strange[:5]),
            column="Title", rows=[line for line, _, _ in strange])
    return age_of


AGE_GROUP_COLUMNS = ["leeftijd_van", "leeftijd_tot"]


def _recorded_keys(path: Path) -> dict[str, Any]:
    recorded = raw.read_sidecar(path).get("sleutels") or {}
    return recorded if isinstance(recorded, dict) else {}


def topic_columns(path: Path, spec: dict[str, Any]) -> dict[str, str]:
    """Workbook topic name -> the column of the file, as the fetch resolved it from the topic
    titles in config/bronnen.yaml (sidecar `sleutels.onderwerpen`)."""
    recorded = _recorded_keys(path).get("onderwerpen")
    if not isinstance(recorded, dict) or not set(spec["onderwerpen"]) <= set(recorded):
        raise raw.RawDataError(paths.raw_sidecar(path), f"de sidecar legt niet vast welke kolom elk onderwerp "
                                                        f"{sorted(spec['onderwerpen'])} is (sleutels.onderwerpen: {recorded!r}); "
                                                        "haal de tabel opnieuw op met `make fetch`, dat de kolommen bij de "
                                                        "CBS-titels in config/bronnen.yaml zoekt")
    return {name: str(recorded[name]) for name in spec["onderwerpen"]}


def titles_of_keys(path: Path, spec: dict[str, Any], dimension: str, entry: str) -> dict[str, str]:
    """Key (stripped) -> the title in `spec[entry]` (config/bronnen.yaml) it stands for: from the
    resolution the fetch recorded in the sidecar (`sleutels.<dimension>`), else from the titles
    in the dimension file. Never from keys in the configuration: CBS renumbers them."""
    recorded = _recorded_keys(path).get(dimension)
    dimension_path = dimension_file(path, dimension)
    listed = raw.read_dimension(dimension_path)
    if isinstance(recorded, dict) and recorded:
        # the dimension file (the keys the data use) must say the same, or one of the two was changed after the fetch
        title_in_file = dict(zip(listed["Key"].str.strip(), listed["Title"].map(cbs_titles.normal), strict=True))
        differ = [f"{k!r}: {title_in_file[k.strip()]!r} in plaats van {t!r}" for k, t in recorded.items()
                  if k.strip() in title_in_file and title_in_file[k.strip()] != cbs_titles.normal(t)]
        if differ:
            raise raw.RawDataError(dimension_path, "de titels wijken af van wat de sidecar van het databestand bij het "
                                                   f"ophalen vastlegde (sleutels.{dimension}): " + ", ".join(differ[:5]),
                                   column="Title")
        where, entries = paths.raw_sidecar(path), [{"Key": k, "Title": t} for k, t in recorded.items()]
    else:
        where, entries = dimension_path, listed.to_dict("records")
    try:
        resolved = cbs_titles.resolve(entries, cbs_titles.titles_of(spec[entry]), f"{spec['tabel']}/{dimension}")
    except cbs_titles.TitleMatchError as error:
        raise raw.RawDataError(where, f"{error} ({entry} in config/bronnen.yaml)", column="Title") from error
    return {key.strip(): title for title, key in resolved.items()}


def age_group_titles(spec: dict[str, Any], title_of: dict[str, str]) -> tuple[str, dict[str, tuple[int, int]]]:
    """The total key and Persoonskenmerken key -> (from, to) of `leeftijdsgroepen` (title -> ages),
    each title checked against its ages ("Leeftijd: 0 tot 4 jaar" is 0-3), so a group is never
    summed as ages it does not hold."""
    groups = spec["leeftijdsgroepen"]
    totals = [title for title, value in groups.items() if value == "totaal"]
    ages = {str(title): (int(value[0]), int(value[1])) for title, value in groups.items() if value != "totaal"}
    if len(totals) != 1 or any(low > high for low, high in ages.values()):
        raise config.ConfigError(f"config/bronnen.yaml: leeftijdsgroepen van {spec['tabel']} vraagt één titel met `totaal` en "
                                 f"groepen [van, tot] met van <= tot, niet {groups}")
    wrong = [f"{title!r} (verwacht '... {low} tot {high + 1} jaar')" for title, (low, high) in ages.items()
             if f"{low} tot {high + 1} jaar" not in title]
    if wrong:
        raise config.ConfigError("config/bronnen.yaml: titels van leeftijdsgroepen passen niet bij hun leeftijden: "
                                 + ", ".join(wrong[:5]))
    key_of = {title: key for key, title in title_of.items()}
    return key_of[totals[0]], {key_of[title]: value for title, value in ages.items()}


def total_key_of(path: Path, spec: dict[str, Any], dimension: str, entry: str) -> str:
    """The key (stripped) of the one total that `spec[entry]` names by its CBS title (e.g.
    `totaal_geslacht`: "Totaal mannen en vrouwen"), as the fetch recorded it in the sidecar
    (`sleutels.<dimension>`), else from the dimension file: OData 3 and OData 4 may code it differently."""
    [key] = titles_of_keys(path, spec, dimension, entry)
    return key
