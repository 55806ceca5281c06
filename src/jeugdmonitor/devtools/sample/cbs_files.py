"""The sample's CBS files in the exact shape of StatLine's: youth care (per form and per age
group, in a series of successor tables), population and Iv3 spending, each with its dimension
files and a sidecar saying the data are fictitious."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from jeugdmonitor.devtools.sample.shape import (
    AGE_GROUP_SHARES,
    AGES,
    FICTITIOUS,
    HAAGLANDEN_UNDER_12_DECLINE,
    LICENCE_CBS,
    NATIONAL_RATES,
    PERIOD_TITLE_MARKS,
    REST_OF_COUNTRY_CODE,
    SAMPLE_AGE_GROUP_KEYS,
    SAMPLE_POPULATION_TOPIC_KEYS,
    SAMPLE_POPULATION_TOTAL_KEYS,
    SAMPLE_TOPIC_KEYS,
    SAMPLE_TOPIC_KEYS_BY_AGE,
    SHAPE,
    TRAJECTORIES_PER_YOUNG_PERSON,
    interpolate,
    population_keys,
    sample_series,
)
from jeugdmonitor.sources import raw
from jeugdmonitor.vocabulary import NL_CODE


class CbsFiles:
    """Part of the sample Generator (its state is set up by SampleFigures)."""

    def write_youth_care(self) -> None:
        """CBS 84134NED (to 2020) and its successor 85099NED (from 2021): young people per form of
        care and region, each table with its own keys (`sample_series`)."""
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
                counts[form] = self.young(NL_CODE, year) * interpolate(pair, min(year, 2023)) * (1.004 if year == 2024 else 1.0)
            nl_values[year] = self._derived_forms(counts, 0.45)
            nl_young[year] = self.young(NL_CODE, year)
        areas.append((NL_CODE, nl_values, nl_young))
        self._youth_values = {code: values for code, values, _ in areas}  # true counts, for the table by age

        dims = spec["dimensies"]
        for part, years, key_of, record in sample_series("cbs_jeugdzorg", spec, self.years, SAMPLE_TOPIC_KEYS):
            rows = []
            for code, values, young in areas:
                for year in sorted(y for y in values if y in years):
                    for form in part.spec["vormen"].values():
                        true = values[year][form]
                        published = self._publish(true)
                        relative = None if published is None else round(100 * true / young[year], 1)
                        trajects = None if published is None else self._publish(true * TRAJECTORIES_PER_YOUNG_PERSON)
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
        rows = self._age_rows(self._true_age_parts(rng, age_keys), total_key, age_keys)
        order = {group_key[title]: index for index, title in enumerate(groups)}
        form_order = {name: index for index, name in enumerate(spec["vormen"].values())}
        rows.sort(key=lambda r: (r[2], r[3], form_order[r[1]], order[r[0]]))
        dims = spec["dimensies"]
        for part, years, key_of, record in sample_series("cbs_jeugdzorg_leeftijd", spec, self.years, SAMPLE_TOPIC_KEYS_BY_AGE):
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

    @staticmethod
    def _age_split(rng: np.random.Generator, region: str | None, year: int, form: str,
                   total: float) -> dict[tuple[int, int], float]:
        """A true total split over the age groups by their shares, with some noise; in Haaglanden
        (JZ24) the share of the under-12s in youth care with stay declines after 2018."""
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

    def _true_age_parts(self, rng: np.random.Generator,
                        age_keys: dict[Any, str]) -> dict[tuple[str, int, str], dict[tuple[int, int], float]]:
        """(area, year, form) -> the true count per age group: each municipality's total split,
        a region's the sum of its members', the country's total split on its own."""
        true_parts: dict[tuple[str, int, str], dict[tuple[int, int], float]] = {}
        for unit in self.units:
            for year in unit.years:
                for form in AGE_GROUP_SHARES:
                    true_parts[(unit.code, year, form)] = self._age_split(rng, unit.region, year, form,
                                                                          self._youth_values[unit.code][year][form])
        for region in self.register.regions:
            for year in self.years:
                members = [u.code for u in self.units if u.region == region and year in u.years]
                for form in AGE_GROUP_SHARES:
                    true_parts[(region, year, form)] = {
                        group: sum(true_parts[(c, year, form)][group] for c in members) for group in age_keys}
        for year in self.years:
            for form in AGE_GROUP_SHARES:
                true_parts[(NL_CODE, year, form)] = self._age_split(rng, None, year, form,
                                                                    self._youth_values[NL_CODE][year][form])
        return true_parts

    def _age_rows(self, true_parts: dict[tuple[str, int, str], dict[tuple[int, int], float]], total_key: str,
                  age_keys: dict[Any, str]) -> list[list[Any]]:
        """Rows by workbook form name (each table of the series writes its own form keys): the
        published total and each age group, every cell rounded on its own as CBS does, so the
        groups may add up to a little more or less than the total."""
        rows = []
        for (code, year, form), parts in true_parts.items():
            total = self._publish(self._youth_values[code][year][form])
            published = {group: self._publish(value) for group, value in parts.items()}
            rows.append([total_key, form, code.ljust(8), self._period_key(year), total])
            for group, value in published.items():
                rows.append([age_keys[group], form, code.ljust(8), self._period_key(year), value])
        return rows

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
            "maker": f"jeugdmonitor.devtools.sample_data (zaad {self.sample['zaad']})",
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
        self._sidecar(path, spec, "TypedDataSet", extra={"sleutels": population_keys(spec)})
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
        for year in years:
            members = [u for u in self.units if year in u.years]
            lasten = self._iv3_lasten(rng, year, per_young_nl[year], factors, members, rest, rest_weights)
            names = {u.code: u.name for u in members} | dict(rest)
            kinds = {f"{year}X000": f"Begroting {year}", f"{year}X005": f"Jaarrekening {year}"}
            rows = []
            for taakveld in taakvelden:
                for category, (_, share) in categories.items():
                    for code in sorted(lasten):
                        for kind in kinds:
                            first_value, second_value = self._iv3_values(rng, spec, year, lasten[code][taakveld] * share,
                                                                         kind, code, rest, first_only)
                            rows.append([taakveld.ljust(6), category.ljust(8), code.ljust(9), kind,
                                         self._pad(first_value), self._pad(second_value)])
            dimensions = [[[k.ljust(6), v] for k, v in taakvelden.items()], [[k.ljust(8), v[0]] for k, v in categories.items()],
                          [[code.ljust(9), names[code]] for code in sorted(names)], [[k, v] for k, v in kinds.items()]]
            self._write_iv3_table(spec, year, rows, dimensions, first_only)

    def _iv3_lasten(self, rng: np.random.Generator, year: int, per_young_nl: float, factors: dict[str, float],
                    members: list[Any], rest: list[tuple[str, str]], rest_weights: Any) -> dict[str, dict[str, float]]:
        """Municipality -> lasten (euro) per taakveld in `year`: by inhabitants and young people,
        with each municipality's own factor; the fictitious rest of the country shares what the
        national amounts leave."""

        def amounts(inhabitants: float, young: float, factor: float) -> dict[str, float]:
            youth = young * per_young_nl * factor
            return {"6.71": inhabitants * 120 * factor, "6.72": 0.82 * youth, "6.81": inhabitants * 15 * factor, "6.82": 0.18 * youth}

        lasten = {u.code: amounts(float(self._population[(u.code, year)][0]), self.young(u.code, year, 0, 17),
                                  factors[u.code] * math.exp(rng.normal(0, 0.02))) for u in members}
        country = amounts(float(self._population[(NL_CODE, year)][0]), self.young(NL_CODE, year, 0, 17), 1.0)
        for (code, _), weight in zip(rest, rest_weights, strict=True):
            lasten[code] = {tv: weight * (total - sum(lasten[u.code][tv] for u in members)) for tv, total in country.items()}
        return lasten

    @staticmethod
    def _iv3_values(rng: np.random.Generator, spec: dict[str, Any], year: int, amount: float, kind: str, code: str,
                    rest: list[tuple[str, str]], first_only: set[int]) -> tuple[int, int | None]:
        """The two plaatsingen of one cell in 1 000 euro: the begroting a little below the
        jaarrekening; no second one in `first_only` years; the last fictitious municipality sent
        no revised begroting (geen_opgave)."""
        planned = 0.97 if kind.endswith("X000") else 1.0
        first_value = round(amount * planned / 1000)
        second_value = None if year in first_only else round(first_value * math.exp(rng.normal(0, 0.01)))
        if kind.endswith("X000") and rest and code == rest[-1][0] and second_value is not None:
            second_value = int(spec["geen_opgave"])  # this one sent no revised begroting
        return first_value, second_value

    def _write_iv3_table(self, spec: dict[str, Any], year: int, rows: list[list[Any]],
                         dimensions: list[list[list[str]]], first_only: set[int]) -> None:
        """Write one year's Iv3 table and its dimensions (taakveld, categorie, regio,
        verslagsoort, in that order in `dimensions`), each with its sidecar."""
        dims, topics = spec["dimensies"], spec["onderwerpen"]
        table = str(spec["tabellen"][year])
        path = self.out / str(spec["bestand"]).format(tabel=table)
        raw.write_csv(path, ["ID", dims["taakveld"], dims["categorie"], dims["regio"], dims["verslagsoort"],
                             topics["plaatsing_1"], topics["plaatsing_2"]],
                      [[str(i), *row] for i, row in enumerate(rows)], quote_all=True)
        status = str(spec["plaatsingen"][-1 if year in first_only else 0]["status"])
        meta = {"table": table, "title": str(spec["titel"]).format(jaar=year), "url": f"{spec['url']}/{table}",
                "statuses": {str(year): status}, "extra": {"jaar": year}}
        self._sidecar(path, spec, "TypedDataSet", **meta)
        for name, entries in zip((dims["taakveld"], dims["categorie"], dims["regio"], dims["verslagsoort"]), dimensions,
                                 strict=True):
            part = path.with_name(path.name.replace("TypedDataSet", name))
            raw.write_csv(part, ["Key", "Title"], entries, quote_all=True)
            self._sidecar(part, spec, f"dimensie {name}", **meta)
