"""Command line for the pipeline stages (the Makefile calls these).

Exit codes: 0 success; 2 bad raw input or definitions; 3 data-quality gate failed;
4 a notebook failed otherwise (or, for `pdf`, a page did not convert); 1 anything unexpected.
"""

from __future__ import annotations

import argparse
import logging
import sys

from jeugdmonitor import config, paths, pipeline, raw

EXIT_BAD_INPUT = 2
EXIT_QUALITY = 3
EXIT_NOTEBOOK = 4

DEFAULT_YEAR = 2023


def _exit_code(error: pipeline.StageError) -> int:
    text = str(error)
    if "DataQualityError" in text:
        return EXIT_QUALITY
    if any(name in text for name in ("RawDataError", "ConfigError", "UnknownMunicipalityError", "ReportYearError")):
        return EXIT_BAD_INPUT
    return EXIT_NOTEBOOK


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jeugdmonitor", description="Jeugdhulp progress workbook pipeline")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("clean", "raw data -> data/staging/<year>/ (notebook 01)"),
                            ("validate", "GX checkpoint on data/staging/<year>/, publish to data/clean/<year>/ (notebook 02)"),
                            ("reports", "one HTML report per municipality + index -> reports/<year>/ (03, 04)")):
        command = sub.add_parser(name, help=help_text)
        command.add_argument("--year", type=int, default=DEFAULT_YEAR)
        if name == "reports":
            command.add_argument("--gemeente", action="append", help="only this municipality code (repeatable)")
            command.add_argument("--workers", type=int, default=None)
    command = sub.add_parser("pdf", help="one A4 PDF per municipality report (and region overview) -> reports/<year>/pdf/")
    command.add_argument("--year", type=int, default=DEFAULT_YEAR)
    command.add_argument("--gemeente", action="append", help="only this page: GM0503, or regio-JZ31 (repeatable)")
    sub.add_parser("expectations", help="regenerate the GX suites and checkpoint in expectations/ from config/")
    sub.add_parser("sample-data", help="regenerate the fictitious sample data in data/raw/")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("papermill").setLevel(logging.WARNING)  # our own progress lines say enough
    logging.getLogger("great_expectations").setLevel(logging.WARNING)  # its info lines are for its developers
    try:
        if args.command == "clean":
            pipeline.run_clean(args.year)
            print(f"schone data klaargezet voor de kwaliteitspoort in {paths.staging_dir(args.year)}")
        elif args.command == "validate":
            pipeline.run_validate(args.year)
            print(f"validatie geslaagd, gepubliceerd in {paths.clean_dir(args.year)}")
        elif args.command == "reports":
            from jeugdmonitor import quality  # GX: the reports publish the validation's Data Docs
            try:
                pipeline.run_reports(args.year, args.gemeente, args.workers)
            except quality.DataQualityError as error:  # e.g. the stamp's Data Docs pages are gone
                print(f"FOUT: {error}", file=sys.stderr)
                return EXIT_QUALITY
        elif args.command == "pdf":
            from jeugdmonitor import pdf  # WeasyPrint: only this step needs it
            logging.getLogger("weasyprint").setLevel(logging.ERROR)  # unsupported screen CSS is not news
            try:
                target = pdf.run_pdf(args.year, args.gemeente)
            except pdf.PdfError as error:
                print(f"FOUT: {error}", file=sys.stderr)
                return EXIT_NOTEBOOK
            print(f"PDF's in {target}")
        elif args.command == "expectations":
            from jeugdmonitor import quality
            if quality.build_context():
                print(f"GX-context opnieuw opgebouwd in {paths.GX_DIR}")
            else:
                print(f"GX-context in {paths.GX_DIR} ongewijzigd: config/ geeft dezelfde suites (alleen de id's zouden verschillen)")
        elif args.command == "sample-data":
            from jeugdmonitor import sample_data
            sample_data.main([])
    except pipeline.StageError as error:
        print(f"FOUT: {error}", file=sys.stderr)
        return _exit_code(error)
    except (raw.RawDataError, config.ConfigError, config.UnknownMunicipalityError) as error:
        print(f"FOUT: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except FileNotFoundError as error:
        print(f"FOUT: {error}", file=sys.stderr)
        return EXIT_NOTEBOOK
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
