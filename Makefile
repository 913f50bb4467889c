# Mexico x UN Cooperation Framework 2020-2025: the reproducible pipeline.
#   raw snapshot --validate--> --clean--> tidy table --papermill--> executed pages --render--> HTML
# Every target is rebuilt only when something it depends on changed; `make help` lists them.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules --no-print-directory
# Independent steps (the notebooks) run in parallel on every core; `make all JOBS=1` runs serially.
JOBS ?= $(shell nproc 2>/dev/null || echo 1)
MAKEFLAGS += --jobs=$(JOBS) --output-sync=target

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
KERNEL := mexico-cf
VENV_STAMP := $(VENV)/.installed
RUN := $(PY) -m analysis

# Parameters can be overridden on the command line, e.g. `make all BASE_YEAR=2018 TARGET_YEAR=2030`:
# every key of params.yaml in upper case, plus BASE_YEAR (framework_base_year) and TARGET_YEAR
# (framework_end_year). They are checked like params.yaml; a misspelled variable is an error.
PARAM_VARS := SHOCK_YEAR POVERTY_SERIES FRAMEWORK_BASE_YEAR FRAMEWORK_END_YEAR SDG_BASE_YEAR \
	SDG_TARGET_YEAR LATEST_YEAR CONFIDENCE_LEVEL BASE_YEAR TARGET_YEAR
MAKE_VARS := JOBS PYTHON
CLI_VARS := $(foreach v,$(.VARIABLES),$(if $(filter command line,$(origin $(v))),$(v)))
UNKNOWN_VARS := $(filter-out $(PARAM_VARS) $(MAKE_VARS),$(CLI_VARS))
ifneq ($(UNKNOWN_VARS),)
$(error unknown variable(s) $(UNKNOWN_VARS) on the command line; parameters: $(PARAM_VARS); make settings: $(MAKE_VARS))
endif
PARAM_SET := $(foreach v,$(filter $(PARAM_VARS),$(CLI_VARS)),--set $(v)=$($(v)))
PIP_QUIET := --quiet --disable-pip-version-check

PACKAGE := data/raw/datapackage.json
RAW_FILES := $(shell find data/raw -type f -not -name '.*' | LC_ALL=C sort)
PKG_SOURCES := $(shell find src/analysis -name '*.py' | LC_ALL=C sort)
VALIDATE_SOURCES := $(addprefix src/analysis/,snapshot/validate.py core/errors.py core/atomic.py core/paths.py cli.py)
CLEAN_SOURCES := $(VALIDATE_SOURCES) $(addprefix src/analysis/,clean/readers.py clean/tidy.py snapshot/catalog.py core/periods.py)
RENDER_SOURCES := $(addprefix src/analysis/,site/render.py core/atomic.py core/paths.py cli.py)

VALIDATION := data/processed/validation.json
INDICATORS := data/processed/indicators.csv
MODEL_TABLES := $(addprefix data/processed/,progress.csv progress_by_outcome.csv \
	progress_by_cross_cutting.csv recovery.csv counterfactuals.csv forecasts.csv method_coverage.csv)
MODEL_SOURCES := $(wildcard src/analysis/models/*.py src/analysis/core/*.py src/analysis/clean/*.py) $(addprefix src/analysis/,snapshot/catalog.py snapshot/validate.py cli.py)
SITE_INDEX := reports/_site/index.html

# ---- notebooks: one rule each, with the processed tables it reads ---------------------------
# $(1) notebook stem in notebooks/, $(2) page name in reports/, $(3) inputs it reads.
define notebook_rule
NOTEBOOKS += notebooks/$(1).ipynb
PAGES += reports/$(2).ipynb
reports/$(2).ipynb: notebooks/$(1).ipynb build/params/$(1).json $(3) $$(PKG_SOURCES) | $$(VENV_STAMP)
	$$(RUN) run-notebook $$< $$@ $$(PARAM_SET)
endef

NOTEBOOKS :=
PAGES :=
$(eval $(call notebook_rule,01_index,index,$(INDICATORS) $(PACKAGE) $(MODEL_TABLES) $(wildcard data/raw/framework/*.csv)))
$(eval $(call notebook_rule,02_data,data,$(INDICATORS) $(VALIDATION) $(PACKAGE) $(RAW_FILES)))
$(eval $(call notebook_rule,03_progress,progress,$(INDICATORS) $(MODEL_TABLES)))
$(eval $(call notebook_rule,04_recovery,recovery,$(INDICATORS) $(MODEL_TABLES)))
AREA_INPUTS := $(INDICATORS) $(MODEL_TABLES) $(PACKAGE) $(wildcard data/raw/framework/*.csv)
$(eval $(call notebook_rule,05_equality,equality,$(AREA_INPUTS)))
$(eval $(call notebook_rule,06_prosperity,prosperity,$(AREA_INPUTS)))
$(eval $(call notebook_rule,07_green,green,$(AREA_INPUTS)))
$(eval $(call notebook_rule,08_peace,peace,$(AREA_INPUTS)))
$(eval $(call notebook_rule,09_gender,gender,$(AREA_INPUTS)))
$(eval $(call notebook_rule,10_migration,migration,$(AREA_INPUTS)))
$(eval $(call notebook_rule,11_published,published,$(INDICATORS) $(PACKAGE) data/raw/framework/published_figures.csv))
$(eval $(call notebook_rule,12_methods,methods,$(MODEL_TABLES)))
$(eval $(call notebook_rule,14_changes,changes,$(INDICATORS) $(PACKAGE)))
# Reproducibility runs after every other page so it can report their run times.
$(eval $(call notebook_rule,13_reproducibility,reproducibility,$(VALIDATION) requirements.lock build/params/_all.json \
	$(filter-out reports/reproducibility.ipynb,$(PAGES))))

# ---- parameters ------------------------------------------------------------------------------
# Each notebook depends on a stamp, build/params/<stem>.json, holding the values of the
# parameters its `parameters` cell declares. Stamps are refreshed while make reads this file,
# only if params.yaml, the schema or a notebook changed since the last check, and a stamp file is
# rewritten only when its values change: editing an unrelated key reruns nothing, and `make -n`
# tells the truth. A bad params.yaml stops the pipeline before any notebook starts.
PARAMS_CHECKED := build/params/.checked
PARAM_INPUTS := params.yaml src/analysis/core/params.py $(NOTEBOOKS)
PARAMS_ERROR :=
# Command-line values are not in any file: with them the stamps are always recomputed, and the
# check mark is removed so the next plain `make all` compares against params.yaml again.
ifneq ($(wildcard $(VENV_STAMP)),)
ifneq ($(PARAM_SET),)
PARAMS_ERROR := $(shell mkdir -p build/params && rm -f $(PARAMS_CHECKED) && $(RUN) params-stamps --out-dir build/params $(NOTEBOOKS) $(PARAM_SET) 2>&1 >/dev/null)
else ifneq ($(shell test -e $(PARAMS_CHECKED) && test -z "$$(find $(PARAM_INPUTS) -newer $(PARAMS_CHECKED))" && echo fresh),fresh)
PARAMS_ERROR := $(shell mkdir -p build/params && $(RUN) params-stamps --out-dir build/params $(NOTEBOOKS) 2>&1 >/dev/null && touch $(PARAMS_CHECKED))
endif
endif
ifneq ($(PARAMS_ERROR),)
$(PAGES) $(MODEL_TABLES): params-error
endif
.PHONY: params-error
params-error:
	$(error $(PARAMS_ERROR))

build/params/_all.json: | $(VENV_STAMP)
	@mkdir -p $(@D)
	$(RUN) params-stamps --out-dir $(@D) $(PARAM_SET)

build/params/%.json: | $(VENV_STAMP)
	@mkdir -p $(@D)
	$(RUN) params-stamps --out-dir $(@D) notebooks/$*.ipynb $(PARAM_SET)

# ---- user-facing targets ---------------------------------------------------------------------
.PHONY: help all setup validate data models notebooks reports test lint clean distclean lock snapshot readme fetch lab strip doctor bench

help: ## Show this list of targets (the default)
	@echo "Usage: make <target>   (a fresh clone needs only python3 >= 3.11, make and git)"
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

all: $(SITE_INDEX) ## Everything: venv, validate data, clean, run notebooks, render reports

setup: $(VENV_STAMP) ## Create .venv from requirements.lock and register the Jupyter kernel

validate: $(VALIDATION) ## Validate data/raw against datapackage.json (schemas, sha256, provenance)

data: $(INDICATORS) ## Build the tidy indicator table in data/processed/

models: $(MODEL_TABLES) ## Compute the progress and recovery tables in data/processed/

notebooks: $(PAGES) ## Execute the notebooks in order with papermill into reports/

reports: $(SITE_INDEX) ## Render the website (Quarto if on PATH, else nbconvert) to reports/_site/

test: all lint ## Build everything, then run the test suite (pytest)
	$(PY) -m pytest

lint: | $(VENV_STAMP) ## Check code style with ruff
	$(PY) -m ruff check src tests tools
	$(PY) -m ruff format --check src tests tools

clean: ## Remove generated files (never data/raw/ or .venv)
	rm -rf data/processed build reports/_site reports/.quarto reports/.*.tmp*
	rm -f $(PAGES)

distclean: clean ## clean, and remove the virtual environment too
	rm -rf $(VENV) src/*.egg-info

lock: | $(VENV_STAMP) ## Regenerate requirements.lock from pyproject.toml (on purpose, with hashes)
	$(PY) -m piptools compile --quiet --extra dev --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml
	@echo "requirements.lock regenerated; review the diff, then run 'make setup'"

snapshot: | $(VENV_STAMP) ## After editing data/raw on purpose: refresh its checksums in datapackage.json
	$(RUN) snapshot

fetch: | $(VENV_STAMP) ## Refresh WDI (and INEGI, with INEGI_API_TOKEN) series online as new dated vintages
	$(RUN) fetch

lab: $(VENV_STAMP) ## Open JupyterLab with the project's kernel (strip outputs before committing)
	$(PY) -m jupyter lab --notebook-dir=. notebooks

strip: | $(VENV_STAMP) ## Remove outputs from the committed notebooks (run before git commit)
	$(RUN) strip-notebooks notebooks/*.ipynb

doctor: ## Check Python, venv and lock, kernel, Quarto, Chromium, disk and params; say how to fix
	@PYTHON=$(PYTHON) $(PYTHON) tools/doctor.py

bench: | $(VENV_STAMP) ## Measure clean, no-op, touched and parallel builds and memory -> reports/benchmark.json
	$(PY) tools/bench.py

readme: | $(VENV_STAMP) ## Regenerate README's exhibits and data availability tables
	$(RUN) readme

# ---- environment -----------------------------------------------------------------------------
$(VENV_STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "error: Python 3.11+ is required, found " + sys.version.split()[0] + "; run make PYTHON=python3.11")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install $(PIP_QUIET) --require-hashes --no-deps -r requirements.lock
	$(PY) -m pip install $(PIP_QUIET) --no-deps --no-build-isolation -e .
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python ($(KERNEL))" >/dev/null
	@touch $@
	@echo "environment ready: $(VENV) (kernel '$(KERNEL)')"

# ---- data ------------------------------------------------------------------------------------
$(VALIDATION): $(RAW_FILES) $(VALIDATE_SOURCES) | $(VENV_STAMP)
	$(RUN) validate --package $(PACKAGE) --summary $@

$(INDICATORS): $(VALIDATION) $(RAW_FILES) $(CLEAN_SOURCES)
	$(RUN) clean --package $(PACKAGE) --out $@

# ---- models ----------------------------------------------------------------------------------
# One step writes every model table (grouped target: one run makes them all).
$(MODEL_TABLES) &: $(INDICATORS) $(PACKAGE) build/params/_all.json $(MODEL_SOURCES) | $(VENV_STAMP)
	$(RUN) models --out-dir data/processed $(PARAM_SET)

# ---- reports ---------------------------------------------------------------------------------
$(SITE_INDEX): $(PAGES) reports/_quarto.yml $(RENDER_SOURCES) | $(VENV_STAMP)
	$(RUN) render --project reports
	@echo "Report: $(SITE_INDEX)"
