"""The whole bundled sample generated: figures, CBS files, regional exports and CBS's area tables
(`make sample-data`); byte-identical on every run."""

from __future__ import annotations

from pathlib import Path

from jeugdmonitor import paths
from jeugdmonitor.definitions import config
from jeugdmonitor.devtools import sample_areas
from jeugdmonitor.devtools.sample import quarter
from jeugdmonitor.devtools.sample.cbs_files import CbsFiles
from jeugdmonitor.devtools.sample.figures import SampleFigures
from jeugdmonitor.devtools.sample.region_files import RegionFiles


class Generator(SampleFigures, CbsFiles, RegionFiles):
    """The bundled sample: figures drawn from the seed, then every file written."""

    def run(self) -> list[Path]:
        self.population()
        self.youth_care()
        self.write_youth_care()
        self.write_youth_care_by_age()
        self.write_population()
        self.write_spending()
        self.write_region_exports()
        quarter.write_monthly_spending(self.cfg, self.out, int(self.sample["zaad"]), self._region_sidecar)
        sample_areas.write_area_tables(self.cfg, self.out)  # CBS's area tables, for `make regio`
        return sorted(p for p in self.out.rglob("*") if p.is_file() and p.name != "README.md")


def generate(out_dir: Path | None = None) -> list[Path]:
    return Generator(config.load(), out_dir or paths.RAW_DIR).run()
