"""A notebook run by hand (uitvoer_map None) writes into a scratch folder and says so; a batch
stage's folder is used as given, silently."""

from __future__ import annotations

from jeugdmonitor import paths
from jeugdmonitor.clean import build
from jeugdmonitor.definitions import config
from jeugdmonitor.runner import interactive
from jeugdmonitor.sources import load


def test_a_run_by_hand_writes_to_the_scratch_folder_and_says_so(project, capsys):
    scratch = paths.scratch_report_dir()
    assert interactive.output_dir(None, scratch, "make reports YEAR=2023") == scratch
    assert scratch.is_dir() and scratch == project / "reports" / "voorbeeld"
    said = capsys.readouterr().out
    assert "Met de hand gedraaid" in said and "reports/voorbeeld/" in said and "`make reports YEAR=2023`" in said


def test_a_batch_stage_folder_is_used_as_given(project, capsys, tmp_path):
    assert interactive.output_dir(str(tmp_path / "bouw"), paths.scratch_report_dir(), "make reports") == tmp_path / "bouw"
    assert capsys.readouterr().out == "" and not paths.scratch_report_dir().exists()


def test_scratch_folders_lie_outside_the_published_ones(project):
    assert paths.scratch_data_dir(2023) == project / "data" / "voorbeeld" / "2023"
    for published in (paths.clean_dir(2023), paths.staging_dir(2023), paths.report_dir(2023)):
        assert published not in (paths.scratch_data_dir(2023), *paths.scratch_data_dir(2023).parents)
        assert published not in (paths.scratch_report_dir(), *paths.scratch_report_dir().parents)


def test_tables_cleaned_by_hand_get_no_staging_marker(project):
    cfg = config.load()
    tables = {"gebieden": build.build_tables(cfg, load.load_raw(cfg), 2023)["gebieden"]}
    written = build.save_staged(tables, 2023, paths.scratch_data_dir(2023))
    assert written == [paths.scratch_data_dir(2023) / "gebieden.parquet"]
    assert not paths.staging_marker(2023).exists() and not paths.staging_dir(2023).exists()
