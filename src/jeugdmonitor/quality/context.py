"""The GX file data context in expectations/gx/: built from the rules by `build_context()` (`make
expectations`) with ids derived from names instead of GX's random ones, rewritten only when a
file differs, and opened for validation."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

import great_expectations as gx
import great_expectations.expectations as gxe
import yaml
from great_expectations.data_context.types.base import ProgressBarsConfig

from jeugdmonitor import paths
from jeugdmonitor.definitions import config
from jeugdmonitor.errors import DataQualityError
from jeugdmonitor.quality.rules import raw_suite_definitions, suite_definitions
from jeugdmonitor.vocabulary import CLEAN_TABLES

DATASOURCE = "schone_data"


RAW_DATASOURCE = "ruwe_data"


RAW_PREFIX = "ruw_"


CHECKPOINT = "schone_data"


def build_context() -> bool:
    """(Re)create the GX file data context in expectations/gx from config/; True when it changed.

    GX gives every suite, expectation, asset and definition a new random id. The new context
    is built beside the old one, its ids are replaced by ids derived from names
    (`_stable_ids`), and it replaces the old one only when a file differs: rebuilding from an
    unchanged config/ rewrites nothing, and a change to config/ changes only the lines it
    concerns. Validation results and Data Docs (uncommitted/) are kept either way: published
    reports' validation stamps point into them."""
    cfg = config.load()
    definitions = suite_definitions(cfg)
    if set(definitions) != set(CLEAN_TABLES):
        raise config.ConfigError(f"de suites {sorted(definitions)} dekken de schone tabellen {sorted(CLEAN_TABLES)} niet")
    paths.EXPECTATIONS_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=paths.EXPECTATIONS_DIR, prefix=".opbouw-") as scratch:
        built = _build_context_in(Path(scratch), cfg, definitions)
        _stable_ids(built)
        if paths.GX_DIR.exists() and _committed_files(built) == _committed_files(paths.GX_DIR):
            return False
        paths.GX_DIR.mkdir(exist_ok=True)
        for entry in paths.GX_DIR.iterdir():
            if entry.name != UNCOMMITTED:
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        for entry in built.iterdir():
            if entry.name != UNCOMMITTED:
                entry.rename(paths.GX_DIR / entry.name)
    return True


UNCOMMITTED = paths.GX_UNCOMMITTED_NAME


def _committed_files(gx_dir: Path) -> dict[str, bytes]:
    """The committed part of a GX context: every file outside uncommitted/, by relative path."""
    return {path.relative_to(gx_dir).as_posix(): path.read_bytes() for path in sorted(gx_dir.rglob("*"))
            if path.is_file() and path.relative_to(gx_dir).parts[0] != UNCOMMITTED}


# ids are uuid5 of a name in this namespace (fixed: changing it rewrites every committed file)
ID_NAMESPACE = uuid.UUID("5d0f6a8e-2b51-4c39-9a57-6c1f0e7b3a24")
UUID_PATTERN = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")


def _stable_id(*name: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, "/".join(name)))


def _stable_ids(gx_dir: Path) -> None:
    """Replace every random id GX wrote in `gx_dir` by one derived from what it identifies
    (data source, asset, suite, expectation, definition, checkpoint), the same in every file
    that refers to it; an id whose owner is unknown stops the build."""
    mapping = _id_mapping(gx_dir)
    for relative in _committed_files(gx_dir):
        path = gx_dir / relative
        text = path.read_text(encoding="utf-8")
        unknown = sorted(set(UUID_PATTERN.findall(text)) - set(mapping))
        if unknown:
            raise RuntimeError(f"{relative}: GX-id's zonder bekende eigenaar: {unknown}")
        path.write_text(UUID_PATTERN.sub(lambda found: mapping[found.group()], text), encoding="utf-8")


def _without_lists(value: Any) -> Any:
    """An expectation's kwargs without their lists: what tells two expectations of a suite apart
    (column, bounds, row condition) but not the value sets and KPI lists that grow with config/,
    so a new KPI keeps the ids of the expectations that list it."""
    if isinstance(value, dict):
        return {k: _without_lists(v) for k, v in value.items() if not isinstance(v, list)}
    return value


def _id_mapping(gx_dir: Path) -> dict[str, str]:
    """GX's random id -> a stable id, read from the places where each id is defined."""
    mapping: dict[str, str] = {}
    project = yaml.safe_load((gx_dir / "great_expectations.yml").read_text(encoding="utf-8"))
    mapping[project["data_context_id"]] = _stable_id("data_context")
    for source_name, source in project.get("fluent_datasources", {}).items():
        mapping[source["id"]] = _stable_id("datasource", source_name)
        for asset_name, asset in source.get("assets", {}).items():
            mapping[asset["id"]] = _stable_id("asset", source_name, asset_name)
            for batch_name, batch in asset.get("batch_definitions", {}).items():
                mapping[batch["id"]] = _stable_id("batch_definition", source_name, asset_name, batch_name)
    for path in sorted((gx_dir / "expectations").glob("*.json")):
        suite = json.loads(path.read_text(encoding="utf-8"))
        mapping[suite["id"]] = _stable_id("suite", suite["name"])
        seen: dict[str, int] = {}
        for expectation in suite["expectations"]:
            identity = json.dumps([expectation["type"], _without_lists(expectation["kwargs"])], sort_keys=True)
            seen[identity] = seen.get(identity, 0) + 1
            mapping[expectation["id"]] = _stable_id("expectation", suite["name"], identity, str(seen[identity]))
    for kind in ("validation_definitions", "checkpoints"):
        for path in sorted((gx_dir / kind).glob("*.json")):
            entry = json.loads(path.read_text(encoding="utf-8"))
            mapping[entry["id"]] = _stable_id(kind, entry["name"])
    return mapping


def _build_context_in(root: Path, cfg: config.Config, definitions: dict[str, list[gxe.Expectation]]) -> Path:
    """Build the whole GX context from config/ in `root`/gx; returns that folder."""
    context = gx.get_context(mode="file", project_root_dir=root)
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.variables.save()
    context.enable_analytics(False)
    site = dict(context.variables.data_docs_sites[paths.GX_DATA_DOCS_SITE])
    site["show_how_to_buttons"] = False  # walkthrough pop-ups need Bootstrap's JavaScript
    context.update_data_docs_site(paths.GX_DATA_DOCS_SITE, site)
    raw_source = context.data_sources.add_pandas(RAW_DATASOURCE)
    for kind, expectations in raw_suite_definitions(cfg).items():
        batch = raw_source.add_dataframe_asset(kind).add_batch_definition_whole_dataframe("bestand")
        suite = context.suites.add(gx.ExpectationSuite(name=RAW_PREFIX + kind, meta={"bron": kind}))
        for expectation in expectations:
            suite.add_expectation(expectation)
        context.validation_definitions.add(gx.ValidationDefinition(name=RAW_PREFIX + kind, data=batch, suite=suite))
    paths.STAGING_DIR.mkdir(parents=True, exist_ok=True)
    # GX tests each new file asset against its folder, which may be empty on a fresh
    # checkout: a placeholder file satisfies that check while the context is built
    placeholder = paths.gx_build_placeholder()
    placeholder.touch()
    try:
        with contextlib.chdir(paths.PROJECT_ROOT):
            _add_clean_tables(context, definitions)
    finally:
        placeholder.unlink()
    return root / paths.GX_DIR.name


def _add_clean_tables(context: Any, definitions: dict[str, list[gxe.Expectation]]) -> None:
    source = context.data_sources.add_pandas_filesystem(DATASOURCE, base_directory=paths.GX_STAGING_BASE_RELATIVE)
    validation_definitions = []
    for table, expectations in definitions.items():
        asset = source.add_parquet_asset(table)
        batch = asset.add_batch_definition_yearly("per_rapportjaar", regex=rf"(?P<year>\d{{4}})/{re.escape(paths.table_filename(table))}")
        suite = context.suites.add(gx.ExpectationSuite(name=table, meta={"tabel": table}))
        for expectation in expectations:
            suite.add_expectation(expectation)
        validation_definitions.append(
            context.validation_definitions.add(gx.ValidationDefinition(name=table, data=batch, suite=suite)))
    context.checkpoints.add(gx.Checkpoint(
        name=CHECKPOINT,
        validation_definitions=validation_definitions,
        actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs")],
        result_format={"result_format": "COMPLETE", "partial_unexpected_count": 5},
    ))


def open_context() -> Any:
    return gx.get_context(mode="file", project_root_dir=paths.EXPECTATIONS_DIR)


def data_docs_pages(context: Any, result: Any) -> dict[str, dict[str, Any]]:
    """Per clean table, its Data Docs page of this validation run (path inside the site) and
    whether every expectation passed: the stamp records them so that the reports publish
    the validation that vouches for their data, not whichever run happens to be newest."""
    site = paths.gx_data_docs_site().resolve()
    pages = {}
    for identifier, run in result.run_results.items():
        (url,) = context.get_docs_sites_urls(resource_identifier=identifier, site_name=paths.GX_DATA_DOCS_SITE)
        if not url["site_url"]:
            raise DataQualityError(f"GX heeft geen Data Docs-pagina voor {run.suite_name} gemaakt in {paths.display_path(site)}")
        page = Path(url2pathname(urlparse(url["site_url"]).path)).resolve()
        pages[run.suite_name] = {"pagina": page.relative_to(site).as_posix(), "geslaagd": bool(run.success)}
    return dict(sorted(pages.items()))
