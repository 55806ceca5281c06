"""Tests for jeugdmonitor.runner.quarter: the quarter stage checks the monthly realisation files,
which no report year reads, with their GX suite (ruw_realisatie_maand) before anything runs."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pytest

from jeugdmonitor import paths
from jeugdmonitor.clean import quarter as quarter_tables
from jeugdmonitor.definitions import config
from jeugdmonitor.errors import DataQualityError
from jeugdmonitor.period import parse_quarter
from jeugdmonitor.runner import quarter
from jeugdmonitor.runner.kernel import KERNEL_FOLDER_PREFIX, StageError
from jeugdmonitor.sources import raw

QUARTER = "2024-K4"


def _monthly(region: str = "JZ08"):
    return paths.region_export_dir(region) / "realisatie_maand.csv"


def _rewrite(lines: dict[int, str]) -> None:
    """Replace file lines (1 = header) of Flevoland's monthly realisation and seal it again."""
    path = _monthly()
    meta = raw.read_sidecar(path)
    text = path.read_text(encoding="utf-8").splitlines()
    for number, line in lines.items():
        text[number - 1] = line
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    raw.write_sidecar(path, meta)


def test_the_tables_of_a_quarter_hand_over_each_regions_monthly_realisation_as_read(project):
    files: list = []
    quarter_tables.build_tables(config.load(), parse_quarter(QUARTER), files)
    assert [(f.kind, f.path) for f in files] == [("realisatie_maand", _monthly("JZ08")), ("realisatie_maand", _monthly("JZ31"))]
    quarter.check_monthly_spending(files)  # the sample passes its suite


def test_markup_in_a_budget_line_stops_the_quarter_before_the_gate_naming_file_column_and_lines(project, monkeypatch):
    lines = _monthly().read_text(encoding="utf-8").splitlines()
    _rewrite({n: lines[n - 1].replace(";Jeugdbescherming", ";<i>Jeugdbescherming</i>", 1) for n in (3, 8)})
    monkeypatch.setattr(quarter, "run_gate", lambda year: pytest.fail("the gate ran after a critical finding"))

    with pytest.raises(DataQualityError) as stopped:
        quarter.run(QUARTER)

    message = str(stopped.value)
    assert f"{paths.display_path(_monthly())}, kolom 'begrotingspost', regels 3, 8:" in message
    assert message.count("begrotingspost") == 1, "named once"
    assert not (project / "data" / "clean" / QUARTER).exists() and not (project / "reports" / QUARTER).exists()


def test_a_negative_month_is_a_warning_that_names_the_file_and_line(project, capsys):
    lines = _monthly().read_text(encoding="utf-8").splitlines()
    head, amount, status = lines[4].rsplit(";", 2)
    _rewrite({5: f"{head};-{amount};{status}"})
    files: list = []
    quarter_tables.build_tables(config.load(), parse_quarter(QUARTER), files)

    quarter.check_monthly_spending(files)

    out = capsys.readouterr().out
    assert f"waarschuwing: {paths.display_path(_monthly())}, kolom 'gerealiseerd_euro', regels 5:" in out


def test_publishing_a_newer_annual_set_makes_the_quarter_pages_stale(project):
    """The pages link the newest published annual set before their year: which one is an input."""
    before = quarter.input_checksums(parse_quarter(QUARTER))
    annual = paths.report_dir(2023)
    annual.mkdir(parents=True)
    paths.report_index(annual).write_text("<html></html>", encoding="utf-8")
    after = quarter.input_checksums(parse_quarter(QUARTER))
    assert before["jaarrapport"] == "None" and after["jaarrapport"] == "2023"
    assert {k: v for k, v in after.items() if k != "jaarrapport"} == {k: v for k, v in before.items() if k != "jaarrapport"}


def test_a_quarter_page_depends_on_the_code_and_templates_it_uses_and_nothing_else():
    """Derived as for a report year's pages: an annual report template or a download module is no
    input of a quarter page, its own template, module and the shared words are."""
    inputs = set(quarter.input_checksums(parse_quarter(QUARTER)))
    package = paths.display_path(paths.PACKAGE_DIR)
    for used in ("templates/pages/kwartaal/pagina.html.j2", "templates/pages/woorden.txt.j2", "report/quarter.py",
                 "runner/quarter.py", "runner/workers.py", "report/export.py", "clean/quarter.py", "period.py"):
        assert f"{package}/{used}" in inputs, used
    for unused in ("templates/pages/gemeente/kpi.html.j2", "templates/pages/regio/overzicht.html.j2",
                   "report/charts.py", "report/municipal.py", "fetch/odata.py", "runner/run.py"):
        assert (paths.PACKAGE_DIR / unused).is_file() and f"{package}/{unused}" not in inputs, unused
    assert any(name.startswith("config/") for name in inputs) and quarter.NOTEBOOK_NAME in inputs


@pytest.mark.parametrize(("text", "reason"), [("{kapot", "geen leesbaar bouwmanifest (JSONDecodeError)"),
                                              ('{"paginas": {"GM0034": {"invoer": 1}}}', "niet de vorm van een bouwmanifest"),
                                              ("[1, 2]", "geen leesbaar bouwmanifest (AttributeError)")])
def test_an_unreadable_manifest_is_named_and_every_page_is_rebuilt(project, capsys, text, reason):
    q = parse_quarter(QUARTER)
    paths.report_dir(q).mkdir(parents=True)
    paths.build_manifest(paths.report_dir(q)).write_text(text, encoding="utf-8")
    assert quarter._published(q) == {}
    assert f"waarschuwing: reports/{QUARTER}/bouwmanifest.json: {reason}; alle pagina's worden opnieuw gebouwd" in capsys.readouterr().out


def test_a_page_is_taken_over_only_with_the_files_it_writes_never_a_path_out_of_its_folder(project):
    q = parse_quarter(QUARTER)
    published, staging = paths.report_dir(q), project / "reports" / ".bouw-test"
    for name in quarter.page_files("GM0034"):
        (published / name).parent.mkdir(parents=True, exist_ok=True)
        (published / name).write_text(name, encoding="utf-8")
    outside = project.parent / "buiten.txt"
    outside.write_text("niet van de pagina", encoding="utf-8")
    own = {name: raw.sha256(published / name) for name in quarter.page_files("GM0034")}
    hostile = {**own, "../../../buiten.txt": raw.sha256(outside)}  # from reports/2024-K4/ to beside the project
    assert (published / "../../../buiten.txt").resolve() == outside.resolve()
    around = sorted(project.parent.iterdir())

    assert not quarter._take_over({"invoer": "d", "uitvoer": hostile}, "d", q, "GM0034", staging)
    assert not staging.exists() and sorted(project.parent.iterdir()) == around
    assert not quarter._take_over({"invoer": "d", "uitvoer": own}, "ander", q, "GM0034", staging), "other inputs"
    assert quarter._take_over({"invoer": "d", "uitvoer": own}, "d", q, "GM0034", staging)
    assert sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file()) == sorted(own)


def _kernel_folders() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob(KERNEL_FOLDER_PREFIX + "*"))


def test_the_pages_run_in_one_warm_kernel_and_a_failing_page_stops_the_stage_leaving_no_kernel(project, monkeypatch):
    monkeypatch.setenv("JEUGDMONITOR_ROOT", str(project))  # the kernel reads the copy too
    q = parse_quarter(QUARTER)
    quarter.clean_quarter(q, quarter_tables.build_tables(config.load(), q))
    started = []
    warm = quarter.workers.warm_kernel
    monkeypatch.setattr(quarter.workers, "warm_kernel", lambda code: started.append(code) or warm(code))
    waiting = paths.clean_dir(q) / paths.table_filename("wachttijden")
    pd.read_parquet(waiting).drop(columns="mediaan_dagen").to_parquet(waiting, index=False)  # a column every page shows
    before = _kernel_folders()

    failed = r"06_kwartaal.ipynb \(JZ08, 2024-K4\) is mislukt: TemplateError: .*pagina.html.j2, regel \d+: UndefinedError"
    with pytest.raises(StageError, match=failed) as stopped:
        quarter.build_pages(q)

    assert "mediaan_dagen" in str(stopped.value), "the template's own line, with the name it lacks"
    assert len(started) == 1, "one kernel for the stage"
    assert not paths.report_dir(q).exists(), "nothing published"
    assert _kernel_folders() == before, "the kernel and its socket folder are gone"
