"""The rules a researcher edits: which expectations each raw source and each clean table must
meet, and how severe a failure is.

Every expectation carries meta {"ernst": "kritiek" | "waarschuwing"}: a critical failure
stops the run, a warning is recorded and shown in the report. A new rule is one more
expectation in the list of its table (`suite_definitions` and the functions it calls) or raw source
(`raw_suite_definitions`), then `make expectations` to regenerate the GX suites.
"""

from __future__ import annotations

from typing import Any

import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

from jeugdmonitor.definitions import config
from jeugdmonitor.vocabulary import LEVELS, STATUSES

CRITICAL = "kritiek"


WARNING = "waarschuwing"


AREA_CODE_PATTERN = r"^(?:GM\d{4}|JZ\d{2}|NL01)$"


MUNICIPALITY_CODE_PATTERN = r"^GM\d{4}$"


def _critical(**meta: Any) -> dict[str, Any]:
    return {"ernst": CRITICAL, **meta}


def _warning(**meta: Any) -> dict[str, Any]:
    return {"ernst": WARNING, **meta}


def multiple_of_regex(step: int) -> str:
    """A regex for whole numbers that are multiples of `step` (GX checks values as text)."""
    endings = {1: "[0-9]", 2: "[02468]", 5: "[05]", 10: "0"}
    if step not in endings:
        raise config.ConfigError(f"config/bronnen.yaml: geheimhouding.afronding {step} is niet een van {sorted(endings)}")
    return rf"^-?\d*{endings[step]}$"


def _non_negative(column: str) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0, meta=_critical())


def _disclosure(cfg: config.Config, column: str, what: str) -> list[gxe.Expectation]:
    """CBS disclosure control (config/bronnen.yaml) on a column of counts: each count on its own.
    CBS rounds every cell independently, so parts need not add up to their total; no rule here
    compares CBS parts with a total (GX judges rows, and a CBS part and its total are different
    rows). The cleaning stage does, allowing what rounding explains (raw.rounding_slack). The one
    part-total rule below (zorgelijk wachtenden against wachtenden) is on a region's exact counts."""
    rules = cfg.sources["cbs_jeugdzorg"]["geheimhouding"]
    step, threshold = int(rules["afronding"]), int(rules["drempel"])
    return [
        gxe.ExpectColumnValuesToMatchRegex(column=column, regex=multiple_of_regex(step), meta=_critical(
            toelichting=f"{what} zijn afgerond op veelvouden van {step}")),
        gxe.ExpectColumnValuesToBeBetween(column=column, min_value=threshold, meta=_critical(
            toelichting=f"cellen onder de drempel van {threshold} zijn onderdrukt")),
    ]


def _export_contracts(cfg: config.Config, code: str) -> dict[str, list[gxe.Expectation]]:
    """The contract of the regional exports, shared by the raw files (`code` = gemeentecode)
    and the clean tables (`code` = gebied_code), so both are checked by the same rules."""
    c = _critical()
    return {
        "wachttijden": [
            gxe.ExpectColumnValuesToMatchRegex(column=code, regex=MUNICIPALITY_CODE_PATTERN, meta=c),
            _non_negative("aantal_wachtenden"), _non_negative("aantal_zorgelijk_wachtenden"),
            gxe.ExpectColumnValuesToBeBetween(column="mediaan_wachttijd_dagen", min_value=0, max_value=730, meta=c),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="aantal_wachtenden", column_B="aantal_zorgelijk_wachtenden",
                                                        or_equal=True,
                                                         meta=_critical(toelichting="een deel is niet groter dan het totaal")),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=[code, "peildatum"], meta=c),
        ],
        "trajecten": [
            gxe.ExpectColumnValuesToMatchRegex(column=code, regex=MUNICIPALITY_CODE_PATTERN, meta=c),
            gxe.ExpectColumnValuesToBeUnique(column="trajectnummer", meta=c),
            gxe.ExpectColumnValuesToNotBeNull(column="startdatum", meta=c),
            gxe.ExpectColumnValuesToBeInSet(column="zorgvorm", value_set=cfg.sources["regio_exports"]["trajecten"]["zorgvormen"], meta=c),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="einddatum", column_B="startdatum", or_equal=True,
                                                        ignore_row_if="either_value_is_missing", meta=c),
            _safe_text("trajectnummer"),
        ],
        "budget": [
            gxe.ExpectColumnValuesToMatchRegex(column=code, regex=MUNICIPALITY_CODE_PATTERN, meta=c),
            _non_negative("begroot_euro"), _non_negative("gerealiseerd_euro"),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["jaar", code, "begrotingspost"], meta=c),
            _safe_text("begrotingspost"),
        ],
    }


def _safe_text(column: str) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToNotMatchRegex(column=column, regex=r"[<>]", meta=_critical(
        toelichting="opmaakcode (HTML) in een tekstveld"))


def _monthly_spending() -> list[gxe.Expectation]:
    """The monthly realisation of the quarter reports (raw file only: it has no yearly clean table).
    Its reader already refused a missing date, a month counted twice and an unknown status."""
    return [
        gxe.ExpectColumnValuesToMatchRegex(column="gemeentecode", regex=MUNICIPALITY_CODE_PATTERN, meta=_critical()),
        _safe_text("begrotingspost"),
        gxe.ExpectColumnValuesToBeBetween(column="gerealiseerd_euro", min_value=0, meta=_warning(
            toelichting="een negatief bedrag in een maand is een correctie; die komt voor, maar zelden")),
    ]


def _columns(names: list[str]) -> gxe.Expectation:
    """The table has exactly these columns."""
    return gxe.ExpectTableColumnsToMatchSet(column_set=names, exact_match=True, meta=_critical())


def _area_codes(column: str = "gebied_code", pattern: str = AREA_CODE_PATTERN) -> list[gxe.Expectation]:
    """Every row has an area code of the form `pattern`."""
    return [gxe.ExpectColumnValuesToNotBeNull(column=column, meta=_critical()),
            gxe.ExpectColumnValuesToMatchRegex(column=column, regex=pattern, meta=_critical())]


def _years(column: str = "jaar") -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=2015, max_value=2100, meta=_critical())


def _statuses() -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeInSet(column="status", value_set=list(STATUSES), meta=_critical())


def _levels() -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeInSet(column="niveau", value_set=list(LEVELS), meta=_critical())


def _area_suites(current: list[str]) -> dict[str, list[gxe.Expectation]]:
    """The areas of the report: each one once, every current municipality of the regions present."""
    c = _critical()
    return {
        "gebieden": [
            _columns(["gebied_code", "naam", "niveau", "regio_code", "regio_naam", "stedelijkheid"]),
            *_area_codes(), _levels(),
            # CBS's classes 1 (zeer sterk stedelijk) to 5 (niet stedelijk); empty for a region, the country
            # and a municipality no area table lists
            gxe.ExpectColumnValuesToBeBetween(column="stedelijkheid", min_value=1, max_value=5, meta=c),
            gxe.ExpectColumnValuesToBeUnique(column="gebied_code", meta=c),
            gxe.ExpectColumnValuesToNotBeNull(column="naam", meta=c),
            gxe.ExpectColumnDistinctValuesToContainSet(column="gebied_code", value_set=current, meta=_critical(
                toelichting="elke gemeente van de regio's heeft een rij")),
        ],
    }


def _youth_care_suites(cfg: config.Config, current: list[str]) -> dict[str, list[gxe.Expectation]]:
    """CBS's youth care, in total and by age: configured forms, one row per key, disclosure control."""
    forms = sorted(cfg.sources["cbs_jeugdzorg"]["vormen"].values())
    c = _critical()
    return {
        "jeugdzorg": [
            _columns(["gebied_code", "niveau", "jaar", "vorm", "jongeren", "samengesteld", "status"]),
            *_area_codes(), _levels(), _years(), _statuses(),
            gxe.ExpectColumnValuesToBeInSet(column="vorm", value_set=forms, meta=c),
            _non_negative("jongeren"),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["gebied_code", "jaar", "vorm"], meta=c),
            gxe.ExpectColumnDistinctValuesToContainSet(column="gebied_code", value_set=current, meta=c),
            # disclosure control holds for published (harmonised, summed) counts too
            *_disclosure(cfg, "jongeren", "gepubliceerde aantallen"),
        ],
        "jeugdzorg_leeftijd": [
            _columns(["gebied_code", "niveau", "jaar", "vorm", "leeftijd_van", "leeftijd_tot", "jongeren", "samengesteld",
                      "status"]),
            *_area_codes(), _levels(), _years(), _statuses(),
            gxe.ExpectColumnValuesToBeInSet(column="vorm", value_set=forms, meta=c),
            gxe.ExpectColumnValuesToBeBetween(column="leeftijd_van", min_value=0, max_value=22, meta=c),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="leeftijd_tot", column_B="leeftijd_van", or_equal=True, meta=c),
            _non_negative("jongeren"),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["gebied_code", "jaar", "vorm", "leeftijd_van"], meta=c),
            gxe.ExpectColumnDistinctValuesToContainSet(column="gebied_code", value_set=current, meta=c),
            *_disclosure(cfg, "jongeren", "gepubliceerde aantallen"),
        ],
    }


def _population_and_spending_suites(current: list[str]) -> dict[str, list[gxe.Expectation]]:
    """CBS's population and the Iv3 spending (a missing amount is a warning: geen opgave)."""
    c = _critical()
    return {
        "bevolking": [
            _columns(["gebied_code", "niveau", "jaar", "leeftijd", "inwoners", "samengesteld"]),
            *_area_codes(), _levels(), _years(),
            gxe.ExpectColumnValuesToNotBeNull(column="inwoners", meta=c),
            _non_negative("inwoners"),
            gxe.ExpectColumnValuesToBeBetween(column="leeftijd", min_value=0, max_value=120, meta=c),
            gxe.ExpectColumnDistinctValuesToContainSet(column="gebied_code", value_set=current, meta=c),
        ],
        "uitgaven": [
            _columns(["gebied_code", "niveau", "jaar", "taakveld", "lasten_euro", "samengesteld", "status"]),
            *_area_codes(), _levels(), _years(), _statuses(),
            gxe.ExpectColumnValuesToMatchRegex(column="taakveld", regex=r"^\d\.\d{1,2}$", meta=c),
            gxe.ExpectColumnValuesToNotBeNull(column="lasten_euro", meta=_warning()),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["gebied_code", "jaar", "taakveld"], meta=c),
        ],
    }


def _export_suites(exports: dict[str, list[gxe.Expectation]]) -> dict[str, list[gxe.Expectation]]:
    """The regions' exports: their contract (`_export_contracts`) on the clean tables' columns."""
    c = _critical()
    return {
        "wachttijden": [
            _columns(["regio_code", "peildatum", "gebied_code", "aantal_wachtenden", "mediaan_wachttijd_dagen",
                      "aantal_zorgelijk_wachtenden", "jaar"]),
            gxe.ExpectColumnValuesToNotBeNull(column="gebied_code", meta=c), _years(),
            *exports["wachttijden"],
        ],
        "trajecten": [
            _columns(["regio_code", "export_van", "export_tot", "trajectnummer", "gebied_code", "zorgvorm", "startdatum",
                      "einddatum"]),
            gxe.ExpectColumnValuesToNotBeNull(column="gebied_code", meta=c),
            *exports["trajecten"],
        ],
        "budget": [
            _columns(["regio_code", "jaar", "gebied_code", "begrotingspost", "begroot_euro", "gerealiseerd_euro"]),
            gxe.ExpectColumnValuesToNotBeNull(column="gebied_code", meta=c), _years(),
            *exports["budget"],
        ],
    }


def _record_suites() -> dict[str, list[gxe.Expectation]]:
    """What the workbook records about its own work: the harmonisation and the sources."""
    c = _critical()
    return {
        "harmonisatie": [
            _columns(["jaar", "oude_code", "oude_naam", "nieuwe_code", "nieuwe_naam", "actie"]),
            *_area_codes("oude_code", MUNICIPALITY_CODE_PATTERN), *_area_codes("nieuwe_code", MUNICIPALITY_CODE_PATTERN),
        ],
        "bronnen": [
            _columns(["bestand", "bron", "tabel", "titel", "url", "opgehaald", "laatst_gewijzigd", "licentie", "sha256",
                      "fictief", "perioden_status"]),
            gxe.ExpectColumnValuesToMatchRegex(column="sha256", regex=r"^[0-9a-f]{64}$", meta=c),
            gxe.ExpectColumnValuesToNotBeNull(column="licentie", meta=c),
        ],
    }


def _comparison_suite(cfg: config.Config) -> list[gxe.Expectation]:
    """CBS beside the region's own counts (config/bronnen.yaml cbs_naast_regio): a difference larger
    than the margin is worth a look, not an error (CBS counts per provider, the region per contract)."""
    margin = (cfg.sources.get("cbs_naast_regio") or {}).get("marge_pct")
    beyond = [gxe.ExpectColumnValuesToBeBetween(
        column="verschil_pct", min_value=-margin, max_value=margin,
        meta=_warning(toelichting=f"CBS en de eigen telling van de regio verschillen meer dan {margin:g}% "
                                  "(van de telling van de regio)"))] if margin is not None else []
    return [_columns(["gebied_code", "niveau", "jaar", "telling", "cbs", "regio", "verschil", "verschil_pct", "status"]),
            *_area_codes(), _levels(), _years(), _non_negative("regio"), *beyond]


def _kpi_suite(cfg: config.Config, current: list[str]) -> list[gxe.Expectation]:
    """The KPI values: percentages within 0-100, rates within 1 000, plausible ranges and
    year-on-year jumps (config/kpis.yaml) as warnings."""
    percent_kpis = [k.id for k in cfg.kpis.values() if k.unit == "%"]
    rate_kpis = [k.id for k in cfg.kpis.values() if k.scale == 1000]
    c = _critical()
    return [
        _columns(["gebied_code", "niveau", "jaar", "kpi", "teller", "noemer", "waarde", "status", "samengesteld",
                  "verandering_pct"]),
        *_area_codes(), _levels(), _years(), _statuses(),
        gxe.ExpectColumnValuesToBeInSet(column="kpi", value_set=sorted(cfg.kpis), meta=c),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["gebied_code", "jaar", "kpi"], meta=c),
        gxe.ExpectColumnValuesToBeBetween(column="waarde", min_value=0, max_value=100,
                                          row_condition=Column("kpi").is_in(percent_kpis),
                                          meta=_critical(toelichting="percentages liggen tussen 0 en 100")),
        gxe.ExpectColumnValuesToBeBetween(column="waarde", min_value=0, max_value=1000,
                                          row_condition=Column("kpi").is_in(rate_kpis),
                                          meta=_critical(toelichting="cijfers per 1.000 zijn ten hoogste 1.000")),
        gxe.ExpectColumnValuesToBeBetween(column="waarde", min_value=2, max_value=25,
                                          row_condition=Column("kpi") == "jeugdhulp_aandeel",
                                          meta=_warning(toelichting="aandeel jongeren met jeugdhulp buiten het "
                                                                    "aannemelijke bereik van 2 tot 25%")),
        gxe.ExpectColumnDistinctValuesToContainSet(column="gebied_code", value_set=current, meta=c),
        *[gxe.ExpectColumnValuesToBeBetween(
            column="verandering_pct", min_value=-kpi.max_jump_pct, max_value=kpi.max_jump_pct,
            row_condition=Column("kpi") == kpi.id,
            meta=_warning(toelichting=f"{kpi.name}: verandering ten opzichte van het vorige jaar groter dan {kpi.max_jump_pct:g}%"))
          for kpi in cfg.kpis.values() if kpi.max_jump_pct is not None],
    ]


def suite_definitions(cfg: config.Config) -> dict[str, list[gxe.Expectation]]:
    """The expectations per clean table (table name = suite name = GX asset name), one group of
    tables per function: areas, youth care, population and spending, exports, records, KPIs."""
    register = cfg.register
    current = sorted({code for region in register.regions for code in register.members(region, 2024)})
    exports = _export_contracts(cfg, "gebied_code")
    return {
        **_area_suites(current),
        **_youth_care_suites(cfg, current),
        **_population_and_spending_suites(current),
        **_export_suites(exports),
        **_record_suites(),
        "cbs_regio": _comparison_suite(cfg),
        "kpi_waarden": _kpi_suite(cfg, current),
    }


def _raw_periods(column: str) -> gxe.Expectation:
    """CBS's whole-year periods: <year>JJ00."""
    return gxe.ExpectColumnValuesToMatchRegex(column=column, regex=r"^\d{4}JJ00$", meta=_critical())


# The youth-care tables are checked with the workbook's topic names as columns and the
# workbook's form names / configured age-group titles as values (clean.RawFile): CBS renumbers
# topics and keys between the tables of a series, the titles in config/bronnen.yaml stay.
def _raw_youth_care(cfg: config.Config, spec: dict[str, Any]) -> list[gxe.Expectation]:
    """One table of CBS's youth-care series: codes, periods, forms, counts under disclosure control."""
    c = _critical()
    return [
        gxe.ExpectColumnValuesToMatchRegex(column=spec["dimensies"]["regio"], regex=AREA_CODE_PATTERN, meta=c),
        _raw_periods(spec["dimensies"]["periode"]),
        gxe.ExpectColumnValuesToBeInSet(column=spec["dimensies"]["vorm"], value_set=sorted(spec["vormen"].values()), meta=c),
        _non_negative("jongeren"),
        *_disclosure(cfg, "jongeren", "CBS-aantallen"),
        gxe.ExpectColumnValuesToBeBetween(column="jongeren_relatief", min_value=0, max_value=100,
                                          meta=_critical(toelichting="een percentage")),
        _non_negative("trajecten"),
    ]


def _raw_youth_care_by_age(cfg: config.Config, spec: dict[str, Any]) -> list[gxe.Expectation]:
    """One table of CBS's youth care by age series: also the configured age groups."""
    dims = spec["dimensies"]
    c = _critical()
    return [
        gxe.ExpectColumnValuesToMatchRegex(column=dims["regio"], regex=AREA_CODE_PATTERN, meta=c),
        _raw_periods(dims["periode"]),
        gxe.ExpectColumnValuesToBeInSet(column=dims["kenmerk"], value_set=sorted(str(k) for k in spec["leeftijdsgroepen"]), meta=c),
        gxe.ExpectColumnValuesToBeInSet(column=dims["vorm"], value_set=sorted(spec["vormen"].values()), meta=c),
        _non_negative("jongeren"),
        *_disclosure(cfg, "jongeren", "CBS-aantallen"),
    ]


def raw_suite_definitions(cfg: config.Config) -> dict[str, list[gxe.Expectation]]:
    """The data contract of every raw source, on its own column names (suite `ruw_<kind>`)."""
    c = _critical()
    src = cfg.sources
    youth, population, iv3 = src["cbs_jeugdzorg"], src["cbs_bevolking"], src["cbs_iv3"]
    return {
        # one suite per table of the series: a successor table may name its columns differently
        **{part.kind: _raw_youth_care(cfg, part.spec) for part in config.table_parts("cbs_jeugdzorg", youth)},
        **{part.kind: _raw_youth_care_by_age(cfg, part.spec)
           for part in config.table_parts("cbs_jeugdzorg_leeftijd", src["cbs_jeugdzorg_leeftijd"])},
        "cbs_bevolking": [
            gxe.ExpectColumnValuesToMatchRegex(column=population["dimensies"]["regio"], regex=AREA_CODE_PATTERN, meta=c),
            _raw_periods(population["dimensies"]["periode"]),
            gxe.ExpectColumnValuesToNotBeNull(column="inwoners", meta=c),  # the topic's column, by title (clean.RawFile)
            _non_negative("inwoners"),
        ],
        "cbs_iv3": [
            gxe.ExpectColumnValuesToMatchRegex(column=iv3["dimensies"]["regio"], regex=MUNICIPALITY_CODE_PATTERN, meta=c),
            gxe.ExpectColumnValuesToMatchRegex(column=iv3["dimensies"]["verslagsoort"], regex=r"^\d{4}X\d{3}$", meta=c),
            gxe.ExpectColumnValuesToMatchRegex(column=iv3["dimensies"]["categorie"], regex=r"^[A-Z][0-9A-Za-z.]*$", meta=c),
            *(gxe.ExpectColumnValuesToBeBetween(
                column=topic, min_value=0, row_condition=Column(topic) != float(iv3["geen_opgave"]),
                meta=_warning(toelichting="negatieve lasten (correcties) komen voor maar zijn zeldzaam; "
                                          f"{iv3['geen_opgave']} betekent geen opgave"))
              for topic in iv3["onderwerpen"].values()),
        ],
        **_export_contracts(cfg, "gemeentecode"),
        "realisatie_maand": _monthly_spending(),
    }
