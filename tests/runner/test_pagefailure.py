"""A page error is told once, with its cell and package line; a shared error stops the run;
a template with a syntax error stops it before any page, naming file and line."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from jeugdmonitor import errors, paths
from jeugdmonitor.report import templates
from jeugdmonitor.runner import pagefailure
from jeugdmonitor.runner.page import PageResult

PACKAGE = paths.PACKAGE_DIR
TRACEBACK = [
    "\x1b[31mValueError\x1b[39m                          Traceback (most recent call last)",
    "\x1b[36mCell\x1b[39m \x1b[32mIn[5]\x1b[39m\x1b[32m, line 2\x1b[39m\n----> 2 report.schrijf(r)\n",
    f"\x1b[36mFile \x1b[39m\x1b[32m{PACKAGE}/report/municipal.py:195\x1b[39m, in \x1b[36mkop\x1b[39m\n",
    "\x1b[36mFile \x1b[39m\x1b[32m/usr/lib/python3/site-packages/jinja2/environment.py:1016\x1b[39m, in get_template\n",
    "\x1b[31mValueError\x1b[39m: kapot",
]


def _failure(evalue: str = "kapot") -> SimpleNamespace:
    return SimpleNamespace(ename="ValueError", evalue=evalue, exec_count=5, traceback=TRACEBACK,
                           source="\n# de kop\nr = report.maak(gemeente)\nreport.schrijf(r)")


def test_a_notebook_error_names_the_exception_the_cell_and_the_package_line():
    text = pagefailure.describe(_failure())
    assert text.splitlines() == ["ValueError: kapot", "    in cel 5: # de kop",
                                 f"    uit {paths.display_path(PACKAGE / 'report' / 'municipal.py')}, regel 195"]


def _result(key: str, error: str, ename: str = "ValueError") -> tuple:
    page = SimpleNamespace(key=key, name=key, executed_name=f"{key}.ipynb")
    return page, PageResult(key, False, 1.0, 1, error, ename)


def test_the_same_error_in_the_first_two_pages_stops_the_run_and_is_told_once(tmp_path):
    failures = [_result("GM0503", "ValueError: kapot"), _result("GM0518", "ValueError: kapot")]
    assert pagefailure.is_shared(failures[:2]) and not pagefailure.is_shared(failures[:1])
    message = pagefailure.summary(failures, 40, tmp_path)
    assert message.count("ValueError: kapot") == 1 and "GM0503" in message and "GM0518" in message
    assert "de run is gestopt" in message


def test_different_errors_and_timeouts_do_not_stop_the_run():
    assert not pagefailure.is_shared([_result("GM0503", "ValueError: a"), _result("GM0518", "ValueError: b")])
    timeout = "tijdslimiet van 60 s overschreden"
    assert not pagefailure.is_shared([_result("GM0503", timeout, "TimeoutError"), _result("GM0518", timeout, "TimeoutError")])


def test_every_page_template_compiles():
    assert templates.check_templates() == len(list(templates.PAGES_DIR.rglob("*.j2"))) > 20


def test_a_template_syntax_error_stops_with_its_file_and_line(tmp_path, monkeypatch):
    (tmp_path / "gemeente").mkdir()
    (tmp_path / "gemeente" / "kop.html.j2").write_text("<h1>\n{{ r.name }\n</h1>\n", encoding="utf-8")
    monkeypatch.setattr(templates, "PAGES_DIR", tmp_path)
    with pytest.raises(errors.TemplateError) as raised:
        templates.check_templates()
    assert str(raised.value).startswith(f"{paths.display_path(tmp_path / 'gemeente' / 'kop.html.j2')}, regel 2: ")
    assert "{{ r.name }" in str(raised.value) and raised.value.exit_code == errors.EXIT_BAD_INPUT
