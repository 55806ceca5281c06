"""Command line for the pipeline stages (the Makefile calls these).

Exit codes (jeugdmonitor.errors): 0 success; 2 bad raw input or definitions; 3 data-quality
gate failed; 4 a notebook failed otherwise (or, for `pdf`, a page did not convert); 1 anything unexpected. Each workbook error
carries its code; a failed notebook is mapped by the name of its exception.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys

from jeugdmonitor import errors, paths, pipeline, runlock

EXIT_BAD_INPUT = errors.EXIT_BAD_INPUT
EXIT_QUALITY = errors.EXIT_QUALITY
EXIT_NOTEBOOK = errors.EXIT_NOTEBOOK

DEFAULT_YEAR = 2023


def _exit_code(error: pipeline.StageError) -> int:
    """A notebook failed: the exit code of its exception (papermill's `ename` names it), or
    EXIT_NOTEBOOK for an exception that is not one of the workbook's errors."""
    return errors.exit_code_of(getattr(error.__cause__, "ename", None), default=EXIT_NOTEBOOK)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jeugdmonitor", description="Pijplijn van het jeugdhulp-werkboek")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("clean", "ruwe data -> data/staging/<jaar>/ (notebook 01)"),
                            ("validate", "GX-checkpoint op data/staging/<jaar>/, publiceren naar data/clean/<jaar>/ "
                                         "(notebook 02)"),
                            ("reports", "één HTML-rapportage per gemeente + index -> reports/<jaar>/ (03, 04)")):
        command = sub.add_parser(name, help=help_text)
        command.add_argument("--year", type=int, default=DEFAULT_YEAR, help="rapportjaar")
        if name == "reports":
            command.add_argument("--gemeente", action="append", help="alleen deze gemeentecode (herhaalbaar)")
            command.add_argument("--workers", type=int, default=None, help="rapportages tegelijk")
    command = sub.add_parser("pdf", help="één A4-PDF per gemeenterapportage (en regio-overzicht) -> reports/<jaar>/pdf/")
    command.add_argument("--year", type=int, default=DEFAULT_YEAR, help="rapportjaar")
    command.add_argument("--gemeente", action="append", help="alleen deze pagina: GM0503, of regio-JZ31 (herhaalbaar)")
    sub.add_parser("expectations", help="de GX-suites en het checkpoint in expectations/ opnieuw opbouwen uit config/")
    command = sub.add_parser("sample-data", help="de fictieve voorbeelddata in data/raw/ opnieuw maken")
    command.add_argument("--schaal", default="voorbeeld", help="voorbeeld (standaard) of landelijk: elke gemeente van Nederland")
    command.add_argument("--doel", default=None, help="bij --schaal landelijk: nieuwe map voor een kopie van het project")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("papermill").setLevel(logging.WARNING)  # our own progress lines say enough
    logging.getLogger("great_expectations").setLevel(logging.WARNING)  # its info lines are for its developers
    # a stage of a report year holds that year's lock: two runs of one year never mix
    lock = runlock.year_lock(args.year, args.command) if hasattr(args, "year") else contextlib.nullcontext()
    try:
        with lock:
            return _run(args)
    except pipeline.StageError as error:
        print(f"FOUT: {error}", file=sys.stderr)
        return _exit_code(error)
    except errors.WorkbookError as error:
        print(f"FOUT: {error}", file=sys.stderr)
        return error.exit_code
    except FileNotFoundError as error:
        print(f"FOUT: {error}", file=sys.stderr)
        return EXIT_NOTEBOOK


def _run(args: argparse.Namespace) -> int:
    if args.command == "clean":
        pipeline.run_clean(args.year)
        print(f"schone data klaargezet voor de kwaliteitspoort in {paths.staging_dir(args.year)}")
    elif args.command == "validate":
        pipeline.run_validate(args.year)
        print(f"validatie geslaagd, gepubliceerd in {paths.clean_dir(args.year)}")
    elif args.command == "reports":
        # stops with DataQualityError (exit 3) when the stamp's Data Docs pages are gone
        pipeline.run_reports(args.year, args.gemeente, args.workers)
    elif args.command == "pdf":
        from jeugdmonitor import pdf  # WeasyPrint: only this step needs it
        logging.getLogger("weasyprint").setLevel(logging.ERROR)  # unsupported screen CSS is not news
        print(f"PDF's in {pdf.run_pdf(args.year, args.gemeente)}")
    elif args.command == "expectations":
        from jeugdmonitor import quality  # GX: only this command and the stages need it
        if quality.build_context():
            print(f"GX-context opnieuw opgebouwd in {paths.GX_DIR}")
        else:
            print(f"GX-context in {paths.GX_DIR} ongewijzigd: config/ geeft dezelfde suites (alleen de id's zouden verschillen)")
    elif args.command == "sample-data":
        from jeugdmonitor import sample_data
        sample_data.main(["--schaal", args.schaal, *(["--doel", args.doel] if args.doel else [])])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
