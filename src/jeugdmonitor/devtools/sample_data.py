"""`python -m jeugdmonitor.devtools.sample_data`: the fictitious sample data in data/raw/ (`make
sample-data`), or at national size in a copy of the project (`--schaal landelijk`, for the
benchmark). The generator lives in `devtools/sample/`."""

from __future__ import annotations

import argparse
from pathlib import Path

from jeugdmonitor import paths
from jeugdmonitor.devtools.sample.generator import generate
from jeugdmonitor.devtools.sample.national import NATIONAL_MUNICIPALITIES, NATIONAL_REGIONS, SCALES, generate_national
from jeugdmonitor.devtools.sample.shape import FICTITIOUS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Maak de fictieve voorbeelddata in data/raw/, in de vorm van de echte bronnen.")
    parser.add_argument("--out", type=Path, default=None, help="doelmap van de gebundelde voorbeelddata (standaard: data/raw)")
    parser.add_argument("--schaal", choices=SCALES, default=SCALES[0],
                        help="voorbeeld: de vier gebundelde regio's; landelijk: elke gemeente van Nederland (fictief)")
    parser.add_argument("--doel", type=Path, default=None,
                        help="bij --schaal landelijk: nieuwe map voor een kopie van het project (of de projectmap zelf)")
    args = parser.parse_args(argv)
    if args.schaal == "landelijk":
        if args.doel is None or args.out is not None:
            parser.error("--schaal landelijk vraagt --doel <map> (een kopie van het project) en geen --out")
        written = generate_national(args.doel)
        print(f"{len(written)} bestanden geschreven in {args.doel} ({FICTITIOUS}, {NATIONAL_MUNICIPALITIES} gemeenten, "
              f"{NATIONAL_REGIONS} jeugdregio's); draai de pijplijn daar met JEUGDMONITOR_ROOT={args.doel.resolve()}")
        return 0
    if args.doel is not None:
        parser.error("--doel hoort bij --schaal landelijk")
    out = args.out or paths.RAW_DIR
    written = generate(out)
    print(f"{len(written)} bestanden geschreven in {out} ({FICTITIOUS})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
