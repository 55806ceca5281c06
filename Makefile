# Jeugdmonitor pipeline: a DAG of file targets, so an unchanged rerun rebuilds nothing.
#   make            set up everything and build the reports for YEAR (default 2023)
#   make test       run the tests (sets up what it needs)
#   make help       list the targets

SHELL := /bin/bash
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:

YEAR ?= 2023
# No make variable reaches a shell as text. YEAR and N become file names and arguments, so they
# must be whole numbers (checked here on their unexpanded value, before any recipe runs); the
# variables that carry free text (REGIO, SOORT, BESTAND, PERIODE, JZ, JAAR, JAREN, SCHAAL, DOEL,
# REPORT_OPTIONS, GEMEENTE, TABEL, KWARTAAL) are exported unexpanded to the environment as JEUGDMONITOR_MAKE_<NAME> and read by
# `python -m jeugdmonitor.makeargs <target>` (see src/jeugdmonitor/makeargs.py), never spliced
# into a recipe.
digits_only = $(if $(1),$(if $(subst 0,,$(subst 1,,$(subst 2,,$(subst 3,,$(subst 4,,$(subst 5,,$(subst 6,,$(subst 7,,$(subst 8,,$(subst 9,,$(1))))))))))),,ok))
ifeq ($(call digits_only,$(value YEAR)),)
$(error YEAR moet een jaartal zijn, zoals YEAR=2023; gekregen: '$(value YEAR)')
endif
# options of the report runner, e.g. REPORT_OPTIONS="--only GM0503 --timeout 600" (see docs/runner.md)
REPORT_OPTIONS ?=
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SETUP_STAMP := $(VENV)/.setup-klaar

PKG := src/jeugdmonitor
CONFIG := $(wildcard config/*.yaml)
# only names make can follow (jeugdmonitor.sources.raw.SAFE_NAME): the cleaning stage refuses any other name with a message
RAW := $(shell LC_ALL=C find data/raw -type f -not -name README.md -regextype posix-extended -regex '[A-Za-z0-9._/+-]+' 2>/dev/null)
GX_FILES := $(shell find expectations/gx -type f -not -path '*/uncommitted/*' 2>/dev/null)
# Every file of the package (modules and templates), found on disk.
PKG_FILES := $(shell find $(PKG) -type f \( -name '*.py' -o -path '$(PKG)/templates/*' \) -not -path '*/__pycache__/*' 2>/dev/null)
# Each stage depends on the package files it uses: the modules it imports and the template folders
# they load, derived from the import graph by `python -m jeugdmonitor.runner.deps make` (standard library
# only, so the system Python runs it before .venv exists) into STAGE_FILES_clean/_validate/_reports.
# make rebuilds this include whenever a package file or notebook changes, so it cannot go stale
# (tests/integration/test_make_dependencies.py touches each file and checks both directions).
# (A folder without the package, such as the tests' recording stand-in, has no package files to depend on.)
DEPS_MK := .make/stages.mk
ifneq ($(wildcard $(PKG)/runner/deps.py),)
$(DEPS_MK): $(PKG_FILES) $(wildcard notebooks/*.ipynb)
	@mkdir -p $(@D)
	@PYTHONPATH=src $(PYTHON) -B -m jeugdmonitor.runner.deps make > $@.tmp && mv $@.tmp $@
include $(DEPS_MK)
endif

STAGED := data/staging/$(YEAR).klaar.json
VALIDATED := data/clean/$(YEAR)/validatie.json
REPORT_INDEX := reports/$(YEAR)/index.html

.PHONY: all help setup fetch regio import clean-data validate reports voorbeeld kwartaal yearly test lab expectations sample-data bench clean
.PHONY: browser-deps chromium pdf screenshots

# browser tests: Debian's chromium (apt-get, as root) and axe-core pinned in package-lock.json (npm ci)
BROWSER_STAMP := node_modules/.browser-klaar
BROWSER_PACKAGES := chromium fonts-dejavu-core
PDF_STAMP := reports/$(YEAR)/pdf/.klaar
SCREENSHOT_DIR := docs/screenshots

all: setup reports ## alles opzetten en elke rapportage van YEAR bouwen (de hoofdtaak)

help: ## de doelen opsommen
	@grep -hE '^[a-zA-Z_.-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 18

setup: $(SETUP_STAMP) ## virtuele omgeving uit requirements.lock, projectkernel, uitvoerfilter voor notebooks

JAREN ?= 2015-2024
MAKE_VARIABLES := YEAR REGIO SOORT BESTAND PERIODE JZ JAAR JAREN SCHAAL DOEL REPORT_OPTIONS GEMEENTE TABEL KWARTAAL
$(foreach name,$(MAKE_VARIABLES),$(eval export JEUGDMONITOR_MAKE_$(name) = $$(value $(name))))
MAKEARGS := $(PY) -m jeugdmonitor.makeargs

fetch: $(SETUP_STAMP) ## de echte CBS-tabellen en de gebiedentabellen ophalen in data/raw (netwerk nodig; JAREN=2015-2024, JEUGDMONITOR_CBS_URL=spiegel; TABEL=gemeentegrenzen: de gemeentegrenzen van PDOK)
	$(MAKEARGS) fetch

regio: $(SETUP_STAMP) ## een jeugdregio en haar gemeenten uit de CBS-gebiedentabel in config/gemeenten.yaml zetten (JZ=JZ24, JAAR=)
	$(MAKEARGS) regio

import: $(SETUP_STAMP) ## een export van een regio controleren en in data/raw/regio/ zetten (REGIO=JZ31 SOORT=trajecten BESTAND=pad.xlsx [PERIODE=2019-2024])
	$(MAKEARGS) import

clean-data: $(STAGED) ## opschonen: data/raw -> data/staging/YEAR/*.parquet (contract van de ruwe bestanden gecontroleerd)

$(STAGED): $(SETUP_STAMP) $(RAW) $(CONFIG) $(GX_FILES) notebooks/01_opschonen.ipynb $(STAGE_FILES_clean)
	$(PY) -m jeugdmonitor.cli clean --year $(YEAR)

validate: $(VALIDATED) ## kwaliteitspoort: GX-checkpoint, dan publiceren naar data/clean/YEAR

$(VALIDATED): $(STAGED) $(CONFIG) $(GX_FILES) notebooks/02_valideren.ipynb $(STAGE_FILES_validate)
	@# the staged tables are moved away by a successful gate: re-stage if they are gone
	@test -d data/staging/$(YEAR) || $(PY) -m jeugdmonitor.cli clean --year $(YEAR)
	$(PY) -m jeugdmonitor.cli validate --year $(YEAR)

REPORT_INPUTS := $(VALIDATED) $(CONFIG) notebooks/03_gemeenterapport.ipynb notebooks/04_overzicht.ipynb notebooks/05_regio.ipynb $(STAGE_FILES_reports)

# `make reports` always asks the runner: it checks every published output against the sha256 in
# its build manifest and rebuilds what changed or disappeared (make's clock sees only index.html);
# unchanged pages are taken over, so an up-to-date set costs a check, not a build
reports: $(REPORT_INPUTS) ## één HTML-rapportage per gemeente, een overzicht per regio en de index in reports/YEAR (de runner beslist wat verouderd is)
	$(MAKEARGS) reports

# one page in reports/voorbeeld/ from the validated data, in a warmed kernel; publishes nothing
voorbeeld: $(VALIDATED) ## één pagina snel bekijken in reports/voorbeeld/ zonder te publiceren (GEMEENTE=GM0503 of REGIO=JZ24)
	$(MAKEARGS) voorbeeld

# the quarter reports (docs/kwartaal.md): the year's gate through `make validate`, then the quarter's
# tables and pages, published all or nothing; the runner decides what is stale, as for `reports`
kwartaal: $(SETUP_STAMP) ## kwartaalrapportages van de regio's die per kwartaal rapporteren in reports/KWARTAAL (KWARTAAL=2024-K2)
	$(MAKEARGS) kwartaal

# what pdf and screenshots depend on: built when missing or older than its inputs
$(REPORT_INDEX): $(REPORT_INPUTS)
	$(MAKEARGS) reports

yearly: ## de onbewaakte jaarlijkse run voor YEAR, gelogd in logs/YEAR/
	@mkdir -p logs/$(YEAR)
	@set -o pipefail; log=logs/$(YEAR)/run-$$(date +%Y%m%dT%H%M%S).log; \
	  $(MAKE) --no-print-directory all YEAR=$(YEAR) 2>&1 | tee $$log; \
	  status=$$?; echo "log: $$log (exit $$status)"; exit $$status

test: $(SETUP_STAMP) $(BROWSER_STAMP) ## alle tests draaien (eenheden, notebooks van begin tot eind, backtests, browser)
	@# two workers (pytest-xdist); tests that share one built project run on one worker (tests/conftest.py)
	$(PY) -m pytest -n 2 --dist loadgroup

lab: $(SETUP_STAMP) ## JupyterLab openen op de projectmap (notebooks/, config/, templates) met de projectkernel
	@# as root (containers, many research servers) JupyterLab refuses to start without --allow-root
	@if [ "$$(id -u)" = 0 ]; then echo "make lab draait als root: JupyterLab start met --allow-root"; fi
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=. $$(if [ "$$(id -u)" = 0 ]; then echo --allow-root; fi)

expectations: $(SETUP_STAMP) ## de GX-suites en het checkpoint opnieuw maken uit config/ (commit het resultaat)
	$(PY) -m jeugdmonitor.cli expectations

# SCHAAL=landelijk: every municipality of the country (fictitious), in a copy of the project at DOEL
SCHAAL ?= voorbeeld
DOEL ?=

sample-data: $(SETUP_STAMP) ## de fictieve voorbeelddata in data/raw opnieuw maken (byte voor byte gelijk); SCHAAL=landelijk DOEL=map: elke gemeente van Nederland in een kopie van het project
	$(MAKEARGS) sample-data

browser-deps: $(BROWSER_STAMP) ## wat de browsertests nodig hebben: Debians chromium (als root) en axe-core (npm ci)

chromium: ## Debians chromium, met apt-get geïnstalleerd als `command -v chromium` er geen vindt (root nodig)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "chromium is niet geïnstalleerd en installeren vraagt root: voer 'sudo apt-get install -y --no-install-recommends $(BROWSER_PACKAGES)' uit en daarna opnieuw make" >&2; \
	    exit 1; fi; \
	  echo "chromium is niet geïnstalleerd: Debians $(BROWSER_PACKAGES) wordt geïnstalleerd"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(BROWSER_PACKAGES); }

$(BROWSER_STAMP): package.json package-lock.json | chromium
	@command -v npm >/dev/null 2>&1 || { echo "npm is niet geïnstalleerd: apt-get install -y npm (axe-core komt uit package-lock.json)" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

pdf: $(PDF_STAMP) ## één A4-PDF per gemeenterapportage (en regio-overzicht) in reports/YEAR/pdf/ (WeasyPrint)

$(PDF_STAMP): $(REPORT_INDEX) $(PKG)/report/pdf.py
	$(PY) -m jeugdmonitor.cli pdf --year $(YEAR)
	@touch $@

screenshots: $(REPORT_INDEX) $(BROWSER_STAMP) ## de schermafbeeldingen van de README in docs/screenshots/ uit de voorbeelddata (chromium zonder scherm, offline)
	$(PY) -m jeugdmonitor.devtools.browser screenshots --year $(YEAR) --out $(SCREENSHOT_DIR)

environment.yml: requirements.lock $(PKG)/devtools/environment.py ## conda-omgeving die het lockbestand volgt
	$(PY) -m jeugdmonitor.devtools.environment > $@

N ?= 20
ifeq ($(call digits_only,$(value N)),)
$(error N moet een aantal gemeenten zijn, zoals N=20; gekregen: '$(value N)')
endif

bench: $(SETUP_STAMP) ## de pijplijn op landelijke omvang timen in een tijdelijke kopie: papermill-CLI, de eigen runner en de ondergrens op N gemeenten (N=20), dan heel het land
	$(PY) bench/bench_pipeline.py --year $(YEAR) -n $(N)

clean: ## gegenereerde data, rapportages en logs verwijderen (niet data/raw)
	rm -rf data/clean/[0-9]* data/clean/.vorige-* data/clean/.nieuw-* data/staging/[0-9]* data/staging/.gx-opbouw reports/[0-9]* reports/.bouw-* reports/.vorige-* reports/.nieuw-* logs expectations/gx/uncommitted

# ------------------------------------------------------------------ setting up, and the copy guard
# The setup stamp holds the project folder the venv was made for. In a copy (cp -r) the copied
# .venv still runs the original's code (its editable install points at the original src/), so
# make sets the copy up anew: the old .venv (a copied folder or a link) is removed, never followed.
# JEUGDMONITOR_ROOT (the tests' copies, with a linked .venv) says where to work and skips this.
# A stamp without a folder predates this record: then the venv's own activate script says where it was made.
SETUP_FOR := $(if $(wildcard $(SETUP_STAMP)),$(strip $(file < $(SETUP_STAMP))))
ifeq ($(SETUP_FOR),)
SETUP_FOR := $(if $(wildcard $(SETUP_STAMP)),$(patsubst %/$(VENV),%,$(shell sed -n 's/^VIRTUAL_ENV="\(.*\)"$$/\1/p' $(VENV)/bin/activate 2>/dev/null)))
endif
ifndef JEUGDMONITOR_ROOT
ifneq ($(SETUP_FOR),)
ifneq ($(SETUP_FOR),$(CURDIR))
.PHONY: $(SETUP_STAMP)
$(info .venv is gemaakt voor $(SETUP_FOR), niet voor $(CURDIR): make zet deze kopie opnieuw op (.venv wordt vervangen; het origineel blijft onaangeroerd))
endif
endif
endif

$(SETUP_STAMP): requirements.lock pyproject.toml
	@if [ -L $(VENV) ] || { [ -n "$(SETUP_FOR)" ] && [ "$(SETUP_FOR)" != "$(CURDIR)" ]; }; then \
	  echo "oude $(VENV) (gemaakt voor $(or $(SETUP_FOR),een andere map)) wordt vervangen"; rm -rf $(VENV); fi
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) -m ipykernel install --sys-prefix --name jeugdmonitor --display-name "Jeugdmonitor (.venv)"
	@# strip notebook outputs on commit (git filter); only inside a git checkout
	@if git rev-parse --git-dir >/dev/null 2>&1; then $(VENV)/bin/nbstripout --install; fi
	@echo "$(CURDIR)" > $@

# make itself would export a variable given on the command line by its expanded value (running a
# `$(shell ...)` in it): only the unexpanded copies (JEUGDMONITOR_MAKE_<NAME>, near the top) reach the environment.
# Last in the file: an earlier `unexport` would define them empty before their `?=` defaults.
unexport $(MAKE_VARIABLES) N
