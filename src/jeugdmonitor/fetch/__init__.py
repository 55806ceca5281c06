"""Fetch the real CBS tables into data/raw/ with cbsodata (OData 3) or requests (OData 4).

    python -m jeugdmonitor.fetch --jaren 2015-2024 [--regio GM0518 ...] [--tabel cbs_jeugdzorg ...]

For each CBS source in config/bronnen.yaml (`cbs_jeugdzorg`, `cbs_bevolking` on StatLine and
`cbs_iv3` on dataderden.cbs.nl; a source marked `ophalen.beschikbaar: false` is refused with its
`ophalen.reden`) the table ids, the dimensions and the topics come from that file, not from this
code. The fetch downloads each table's TypedDataSet (only the configured columns, filtered) and
its metadata with `cbsodata.download_data`, and writes the same files as the bundled sample, so
the cleaning stage reads them unchanged:

- `<bestand>` (e.g. `cbs/84134NED_TypedDataSet.csv`): `;`-separated, every field quoted, an
  `ID` column, one column per dimension (the key as CBS serves it, region keys with their
  trailing spaces) and one per topic, numbers right-aligned in 9 characters, `.` for an
  empty or suppressed cell (`ontbrekend_teken`);
- one `<table>_<Dimension>.csv` per dimension with `Key;Title` (plus `Status` for the period
  dimension), holding the keys that occur in the data;
- beside each file a provenance sidecar `<file>.meta.json` (`raw.write_sidecar`): `bron`,
  `tabel`, `titel` (CBS TableInfos Title), `url` (where the part was read), `opgehaald`
  (retrieval time, ISO 8601, UTC), `laatst_gewijzigd` (TableInfos Modified), `licentie`
  (CC BY 4.0), `fictief: false`, `perioden_status` (per year, from Perioden.Status),
  `sha256`, `maker`, `rijen`, and `filter` (data) or `selectie` (dimensions).

StatLine sources (`tabel`): filtered to the requested years (`<year>JJ00`) and region codes
(--regio, default every code of config/gemeenten.yaml), and to `ophalen` (below). A source with
successor tables (`opvolgers`, oldest first, see `config.table_parts`) is fetched table by table:
the fetch reads every table's Perioden first and takes each year from the newest table that has
it (`statline.series_years`), asks each table only for its own years, with its own keys, into its
own `bestand`, and records the choice in every data sidecar (`reeks`: table id -> years). A
requested year in no table of the series is left out with a note.

Iv3 (`cbs_iv3`, download_iv3): one table per year, "Gemeenten <jaar> onbewerkte Iv3-data",
its id in `cbs_iv3.tabellen`. A requested year before the first configured table is skipped
(and said so); a later one, or one between tables, stops before any download (exit 2: add the
table id). Per table the fetch checks DataProperties, that the TableInfos title (stripped) is
`titel` for that year, that Verslagsoort has the jaarrekening key (`verslagsoort`, e.g.
2023X005; missing: not published yet) and that every `taakvelden` entry has a TaakveldBalanspost
key, itself or a sub-taakveld (6.72 -> 6.72, 6.72a, ...). It asks for that Verslagsoort and
those taakvelden for every municipality (--regio does not apply: the national figure is the sum
of all municipalities) and keeps the lasten (`lasten_categorie`). It writes, under
`cbs/iv3/` (`bestand`):
- `<table>_TypedDataSet.csv`: `ID;TaakveldBalanspost;Categorie;Gemeenten;Verslagsoort;
  k_1ePlaatsing_1;k_2ePlaatsing_2`, keys padded as CBS serves them, `.` for an empty cell and
  the `geen_opgave` code (-99998) kept as the number it is;
- `<table>_TaakveldBalanspost.csv`, `_Categorie.csv`, `_Verslagsoort.csv` (the keys in the
  data) and `<table>_Gemeenten.csv` (every municipality of the table);
- sidecars as above plus `jaar`, with `perioden_status` {"<jaar>": status of the newest entry of
  `plaatsingen` whose topic has a figure in the data (not empty, not geen_opgave)}.

Everything is written to a temporary folder beside the target first and read back with the
workbook's own readers (`raw.read_cbs_table`, `raw.read_dimension`); the files are moved into
the target (default data/raw/) only when every requested table was fetched completely. Any
failure raises FetchError naming the table and the URL, and leaves the target untouched.
Without network the first request fails at once (connect timeout 5 s).

Two CBS services (StatLine sources; `services`)
-----------------------------------------------
Each StatLine table is read from OData 3 (opendata.cbs.nl, with cbsodata) or OData 4
(datasets.cbs.nl/odata/v1/CBS, `odata4`, with requests): `dienst` of the source or successor
table in config/bronnen.yaml, else `cbs_diensten.standaard`. With `cbs_diensten.terugvallen`
the fetch tries the other service when the first fails with ServiceUnavailable (no connection,
timeout, HTTP error such as 404 for a table it lacks, an answer that is not OData); an error
about the table itself stops at once. OData 4's observations are written as OData 3's rows (its
own measure codes as topic columns, its codes unpadded), so the cleaning stage reads either
unchanged; every sidecar adds `dienst` (OData 3 or OData 4), `dienst_versiepad`,
`dienst_adres` and, after a fallback, `teruggevallen_van`. When no service serves a table, the
FetchError names each service, its failure, and the order the next attempt tries. Only a source
that names its topics by title can be read from OData 4 (its measure codes differ from OData 3's
topic keys: M000352 for 03759ned's BevolkingOp1Januari_1); every StatLine source does, the
population table included. Iv3 and the area tables are read from OData 3.

Environment
-----------
JEUGDMONITOR_CBS_URL
    Base address of the CBS OData v3 service: scheme, host and optionally a path prefix.
    When unset, each source uses the scheme and host of its `url` in config/bronnen.yaml,
    i.e. https://opendata.cbs.nl (StatLine) and https://dataderden.cbs.nl (Iv3). Set it for a
    test server (`http://127.0.0.1:8123`) or an internal mirror
    (`https://cbs-mirror.example.org/statline`); it then applies to every table, Iv3 included,
    so a mirror serves the tables of both hosts (OData 3 only). cbsodata appends
    `/ODataFeed/odata/<table>/<part>` (on dataderden.cbs.nl too), so a mirror must serve those
    paths, and the `odata.nextLink` of a paged answer must point at the mirror itself:
    cbsodata follows it as given. Proxies come from http_proxy / https_proxy / no_proxy.

JEUGDMONITOR_CBS4_URL
    Base address of the CBS OData 4 service, up to and including the catalogue, before
    `/<table>` (default https://datasets.cbs.nl/odata/v1/CBS): a mirror or a test server
    (`http://127.0.0.1:8123/odata/v1/CBS`). Its `@odata.nextLink` must point at the mirror itself.

How cbsodata (1.3.x) is pointed at that address
-----------------------------------------------
cbsodata has no single "base URL" option. The host (plus prefix) goes through the documented
`catalog_url` argument of each call; http versus https only through the module option
`cbsodata.options.use_https`, which this module sets for the duration of a fetch and then
restores (the `catalog()` context manager accepts `use_https` but ignores it). Timeout and
proxies are passed as the documented requests keyword arguments. Paging (`odata.nextLink`)
is cbsodata's own.

Optional per-source setting in config/bronnen.yaml (StatLine sources)
---------------------------------------------------------------------
The Iv3 fetch takes its selection from `verslagsoort`, `taakvelden` and `lasten_categorie` instead.
ophalen: {filters: {<Dimension>: [key, ...] | <name of another entry of the same source>}}
    Restricts a dimension in the request (and checks it on the answer). A name refers to
    another entry of the source: a mapping gives its keys, a list its items, a value itself;
    e.g. `{VormenVanJeugdzorg: [A045560, A027919]}`. A dimension of the
    CBS table that `dimensies` does not name must be fixed to one key this way. Each key is looked up
    in the table's own dimension list first: a key the table lacks stops the fetch with a listing of
    the keys and titles it has, and the request uses the key as CBS spells it (with its padding).
ophalen: {op_titel: {<Dimension>: <name of an entry of the source>}}
    The keys of the dimension are the table's keys for the titles in that entry (e.g.
    `{VormenVanJeugdzorg: vormen}`, whose keys are CBS titles such as "JZ Totaal jeugdzorg", or
    `{Geslacht: totaal_geslacht}`, one title: "Totaal mannen en vrouwen"); a
    source with `op_titel` names its `onderwerpen` by title too (DataProperties Title). Each title
    must match exactly one key of the table's own list (`cbs_titles.match`: compared after
    `cbs_titles.normal`, which ignores apostrophe and quote forms, kinds of spaces and letter case;
    a regular expression when it starts with ^; a list of alternatives where CBS renamed it between
    tables); otherwise TitleMatchError (exit 2) lists the candidates. The data sidecar records the
    result (`sleutels`: `onderwerpen` name -> column, `onderwerptitels` name -> the topic's title, and
    per dimension key -> the title, each title as the table writes it), which the cleaning stage reads.
ophalen: {titels: {<Dimension>: <regular expression>}}
    Adds the keys whose Title matches, e.g. the single years of age of 03759ned's Leeftijd
    ('^([0-9]|1[0-9]|2[0-2]) jaar$'), whatever their keys: titles are what CBS keeps stable
    across tables. A dimension may have both a filter and a title pattern (the union is asked).

Modules (each one job; read them in this order)
-------
- `service`: the CBS address (JEUGDMONITOR_CBS_URL) and the one guarded cbsodata call, FetchError
- `odata4`: the OData 4 service (JEUGDMONITOR_CBS4_URL): metadata, code lists and observations
  read with requests and turned into OData 3's shape
- `services`: which service a table is read from, and the fallback to the other
- `odata`: the `$filter` of a request, keys from `ophalen`, regions grouped by URL length
- `answers`: checks on what CBS answers (properties, TableInfos, TypedDataSet rows)
- `files`: raw files and sidecars written, and read back, for a fetched table
- `statline`: one StatLine table; `iv3_download`: the Iv3 tables, one per year
- `batch`: every table into a temporary folder, published into data/raw/ all or nothing
- `cli`: `python -m jeugdmonitor.fetch`
"""

from __future__ import annotations

from jeugdmonitor.fetch.batch import SOURCES, default_regions, fetch, fetchable
from jeugdmonitor.fetch.cli import main
from jeugdmonitor.fetch.files import LICENCE, FetchedTable
from jeugdmonitor.fetch.iv3_download import IV3, Iv3Settings, download_iv3, iv3_settings, iv3_years
from jeugdmonitor.fetch.odata import MAX_FILTER_CHARS, REGIONS_PER_REQUEST
from jeugdmonitor.fetch.odata4 import DEFAULT_URL4, ENV_URL4, Service4, parse_service4
from jeugdmonitor.fetch.service import (
    DEFAULT_URL,
    ENV_URL,
    FetchError,
    Service,
    ServiceUnavailable,
    parse_service,
    service_for,
)
from jeugdmonitor.fetch.statline import download_table

__all__ = [
    "DEFAULT_URL", "DEFAULT_URL4", "ENV_URL", "ENV_URL4", "IV3", "LICENCE", "MAX_FILTER_CHARS", "REGIONS_PER_REQUEST",
    "SOURCES", "FetchError", "FetchedTable", "Iv3Settings", "Service", "Service4", "ServiceUnavailable", "default_regions",
    "download_iv3", "download_table", "fetch", "fetchable", "iv3_settings", "iv3_years", "main", "parse_service",
    "parse_service4", "service_for",
]
