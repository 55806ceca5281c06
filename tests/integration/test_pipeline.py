"""The real notebooks, executed by papermill through the Makefile DAG, on the bundled data."""

from __future__ import annotations

import json
import re

import pytest

from jeugdmonitor.vocabulary import CLEAN_TABLES

from .conftest import YEAR, run

pytestmark = pytest.mark.integration

MUNICIPALITIES = 35
REGIONS = {"JZ24": "Haaglanden", "JZ36": "West-Brabant West", "JZ31": "Zuid-Holland Zuid", "JZ08": "Flevoland"}


def test_main_job_leaves_a_report_per_municipality_and_an_index(built):
    out = built / "reports" / str(YEAR)
    reports = sorted(out.glob("GM[0-9][0-9][0-9][0-9].html"))
    assert len(reports) == MUNICIPALITIES
    assert sorted(p.name for p in out.glob("GM*-bijlage.html")) == [f"{p.stem}-bijlage.html" for p in reports]
    index = (out / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="(GM\d{4}\.html)"', index)  # from the goals table and the key figures table
    assert sorted(set(links)) == [p.name for p in reports]
    for code, region in REGIONS.items():
        assert f"<h2>{region}</h2>" in index
        assert f'href="regio-{code}.html"' in index and (out / f"regio-{code}.html").exists()
    executed = sorted((out / "uitgevoerde-notebooks").glob("*.ipynb"))
    assert len(executed) == MUNICIPALITIES + len(REGIONS) + 1  # audit copies beside the outputs
    assert not list((built / "reports").glob(".bouw-*")), "staging folder left behind"


def test_progress_is_shown_per_report(built):
    # not a terminal: one plain line per finished page (the index is a page too), no tqdm bar
    output = (built / "make-output.txt").read_text()
    total = MUNICIPALITIES + len(REGIONS) + 1
    assert re.search(rf"\[ ?\d+/{total}\] GM\d{{4}} \S.* +\d+\.\d s", output)
    assert re.search(rf"\[ ?\d+/{total}\] JZ\d{{2}}", output)
    assert len(re.findall(rf"^\[ ?\d+/{total}\] ", output, re.M)) == total
    assert "pagina/s" not in output and "%|" not in output


def test_run_log_carries_no_kernel_transport_warnings(built):
    # batch kernels talk over IPC sockets in a private folder (pipeline.kernel_config), not TCP
    output = (built / "make-output.txt").read_text()
    assert "makeargs reports" in output and "without encryption" not in output and "[IPKernelApp] WARNING" not in output


def test_the_main_job_writes_nothing_outside_its_project_tree(built):
    # make ran with a home and a temporary folder of its own (the `built` fixture): the kernels'
    # sockets and IPython folders are private temporary folders, removed with them, and IPython's
    # ~/.ipython is neither made nor written
    for name in ("HOME", "TMPDIR"):
        folder = built.parent / f"{built.name}-{name}"
        assert folder.is_dir() and not [p.relative_to(folder).as_posix() for p in folder.rglob("*")], name


def test_unchanged_rerun_rebuilds_nothing(built):
    # `make reports` always asks the runner (it checks the published outputs); the file target
    # that pdf and screenshots depend on is up to date
    result = run(built, "make", "--question", f"reports/{YEAR}/index.html", f"YEAR={YEAR}", check=False)
    assert result.returncode == 0, "make would rebuild although nothing changed"


def test_touching_a_report_input_makes_only_the_report_stage_stale(built):
    (built / "notebooks" / "03_gemeenterapport.ipynb").touch()
    dry = run(built, "make", "--dry-run", "reports", f"YEAR={YEAR}").stdout
    assert "makeargs reports" in dry and "cli clean" not in dry and "cli validate" not in dry


@pytest.mark.parametrize("name", ["GM0523.html", "GM1963.html", "GM0184.html", "index.html", "regio-JZ31.html"])
def test_pages_are_offline_dutch_without_code_or_errors(built, name):
    page = (built / "reports" / str(YEAR) / name).read_text(encoding="utf-8")
    # no remote script and no inline code: the only script files are the set's local chart runtime
    # and the index's filter script beside it, the other script elements are the charts' JSON data blocks
    scripts = re.findall(r"<script\b([^>]*)>", page, re.I)
    local_script = r'\s*(defer(="")?\s*)?src="(grafieken/vega|zoeken)\.js"(\s*defer(="")?)?\s*'
    assert all('type="application/json"' in attrs or re.fullmatch(local_script, attrs)
               for attrs in scripts), scripts
    assert ('src="zoeken.js"' in page) == (name == "index.html")
    assert ('src="grafieken/vega.js"' in page) == ("jm-grafiek-spec" in page)
    assert not re.search(r'(src|href)="https?://', page), "no remote resource"
    assert 'lang="nl"' in page
    assert "Fictieve voorbeelddata" in page.split("<main>")[0], "label at the top of the page"
    body = page.split("</head>", 1)[1]  # the CSS in the head names every JupyterLab class
    for forbidden in ("jp-InputArea", "jp-CodeMirror", "injected-parameters", "Traceback", "jp-RenderedText",
                      "stderr", "Error"):
        assert forbidden not in body


def test_report_has_every_section_kpi_and_chart(built):
    out = built / "reports" / str(YEAR)
    page = (out / "GM0523.html").read_text(encoding="utf-8")
    assert "<h1>Jeugdhulp in Hardinxveld-Giessendam: voortgangsrapportage 2023</h1>" in page
    for heading in ("Zijn we op koers?", "De doelen door de jaren heen", "Kerncijfers 2023",
                    "Lokale paragraaf: Hardinxveld-Giessendam in cijfers", "Begrippenlijst", "Over deze cijfers"):
        assert f">{heading}</h2>" in page, heading
    assert 'href="GM0523-bijlage.html"' in page and 'href="regio-JZ31.html"' in page and 'href="verantwoording.html"' in page
    # the bijlage: every indicator with its trend and comparison, the goals' rules and the sources
    appendix = (out / "GM0523-bijlage.html").read_text(encoding="utf-8")
    for heading in ("Jongeren met jeugdhulp", "Jeugdhulp met verblijf", "Jeugdbescherming", "Jeugdreclassering",
                    "Uitgaven jeugdhulp per jongere", "Wachttijd", "Doelen uit de regiovisie", "Verantwoording"):
        assert f">{heading}</h2>" in appendix, heading
    assert 'href="GM0523.html"' in appendix
    for html, least in ((page, 2), (appendix, 14)):  # a chart per goal; a trend per KPI and a comparison per rate
        charts_on_page = html.count('src="data:image/svg+xml;base64,')
        assert charts_on_page >= least and html.count('role="img"') >= least
        assert html.count('class="jm-grafiek-spec"') == charts_on_page, "every chart also has its interactive spec"
    assert (out / "grafieken" / "vega.js").is_file(), "the runtime the pages load"
    assert "volgens de gemeentelijke indeling van 2023" in page
    assert "2023**" in page, "the nader voorlopig mark travels with the year"
    assert re.search(r"commit [0-9a-f]{7,}|commit onbekend", appendix)
    # the Verantwoording lists the CBS tables (Iv3: one per year) and only its own region's exports
    sources = appendix[appendix.index('<h2 id="verantwoording">'):]
    assert '<td class="jm-bestand">cbs/iv3/45063NED_TypedDataSet.csv</td>' in sources
    assert '<td class="jm-bestand">regio/JZ31/budget.csv</td>' in sources  # Hardinxveld-Giessendam: Zuid-Holland Zuid
    assert "regio/JZ24/" not in sources and "regio/JZ36/" not in sources


def test_validation_stamp_and_clean_tables_exist(built):
    stamp = json.loads((built / "data" / "clean" / str(YEAR) / "validatie.json").read_text())
    assert stamp["gecontroleerd"] - stamp["geslaagd"] == len(stamp["waarschuwingen"])
    assert {w["severity"] for w in stamp["waarschuwingen"]} <= {"waarschuwing"}
    assert len(list((built / "data" / "clean" / str(YEAR)).glob("*.parquet"))) == len(CLEAN_TABLES)


def test_data_docs_are_published_beside_the_reports_and_load_nothing_remote(built):
    docs = built / "reports" / str(YEAR) / "datadocs"
    pages = list(docs.rglob("*.html"))
    assert (docs / "index.html").exists() and len(pages) > 1
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'<(script|link|img)\b[^>]*(src|href)="https?://', text), page.name
        assert "Fictieve voorbeelddata" in text, page.name
    # the links are on the year's verantwoording page (until the runner renders it apart, its
    # cells still end the index)
    out = built / "reports" / str(YEAR)
    index = ((out / "verantwoording.html") if (out / "verantwoording.html").is_file() else out / "index.html").read_text(encoding="utf-8")
    assert 'href="datadocs/index.html"' in index
    # exactly the validation that passed the published clean data, one page per table
    stamp = json.loads((built / "data" / "clean" / str(YEAR) / "validatie.json").read_text(encoding="utf-8"))
    validations = sorted(p.relative_to(docs).as_posix() for p in (docs / "validations").rglob("*.html"))
    assert validations == sorted(entry["pagina"] for entry in stamp["datadocs"].values())
    assert len(validations) == len(CLEAN_TABLES) and all(f"/rapportjaar_{YEAR}/" in v for v in validations)
    assert all(f'href="datadocs/{v}"' in index for v in validations)
