"""What the tests of the report runner share: pages, manifests and published states built in
memory, without running a notebook."""

from __future__ import annotations

from pathlib import Path

from jeugdmonitor.runner import manifest
from jeugdmonitor.runner.page import Page

AVAILABLE = ["GM0503", "GM0518", "GM1916", "GM0034"]


def _page(code: str = "GM0503") -> Page:
    return Page(code, "gemeente", "03_gemeenterapport.ipynb", {"gemeente": code}, f"{code}.html", "t", "Delft")


def _entry(page: Page, folder: Path, inputs: dict) -> dict:
    for name in page.files(2023):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("x")
    return {"status": "gebouwd", "invoer": inputs, "parameters": page.parameters,
            "uitvoer": manifest.output_checksums(page, folder, 2023)}


def _checksums(**changed: str) -> dict:
    """Checksum groups as input_checksums gives them; `changed` replaces a file's sha."""
    groups = {
        "tabellen": {"jeugdzorg.parquet": "t"},
        "config": {"kpis.yaml": "k"},
        "sjablonen": {"pages/gemeente/kop.html.j2": "g", "pages/regio/overzicht.html.j2": "r",
                      "pages/index.html.j2": "i", "pages/macros.html.j2": "m", "pages/kwartaal/pagina.html.j2": "q",
                      "jeugdmonitor/index.html.j2": "n"},
        "code": {"report/inputs.py": "p", "report/overview.py": "o", "devtools/sample_data.py": "s", "fetch/importer.py": "imp"},
        "notebooks": {"03_gemeenterapport.ipynb": "3", "05_regio.ipynb": "5", "04_overzicht.ipynb": "4"},
        "kwartalen": {"2023-K1/index.html": "k1"},
    }
    for name, sha in changed.items():
        group = next(g for g, files in groups.items() if name in files)
        groups[group][name] = sha
    return groups
