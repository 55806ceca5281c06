"""The sample's figures: population by single year of age per municipality and year, and youth
care per form, drawn reproducibly from the seed around national rates with each region's
trends (config/voorbeelddata.yaml)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from jeugdmonitor.definitions import config
from jeugdmonitor.devtools.sample.shape import AGES, CARE_FORM_SHARES, FLEVOLAND_AMBULANT_RISE, NATIONAL_RATES, WBW_JEUGDHULP, Unit
from jeugdmonitor.sources import raw
from jeugdmonitor.vocabulary import NL_CODE


class SampleFigures:
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

    @staticmethod
    def _care_form_shares(region: str, year: int) -> tuple[float, ...]:
        """Shares of the care forms among started trajectories; Flevoland's ambulant share rises
        from 2020 on, at the cost of verblijf (two thirds) and dagbehandeling (one third)."""
        if region != "JZ08" or year <= 2019:
            return CARE_FORM_SHARES
        rise = FLEVOLAND_AMBULANT_RISE * (year - 2019)
        ambulant, day, stay, foster = CARE_FORM_SHARES
        return (ambulant + rise, day - rise / 3, stay - 2 * rise / 3, foster)

    def _publish(self, value: float) -> int | None:
        """CBS disclosure control: suppress small cells, round the rest to multiples of 5."""
        if value < self.threshold:
            return None
        return int(self.rounding * math.floor(value / self.rounding + 0.5))

    def _period_key(self, year: int) -> str:
        return f"{year}JJ00"

    def _pad(self, value: int | float | None, decimals: int = 0) -> str:
        return raw.cbs_cell(value, decimals, self.cfg.sources["ontbrekend_teken"])
