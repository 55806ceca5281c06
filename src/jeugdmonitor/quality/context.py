"""The GX file data context in expectations/gx/: built from the rules by `build_context()` (`make
expectations`), rewritten only when it differs in more than GX's random ids, and opened for
validation."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

import great_expectations as gx
import great_expectations.expectations as gxe
import yaml
from great_expectations.data_context.types.base import ProgressBarsConfig

from jeugdmonitor import config, paths
from jeugdmonitor.errors import DataQualityError
from jeugdmonitor.quality.rules import raw_suite_definitions, suite_definitions
from jeugdmonitor.vocabulary import CLEAN_TABLES

DATASOURCE = "schone_data"


RAW_DATASOURCE = "ruwe_data"


RAW_PREFIX = "ruw_"


CHECKPOINT = "schone_data"


def build_context() -> bool:
    """(Re)create the GX file data context in expectations/gx from config/; True when it changed.

    GX gives every suite, expectation, asset and definition a new random id, so rebuilding
    in place would rewrite every committed file even when config/ did not change. The new
    context is built beside the old one and replaces it only when it differs in more than
    its ids. Validation results and Data Docs (uncommitted/) are kept either way: published
    reports' validation stamps point into them."""
    cfg = config.load()
    definitions = suite_definitions(cfg)
    if set(definitions) != set(CLEAN_TABLES):
        raise config.ConfigError(f"de suites {sorted(definitions)} dekken de schone tabellen {sorted(CLEAN_TABLES)} niet")
    paths.EXPECTATIONS_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=paths.EXPECTATIONS_DIR, prefix=".opbouw-") as scratch:
        built = _build_context_in(Path(scratch), cfg, definitions)
        if paths.GX_DIR.exists() and _content_without_ids(built) == _content_without_ids(paths.GX_DIR):
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


GX_CONTEXT_ID_KEYS = {"id", "data_context_id"}


def _content_without_ids(gx_dir: Path) -> dict[str, Any]:
    """The committed part of a GX context, file by file, with GX's random ids left out."""
    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in GX_CONTEXT_ID_KEYS}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    content: dict[str, Any] = {}
    for path in sorted(gx_dir.rglob("*")):
        relative = path.relative_to(gx_dir)
        if not path.is_file() or relative.parts[0] == UNCOMMITTED:
            continue
        if path.suffix == ".json":
            content[relative.as_posix()] = strip(json.loads(path.read_text(encoding="utf-8")))
        elif path.suffix == ".yml":
            content[relative.as_posix()] = strip(yaml.safe_load(path.read_text(encoding="utf-8")))
        elif path.name == ".ge_store_backend_id":
            content[relative.as_posix()] = None  # a random id and nothing else
        else:
            content[relative.as_posix()] = path.read_bytes()
    return content


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
