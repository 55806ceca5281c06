"""Errors carry their exit code; a failed notebook is mapped by the name of its exception."""

from __future__ import annotations

import papermill
import pytest

from jeugdmonitor import cli, errors, fetch, quality
from jeugdmonitor.definitions import config
from jeugdmonitor.runner import pipeline
from jeugdmonitor.sources import raw

CODES = {
    "RawDataError": 2, "ConfigError": 2, "UnknownMunicipalityError": 2, "ReportYearError": 2,
    "DataQualityError": 3, "FetchError": 1,
}


def test_every_workbook_error_is_registered_with_its_code():
    assert {name: errors.ERRORS[name].exit_code for name in CODES} == CODES
    assert all(issubclass(cls, errors.WorkbookError) for cls in errors.ERRORS.values())


def test_the_modules_raise_the_registered_classes():
    assert raw.RawDataError is errors.RawDataError
    assert config.ConfigError is errors.ConfigError and config.UnknownMunicipalityError is errors.UnknownMunicipalityError
    assert errors.ReportYearError is errors.ReportYearError
    assert quality.DataQualityError is errors.DataQualityError and fetch.FetchError is errors.FetchError


def test_two_errors_with_one_name_are_refused():
    with pytest.raises(TypeError, match="DataQualityError"):
        type("DataQualityError", (errors.WorkbookError,), {})


def _failed_notebook(ename: str) -> pipeline.StageError:
    cause = papermill.PapermillExecutionError(3, 1, "code", ename, "the message", [])
    try:
        raise pipeline.StageError(f"01_opschonen.ipynb failed: {ename}: the message") from cause
    except pipeline.StageError as error:
        return error


@pytest.mark.parametrize(("ename", "code"), [*CODES.items(), ("KeyError", 4), ("RenderError", 4), ("", 4)])
def test_a_failed_notebook_exits_with_the_code_of_its_exception(ename, code):
    assert cli._exit_code(_failed_notebook(ename)) == code


def test_the_code_comes_from_the_name_not_from_the_message():
    error = _failed_notebook("KeyError")
    assert "DataQualityError" not in str(error)
    error = pipeline.StageError("a message that mentions DataQualityError and RawDataError")
    assert cli._exit_code(error) == 4  # no notebook exception behind it


@pytest.mark.parametrize(("error", "code"), [
    (raw.RawDataError("data/raw/x.csv", "kapot", column="a", rows=[2]), 2),
    (config.ConfigError("config/kpis.yaml: fout"), 2),
    (config.UnknownMunicipalityError("gemeente GM9999 onbekend"), 2),
    (errors.ReportYearError("geen data voor 1999"), 2),
    (quality.DataQualityError("Data Docs weg"), 3),
    (FileNotFoundError("data/staging/2023 bestaat niet"), 4),
])
def test_the_command_line_exits_with_the_code_the_error_carries(project, monkeypatch, capsys, error, code):
    # in a copy of the project: the command takes the year's run lock, which must not be the real tree's
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(pipeline, "run_reports", fail)
    assert cli.main(["reports", "--year", "2023"]) == code
    assert capsys.readouterr().err.startswith("FOUT: ")


def test_a_failed_notebook_in_a_stage_exits_with_its_code(project, monkeypatch, capsys):
    def fail(year):
        raise _failed_notebook("DataQualityError")

    monkeypatch.setattr(pipeline, "run_validate", fail)
    assert cli.main(["validate", "--year", "2023"]) == 3
