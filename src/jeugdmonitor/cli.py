"""Command line for the pipeline stages (the Makefile calls these).

Exit codes (jeugdmonitor.errors): 0 success; 2 bad raw input or definitions; 3 data-quality
gate failed; 4 a notebook failed otherwise (or, for `pdf`, a page did not convert); 1 anything unexpected. Each workbook error
carries its code; a failed notebook is mapped by the name of its exception.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import logging
import os
import sys
from typing import Any

from jeugdmonitor import buildinfo, errors, paths, projecttree, publish
from jeugdmonitor.definitions import configcheck
from jeugdmonitor.runner import kernel, pipeline, runlock
from jeugdmonitor.vocabulary import EXPORT_KINDS

EXIT_BAD_INPUT = errors.EXIT_BAD_INPUT
EXIT_QUALITY = errors.EXIT_QUALITY
EXIT_NOTEBOOK = errors.EXIT_NOTEBOOK

DEFAULT_YEAR = 2023
DISK_FULL = os.strerror(errno.ENOSPC)  # "No space left on device", as a notebook's error carries it
# the commands that read config/: its files are checked against their schemas first (pdf reads only
# the published pages, which a copy of reports/<year>/ alone may hold)
KERNEL_COMMANDS = ("clean", "validate", "reports", "voorbeeld", "kwartaal")  # the commands that start notebook kernels
CONFIG_COMMANDS = ("clean", "validate", "reports", "voorbeeld", "expectations", "sample-data", "regio", "import", "kwartaal")


def _exit_code(error: pipeline.StageError) -> int:
    """A notebook failed: the exit code of its exception (papermill's `ename` names it), or
    EXIT_NOTEBOOK for an exception that is not one of the workbook's errors."""
    ename = getattr(error, "ename", None) or getattr(error.__cause__, "ename", None)
    return errors.exit_code_of(ename, default=EXIT_NOTEBOOK)


def _parser() -> argparse.ArgumentParser:
    """The command line: the pipeline's stages and the tools around them, each a subcommand."""
    parser = argparse.ArgumentParser(prog="jeugdmonitor", description="Pijplijn van het jeugdhulp-werkboek")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_stage_commands(sub)
    _add_tool_commands(sub)
    return parser


def _add_stage_commands(sub: Any) -> None:
    """clean, validate, reports, voorbeeld and pdf: the stages of a report year (--year)."""
    for name, help_text in (("clean", "ruwe data -> data/staging/<jaar>/ (notebook 01)"),
                            ("validate", "GX-checkpoint op data/staging/<jaar>/, publiceren naar data/clean/<jaar>/ "
                                         "(notebook 02)"),
                            ("reports", "één HTML-rapportage per gemeente + index -> reports/<jaar>/ (03, 04)")):
        command = sub.add_parser(name, help=help_text)
        command.add_argument("--year", type=int, default=DEFAULT_YEAR, help="rapportjaar")
        if name == "reports":
            command.add_argument("--only", "--gemeente", dest="only", action="append", metavar="GEMEENTE",
                                 help="alleen deze gemeente opnieuw bouwen, bv. GM0503 (herhaalbaar); de andere "
                                      "gepubliceerde rapporten van het jaar blijven staan")
            command.add_argument("--limit", type=int, default=None, metavar="N",
                                 help="alleen de eerste N gemeenten (volgorde van het register)")
            command.add_argument("--workers", type=int, default=None, help="pagina's tegelijk (standaard: het aantal cores)")
            command.add_argument("--timeout", type=float, default=kernel.DEFAULT_TIMEOUT, metavar="SECONDEN",
                                 help=f"tijdslimiet per pagina; daarna nog één poging (standaard {kernel.DEFAULT_TIMEOUT})")
            command.add_argument("--opnieuw", action="store_true",
                                 help="de gekozen pagina's ook bouwen als hun invoer niet veranderd is")
    command = sub.add_parser("voorbeeld", help="één pagina (gemeente of regio) snel bouwen in reports/voorbeeld/, "
                                               "zonder iets te publiceren")
    command.add_argument("--year", type=int, default=DEFAULT_YEAR, help="rapportjaar")
    command.add_argument("--gemeente", default=None, help="gemeentecode, bijvoorbeeld GM0503")
    command.add_argument("--regio", default=None, help="jeugdregiocode, bijvoorbeeld JZ24")
    command = sub.add_parser("pdf", help="één A4-PDF per gemeenterapportage (en regio-overzicht) -> reports/<jaar>/pdf/")
    command.add_argument("--year", type=int, default=DEFAULT_YEAR, help="rapportjaar")
    command.add_argument("--gemeente", action="append", help="alleen deze pagina: GM0503, of regio-JZ31 (herhaalbaar)")
    command = sub.add_parser("kwartaal", help="kwartaalrapportages van de regio's die per kwartaal rapporteren "
                                              "-> reports/<kwartaal>/ (notebook 06)")
    command.add_argument("--kwartaal", required=True, help="het kwartaal, bijvoorbeeld 2024-K2")
    command.add_argument("--opnieuw", action="store_true", help="elke pagina bouwen, ook als haar invoer niet veranderd is")


def _add_tool_commands(sub: Any) -> None:
    """expectations, sample-data, regio and import: the tools that prepare rules, data and register."""
    sub.add_parser("expectations", help="de GX-suites en het checkpoint in expectations/ opnieuw opbouwen uit config/")
    command = sub.add_parser("sample-data", help="de fictieve voorbeelddata in data/raw/ opnieuw maken")
    command.add_argument("--schaal", default="voorbeeld", help="voorbeeld (standaard) of landelijk: elke gemeente van Nederland")
    command.add_argument("--doel", default=None, help="bij --schaal landelijk: nieuwe map voor een kopie van het project")
    command = sub.add_parser("regio", help="een jeugdregio en haar gemeenten uit de CBS-gebiedentabel in "
                                           "config/gemeenten.yaml zetten")
    command.add_argument("--jeugdregio", required=True, help="jeugdregiocode, bijvoorbeeld JZ24")
    command.add_argument("--jaar", type=int, default=None, help="jaar van de gebiedentabel (standaard: de nieuwste in data/raw/)")
    command = sub.add_parser("import", help="een export van een regio controleren en met sidecar in data/raw/regio/<code>/ zetten")
    command.add_argument("--regio", required=True, help="jeugdregiocode, bijvoorbeeld JZ31")
    command.add_argument("--soort", required=True, choices=EXPORT_KINDS, help="soort export "
                         "(realisatie_maand: alleen voor een regio die per kwartaal rapporteert)")
    command.add_argument("--bestand", required=True, help="de export: .csv (';') of .xlsx")
    command.add_argument("--periode", default=None, help="periode van een trajectenexport: 2019-2024 of "
                                                         "2019-01-01:2024-12-31 (standaard: afgeleid uit de data)")


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand; every failure the workbook knows ends in a Dutch message and its exit code."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("papermill").setLevel(logging.WARNING)  # our own progress lines say enough
    logging.getLogger("great_expectations").setLevel(logging.WARNING)  # its info lines are for its developers
    # a stage of a report year holds that year's lock: two runs of one year never mix
    try:
        projecttree.check_project_tree()  # a copied project never runs on the original
        buildinfo.build_datetime()  # a bad SOURCE_DATE_EPOCH stops the run before anything is written
        if args.command in KERNEL_COMMANDS:
            kernel.check_socket_room()  # a $TMPDIR too deep for a kernel's sockets: one message, not a ZMQ error per worker
        if args.command in CONFIG_COMMANDS:
            configcheck.check()  # definitions checked before any stage: one message, exit 2
        lock = runlock.year_lock(args.year, args.command) if hasattr(args, "year") else contextlib.nullcontext()
        with lock:
            return _run(args)
    except pipeline.StageError as error:
        print(f"FOUT: {error}", file=sys.stderr)
        if DISK_FULL in str(error):  # a notebook or a page met a full disk: what it half wrote goes too
            removed = [paths.display_path(p) for p in publish.remove_unfinished(getattr(args, "year", None))]
            print("de schijf is vol; er is niets gepubliceerd" + (f", opgeruimd: {', '.join(removed)}" if removed else ""),
                  file=sys.stderr)
        return _exit_code(error)
    except errors.WorkbookError as error:
        print(f"FOUT: {error}", file=sys.stderr)
        return error.exit_code
    except FileNotFoundError as error:
        print(f"FOUT: {error}", file=sys.stderr)
        return EXIT_NOTEBOOK
    except OSError as error:
        return _environment_failure(error, getattr(args, "year", None))


def _environment_failure(error: OSError, year: int | None) -> int:
    """A full disk, a read-only folder or another refusal of the file system: a Dutch message
    naming the file, no traceback, exit code 1 (errors.EXIT_UNEXPECTED). On a full disk the
    half-written folders of the year are removed, so that the space they took is free again and
    nothing half-built stays behind; the published sets are never touched."""
    where = error.filename or "een bestand"
    if error.errno == errno.ENOSPC:
        removed = [paths.display_path(p) for p in publish.remove_unfinished(year)]
        print(f"FOUT: de schijf is vol bij het schrijven van {where}; er is niets gepubliceerd"
              + (f" en opgeruimd: {', '.join(removed)}" if removed else "")
              + ". Maak ruimte vrij en draai opnieuw.", file=sys.stderr)
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        print(f"FOUT: geen schrijfrechten op {where} ({error.strerror}); er is niets gepubliceerd. "
              f"Geef schrijfrechten op de map of draai als de eigenaar.", file=sys.stderr)
    else:
        print(f"FOUT: {where}: {error.strerror or error}; er is niets gepubliceerd", file=sys.stderr)
    return errors.EXIT_UNEXPECTED


def _run(args: argparse.Namespace) -> int:
    if args.command == "clean":
        pipeline.run_clean(args.year)
        print(f"schone data klaargezet voor de kwaliteitspoort in {paths.staging_dir(args.year)}")
    elif args.command == "validate":
        pipeline.run_validate(args.year)
        print(f"validatie geslaagd, gepubliceerd in {paths.clean_dir(args.year)}")
    elif args.command == "reports":
        # stops with DataQualityError (exit 3) when the stamp's Data Docs pages are gone
        pipeline.run_reports(args.year, args.only, args.workers, limit=args.limit, timeout=args.timeout or None,
                             force=args.opnieuw)
    elif args.command == "voorbeeld":
        from jeugdmonitor.runner import preview  # the report modules: only this command and the runner need them
        preview.build_preview(args.year, args.gemeente, args.regio)
    elif args.command == "pdf":
        from jeugdmonitor.report import pdf  # WeasyPrint: only this step needs it
        logging.getLogger("weasyprint").setLevel(logging.ERROR)  # unsupported screen CSS is not news
        print(f"PDF's in {pdf.run_pdf(args.year, args.gemeente)}")
    elif args.command == "kwartaal":
        from jeugdmonitor.runner import quarter  # the quarter stage: gate, tables and pages of one quarter
        quarter.run(args.kwartaal, args.opnieuw)
    elif args.command == "expectations":
        from jeugdmonitor import quality  # GX: only this command and the stages need it
        if quality.build_context():
            print(f"GX-context opnieuw opgebouwd in {paths.GX_DIR}")
        else:
            print(f"GX-context in {paths.GX_DIR} ongewijzigd: config/ geeft dezelfde suites")
    elif args.command == "sample-data":
        from jeugdmonitor.devtools import sample_data
        sample_data.main(["--schaal", args.schaal, *(["--doel", args.doel] if args.doel else [])])
    elif args.command == "regio":
        _write_region(args.jeugdregio, args.jaar)
    elif args.command == "import":
        _import_export(args.regio, args.soort, args.bestand, args.periode)
    return 0


def _write_region(region: str, year: int | None) -> None:
    from jeugdmonitor.definitions import config
    from jeugdmonitor.sources import areas
    plan = areas.write_region(config.load(), region, year)
    if plan.region_present and not plan.added and not plan.filled:
        print(f"{plan.code} {plan.name} en haar gemeenten staan al in config/gemeenten.yaml; niets gewijzigd")
    else:
        what = "al aanwezig" if plan.region_present else "toegevoegd"
        print(f"config/gemeenten.yaml: jeugdregio {plan.code} {plan.name} {what} (CBS-tabel {plan.table}, {plan.year}); "
              f"{len(plan.added)} gemeenten toegevoegd, {len(plan.present)} stonden er al"
              + (f", {len(plan.filled)} kregen deze regio" if plan.filled else ""))
        for entry in plan.added:
            until = f" tot {entry['tot']}" if "tot" in entry else ""
            print(f"  {entry['code']} {entry['naam']} (van {entry['van']}{until})")
    for note in plan.notes:
        print(f"  let op: {note}")
    print(f"Volgende stap: make fetch (de CBS-cijfers van de nieuwe gemeenten), dan per export "
          f"make import REGIO={plan.code} SOORT=wachttijden|trajecten|budget BESTAND=..., dan make expectations")


def _import_export(region: str, kind: str, source: str, period: str | None) -> None:
    from pathlib import Path

    from jeugdmonitor.definitions import config
    from jeugdmonitor.fetch import importer
    result = importer.import_export(config.load(), region, kind, Path(source),
                                    importer.parse_period(period) if period else None)
    print(f"{source} gecontroleerd ({result.rows} regels) en opgeslagen als {result.stored} met {result.sidecar.name}")
    for note in result.notes:
        print(f"  let op: {note}")


if __name__ == "__main__":
    raise SystemExit(main())
