"""Generate the fictitious sample data in data/raw/, in the exact shapes of the real sources.

Seeded and deterministic: running it twice gives byte-identical files. Every file's
sidecar says the data are fictitious. Run with `python -m jeugdmonitor.sample_data`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from jeugdmonitor import config, paths, raw, sample_areas, sample_quarter
from jeugdmonitor.vocabulary import NL_CODE

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


def _population_keys(spec: dict) -> dict:
    """What the sample's 03759ned sidecar records (`sleutels`), as a fetch from OData 3 would: the
    topic's column and title, and per dimension the key of the total with its title."""
    dims = spec["dimensies"]
    return {"onderwerpen": dict(SAMPLE_POPULATION_TOPIC_KEYS),
            "onderwerptitels": {name: str(spec["onderwerpen"][name]) for name in SAMPLE_POPULATION_TOPIC_KEYS},
            **{dims[role]: {SAMPLE_POPULATION_TOTAL_KEYS[entry]: str(spec[entry])}
               for role, entry in (("geslacht", "totaal_geslacht"), ("burgerlijke_staat", "totaal_burgerlijke_staat"),
                                   ("leeftijd", "totaal_leeftijd"))}}


def _sample_series(source: str, spec: dict, years: list[int],
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


def _interp(pair: tuple[float, float], year: int) -> float:
    start, end = pair
    return start + (end - start) * (year - 2015) / (2023 - 2015)


class Generator:
    def __init__(self, cfg: config.Config, out_dir: Path):
        self.cfg = cfg
        self.sample = cfg.sample
        self.register = cfg.register
        self.out = out_dir
        self.rng = np.random.default_rng(int(self.sample["zaad"]))
        first, last = self.sample["jaren"]
        self.years = list(range(int(first), int(last) + 1))
        self.status = {int(k): v for k, v in self.sample["status"].items()}
        disclosure = cfg.sources["cbs_jeugdzorg"]["geheimhouding"]
        self.threshold = int(disclosure["drempel"])
        self.rounding = int(disclosure["afronding"])
        self.units = [
            Unit(m.code, m.name, m.region, [y for y in self.years if m.exists_in(y)])
            for m in self.register.municipalities.values()
            if m.region is not None
        ]
        self.by_code = {u.code: u for u in self.units}
        self._population: dict[tuple[str, int], np.ndarray] = {}
        self._care: dict[tuple[str, int, str], float] = {}
        self._families: dict[str, tuple] = {}

    # ---------------------------------------------------------------- population
    def population(self) -> None:
        """Inhabitants per single year of age 0-22 and in total, per municipality and NL."""
        for unit in self.units:
            base = float(self.sample["inwoners_2023"][unit.code])
            anchor = 2023 if 2023 in unit.years else max(unit.years)
            growth, young_share, age_profile = self._family(unit.code)
            for year in unit.years:
                total = base * (1 + growth) ** (year - anchor)
                ages = np.round(total * young_share * age_profile).astype(int)
                self._population[(unit.code, year)] = np.concatenate([[round(total)], ages])
        nl = self.sample["nederland"]
        for year in self.years:
            total = float(nl["inwoners_2023"]) * 1.006 ** (year - 2023)
            ages = np.round(total * float(nl["aandeel_0_22"]) * np.full(len(AGES), 1 / len(AGES))).astype(int)
            self._population[(NL_CODE, year)] = np.concatenate([[round(total)], ages])

    def _family(self, code: str) -> tuple[float, float, np.ndarray]:
        """Shape parameters shared by a municipality and its merged predecessors, so that the
        harmonised series has no jump at the merger."""
        family = self.register.successor(code, self.years[-1])
        if family not in self._families:
            growth = self.rng.uniform(0.002, 0.012) if family != "GM0034" else 0.02
            young_share = 0.40 if family == "GM0184" else self.rng.uniform(0.23, 0.28)
            profile = self.rng.uniform(0.92, 1.08, size=len(AGES))
            levels = {form: self.rng.uniform(0.8, 1.2) for form in NATIONAL_RATES}
            self._families[family] = (growth, young_share, profile / profile.sum(), levels)
        growth, young_share, profile, _ = self._families[family]
        return growth, young_share, profile

    def young(self, code: str, year: int, low: int = 0, high: int = 22) -> float:
        return float(self._population[(code, year)][1 + low : 2 + high].sum())

    # ---------------------------------------------------------------- youth care
    def _rate_trend(self, unit: Unit, form: str, year: int) -> float:
        """Multiplicative trend per region and form, relative to 2015."""
        if form == "jeugdhulp_met_verblijf":
            if unit.region == "JZ08":  # Flevoland: rising until 2018, falling every year since
                return 1.0 + 0.03 * min(year - 2015, 3) - 0.08 * max(year - 2018, 0)
            if unit.region == "JZ24":
                return 1.0 - 0.03 * max(year - 2018, 0)
            return 1.0 - 0.012 * (year - 2015)
        if form == "jeugdhulp":
            return 1.0 + 0.025 * min(year - 2015, 5) + 0.008 * max(year - 2020, 0)
        if form == "jeugdbescherming":
            return 1.0 - 0.022 * (year - 2015)
        return 1.0 - 0.045 * (year - 2015)  # jeugdreclassering

    def youth_care(self) -> None:
        """True (unrounded) counts per municipality, form and year."""
        for unit in self.units:
            level = self._families[self.register.successor(unit.code, self.years[-1])][3]
            for year in unit.years:
                young = self.young(unit.code, year)
                for form, pair in NATIONAL_RATES.items():
                    rate = pair[0] * level[form] * self._rate_trend(unit, form, year)
                    noise = math.exp(self.rng.normal(0, 0.03))
                    self._care[(unit.code, year, form)] = young * rate * noise
        # Calibrate West-Brabant West's jeugdhulp to the regional totals its regiovisie quotes.
        for year in self.years:
            members = [u.code for u in self.units if u.region == "JZ36" and year in u.years]
            total = sum(self._care[(code, year, "jeugdhulp")] for code in members)
            factor = WBW_JEUGDHULP[year] / total
            for code in members:
                self._care[(code, year, "jeugdhulp")] *= factor

    def _derived_forms(self, counts: dict[str, float], unit_seed: float) -> dict[str, float]:
        jh, mv, jb, jr = (counts[f] for f in ("jeugdhulp", "jeugdhulp_met_verblijf", "jeugdbescherming", "jeugdreclassering"))
        return {
            "jeugdzorg_totaal": jh + 0.25 * jb + 0.5 * jr,
            "jeugdhulp": jh,
            "jeugdhulp_in_natura": 0.96 * jh,
            "jeugdhulp_zonder_verblijf": 0.94 * jh,
            "jeugdhulp_wijkteam": unit_seed * jh,
            "jeugdhulp_met_verblijf": mv,
            "pleegzorg": 0.4 * mv,
            "jeugdbescherming": jb,
            "ondertoezichtstelling": 0.85 * jb,
            "voogdij": 0.22 * jb,
            "jeugdreclassering": jr,
        }

    def _publish(self, value: float) -> int | None:
        """CBS disclosure control: suppress small cells, round the rest to multiples of 5."""
        if value < self.threshold:
            return None
        return int(self.rounding * math.floor(value / self.rounding + 0.5))

    def _period_key(self, year: int) -> str:
        return f"{year}JJ00"

    def _pad(self, value: int | float | None, decimals: int = 0) -> str:
        return raw.cbs_cell(value, decimals, self.cfg.sources["ontbrekend_teken"])

    def write_youth_care(self) -> None:
        """CBS 84134NED (to 2020) and its successor 85099NED (from 2021): young people per form of
        care and region, each table with its own keys (`_sample_series`)."""
        spec = self.cfg.sources["cbs_jeugdzorg"]
        areas: list[tuple[str, dict[int, dict[str, float]], dict[int, float]]] = []
        wijkteam = {u.code: self.rng.uniform(0.35, 0.55) for u in self.units}
        unit_values: dict[str, dict[int, dict[str, float]]] = {}
        for unit in self.units:
            unit_values[unit.code] = {
                year: self._derived_forms({f: self._care[(unit.code, year, f)] for f in NATIONAL_RATES}, wijkteam[unit.code])
                for year in unit.years
            }
            areas.append((unit.code, unit_values[unit.code], {y: self.young(unit.code, y) for y in unit.years}))
        for region in self.register.regions:
            values, young = {}, {}
            for year in self.years:
                members = [u.code for u in self.units if u.region == region and year in u.years]
                values[year] = {form: sum(unit_values[c][year][form] for c in members) for form in unit_values[members[0]][year]}
                young[year] = sum(self.young(c, year) for c in members)
            areas.append((region, values, young))
        nl_values, nl_young = {}, {}
        for year in self.years:
            counts = {}
            for form, pair in NATIONAL_RATES.items():
                counts[form] = self.young(NL_CODE, year) * _interp(pair, min(year, 2023)) * (1.004 if year == 2024 else 1.0)
            nl_values[year] = self._derived_forms(counts, 0.45)
            nl_young[year] = self.young(NL_CODE, year)
        areas.append((NL_CODE, nl_values, nl_young))
        self._youth_values = {code: values for code, values, _ in areas}  # true counts, for the table by age

        dims = spec["dimensies"]
        for part, years, key_of, record in _sample_series("cbs_jeugdzorg", spec, self.years, SAMPLE_TOPIC_KEYS):
            rows = []
            for code, values, young in areas:
                for year in sorted(y for y in values if y in years):
                    for form in part.spec["vormen"].values():
                        true = values[year][form]
                        published = self._publish(true)
                        relative = None if published is None else round(100 * true / young[year], 1)
                        trajects = None if published is None else self._publish(true * 1.35)
                        rows.append([code.ljust(8), key_of[form], self._period_key(year), published, relative, trajects])
            rows.sort(key=lambda r: (r[0], r[2], r[1]))
            topics = record["sleutels"]["onderwerpen"]
            out_rows = [
                [str(i), form, region, period, self._pad(count), self._pad(rel, 1), self._pad(traj)]
                for i, (region, form, period, count, rel, traj) in enumerate(rows)
            ]
            path = self.out / part.spec["bestand"]
            raw.write_csv(path, ["ID", dims["vorm"], dims["regio"], dims["periode"], topics["jongeren"],
                                 topics["jongeren_relatief"], topics["trajecten"]], out_rows, quote_all=True)
            statuses = {str(y): self.status.get(y, "Definitief") for y in years}
            self._sidecar(path, part.spec, "TypedDataSet", statuses=statuses, extra=record)
            self._write_series_dimensions(path, part, dims, years, key_of, statuses)

    # ---------------------------------------------------------------- youth care by age
    def write_youth_care_by_age(self) -> None:
        """CBS 84135NED (to 2020) and its successor 85100NED (from 2021), "Jongeren met jeugdzorg;
        persoonskenmerken": young people per age group, form and region. The totals are the
        counts of the youth-care table (same true value, same rounding); the age groups split
        them, each rounded and suppressed on its own, so that, as in CBS's tables, they may add up to
        a little more than the published total (at most raw.rounding_slack) or less."""
        spec = self.cfg.sources["cbs_jeugdzorg_leeftijd"]
        rng = np.random.default_rng([int(self.sample["zaad"]), 5])  # its own stream: other files stay as they were
        groups = {title: ("totaal" if value == "totaal" else tuple(value)) for title, value in spec["leeftijdsgroepen"].items()}
        group_key = {title: SAMPLE_AGE_GROUP_KEYS[group] for title, group in groups.items()}
        total_key = next(group_key[title] for title, group in groups.items() if group == "totaal")
        age_keys = {group: group_key[title] for title, group in groups.items() if group != "totaal"}
        true_parts: dict[tuple[str, int, str], dict[tuple[int, int], float]] = {}

        def split(code: str, region: str | None, year: int, form: str, total: float) -> dict[tuple[int, int], float]:
            shares = dict(AGE_GROUP_SHARES[form])
            if form == "jeugdhulp_met_verblijf" and region == "JZ24" and year > 2018:
                factor = max(0.0, 1 - HAAGLANDEN_UNDER_12_DECLINE * (year - 2018))
                young_before = shares[(0, 3)] + shares[(4, 11)]
                shares[(0, 3)] *= factor
                shares[(4, 11)] *= factor
                older = shares[(12, 17)] + shares[(18, 22)]
                for group in ((12, 17), (18, 22)):
                    shares[group] += young_before * (1 - factor) * shares[group] / older
            noisy = {group: share * math.exp(rng.normal(0, 0.05)) for group, share in shares.items()}
            scale = total / sum(noisy.values())
            return {group: value * scale for group, value in noisy.items()}

        for unit in self.units:
            for year in unit.years:
                for form in AGE_GROUP_SHARES:
                    true_parts[(unit.code, year, form)] = split(unit.code, unit.region, year, form,
                                                                self._youth_values[unit.code][year][form])
        for region in self.register.regions:
            for year in self.years:
                members = [u.code for u in self.units if u.region == region and year in u.years]
                for form in AGE_GROUP_SHARES:
                    true_parts[(region, year, form)] = {
                        group: sum(true_parts[(c, year, form)][group] for c in members) for group in age_keys}
        for year in self.years:
            for form in AGE_GROUP_SHARES:
                true_parts[(NL_CODE, year, form)] = split(NL_CODE, None, year, form, self._youth_values[NL_CODE][year][form])

        # rows by workbook form name; each table of the series writes its own form keys
        rows = []
        for (code, year, form), parts in true_parts.items():
            total = self._publish(self._youth_values[code][year][form])
            # each cell rounded on its own, as CBS does: the groups may add up to a little more or less than the total
            published = {group: self._publish(value) for group, value in parts.items()}
            rows.append([total_key, form, code.ljust(8), self._period_key(year), total])
            for group, value in published.items():
                rows.append([age_keys[group], form, code.ljust(8), self._period_key(year), value])
        order = {group_key[title]: index for index, title in enumerate(groups)}
        form_order = {name: index for index, name in enumerate(spec["vormen"].values())}
        rows.sort(key=lambda r: (r[2], r[3], form_order[r[1]], order[r[0]]))
        dims = spec["dimensies"]
        for part, years, key_of, record in _sample_series("cbs_jeugdzorg_leeftijd", spec, self.years, SAMPLE_TOPIC_KEYS_BY_AGE):
            periods = {self._period_key(y) for y in years}
            part_rows = [[r[0], key_of[r[1]], *r[2:]] for r in rows if r[3] in periods]
            path = self.out / part.spec["bestand"]
            record["sleutels"][dims["kenmerk"]] = {key: title for title, key in group_key.items()}
            raw.write_csv(path, ["ID", dims["kenmerk"], dims["vorm"], dims["regio"], dims["periode"],
                                 record["sleutels"]["onderwerpen"]["jongeren"]],
                          [[str(i), *r[:4], self._pad(r[4])] for i, r in enumerate(part_rows)], quote_all=True)
            statuses = {str(y): self.status.get(y, "Definitief") for y in years}
            self._sidecar(path, part.spec, "TypedDataSet", statuses=statuses, extra=record)
            self._write_series_dimensions(path, part, dims, years, key_of, statuses,
                                          {dims["kenmerk"]: [[key, title] for title, key in group_key.items()]})

    # ---------------------------------------------------------------- dimensions
    def _write_series_dimensions(self, path: Path, part: Any, dims: dict[str, str], years: list[int], key_of: dict[str, str],
                                 statuses: dict[str, str], leading: dict[str, list[list[str]]] | None = None) -> None:
        """The dimension files of one table of a youth-care series, beside its data file: any
        `leading` dimensions (Key, Title), then forms, regions and periods with their status."""
        regions = [[u.code.ljust(8), u.name] for u in self.units if any(y in u.years for y in years)]
        regions += [[code.ljust(8), f"{r.name} (JZ)"] for code, r in self.register.regions.items()]
        regions.append([NL_CODE.ljust(8), "Nederland"])
        tables = [(name, ["Key", "Title"], entries) for name, entries in (leading or {}).items()]
        tables += [
            (dims["vorm"], ["Key", "Title"], [[key_of[form], title] for title, form in part.spec["vormen"].items()]),
            (dims["regio"], ["Key", "Title"], regions),
            (dims["periode"], ["Key", "Title", "Status"],
             [[self._period_key(y), f"{y}{PERIOD_TITLE_MARKS[statuses[str(y)]]}", statuses[str(y)]] for y in years]),
        ]
        for name, header, entries in tables:
            dimension = path.with_name(path.name.replace("TypedDataSet", name))
            raw.write_csv(dimension, header, entries, quote_all=True)
            self._sidecar(dimension, part.spec, f"dimensie {name}", statuses=statuses)

    def _dimension(self, spec: dict, name: str, header: list[str], rows: list[list[str]]) -> None:
        path = self.out / spec["bestand"].replace("TypedDataSet", name)
        raw.write_csv(path, header, rows, quote_all=True)
        self._sidecar(path, spec, f"dimensie {name}")

    def _regions_dimension(self, spec: dict, name: str, with_regions: bool = True) -> None:
        rows = [[u.code.ljust(8), u.name] for u in self.units]
        if with_regions:
            rows += [[code.ljust(8), f"{r.name} (JZ)"] for code, r in self.register.regions.items()]
        rows.append([NL_CODE.ljust(8), "Nederland"])
        self._dimension(spec, name, ["Key", "Title"], rows)

    def _periods_dimension(self, spec: dict, name: str, years: list[int]) -> None:
        rows = []
        for year in years:
            status = self.status.get(year, "Definitief")
            rows.append([self._period_key(year), f"{year}{PERIOD_TITLE_MARKS[status]}", status])
        self._dimension(spec, name, ["Key", "Title", "Status"], rows)

    def _sidecar(self, path: Path, spec: dict, part: str, licence: str = LICENCE_CBS, table: str | None = None,
                 title: str | None = None, url: str | None = None, statuses: dict[str, str] | None = None,
                 extra: dict | None = None) -> None:
        table = table or spec["tabel"]
        raw.write_sidecar(path, {
            "bron": f"{spec.get('bronnaam', 'CBS StatLine')}, tabel {table} ({part}) — {SHAPE}; {FICTITIOUS}",
            "tabel": table,
            "titel": title or spec["titel"],
            "url": url or spec["url"],
            "opgehaald": self.sample["retrieval_date"],
            "licentie": licence,
            "fictief": True,
            "maker": f"jeugdmonitor.sample_data (zaad {self.sample['zaad']})",
            "perioden_status": statuses or {str(y): self.status.get(y, "Definitief") for y in self.years},
            **(extra or {}),
        })

    # ---------------------------------------------------------------- population table
    def write_population(self) -> None:
        spec = self.cfg.sources["cbs_bevolking"]
        dims = spec["dimensies"]
        totals = SAMPLE_POPULATION_TOTAL_KEYS
        age_keys = [totals["totaal_leeftijd"]] + [f"{10010 + 100 * age}" for age in AGES]
        rows = []
        codes = [u.code for u in self.units] + [NL_CODE]
        for code in codes:
            for year in self.years:
                if (code, year) not in self._population:
                    continue
                for key, value in zip(age_keys, self._population[(code, year)], strict=True):
                    rows.append([totals["totaal_geslacht"], key, totals["totaal_burgerlijke_staat"], code.ljust(8),
                                 self._period_key(year), self._pad(int(value))])
        rows.sort(key=lambda r: (r[3], r[4], int(r[1])))
        out_rows = [[str(i), *row] for i, row in enumerate(rows)]
        path = self.out / spec["bestand"]
        raw.write_csv(path, ["ID", dims["geslacht"], dims["leeftijd"], dims["burgerlijke_staat"], dims["regio"],
                             dims["periode"], SAMPLE_POPULATION_TOPIC_KEYS["inwoners"]], out_rows, quote_all=True)
        status_backup = self.status
        self.status = {}  # population on 1 January is definitive
        self._sidecar(path, spec, "TypedDataSet", extra={"sleutels": _population_keys(spec)})
        self._dimension(spec, dims["leeftijd"], ["Key", "Title"],
                        [[age_keys[0], spec["totaal_leeftijd"]]] + [[k, f"{a} jaar"] for k, a in zip(age_keys[1:], AGES, strict=True)])
        self._dimension(spec, dims["geslacht"], ["Key", "Title"], [[totals["totaal_geslacht"], spec["totaal_geslacht"]]])
        self._dimension(spec, dims["burgerlijke_staat"], ["Key", "Title"],
                        [[totals["totaal_burgerlijke_staat"], spec["totaal_burgerlijke_staat"]]])
        self._regions_dimension(spec, dims["regio"], with_regions=False)
        self._periods_dimension(spec, dims["periode"], self.years)
        self.status = status_backup

    # ---------------------------------------------------------------- Iv3 spending
    def write_spending(self) -> None:
        """One Iv3 table per year, shaped like "Gemeenten <jaar> onbewerkte Iv3-data": every
        municipality of the year (the bundled ones plus fictitious ones for the rest of the
        country), begroting and jaarrekening, lasten per category and some baten."""
        spec = self.cfg.sources["cbs_iv3"]
        dims, topics = spec["dimensies"], spec["onderwerpen"]
        settings = self.sample["iv3"]
        first, last = self.sample["jaren_iv3"]
        years = list(range(int(first), int(last) + 1))
        per_young_nl = {y: 1150 + (1750 - 1150) * (y - 2017) / 6 + (100 if y == 2024 else 0) for y in years}
        rng = np.random.default_rng([int(self.sample["zaad"]), 3])  # its own stream: other files stay as they were
        factors = {u.code: rng.uniform(0.8, 1.2) for u in self.units}
        rest = [(REST_OF_COUNTRY_CODE.format(i), f"Voorbeeldgemeente {i:02d} (fictief)")
                for i in range(1, int(settings["overige_gemeenten"]) + 1)]
        rest_weights = rng.dirichlet(np.full(len(rest), 2.0)) if rest else []  # national size: no rest of the country
        categories = {str(k): (str(v[0]), float(v[1])) for k, v in settings["categorieen"].items()}
        taakvelden = {str(k): str(v) for k, v in settings["taakvelden"].items()}
        first_only = {int(y) for y in settings["alleen_1e_plaatsing"]}

        def amounts(year: int, inhabitants: float, young: float, factor: float) -> dict[str, float]:
            youth = young * per_young_nl[year] * factor
            return {"6.71": inhabitants * 120 * factor, "6.72": 0.82 * youth, "6.81": inhabitants * 15 * factor, "6.82": 0.18 * youth}

        for year in years:
            table = str(spec["tabellen"][year])
            members = [u for u in self.units if year in u.years]
            lasten = {u.code: amounts(year, float(self._population[(u.code, year)][0]), self.young(u.code, year, 0, 17),
                                      factors[u.code] * math.exp(rng.normal(0, 0.02))) for u in members}
            country = amounts(year, float(self._population[(NL_CODE, year)][0]), self.young(NL_CODE, year, 0, 17), 1.0)
            for (code, _), weight in zip(rest, rest_weights, strict=True):
                lasten[code] = {tv: weight * (total - sum(lasten[u.code][tv] for u in members)) for tv, total in country.items()}
            names = {u.code: u.name for u in members} | dict(rest)
            kinds = {f"{year}X000": f"Begroting {year}", f"{year}X005": f"Jaarrekening {year}"}
            rows = []
            for taakveld in taakvelden:
                for category, (_, share) in categories.items():
                    for code in sorted(lasten):
                        for kind in kinds:
                            planned = 0.97 if kind.endswith("X000") else 1.0
                            first_value = round(lasten[code][taakveld] * share * planned / 1000)
                            second_value = None if year in first_only else round(first_value * math.exp(rng.normal(0, 0.01)))
                            if kind.endswith("X000") and rest and code == rest[-1][0] and second_value is not None:
                                second_value = int(spec["geen_opgave"])  # this one sent no revised begroting
                            rows.append([taakveld.ljust(6), category.ljust(8), code.ljust(9), kind,
                                         self._pad(first_value), self._pad(second_value)])
            path = self.out / str(spec["bestand"]).format(tabel=table)
            raw.write_csv(path, ["ID", dims["taakveld"], dims["categorie"], dims["regio"], dims["verslagsoort"],
                                 topics["plaatsing_1"], topics["plaatsing_2"]],
                          [[str(i), *row] for i, row in enumerate(rows)], quote_all=True)
            status = str(spec["plaatsingen"][-1 if year in first_only else 0]["status"])
            meta = {"table": table, "title": str(spec["titel"]).format(jaar=year), "url": f"{spec['url']}/{table}",
                    "statuses": {str(year): status}, "extra": {"jaar": year}}
            self._sidecar(path, spec, "TypedDataSet", **meta)
            for name, entries in ((dims["taakveld"], [[k.ljust(6), v] for k, v in taakvelden.items()]),
                                  (dims["categorie"], [[k.ljust(8), v[0]] for k, v in categories.items()]),
                                  (dims["regio"], [[code.ljust(9), names[code]] for code in sorted(names)]),
                                  (dims["verslagsoort"], [[k, v] for k, v in kinds.items()])):
                part = path.with_name(path.name.replace("TypedDataSet", name))
                raw.write_csv(part, ["Key", "Title"], entries, quote_all=True)
                self._sidecar(part, spec, f"dimensie {name}", **meta)

    # ---------------------------------------------------------------- regional exports
    def write_region_exports(self) -> None:
        spec = self.cfg.sources["regio_exports"]
        first, last = (int(y) for y in self.sample["jaren_regio_exports"])
        fmt = spec["datumformaat"]
        for region in self.register.regions:
            members = self.register.members(region, last)
            folder = self.out / spec["map"] / region
            self._write_waiting(folder / spec["wachttijden"]["bestand"], region, members, first, last, fmt)
            self._write_trajectories(folder / spec["trajecten"]["bestand"], region, members, first, last, fmt)
            self._write_budget(folder / spec["budget"]["bestand"], region, members, first, last)

    def _region_sidecar(self, path: Path, region: str, what: str, **extra: Any) -> None:
        raw.write_sidecar(path, {
            **extra,
            "bron": f"Export jeugdregio {self.register.regions[region].name} ({what}) — vorm van de echte export; {FICTITIOUS}",
            "tabel": f"regio-export {what}",
            "titel": f"{what}, {self.register.regions[region].name}",
            "url": "niet openbaar (levering door de jeugdregio)",
            "opgehaald": self.sample["retrieval_date"],
            "licentie": LICENCE_REGION,
            "fictief": True,
            "maker": f"jeugdmonitor.sample_data (zaad {self.sample['zaad']})",
        })

    def _write_waiting(self, path: Path, region: str, members: list[str], first: int, last: int, fmt: str) -> None:
        rows = []
        for code in members:
            level = self.rng.uniform(0.7, 1.3)
            for year in range(first, last + 1):
                young = self.young(code, year, 0, 17)
                for month in range(1, 13):
                    day = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1))
                    season = 1 + 0.1 * math.sin(2 * math.pi * month / 12)
                    trend = (1 + 0.06 * (year - first) if region != "JZ24"
                             else 1 + 0.08 * min(year - first, 2) - 0.07 * max(year - first - 2, 0))
                    waiting = max(0, round(young * 0.004 * level * season * trend * math.exp(self.rng.normal(0, 0.08))))
                    median_days = max(7, round(60 * level * trend * math.exp(self.rng.normal(0, 0.1))))
                    worrying = min(waiting, round(waiting * 0.25 * trend * math.exp(self.rng.normal(0, 0.1))))
                    rows.append([day.strftime(fmt), code, waiting, median_days, worrying])
        raw.write_csv(path, ["peildatum", "gemeentecode", "aantal_wachtenden", "mediaan_wachttijd_dagen",
                             "aantal_zorgelijk_wachtenden"], rows, quote_all=False)
        # the norm the export counted zorgelijk wachtenden with (the cleaning stage checks it against config)
        self._region_sidecar(path, region, "wachttijden per maand",
                             wachtnorm_dagen=int(self.cfg.sources["regio_exports"]["wachttijden"]["wachtnorm_dagen"]))

    def _write_trajectories(self, path: Path, region: str, members: list[str], first: int, last: int, fmt: str) -> None:
        rows = []
        number = 0
        window_start = dt.date(first, 1, 1)
        window_end = dt.date(last, 12, 31)
        for code in members:
            for year in range(first - 2, last + 1):
                young = self.young(code, max(year, first), 0, 22)
                growth = 1.04 ** (year - first) if region == "JZ36" else 1.0
                starts = int(self.rng.poisson(young * 0.008 * growth))
                offsets = np.sort(self.rng.integers(0, 365, size=starts))
                durations = np.round(np.exp(self.rng.normal(math.log(240), 0.6, size=starts))).astype(int)
                forms = self.rng.choice(len(CARE_FORMS), size=starts, p=self._care_form_shares(region, year))
                for offset, duration, form in zip(offsets, durations, forms, strict=True):
                    start = dt.date(year, 1, 1) + dt.timedelta(days=int(offset))
                    end = start + dt.timedelta(days=int(duration))
                    if end < window_start:
                        continue  # ended before the export window
                    number += 1
                    rows.append([f"{region}-{number:06d}", code, CARE_FORMS[form], start.strftime(fmt),
                                 end.strftime(fmt) if end <= window_end else ""])
        raw.write_csv(path, ["trajectnummer", "gemeentecode", "zorgvorm", "startdatum", "einddatum"], rows, quote_all=False)
        # the export holds every trajectory running at any time in the window
        self._region_sidecar(path, region, "trajecten",
                             periode={"van": window_start.isoformat(), "tot": window_end.isoformat()})

    @staticmethod
    def _care_form_shares(region: str, year: int) -> tuple[float, ...]:
        """Shares of the care forms among started trajectories; Flevoland's ambulant share rises
        from 2020 on, at the cost of verblijf (two thirds) and dagbehandeling (one third)."""
        if region != "JZ08" or year <= 2019:
            return CARE_FORM_SHARES
        rise = FLEVOLAND_AMBULANT_RISE * (year - 2019)
        ambulant, day, stay, foster = CARE_FORM_SHARES
        return (ambulant + rise, day - rise / 3, stay - 2 * rise / 3, foster)

    def _write_budget(self, path: Path, region: str, members: list[str], first: int, last: int) -> None:
        rows = []
        # its own stream for what was added later, so that the other regions' files stay as they were
        extra = np.random.default_rng([int(self.sample["zaad"]), 7, int(region[2:])])
        # Zuid-Holland Zuid: municipalities use more or less than their share naar rato inwonertal
        # (the region's total stays the calibrated one)
        use = {code: extra.uniform(0.88, 1.12) for code in members} if region == "JZ31" else {c: 1.0 for c in members}
        for year in range(first, last + 1):
            inhabitants = {code: float(self._population[(code, year)][0]) for code in members}
            share = {code: inhabitants[code] / sum(inhabitants.values()) for code in members}
            weighted = sum(share[c] * use[c] for c in members)
            if region == "JZ31":
                total = ZHZ_COSTS_MLN[year] * 1e6
            else:
                total = sum(self.young(code, year, 0, 17) for code in members) * (850 + 35 * (year - first))
            for code in members:
                realised = total * share[code] * use[code] / weighted
                lines = {BUDGET_LINES[0]: 0.88 * realised, BUDGET_LINES[1]: 0.12 * realised}
                planned_lines = {}
                if region == "JZ24" and year in (2019, 2020, 2021):
                    # the fund naar rato inwonertal, planned per budget line; spent a little less than planned
                    spent = self.rng.uniform(0.85, 1.0)
                    for line, line_share in TRANSFORMATION_FUND_LINES.items():
                        planned_lines[line] = TRANSFORMATION_FUND_EUR * share[code] * line_share
                        lines[line] = planned_lines[line] * min(1.0, spent * extra.uniform(0.9, 1.1))
                for line, amount in lines.items():
                    planned = planned_lines[line] if line in planned_lines else amount / self.rng.uniform(1.0, 1.08)
                    rows.append([year, code, line, round(planned), round(amount)])
        raw.write_csv(path, ["jaar", "gemeentecode", "begrotingspost", "begroot_euro", "gerealiseerd_euro"], rows, quote_all=False)
        self._region_sidecar(path, region, "budget en realisatie")

    def run(self) -> list[Path]:
        self.population()
        self.youth_care()
        self.write_youth_care()
        self.write_youth_care_by_age()
        self.write_population()
        self.write_spending()
        self.write_region_exports()
        sample_quarter.write_monthly_spending(self.cfg, self.out, int(self.sample["zaad"]), self._region_sidecar)
        sample_areas.write_area_tables(self.cfg, self.out)  # CBS's area tables, for `make regio`
        return sorted(p for p in self.out.rglob("*") if p.is_file() and p.name != "README.md")


# ---------------------------------------------------------------- national size
SCALES = ("voorbeeld", "landelijk")  # --schaal: the four bundled regions, or every municipality of the country
NATIONAL_MUNICIPALITIES = 342  # municipalities in 2023 and 2024
NATIONAL_REGIONS = 42  # jeugdregio's in 2024
# Stand-ins for the municipalities and regions outside the bundled ones: no real code starts
# with GM8 or is a JZ code above 42. Names and sizes are invented (the real list of 2024 with
# its jeugdregio's is not available offline).
STAND_IN_MUNICIPALITY = "GM8{:03d}"
STAND_IN_MUNICIPALITY_NAME = "Voorbeeldgemeente {:03d}"
STAND_IN_REGION_FIRST = 60
STAND_IN_REGION_NAME = "Voorbeeldregio {:02d}"
# the few large cities outside the bundled regions (inhabitants 2023), each in a region of its own
STAND_IN_CITIES = (880_000, 660_000, 365_000, 235_000, 180_000)
# bundled municipalities outside the bundled regions: a stand-in region and a size (2023; Vianen 2018)
OUTSIDE_BUNDLED_SIZES = {"GM0620": 20_000, "GM1961": 57_000}
# files of a project a national copy needs beside config/, data/raw/, notebooks/ and expectations/;
# the copy shares the project's .venv (a symbolic link), so its Makefile finds the setup done
PROJECT_FILES = ("Makefile", "pyproject.toml", "requirements.lock")


def national_definitions(cfg: config.Config) -> tuple[dict[str, Any], dict[str, Any]]:
    """The contents of config/gemeenten.yaml and config/voorbeelddata.yaml for every
    municipality of the country: the bundled regions as they are, plus stand-in regions and
    municipalities (seeded) with a realistic spread of sizes, so that the inhabitants add up
    to the national figure. The Iv3 tables then need no fictitious rest of the country."""
    register, sample = cfg.register, cfg.sample
    if any(code.startswith(STAND_IN_MUNICIPALITY[:3]) for code in register.municipalities):
        raise config.ConfigError(f"{paths.CONFIG_DIR / 'gemeenten.yaml'}: bevat al de landelijke voorbeeldgemeenten; "
                                 "herstel eerst de gebundelde definities (git checkout config)")
    rng = np.random.default_rng([int(sample["zaad"]), 11])  # its own stream: the bundled files stay as they were
    last_year = int(sample["jaren"][1])
    bundled_now = register.existing(last_year)
    new_count = NATIONAL_MUNICIPALITIES - len(bundled_now)
    new_regions = [f"JZ{STAND_IN_REGION_FIRST + i:02d}" for i in range(NATIONAL_REGIONS - len(register.regions))]
    sizes_2023 = {code: int(size) for code, size in sample["inwoners_2023"].items()} | OUTSIDE_BUNDLED_SIZES
    already = sum(sizes_2023[m.code] for m in register.existing(2023))
    # many municipalities of 10-50 thousand, a tail of larger towns, and the few cities
    towns = np.exp(rng.normal(math.log(26_000), 0.75, size=new_count - len(STAND_IN_CITIES)))
    towns *= (int(sample["nederland"]["inwoners_2023"]) - already - sum(STAND_IN_CITIES)) / towns.sum()
    sizes = [*STAND_IN_CITIES, *(max(1000, 500 * round(float(v) / 500)) for v in towns)]
    codes = [STAND_IN_MUNICIPALITY.format(i) for i in range(1, new_count + 1)]
    order = rng.permutation(new_count)  # the cities get arbitrary numbers
    new_sizes = {codes[int(position)]: size for position, size in zip(order, sizes, strict=True)}
    # regions: each city leads one, every region has at least two members
    cities = [codes[int(position)] for position in order[: len(STAND_IN_CITIES)]]
    others = [code for code in codes if code not in cities]
    rng.shuffle(others)
    extra = rng.multinomial(len(codes) - 2 * len(new_regions), rng.dirichlet(np.full(len(new_regions), 1.5)))
    members: dict[str, list[str]] = {}
    queue = others
    for index, (region, count) in enumerate(zip(new_regions, extra, strict=True)):
        lead = cities[index: index + 1]
        take = 2 + int(count) - len(lead)
        members[region], queue = lead + queue[:take], queue[take:]
    region_of = {code: region for region, codes_of in members.items() for code in codes_of}

    outside_region = new_regions[-1]  # the bundled municipalities outside the bundled regions join one
    entries = []
    for m in register.municipalities.values():
        entry = {"code": m.code, "naam": m.name, "regio": m.region or outside_region, "van": m.first_year}
        if m.last_year is not None:
            entry["tot"] = m.last_year
        entries.append(entry)
    entries += [{"code": code, "naam": STAND_IN_MUNICIPALITY_NAME.format(int(code[3:])), "regio": region_of[code],
                 "van": min(register.municipalities[c].first_year for c in register.municipalities)} for code in codes]
    regions = {code: {"naam": r.name, "regiovisie": r.vision} for code, r in register.regions.items()}
    regions |= {code: {"naam": STAND_IN_REGION_NAME.format(int(code[2:])),
                       "regiovisie": f"Regiovisie {STAND_IN_REGION_NAME.format(int(code[2:]))} ({FICTITIOUS})"}
                for code in new_regions}
    gemeenten = {"versie": cfg.versions["gemeenten.yaml"], "regio": regions, "gemeenten": entries}
    national_sample = dict(sample)
    national_sample["iv3"] = {**sample["iv3"], "overige_gemeenten": 0}
    national_sample["inwoners_2023"] = sizes_2023 | new_sizes
    return gemeenten, national_sample


def _copy_project(source: Path, target: Path) -> None:
    """A copy of the project's inputs to run the pipeline on; the code stays the project's own."""
    import shutil

    if target.exists() and any(target.iterdir()):
        raise config.ConfigError(f"doelmap {target} bestaat al en is niet leeg: kies een nieuwe map "
                                 f"(of --doel {source} om de landelijke data in dit project zelf te zetten)")
    for name in ("config", "notebooks", "data/raw"):
        shutil.copytree(source / name, target / name)
    shutil.copytree(source / "expectations", target / "expectations", ignore=shutil.ignore_patterns(paths.GX_UNCOMMITTED_NAME))
    for name in PROJECT_FILES:
        shutil.copy2(source / name, target / name)  # keeps the times: the shared setup stays up to date
    (target / ".venv").symlink_to(source / ".venv")


def _write_yaml(path: Path, header: str, data: dict[str, Any]) -> None:
    import yaml

    path.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=140), encoding="utf-8")


def generate_national(target: Path, suites: bool = True) -> list[Path]:
    """Every municipality of the country in the project tree at `target`: its config/ (register
    and sample sizes; goals stay those of the bundled regions), data/raw/ and (`suites`) GX
    suites. A `target` other than this project becomes a new copy of it; this project's own
    tree is only written when `target` is its root."""
    import os
    import subprocess
    import sys

    source = paths.PROJECT_ROOT
    target = target.resolve()
    gemeenten, sample = national_definitions(config.load())
    if target != source:
        _copy_project(source, target)
    note = f"# Landelijke omvang ({FICTITIOUS}): gemaakt door `make sample-data SCHAAL=landelijk`; niet bewerken.\n"
    try:
        paths.use_root(target)
        _write_yaml(paths.CONFIG_DIR / "gemeenten.yaml", note, gemeenten)
        _write_yaml(paths.CONFIG_DIR / "voorbeelddata.yaml", note, sample)
        config.load.cache_clear()
        written = Generator(config.load(), paths.RAW_DIR).run()
    finally:
        paths.use_root(source)
        config.load.cache_clear()
    if not suites:
        return written
    # the GX suites list the register's municipalities; GX runs in its own process (the target's root)
    subprocess.run([sys.executable, "-m", "jeugdmonitor.cli", "expectations"], check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "JEUGDMONITOR_ROOT": str(target), "GX_ANALYTICS_ENABLED": "False"})
    return written


def generate(out_dir: Path | None = None) -> list[Path]:
    return Generator(config.load(), out_dir or paths.RAW_DIR).run()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Maak de fictieve voorbeelddata in data/raw/, in de vorm van de echte bronnen.")
    parser.add_argument("--out", type=Path, default=None, help="doelmap van de gebundelde voorbeelddata (standaard: data/raw)")
    parser.add_argument("--schaal", choices=SCALES, default=SCALES[0],
                        help="voorbeeld: de vier gebundelde regio's; landelijk: elke gemeente van Nederland (fictief)")
    parser.add_argument("--doel", type=Path, default=None,
                        help="bij --schaal landelijk: nieuwe map voor een kopie van het project (of de projectmap zelf)")
    args = parser.parse_args(argv)
    if args.schaal == "landelijk":
        if args.doel is None or args.out is not None:
            parser.error("--schaal landelijk vraagt --doel <map> (een kopie van het project) en geen --out")
        written = generate_national(args.doel)
        print(f"{len(written)} bestanden geschreven in {args.doel} ({FICTITIOUS}, {NATIONAL_MUNICIPALITIES} gemeenten, "
              f"{NATIONAL_REGIONS} jeugdregio's); draai de pijplijn daar met JEUGDMONITOR_ROOT={args.doel.resolve()}")
        return 0
    if args.doel is not None:
        parser.error("--doel hoort bij --schaal landelijk")
    out = args.out or paths.RAW_DIR
    written = generate(out)
    print(f"{len(written)} bestanden geschreven in {out} ({FICTITIOUS})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
