"""Where a notebook writes. A batch stage passes the folder as the parameter `uitvoer_map`; a
notebook run by hand (JupyterLab, default parameters: `uitvoer_map = None`) writes into a scratch
folder (paths.scratch_data_dir, paths.scratch_report_dir) and says so, so trying a notebook never
overwrites what the pipeline published in data/clean/ or reports/<year>/."""

from __future__ import annotations

from pathlib import Path

from jeugdmonitor import paths


def output_dir(uitvoer_map: str | Path | None, scratch: Path, publishing_command: str) -> Path:
    """The folder given by a batch stage, or `scratch` for a run by hand (announced in the output)."""
    if uitvoer_map is not None:
        return Path(uitvoer_map)
    scratch.mkdir(parents=True, exist_ok=True)
    print(f"Met de hand gedraaid (uitvoer_map = None): de uitvoer gaat naar {paths.display_path(scratch)}/, "
          f"niet naar de gepubliceerde bestanden. Publiceren doet `{publishing_command}`.")
    return scratch
