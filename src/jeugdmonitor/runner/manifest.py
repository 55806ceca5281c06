"""The build manifest: per page its status, duration, parameters and the checksums of its inputs
and of every file it wrote; from it a page is known to be current (taken over from the
published set) or stale (rebuilt)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from jeugdmonitor import buildinfo, paths, publish
from jeugdmonitor.runner import deps
from jeugdmonitor.runner.page import Page
from jeugdmonitor.sources import raw

log = logging.getLogger("jeugdmonitor")


MANIFEST_VERSION = 2  # 2: the sha256 of every output file ("uitvoer")


OK_STATUSES = ("gebouwd", "overgenomen", "hervat")


# a published page an --only run kept although its inputs changed: the next full run rebuilds it
STALE_STATUS = "verouderd"


# the index pages of the year's published quarter sets (reports/<year>-K<q>/): the annual index links them
QUARTERS_GROUP = "kwartalen"


# checksum groups only some page kinds depend on; every other group is an input of every page
GROUP_KINDS = {QUARTERS_GROUP: ("index",)}


# ------------------------------------------------------------------------------ checksums and manifest
def _files_under(folder: Path, pattern: str, skip: Sequence[str] = ()) -> Iterator[Path]:
    for path in sorted(folder.rglob(pattern)):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and "__pycache__" not in path.parts and not any(relative.startswith(s) for s in skip):
            yield path


def input_checksums(year: int) -> dict[str, dict[str, str]]:
    """sha256 per input file of a report run, by group: the validated tables and their stamp, the
    definitions in config/, the notebooks, the templates, the package code, and the index pages of
    the year's published quarters (so that publishing a quarter later makes the index stale)."""
    package = paths.PACKAGE_DIR
    groups = {
        "tabellen": (paths.clean_dir(year), "*", (paths.EXECUTED_NOTEBOOK_DIR_NAME,)),
        "config": (paths.CONFIG_DIR, "*", ()),
        "sjablonen": (paths.TEMPLATE_DIR, "*", ()),
        "code": (package, "*.py", ()),
    }
    result = {group: {p.relative_to(folder).as_posix(): raw.sha256(p) for p in _files_under(folder, pattern, skip)}
              for group, (folder, pattern, skip) in groups.items()}
    result["notebooks"] = {name: raw.sha256(paths.notebook(name))
                           for name in (paths.REPORT_NOTEBOOK_NAME, paths.REGION_NOTEBOOK_NAME, paths.INDEX_NOTEBOOK_NAME)}
    result[QUARTERS_GROUP] = {f"{q}/{paths.INDEX_PAGE_NAME}": raw.sha256(paths.report_index(paths.report_dir(q)))
                              for q in publish.published_quarters(year)}
    return result


def _group_digest(files: dict[str, str]) -> str:
    return hashlib.sha256("".join(f"{name}\0{sha}\n" for name, sha in sorted(files.items())).encode()).hexdigest()


def _used_by(page: Page, group: str, files: dict[str, str]) -> dict[str, str]:
    """The files of a checksum group a page of this kind uses: of the templates those of its own
    kind and the shared ones, of the package code the modules its notebook and the worker import
    (jeugdmonitor.runner.deps), so that a municipality template rebuilds municipality pages only."""
    if group == "sjablonen":
        return {name: sha for name, sha in files.items() if deps.page_uses_template(page.kind, name)}
    if group == "code":
        used = deps.page_modules(str(paths.notebook(page.notebook)))
        return {name: sha for name, sha in files.items() if name in used}
    return files


def page_inputs(page: Page, checksums: dict[str, dict[str, str]]) -> dict[str, str]:
    """The checksums a page depends on: one digest per group its kind uses (GROUP_KINDS: the
    published quarters only for the index), its own notebook, and the fixed build date when
    SOURCE_DATE_EPOCH sets it (it is printed on the page)."""
    inputs = {group: _group_digest(_used_by(page, group, files)) for group, files in checksums.items()
              if group != "notebooks" and page.kind in GROUP_KINDS.get(group, (page.kind,))}
    inputs["notebook"] = checksums["notebooks"][page.notebook]
    epoch = os.environ.get(buildinfo.ENV_VAR)
    if epoch is not None:
        inputs[buildinfo.ENV_VAR] = epoch
    return inputs


def read_manifest(folder: Path) -> dict[str, Any]:
    """A report folder's build manifest, or an empty one when there is none (or not of this
    version). A manifest that cannot be read (bad UTF-8, not JSON, not a manifest's shape) is set
    aside as `<name>.onleesbaar` with a warning naming it, and the pages are rebuilt."""
    path = paths.build_manifest(folder)
    if not path.exists():
        return {"pagina's": {}}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return _set_aside(path, f"geen leesbare JSON ({error})")
    if not _manifest_shape(manifest):
        return _set_aside(path, "niet de vorm van een bouwmanifest")
    if manifest.get("versie") != MANIFEST_VERSION:
        return {"pagina's": {}}
    return manifest


def _manifest_shape(manifest: Any) -> bool:
    """True when `manifest` has the shape the runner reads: an object whose "pagina's" maps each
    page to an object with its parameters."""
    if not isinstance(manifest, dict) or not isinstance(manifest.get("pagina's", {}), dict):
        return False
    return all(isinstance(entry, dict) and isinstance(entry.get("parameters"), dict)
               and isinstance(entry.get("uitvoer", {}), dict) for entry in manifest.get("pagina's", {}).values())


def _set_aside(path: Path, reason: str) -> dict[str, Any]:
    aside = path.with_name(path.name + ".onleesbaar")
    os.replace(path, aside)
    log.warning("WAARSCHUWING: bouwmanifest %s is onleesbaar (%s): opzij gezet als %s; alle pagina's worden opnieuw "
                "gebouwd", paths.display_path(path), reason, aside.name)
    return {"pagina's": {}}


def output_checksums(page: Page, folder: Path, year: int) -> dict[str, str]:
    """sha256 of every file the page wrote in `folder`: recorded in the manifest, so that a page
    edited, damaged or deleted after publishing is noticed and rebuilt, never taken over."""
    return {name: raw.sha256(folder / name) for name in page.files(year)}


def _outputs_intact(entry: dict[str, Any], page: Page, folder: Path, year: int) -> bool:
    """True when every file of the page in `folder` is there with the checksum the manifest
    recorded; otherwise a warning names the first file that changed or disappeared."""
    recorded = entry.get("uitvoer") or {}
    for name in page.files(year):
        path = folder / name
        if not path.is_file():
            problem = "ontbreekt"
        elif recorded.get(name) != raw.sha256(path):
            problem = "is veranderd sinds de bouw" if name in recorded else "heeft geen controlegetal in het bouwmanifest"
        else:
            continue
        log.warning("WAARSCHUWING: %s %s: de pagina %s wordt opnieuw gebouwd", paths.display_path(path), problem, page.key)
        return False
    return True


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    """Written next to the pages as they finish (replaced in one rename), so a killed run leaves a
    manifest that matches pages it finished."""
    path = paths.build_manifest(folder)
    scratch = path.with_name(path.name + publish.SCRATCH_SUFFIX)
    try:
        scratch.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        os.replace(scratch, path)
    except OSError:
        scratch.unlink(missing_ok=True)  # a full disk leaves no empty scratch file behind
        raise


def is_current(entry: dict[str, Any] | None, page: Page, inputs: dict[str, str], folder: Path, year: int) -> bool:
    """True when the page in `folder` was built from these inputs and parameters and its files
    are still exactly what was built (checked by sha256 before they are trusted). A page marked
    stale is current again when its inputs are back to those it was built from."""
    return (entry is not None and entry.get("status") in (*OK_STATUSES, STALE_STATUS) and entry.get("invoer") == inputs
            and entry.get("parameters") == page.parameters and _outputs_intact(entry, page, folder, year))


def is_published(entry: dict[str, Any] | None, page: Page, folder: Path, year: int) -> bool:
    """True when the page in `folder` is intact as its entry records it (current or stale): a
    page an --only run may keep although its inputs changed since."""
    return (entry is not None and entry.get("status") in (*OK_STATUSES, STALE_STATUS)
            and entry.get("parameters") == page.parameters and _outputs_intact(entry, page, folder, year))


def link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)  # the published file is never written again: sharing it is safe
    except OSError:
        shutil.copy2(source, target)
