# Jeugdmonitor pipeline: a DAG of file targets, so an unchanged rerun rebuilds nothing.
#   make            set up everything and build the reports for YEAR (default 2023)
#   make test       run the tests (sets up what it needs)
#   make help       list the targets

SHELL := /bin/bash
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:

YEAR ?= 2023
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SETUP_STAMP := $(VENV)/.setup-klaar

PKG := src/jeugdmonitor
CONFIG := $(wildcard config/*.yaml)
RAW := $(shell find data/raw -type f -not -name README.md 2>/dev/null)
GX_FILES := $(shell find expectations/gx -type f -not -path '*/uncommitted/*' 2>/dev/null)
# Every stage depends on every file of the package (modules and templates), found on disk, so
# this list cannot go stale: a module one stage imports today may be imported by another
# tomorrow (tests/integration/test_make_dependencies.py touches each file and checks).
PKG_FILES := $(shell find $(PKG) -type f \( -name '*.py' -o -path '$(PKG)/templates/*' \) -not -path '*/__pycache__/*' 2>/dev/null)

STAGED := data/staging/$(YEAR).klaar.json
VALIDATED := data/clean/$(YEAR)/validatie.json
REPORT_INDEX := reports/$(YEAR)/index.html

.PHONY: all help setup fetch clean-data validate reports yearly test lab expectations sample-data bench clean
.PHONY: browser-deps chromium pdf screenshots

# browser tests: Debian's chromium (apt-get, as root) and axe-core pinned in package-lock.json (npm ci)
BROWSER_STAMP := node_modules/.browser-klaar
BROWSER_PACKAGES := chromium fonts-dejavu-core
PDF_STAMP := reports/$(YEAR)/pdf/.klaar
SCREENSHOT_DIR := docs/screenshots

all: setup reports ## set up and build every report for YEAR (the main job)

help: ## list the targets
	@grep -E '^[a-zA-Z_.-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 18

setup: $(SETUP_STAMP) ## virtual env from requirements.lock, project kernel, notebook output filter

$(SETUP_STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) -m ipykernel install --sys-prefix --name jeugdmonitor --display-name "Jeugdmonitor (.venv)"
	@# strip notebook outputs on commit (git filter); only inside a git checkout
	@if git rev-parse --git-dir >/dev/null 2>&1; then $(VENV)/bin/nbstripout --install; fi
	@touch $@

JAREN ?= 2015-2024

fetch: $(SETUP_STAMP) ## fetch the real CBS tables into data/raw (needs network; JAREN=2015-2024, JEUGDMONITOR_CBS_URL=mirror)
	$(PY) -m jeugdmonitor.fetch --jaren $(JAREN)

clean-data: $(STAGED) ## cleaning stage: data/raw -> data/staging/YEAR/*.parquet (raw contract checked)

$(STAGED): $(SETUP_STAMP) $(RAW) $(CONFIG) $(GX_FILES) notebooks/01_opschonen.ipynb $(PKG_FILES)
	$(PY) -m jeugdmonitor.cli clean --year $(YEAR)

validate: $(VALIDATED) ## data-quality gate: GX checkpoint, then publish to data/clean/YEAR

$(VALIDATED): $(STAGED) $(CONFIG) $(GX_FILES) notebooks/02_valideren.ipynb $(PKG_FILES)
	@# the staged tables are moved away by a successful gate: re-stage if they are gone
	@test -d data/staging/$(YEAR) || $(PY) -m jeugdmonitor.cli clean --year $(YEAR)
	$(PY) -m jeugdmonitor.cli validate --year $(YEAR)

reports: $(REPORT_INDEX) ## one HTML report per municipality + index in reports/YEAR

$(REPORT_INDEX): $(VALIDATED) $(CONFIG) notebooks/03_gemeenterapport.ipynb notebooks/04_overzicht.ipynb notebooks/05_regio.ipynb $(PKG_FILES)
	$(PY) -m jeugdmonitor.cli reports --year $(YEAR)

yearly: ## the unattended yearly run for YEAR, logged to logs/YEAR/
	@mkdir -p logs/$(YEAR)
	@set -o pipefail; log=logs/$(YEAR)/run-$$(date +%Y%m%dT%H%M%S).log; \
	  $(MAKE) --no-print-directory all YEAR=$(YEAR) 2>&1 | tee $$log; \
	  status=$$?; echo "log: $$log (exit $$status)"; exit $$status

test: $(SETUP_STAMP) $(BROWSER_STAMP) ## run all tests (unit, notebooks end to end, backtests, browser)
	$(PY) -m pytest

lab: $(SETUP_STAMP) ## open JupyterLab on notebooks/ with the project kernel
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=notebooks

expectations: $(SETUP_STAMP) ## regenerate the GX suites and checkpoint from config/ (commit the result)
	$(PY) -m jeugdmonitor.cli expectations

sample-data: $(SETUP_STAMP) ## regenerate the fictitious sample data in data/raw (byte-identical)
	$(PY) -m jeugdmonitor.cli sample-data

browser-deps: $(BROWSER_STAMP) ## what the browser tests need: Debian's chromium (as root) and axe-core (npm ci)

chromium: ## Debian's chromium, installed with apt-get when `command -v chromium` finds none (needs root)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "chromium is not installed and installing it needs root: run 'sudo apt-get install -y --no-install-recommends $(BROWSER_PACKAGES)', then make again" >&2; \
	    exit 1; fi; \
	  echo "chromium is not installed: installing Debian's $(BROWSER_PACKAGES)"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(BROWSER_PACKAGES); }

$(BROWSER_STAMP): package.json package-lock.json | chromium
	@command -v npm >/dev/null 2>&1 || { echo "npm is not installed: apt-get install -y npm (axe-core comes from package-lock.json)" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

pdf: $(PDF_STAMP) ## one A4 PDF per municipality report (and region overview) in reports/YEAR/pdf/ (WeasyPrint)

$(PDF_STAMP): $(REPORT_INDEX) $(PKG)/pdf.py
	$(PY) -m jeugdmonitor.cli pdf --year $(YEAR)
	@touch $@

screenshots: $(REPORT_INDEX) $(BROWSER_STAMP) ## README pictures in docs/screenshots/ from the sample data (headless chromium, offline)
	$(PY) -m jeugdmonitor.browser screenshots --year $(YEAR) --out $(SCREENSHOT_DIR)

environment.yml: requirements.lock $(PKG)/environment.py ## conda environment mirroring the lock file
	$(PY) -m jeugdmonitor.environment > $@

bench: $(SETUP_STAMP) ## time the pipeline stages (prints figures)
	$(PY) bench/bench_pipeline.py --year $(YEAR)

clean: ## remove generated data, reports and logs (not data/raw)
	rm -rf data/clean/[0-9]* data/clean/.vorige-* data/staging/[0-9]* data/staging/.gx-opbouw reports/[0-9]* reports/.bouw-* reports/.vorige-* logs expectations/gx/uncommitted
