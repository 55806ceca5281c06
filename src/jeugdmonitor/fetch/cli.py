"""Command line of the fetch: `python -m jeugdmonitor.fetch --jaren 2015-2024 [--regio ...] [--tabel ...]`."""

from __future__ import annotations

import argparse
import logging
import re
import sys
from pathlib import Path

from jeugdmonitor import paths
from jeugdmonitor.errors import WorkbookError
from jeugdmonitor.fetch.batch import SOURCES, fetch
from jeugdmonitor.fetch.files import LICENCE, span
from jeugdmonitor.fetch.iv3_download import IV3
from jeugdmonitor.fetch.service import DEFAULT_URL, ENV_URL

REGION_CODE = re.compile(r"[A-Z]{2}[0-9A-Z]{2,8}")


def _years_arg(text: str) -> list[int]:
    years: set[int] = set()
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", part)
        if not match:
            raise argparse.ArgumentTypeError(f"{text!r}: expected years like 2015-2024 or 2019,2021-2023")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if last < first:
            raise argparse.ArgumentTypeError(f"{part!r}: the range runs backwards")
        years.update(range(first, last + 1))
    return sorted(years)


def _region_arg(text: str) -> str:
    code = text.strip().upper()
    if not REGION_CODE.fullmatch(code):
        raise argparse.ArgumentTypeError(f"{text!r} is not a CBS region code like GM0518, JZ24 or NL01")
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m jeugdmonitor.fetch",
        description="Fetch the real CBS tables of config/bronnen.yaml into data/raw/ (needs network access).",
        epilog=f"{ENV_URL}: base address of the CBS service or a mirror, for every table (default: the host in "
               f"config/bronnen.yaml, {DEFAULT_URL} and for Iv3 https://dataderden.cbs.nl). Exit 0: written; "
               "1: fetch failed, nothing changed; 2: bad arguments or config.")
    parser.add_argument("--jaren", required=True, type=_years_arg, help="years, e.g. 2015-2024 or 2019,2021-2023")
    parser.add_argument("--regio", nargs="+", action="extend", type=_region_arg, metavar="CODE",
                        help="region codes (default: every code in config/gemeenten.yaml, its jeugdregio's and NL01); "
                             "not for Iv3, which is always fetched for every municipality")
    parser.add_argument("--tabel", action="append", choices=SOURCES,
                        help="source in config/bronnen.yaml (repeatable; default: every source not marked "
                             "ophalen.beschikbaar: false; cbs_iv3 is one table per year, from cbs_iv3.tabellen)")
    parser.add_argument("--out", type=Path, default=paths.RAW_DIR, help="target folder (default: data/raw)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every URL cbsodata downloads")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    keys = tuple(dict.fromkeys(args.tabel)) if args.tabel else None
    try:
        fetched = fetch(keys, args.jaren, args.regio, args.out)
    except WorkbookError as error:  # FetchError: exit 1; ConfigError: exit 2
        print(f"FOUT: {error}\n{args.out} is ongewijzigd.", file=sys.stderr)
        return error.exit_code
    count = 0
    for item in fetched:
        requested = f" van {item.requested_regions} gevraagde" if item.requested_regions else ""
        print(f"{item.table}  {item.title}  (CBS gewijzigd {item.modified}; {item.url})")
        for index, path in enumerate(item.files):
            detail = (f"  {item.rows} rijen, jaren {span(item.years)}, {len(item.regions)}{requested} gebieden"
                      if index == 0 else "")
            print(f"  {(args.out / path)}{detail}")
        for note in item.notes:
            print(f"  let op: {note}")
        count += len(item.files)
    if args.regio and any(item.key == IV3 for item in fetched):
        print("--regio geldt niet voor Iv3: elke Iv3-tabel is met alle gemeenten opgehaald (het landelijke cijfer is hun som)")
    print(f"{count} bestanden met sidecar geschreven in {args.out} (licentie {LICENCE}, bron: CBS)")
    return 0
