"""The report runner on a copy of the main job's published set: manifest, rebuilding only what is
stale, selections that keep the other reports, resume, isolation of warm kernels, failures."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from ..conftest import REPO_ROOT
from .conftest import SESSION_EPOCH, YEAR, make_copy, run

pytestmark = pytest.mark.integration

PYTHON = str(REPO_ROOT / ".venv" / "bin" / "python")
MUNICIPALITIES = 35
PAGES = MUNICIPALITIES + 4 + 1  # reports, region overviews, index
LATE = "GM0050"  # last in register order: in the main job it is built after many others in a warm kernel


def _reports(root: Path, *args: str, check: bool = True, env: dict[str, str] | None = None):
    return run(root, PYTHON, "-m", "jeugdmonitor.cli", "reports", "--year", str(YEAR), *args, check=check, env=env)


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "bouwmanifest.json").read_text(encoding="utf-8"))


def _built(folder: Path) -> list[str]:
    return json.loads((folder / "run.json").read_text(encoding="utf-8"))["gebouwd"]


@pytest.fixture(scope="module")
def project(built, tmp_path_factory) -> Path:
    """A copy of the project holding the main job's validated data and published reports."""
    root = make_copy(tmp_path_factory.mktemp("runner") / "project")
    for part in (f"data/clean/{YEAR}", "expectations/gx/uncommitted", f"reports/{YEAR}"):
        shutil.copytree(built / part, root / part, dirs_exist_ok=True)
    _reports(root)  # builds nothing, unless the package changed since a kept `built` (JEUGDMONITOR_TEST_BUILT)
    return root


def test_main_job_writes_a_manifest_entry_per_page(built):
    manifest = _manifest(built / "reports" / str(YEAR))
    entries = manifest["pagina's"]
    assert len(entries) == PAGES and {e["status"] for e in entries.values()} == {"gebouwd"}
    entry = entries["GM0503"]
    assert entry["parameters"] == {"gemeente": "GM0503"} and entry["seconden"] > 0
    assert set(entry["invoer"]) >= {"tabellen", "config", "sjablonen", "code", "notebook"}
    inputs = dict(entry["invoer"])
    assert inputs.pop("SOURCE_DATE_EPOCH") == SESSION_EPOCH  # the session's fixed run date is an input of the page
    assert all(re.fullmatch(r"[0-9a-f]{64}", sha) for sha in inputs.values())
    assert "kpi_waarden.parquet" in manifest["invoer"]["tabellen"] and "kpis.yaml" in manifest["invoer"]["config"]
    assert entries["index"]["parameters"]["gemeenten"][0] == "GM0503"


def test_unchanged_rerun_rebuilds_nothing(project):
    result = _reports(project)
    out = project / "reports" / str(YEAR)
    assert _built(out) == [] and "0 gebouwd, 40 overgenomen" in result.stderr
    assert {e["status"] for e in _manifest(out)["pagina's"].values()} == {"overgenomen"}
    assert len(list(out.glob("GM[0-9][0-9][0-9][0-9].html"))) == MUNICIPALITIES


def test_a_changed_input_rebuilds_only_the_pages_that_use_it(project):
    notebook = project / "notebooks" / "05_regio.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    nb.metadata["proef"] = "andere checksum, zelfde pagina"
    nbformat.write(nb, notebook)
    _reports(project)
    assert sorted(_built(project / "reports" / str(YEAR))) == ["JZ08", "JZ24", "JZ31", "JZ36"]


def test_a_published_output_edited_or_deleted_is_rebuilt_by_make_reports(project):
    """Outputs are checked before they are trusted: `make reports` always asks the runner, which
    compares every published file with the sha256 in the manifest and names what changed."""
    out = project / "reports" / str(YEAR)
    (out / "GM0503_cijfers.csv").unlink()
    (out / "GM0518.html").write_text("in place bewerkt", encoding="utf-8")
    # the copy's clean data are taken as they are (-o: no re-cleaning for lack of a staging stamp)
    result = run(project, "make", "reports", f"YEAR={YEAR}", "-o", f"data/clean/{YEAR}/validatie.json")
    assert sorted(_built(out)) == ["GM0503", "GM0518"], result.stderr
    assert "GM0503_cijfers.csv ontbreekt" in result.stderr and "GM0518.html is veranderd" in result.stderr
    assert (out / "GM0503_cijfers.csv").is_file() and "in place bewerkt" not in (out / "GM0518.html").read_text()


def test_a_report_built_alone_equals_the_one_built_late_in_a_warm_kernel(project, tmp_path, short_tmp):
    """Isolation: GM0050 came late in a warm worker in the full run; now it is the first and only
    page of a fresh kernel. Its page and figures are byte-identical, and the selection keeps
    every other published report in the set and in the index. Nothing is written in the user's
    home (no input history in the user's IPython folder) and nothing is left in the temporary
    folder."""
    out = project / "reports" / str(YEAR)
    files = (f"{LATE}.html", f"{LATE}_cijfers.csv", f"{LATE}_lokale_paragraaf.csv")
    warm = {name: (out / name).read_bytes() for name in files}
    home, scratch = tmp_path / "home", short_tmp
    home.mkdir()
    result = _reports(project, "--only", LATE, "--opnieuw", "--workers", "1",
                      env={"HOME": str(home), "IPYTHONDIR": str(home / "ipython"), "TMPDIR": str(scratch)})
    assert _built(out) == [LATE], result.stderr
    assert not list(home.rglob("*")) and not list(scratch.rglob("*")), "nothing outside the project tree"
    for name in files:
        assert (out / name).read_bytes() == warm[name], name
    assert len(list(out.glob("GM[0-9][0-9][0-9][0-9].html"))) == MUNICIPALITIES
    index = (out / "index.html").read_text(encoding="utf-8")
    assert len(set(re.findall(r'href="(GM\d{4}\.html)"', index))) == MUNICIPALITIES
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["gemeenten"][0] == "GM0503"


def test_limit_and_gemeente_alias_select_without_dropping_published_reports(project):
    result = _reports(project, "--gemeente", "GM0503", "--limit", "2", "--opnieuw")
    out = project / "reports" / str(YEAR)
    assert sorted(_built(out)) == ["GM0503", "GM0518"], result.stderr
    assert len(list(out.glob("GM[0-9][0-9][0-9][0-9].html"))) == MUNICIPALITIES


def test_an_interrupted_run_resumes_with_the_pages_it_finished(project):
    out, staging = project / "reports" / str(YEAR), project / "reports" / f".bouw-{YEAR}"
    out.rename(staging)  # as if a run had finished every page but the index and was stopped before publishing
    (staging / "index.html").unlink()
    result = _reports(project)
    assert _built(out) == ["index"] and "39 hervat" in result.stderr and not staging.exists()
    assert {e["status"] for k, e in _manifest(out)["pagina's"].items() if k != "index"} == {"hervat"}


def test_a_hanging_report_is_retried_in_a_fresh_kernel_a_failing_one_is_not_and_nothing_is_published(project):
    out = project / "reports" / str(YEAR)
    before = {p.name: p.read_bytes() for p in out.glob("*.html")}
    pids = project / "kernels.txt"
    notebook = project / "notebooks" / "03_gemeenterapport.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    at = next(i for i, cell in enumerate(nb.cells) if "parameters" in cell.metadata.get("tags", [])) + 1
    nb.cells.insert(at, nbformat.v4.new_code_cell(
        "import os, time\n"
        f"open({str(pids)!r}, 'a').write(f'{{gemeente}} {{os.getpid()}}\\n')\n"
        "if gemeente == 'GM0503':\n    raise ValueError('proeffout in GM0503')\n"
        "if gemeente == 'GM0518':\n    time.sleep(600)\n"))
    nbformat.write(nb, notebook)
    try:
        result = _reports(project, "--only", "GM0503", "--only", "GM0518", "--timeout", "40", check=False)
    finally:
        shutil.copy2(REPO_ROOT / "notebooks" / "03_gemeenterapport.ipynb", notebook)
    assert result.returncode == 4, result.stderr
    assert "2 van de 2 pagina's zijn mislukt" in result.stderr
    assert "GM0503 Delft: ValueError: proeffout in GM0503\n    in cel " in result.stderr
    assert "GM0518 's-Gravenhage: tijdslimiet van 40 s overschreden" in result.stderr
    lines = pids.read_text().split()
    kernels = {code: {pid for c, pid in zip(lines[::2], lines[1::2], strict=True) if c == code}
               for code in ("GM0503", "GM0518")}
    # the timeout: two attempts, each in its own kernel; the error would only happen again
    assert len(kernels["GM0518"]) == 2 and len(kernels["GM0503"]) == 1, kernels
    assert {p.name: p.read_bytes() for p in out.glob("*.html")} == before, "nothing published"
    staged = _manifest(project / "reports" / f".bouw-{YEAR}")["pagina's"]
    assert staged["GM0503"]["status"] == "mislukt" and staged["GM0503"]["pogingen"] == 1
    assert staged["GM0518"]["pogingen"] == 2


def _with_cell(project: Path, code: str) -> None:
    notebook = project / "notebooks" / "03_gemeenterapport.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    at = next(i for i, cell in enumerate(nb.cells) if "parameters" in cell.metadata.get("tags", [])) + 1
    nb.cells.insert(at, nbformat.v4.new_code_cell(code))
    nbformat.write(nb, notebook)


def test_the_same_error_in_the_first_pages_stops_the_run_and_is_told_once(project):
    pids = project / "pagina's.txt"
    # each page takes half a second before it fails, as a real page would take longer, so the
    # run's reaction (a few pages at most) is not a race with pages that fail at once
    _with_cell(project, f"open({str(pids)!r}, 'a').write(gemeente + '\\n')\nimport time\ntime.sleep(0.5)\n"
                        "from jeugdmonitor import paths\npaths.display_path(None)")
    try:
        result = _reports(project, "--opnieuw", "--workers", "2", check=False)
    finally:
        shutil.copy2(REPO_ROOT / "notebooks" / "03_gemeenterapport.ipynb", project / "notebooks" / "03_gemeenterapport.ipynb")
    assert result.returncode == 4, result.stderr
    assert "dezelfde fout in 2 pagina's" in result.stderr and "de run is gestopt" in result.stderr
    assert result.stderr.count("AttributeError") == 1, result.stderr
    assert "in cel " in result.stderr and "jeugdmonitor/paths.py, regel " in result.stderr, result.stderr
    # the pages the workers had started before the second failure came back still ran
    assert len(pids.read_text().split()) < MUNICIPALITIES // 3, "stopped after the first pages, not after all 35"


def _own_package(project: Path) -> dict[str, str]:
    """The copy's own package (its templates), not the one the shared .venv was installed from."""
    return {"PYTHONPATH": str(project / "src")}


def test_a_template_syntax_error_stops_the_run_before_any_page_with_file_and_line(project):
    template = project / "src" / "jeugdmonitor" / "templates" / "pages" / "gemeente" / "kop.html.j2"
    before = template.read_text(encoding="utf-8")
    template.write_text(before + "\n{{ r.name }\n", encoding="utf-8")
    try:
        result = _reports(project, "--opnieuw", check=False, env=_own_package(project))
    finally:
        template.write_text(before, encoding="utf-8")
    assert result.returncode == 2, result.stderr
    line = len(before.splitlines()) + 2
    assert f"FOUT: src/jeugdmonitor/templates/pages/gemeente/kop.html.j2, regel {line}: " in result.stderr
    assert result.stderr.count("FOUT") == 1 and "[1/" not in result.stdout


def test_a_municipality_template_rebuilds_municipality_pages_only_and_only_marks_the_others_stale(project):
    """After a change to a municipality template an --only build publishes the selection and
    marks every other municipality page stale; the next plain build rebuilds exactly those."""
    out = project / "reports" / str(YEAR)
    env = _own_package(project)
    _reports(project, env=env)  # whatever the tests before left stale
    template = project / "src" / "jeugdmonitor" / "templates" / "pages" / "gemeente" / "kop.html.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n{# proef: een gewijzigd sjabloon #}\n", encoding="utf-8")
    result = _reports(project, "--only", "GM0503", env=env)
    assert _built(out) == ["GM0503"], result.stderr
    statuses = {k: e["status"] for k, e in _manifest(out)["pagina's"].items()}
    assert {k for k, status in statuses.items() if status == "verouderd"} == {
        k for k in statuses if k.startswith("GM") and k != "GM0503"}
    assert f"{MUNICIPALITIES - 1} niet gekozen pagina's zijn verouderd" in result.stderr
    _reports(project, env=env)
    built = _built(out)
    assert len(built) == MUNICIPALITIES - 1 and all(k.startswith("GM") and k != "GM0503" for k in built), built


def test_make_voorbeeld_builds_one_page_into_the_scratch_folder_and_publishes_nothing(project):
    out = project / "reports" / str(YEAR)
    before = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    for variable, page in (("GEMEENTE=GM0503", "GM0503.html"), ("REGIO=JZ24", "regio-JZ24.html")):
        # the copy's clean data are taken as they are (-o: no re-cleaning for lack of a staging stamp)
        result = run(project, "make", "voorbeeld", variable, f"YEAR={YEAR}", "-o", f"data/clean/{YEAR}/validatie.json")
        assert f"niet gepubliceerd: reports/voorbeeld/{page}" in result.stdout, result.stdout + result.stderr
        assert "Nederland" in (project / "reports" / "voorbeeld" / page).read_text(encoding="utf-8")
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    refused = run(project, "make", "voorbeeld", f"YEAR={YEAR}", "-o", f"data/clean/{YEAR}/validatie.json", check=False)
    assert refused.returncode == 2 and "GEMEENTE=GM0503 of" in refused.stderr
