"""Command line of the fetch: `python -m jeugdmonitor.fetch --jaren 2015-2024 [--regio ...] [--tabel ...]`."""

from __future__ import annotations

import argparse
import logging
import re
import sys
from pathlib import Path

from jeugdmonitor import paths, projecttree
from jeugdmonitor.definitions import config
from jeugdmonitor.errors import WorkbookError
from jeugdmonitor.fetch.batch import AREAS, SOURCES, fetch, fetchable
from jeugdmonitor.fetch.files import LICENCE, span
from jeugdmonitor.fetch.iv3_download import IV3
from jeugdmonitor.fetch.odata4 import DEFAULT_URL4, ENV_URL4
from jeugdmonitor.fetch.pdok import ATTRIBUTION as BOUNDARY_ATTRIBUTION
from jeugdmonitor.fetch.pdok import ENV_URL as ENV_PDOK_URL
from jeugdmonitor.fetch.pdok import fetch_boundaries
from jeugdmonitor.fetch.service import DEFAULT_URL, ENV_URL

REGION_CODE = re.compile(r"[A-Z]{2}[0-9A-Z]{2,8}")
BOUNDARIES = "gemeentegrenzen"  # --tabel: the municipal boundaries of PDOK (jeugdmonitor.fetch.pdok), only when asked


def _years_arg(text: str) -> list[int]:
    years: set[int] = set()
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", part)
        if not match:
            raise argparse.ArgumentTypeError(f"{text!r}: verwacht jaren zoals 2015-2024 of 2019,2021-2023")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if last < first:
            raise argparse.ArgumentTypeError(f"{part!r}: het bereik loopt achteruit")
        years.update(range(first, last + 1))
    return sorted(years)


def _region_arg(text: str) -> str:
    code = text.strip().upper()
    if not REGION_CODE.fullmatch(code):
        raise argparse.ArgumentTypeError(f"{text!r} is geen CBS-gebiedscode zoals GM0518, JZ24 of NL01")
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m jeugdmonitor.fetch",
        description="Haal de echte CBS-tabellen uit config/bronnen.yaml op naar data/raw/ (netwerk nodig).",
        epilog=f"{ENV_URL}: basisadres van de OData 3-dienst van CBS of een spiegel, voor elke tabel (standaard: de host "
               f"in config/bronnen.yaml, {DEFAULT_URL} en voor Iv3 https://dataderden.cbs.nl). {ENV_URL4}: basisadres "
               f"van de OData 4-dienst vóór /<tabel> (standaard {DEFAULT_URL4}); welke dienst een tabel eerst levert, "
               "staat in config/bronnen.yaml (dienst, cbs_diensten). Exit 0: geschreven; "
               "1: ophalen mislukt, niets gewijzigd; 2: verkeerde argumenten of configuratie.")
    parser.add_argument("--jaren", required=True, type=_years_arg, help="jaren, bijvoorbeeld 2015-2024 of 2019,2021-2023")
    parser.add_argument("--regio", nargs="+", action="extend", type=_region_arg, metavar="CODE",
                        help="gebiedscodes (standaard: elke code in config/gemeenten.yaml, de jeugdregio's en NL01); "
                             "niet voor Iv3, dat altijd voor elke gemeente wordt opgehaald")
    parser.add_argument("--tabel", action="append", choices=(*SOURCES, AREAS, BOUNDARIES),
                        help="bron in config/bronnen.yaml (herhaalbaar; standaard: elke bron zonder "
                             "ophalen.beschikbaar: false, en cbs_gebieden; cbs_iv3 en cbs_gebieden zijn één tabel per jaar; "
                             f"{BOUNDARIES}: alleen op verzoek, de gemeentegrenzen per jaar van PDOK, {ENV_PDOK_URL}=spiegel)")
    parser.add_argument("--out", type=Path, default=paths.RAW_DIR, help="doelmap (standaard: data/raw)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log elke URL die cbsodata ophaalt")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    try:
        projecttree.check_project_tree()  # a copied project never fetches into the original
        # by default also the area tables, from which `make regio` writes a region into the register
        keys = tuple(dict.fromkeys(args.tabel)) if args.tabel else (*fetchable(config.load()), AREAS)
        fetched = fetch([k for k in keys if k != BOUNDARIES], args.jaren, args.regio, args.out) if set(keys) - {BOUNDARIES} else []
        boundaries = [fetch_boundaries(year, args.out) for year in args.jaren] if BOUNDARIES in keys else []
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
    if fetched:
        print(f"{count} bestanden met sidecar geschreven in {args.out} (licentie {LICENCE}, bron: CBS)")
    for path in boundaries:
        print(f"{path}  gemeentegrenzen met sidecar (bron: {BOUNDARY_ATTRIBUTION}, via PDOK)")
    return 0
