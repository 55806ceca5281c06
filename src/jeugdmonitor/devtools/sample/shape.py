"""The shape of the sample: national rates, trends per region, CBS's keys and titles as the real
tables have them, and the units (municipalities with the years they exist)."""

from __future__ import annotations

from dataclasses import dataclass

from jeugdmonitor.definitions import config

FICTITIOUS = "fictieve voorbeelddata"


LICENCE_CBS = "CC BY 4.0 (echte CBS-data); dit bestand: fictieve voorbeelddata"


LICENCE_REGION = "Niet openbaar (echte regio-export); dit bestand: fictieve voorbeelddata"


AGES = range(0, 23)


# Share of young people (0-22) per form of care at national level, 2015 and 2023, for
# plausible orders of magnitude (about 10% with some form of youth care).
NATIONAL_RATES = {
    "jeugdhulp": (0.086, 0.094),
    "jeugdhulp_met_verblijf": (0.0095, 0.0085),
    "jeugdbescherming": (0.0095, 0.0078),
    "jeugdreclassering": (0.0025, 0.0017),
}


# West-Brabant West: unique young people with jeugdhulp, about 9,250 (2018) to 9,800 (2020).
WBW_JEUGDHULP = {2015: 8600, 2016: 8850, 2017: 9050, 2018: 9250, 2019: 9500, 2020: 9800,
                 2021: 9900, 2022: 10050, 2023: 10150, 2024: 10200}


# Zuid-Holland Zuid: realised regional youth-care costs in million euro (goal: back to 100 in 2023).
ZHZ_COSTS_MLN = {2019: 118.0, 2020: 121.5, 2021: 117.2, 2022: 110.4, 2023: 99.4, 2024: 101.3}


TRANSFORMATION_FUND_EUR = 2_400_000  # Haaglanden 2019-2021, per year, shared naar rato inwonertal


BUDGET_LINES = ("Specialistische jeugdhulp (regionaal ingekocht)", "Jeugdbescherming en jeugdreclassering")


CARE_FORMS = ("ambulant", "dagbehandeling", "verblijf", "pleegzorg")


CARE_FORM_SHARES = (0.70, 0.10, 0.12, 0.08)


# Flevoland: intensive ambulant help instead of residential stays, so the ambulant share of the
# trajectories started rises from 2020 on (taken from verblijf and dagbehandeling)
# CBS's trajectories per young person in care, every form (Jeugdzorgtrajecten / JongerenMetJeugdzorg): some have two
TRAJECTORIES_PER_YOUNG_PERSON = 1.35


FLEVOLAND_AMBULANT_RISE = 0.03  # per year since 2019


# Haaglanden Transformatiefonds 2019-2021: budget lines after the plan's choices (seed 004:
# actielijn 2 "zo thuis mogelijk opgroeien", actielijn 6 "investeren in vakmanschap", continuity
# of "Beter samenspel voor veilig opgroeien", monitoring and project capacity), share of the fund
TRANSFORMATION_FUND_LINES = {
    "Transformatiefonds: Zo thuis mogelijk opgroeien": 0.45,
    "Transformatiefonds: Investeren in vakmanschap": 0.30,
    "Transformatiefonds: Beter samenspel voor veilig opgroeien": 0.17,
    "Transformatiefonds: Monitoring en projectcapaciteit": 0.08,
}


# Share of each age group (the Persoonskenmerken of 84135NED) among the young people with a form of
# care, nationally; invented orders of magnitude
AGE_GROUP_SHARES = {
    "jeugdhulp": {(0, 3): 0.05, (4, 11): 0.43, (12, 17): 0.41, (18, 22): 0.11},
    "jeugdhulp_met_verblijf": {(0, 3): 0.08, (4, 11): 0.24, (12, 17): 0.46, (18, 22): 0.22},
}


# Haaglanden: children under 12 "in principle not in residential care": their share of the young
# people with verblijf falls by this fraction a year after 2018
HAAGLANDEN_UNDER_12_DECLINE = 0.07


SHAPE = "vorm van de echte bron"


# The sample's CBS youth-care series, as `make fetch` would leave them: each year from the newest
# table that has it (84134NED/84135NED to 2020, their successors 85099NED/85100NED from 2021, after
# the break in the series between 2020 and 2021; see data/raw/README.md). Keys in CBS's own scheme:
# those named in public scripts reading 85099NED where known, the rest invented in that style.
SAMPLE_SUCCESSOR_FROM = 2021


SAMPLE_FORM_KEYS = {
    "current": {  # 85099NED, 85100NED
        "jeugdzorg_totaal": "A045561", "jeugdhulp": "A045560", "jeugdhulp_in_natura": "A028101",
        "jeugdhulp_zonder_verblijf": "A042503", "jeugdhulp_wijkteam": "A017916", "jeugdhulp_met_verblijf": "A027918",
        "pleegzorg": "A028102", "jeugdbescherming": "A027919", "ondertoezichtstelling": "A028103", "voogdij": "A028104",
        "jeugdreclassering": "A027920"},
    "older": {"jeugdzorg_totaal": "T001203", "jeugdhulp": "A042502"},  # 84134NED, 84135NED; other forms as current
}


SAMPLE_TOPIC_KEYS = {"jongeren": "JongerenMetJeugdzorg_1", "jongeren_relatief": "JongerenMetJeugdzorgRelatief_2",
                     "trajecten": "Jeugdzorgtrajecten_3"}


SAMPLE_TOPIC_KEYS_BY_AGE = {"jongeren": "TotaalJongerenMetJeugdzorg_1"}


SAMPLE_AGE_GROUP_KEYS = {"totaal": "T009002", (0, 3): "71090", (4, 11): "71091", (12, 17): "71092", (18, 22): "71093"}


# 03759ned on OData 3: its topic key and the keys of the totals (config/bronnen.yaml names them by title)
SAMPLE_POPULATION_TOPIC_KEYS = {"inwoners": "BevolkingOp1Januari_1"}


SAMPLE_POPULATION_TOTAL_KEYS = {"totaal_geslacht": "T001038", "totaal_burgerlijke_staat": "T001019",
                                "totaal_leeftijd": "10000"}


def population_keys(spec: dict) -> dict:
    """What the sample's 03759ned sidecar records (`sleutels`), as a fetch from OData 3 would: the
    topic's column and title, and per dimension the key of the total with its title."""
    dims = spec["dimensies"]
    return {"onderwerpen": dict(SAMPLE_POPULATION_TOPIC_KEYS),
            "onderwerptitels": {name: str(spec["onderwerpen"][name]) for name in SAMPLE_POPULATION_TOPIC_KEYS},
            **{dims[role]: {SAMPLE_POPULATION_TOTAL_KEYS[entry]: str(spec[entry])}
               for role, entry in (("geslacht", "totaal_geslacht"), ("burgerlijke_staat", "totaal_burgerlijke_staat"),
                                   ("leeftijd", "totaal_leeftijd"))}}


def sample_series(source: str, spec: dict, years: list[int],
                   topic_keys: dict[str, str]) -> list[tuple[config.TablePart, list[int], dict[str, str], dict]]:
    """Per table of a youth-care series: its part, its years, its form keys (workbook name -> key)
    and what its sidecar records (`sleutels`: topic keys and key -> title; `reeks`)."""
    parts = config.table_parts(source, spec)
    if len(parts) != 2:
        raise config.ConfigError(f"de voorbeelddata kennen voor {source} precies één opvolger, niet {len(parts) - 1}")
    split = [[y for y in years if y < SAMPLE_SUCCESSOR_FROM], [y for y in years if y >= SAMPLE_SUCCESSOR_FROM]]
    series = {str(part.spec["tabel"]): part_years for part, part_years in zip(parts, split, strict=True)}
    result = []
    for part, part_years in zip(parts, split, strict=True):
        keys = SAMPLE_FORM_KEYS["current"] | (SAMPLE_FORM_KEYS["older"] if part.position == 0 else {})
        title_of = {name: title for title, name in part.spec["vormen"].items()}
        record = {"onderwerpen": {name: topic_keys[name] for name in part.spec["onderwerpen"]},
                  "onderwerptitels": {name: str(title) for name, title in part.spec["onderwerpen"].items()},
                  part.spec["dimensies"]["vorm"]: {keys[name]: title_of[name] for name in title_of}}
        result.append((part, part_years, {name: keys[name] for name in title_of}, {"sleutels": record, "reeks": series}))
    return result


REST_OF_COUNTRY_CODE = "GM99{:02d}"  # no real municipality code starts with GM99


# the mark CBS puts after a year in a Perioden title, by its status (config/bronnen.yaml status_labels)
PERIOD_TITLE_MARKS = {"Definitief": "", "Nader voorlopig": "**", "Voorlopig": "*"}


@dataclass
class Unit:
    """A municipality code with data in the sample, for the years it exists."""

    code: str
    name: str
    region: str
    years: list[int]


def interpolate(pair: tuple[float, float], year: int) -> float:
    start, end = pair
    return start + (end - start) * (year - 2015) / (2023 - 2015)
