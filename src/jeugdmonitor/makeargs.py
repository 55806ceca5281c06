"""The Makefile's bridge to the command lines: a make variable never becomes shell text.

`make import REGIO=... BESTAND=...` takes its values from whoever types them, and a file name
saved from a mail or a portal may hold `;`, quotes, backticks or `$( )`. Spliced into a recipe,
such a value would run as a command. So the Makefile exports every variable a target takes,
unexpanded (`$(value NAME)`), to the environment as `JEUGDMONITOR_MAKE_<NAME>`, and its recipes
call `python -m jeugdmonitor.makeargs <target>`; this module reads those variables and hands
them to the command line's own parser as separate arguments. A value that is not valid is then
refused by that parser (exit code 2) and nothing else runs.

REPORT_OPTIONS holds several options ("--only GM0503 --timeout 600"): it is split as a shell
would split words (shlex), without running anything.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Callable

from jeugdmonitor import errors

PREFIX = "JEUGDMONITOR_MAKE_"


def value(name: str) -> str | None:
    """The make variable `name` as exported by the Makefile; None when it is empty or unset."""
    text = os.environ.get(PREFIX + name, "")
    return text if text != "" else None


def _required(name: str, example: str) -> str:
    text = value(name)
    if text is None:
        raise SystemExit(_refuse(f"geef {name}: {example}"))
    return text


def _refuse(message: str) -> int:
    print(f"FOUT: {message}", file=sys.stderr)
    return errors.EXIT_BAD_INPUT


def _optional(flag: str, name: str) -> list[str]:
    text = value(name)
    return [flag, text] if text is not None else []


def _report_options() -> list[str]:
    text = value("REPORT_OPTIONS") or ""
    try:
        return shlex.split(text)
    except ValueError as error:
        raise SystemExit(_refuse(f"REPORT_OPTIONS={text!r} is geen rij opties ({error})")) from None


def _year() -> list[str]:
    return ["--year", _required("YEAR", "make reports YEAR=2023")]


def fetch_args() -> list[str]:
    return ["--jaren", _required("JAREN", "make fetch JAREN=2015-2024"), *_optional("--tabel", "TABEL")]


def regio_args() -> list[str]:
    code = _required("JZ", "make regio JZ=JZ24 (en eventueel JAAR=2024)")
    return ["regio", "--jeugdregio", code, *_optional("--jaar", "JAAR")]


def import_args() -> list[str]:
    example = "make import REGIO=JZ31 SOORT=trajecten BESTAND=pad.xlsx"
    args = ["import"]
    for name in ("REGIO", "SOORT", "BESTAND"):
        args += [f"--{name.lower()}", _required(name, example)]
    return args + _optional("--periode", "PERIODE")


def reports_args() -> list[str]:
    return ["reports", *_year(), *_report_options()]


def voorbeeld_args() -> list[str]:
    if (value("GEMEENTE") is None) == (value("REGIO") is None):
        raise SystemExit(_refuse("geef één pagina: make voorbeeld GEMEENTE=GM0503 of make voorbeeld REGIO=JZ24"))
    return ["voorbeeld", *_year(), *_optional("--gemeente", "GEMEENTE"), *_optional("--regio", "REGIO")]


def kwartaal_args() -> list[str]:
    return ["kwartaal", "--kwartaal", _required("KWARTAAL", "make kwartaal KWARTAAL=2024-K2")]


def sample_data_args() -> list[str]:
    return ["sample-data", *_optional("--schaal", "SCHAAL"), *_optional("--doel", "DOEL")]


TARGETS: dict[str, Callable[[], list[str]]] = {
    "fetch": fetch_args, "regio": regio_args, "import": import_args, "reports": reports_args,
    "sample-data": sample_data_args, "voorbeeld": voorbeeld_args, "kwartaal": kwartaal_args,
}


def arguments(target: str) -> list[str]:
    """The command-line arguments of make target `target`, from the exported variables."""
    if target not in TARGETS:
        raise SystemExit(_refuse(f"onbekend make-doel {target!r}; bekend: {', '.join(TARGETS)}"))
    return TARGETS[target]()


def main(argv: list[str] | None = None) -> int:
    """Run the command line of the make target named in `argv` with the exported variables."""
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        return _refuse("gebruik: python -m jeugdmonitor.makeargs <make-doel>")
    args = arguments(argv[0])
    if argv[0] == "fetch":
        from jeugdmonitor.fetch.cli import main as fetch_main
        return fetch_main(args)
    from jeugdmonitor import cli
    return cli.main(args)


if __name__ == "__main__":
    raise SystemExit(main())
