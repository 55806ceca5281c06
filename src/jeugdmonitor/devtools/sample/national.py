"""The sample at national size: every municipality of the country (fictitious, with stand-ins for
the bundled regions' neighbours) in a copy of the project, for the benchmark (`make bench`)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from jeugdmonitor import paths
from jeugdmonitor.definitions import config
from jeugdmonitor.devtools.sample.generator import Generator
from jeugdmonitor.devtools.sample.shape import FICTITIOUS

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
