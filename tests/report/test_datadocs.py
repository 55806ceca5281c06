"""The published Data Docs: only the validation in the stamp, offline, labelled; refused when gone;
and checked and copied without loading GX."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from jeugdmonitor import paths, quality
from jeugdmonitor.errors import DataQualityError
from jeugdmonitor.report import datadocs


def test_published_data_docs_hold_only_the_validation_in_the_stamp(clean_tables, tmp_path):
    kept = quality.validate(2023, {})
    later = quality.validate(2023, {})  # a newer run (in practice: another year, or one that failed)
    assert later["datadocs"]["jeugdzorg"]["pagina"] != kept["datadocs"]["jeugdzorg"]["pagina"]
    target = datadocs.offline_data_docs(tmp_path / "datadocs", kept, banner="Fictieve <voorbeelddata>")
    published = sorted(p.relative_to(target).as_posix() for p in (target / "validations").rglob("*.html"))
    assert published == sorted(entry["pagina"] for entry in kept["datadocs"].values())
    index = (target / "index.html").read_text(encoding="utf-8")
    for table, entry in kept["datadocs"].items():
        assert f'href="{entry["pagina"]}"' in index and f'href="expectations/{table}.html"' in index
    for page in target.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "Fictieve &lt;voorbeelddata&gt;" in text, page
        assert not re.search(r'<(script|link|img)\b[^>]*(src|href)="https?://', text), page


def test_data_docs_of_a_stamp_without_pages_are_refused(project, tmp_path):
    with pytest.raises(DataQualityError, match=r"validatie\.json noemt geen Data Docs-pagina's: verwijder "
                                               r"data/clean/2023/validatie\.json en draai `make reports YEAR=2023`"):
        datadocs.offline_data_docs(tmp_path / "datadocs", {"jaar": 2023, "gecontroleerd": 1})
    assert not (tmp_path / "datadocs").exists()


def test_data_docs_whose_pages_are_gone_are_refused(clean_tables, tmp_path):
    summary = quality.validate(2023, {})
    shutil.rmtree(paths.GX_DIR / "uncommitted" / "data_docs")
    with pytest.raises(DataQualityError, match=r"pagina's van de validatie in data/clean/2023/validatie\.json zijn "
                                               r"verdwenen.*validations/.*verwijder data/clean/2023/validatie\.json"):
        datadocs.offline_data_docs(tmp_path / "datadocs", summary)
    assert not (tmp_path / "datadocs").exists()


def test_the_data_docs_are_checked_and_copied_without_loading_gx(tmp_path):
    # GX takes seconds to import, in every report run: the copy needs only the files GX wrote
    code = f"""
import sys
from pathlib import Path
from jeugdmonitor import paths
from jeugdmonitor.report import datadocs
paths.use_root(Path({str(tmp_path)!r}))
site = paths.gx_data_docs_site()
for name in ("static/styles/data_docs.css", "expectations/jeugdzorg.html", "validations/jeugdzorg/run.html"):
    (site / name).parent.mkdir(parents=True, exist_ok=True)
    (site / name).write_text("<html><head></head><body>" + name + "</body></html>", encoding="utf-8")
validation = {{"jaar": 2023, "datadocs": {{"jeugdzorg": {{"pagina": "validations/jeugdzorg/run.html", "geslaagd": True}}}}}}
target = datadocs.offline_data_docs(Path({str(tmp_path / "uit")!r}), validation, "Fictieve voorbeelddata")
assert "Fictieve voorbeelddata" in (target / "validations/jeugdzorg/run.html").read_text(encoding="utf-8")
loaded = sorted(m for m in sys.modules if m.split(".")[0] == "great_expectations")
assert not loaded, loaded[:5]
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
