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
VENV_STAMP := $(VENV)/.installed
RUN := $(PY) -m analysis

# Parameters can be overridden on the command line, e.g. `make all BASE_YEAR=2018 TARGET_YEAR=2030`:
# every key of params.yaml in upper case, plus BASE_YEAR (framework_base_year) and TARGET_YEAR
# (framework_end_year). They are checked like params.yaml; a misspelled variable is an error.
PARAM_VARS := SHOCK_YEAR POVERTY_SERIES FRAMEWORK_BASE_YEAR FRAMEWORK_END_YEAR SDG_BASE_YEAR \
	SDG_TARGET_YEAR LATEST_YEAR CONFIDENCE_LEVEL TREND_WINDOW_YEARS BASE_YEAR TARGET_YEAR
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
# ---- code dependencies ---------------------------------------------------------------------
# build/deps.mk says which package modules each step imports, directly or not (read from the
# code with `ast` by analysis.site.makedeps, run with the system Python: no venv needed). It is
# regenerated while make reads this file, when a module or notebook is newer than it or a
# folder changed (a module added or removed); `<STEP>_MODULES` and `NOTEBOOK_MODULES_<stem>` are
# the prerequisites below. `make -n` and `-W <module>` therefore show exactly the steps that
# import a module.
DEPS_MK := build/deps.mk
NOTEBOOK_FILES := $(sort $(wildcard notebooks/*.ipynb))
ifeq ($(filter-out help clean distclean doctor lock,$(or $(MAKECMDGOALS),help)),)
else ifneq ($(shell test -e $(DEPS_MK) && test -z "$$(find src/analysis notebooks -newer $(DEPS_MK) \( -name '*.py' -o -name '*.ipynb' -o -type d \) -not -name __pycache__ -print -quit)" && echo fresh),fresh)
DEPS_ERROR := $(shell mkdir -p build && PYTHONPATH=src $(PYTHON) -m analysis.site.makedeps --out $(DEPS_MK) $(NOTEBOOK_FILES) 2>&1 >/dev/null)
ifneq ($(DEPS_ERROR),)
$(error cannot list the modules each step imports: $(DEPS_ERROR))
endif
endif
-include $(DEPS_MK)

# ---- step stamps ---------------------------------------------------------------------------
# A step writes an output only when its bytes change, so an edit that changes nothing downstream
# reruns nothing downstream. The make target of a step is therefore a stamp, build/stamps/<step>,
# dated after every successful run with the date of its newest prerequisite; each output has an empty recipe depending on the stamp. Make looks at an output's date
# again after the stamp's recipe, so the consumers of an output left untouched do not rerun, and a
# rewritten output (dated now) is never older than its stamp. A missing output removes its stamp
# while make reads this file. See docs/DESIGN.md for the trade-off with `make -n`.
STAMPS := build/stamps
# The stamp is a second recipe line: the step itself is a simple command that the shell execs, so a
# SIGTERM or Ctrl-C reaches it directly and it cleans up and says so before make stops.
STAMP_DONE = @mkdir -p $(@D) && touch -r "$$(ls -td $^ 2>/dev/null | sed -n 1p)" $@
# Under a plain `make -n` an output left untouched by the last run (older than its stamp) is tied
# to the stamp order-only: the dry run then does not claim its consumers would rerun, which a
# real make would not do either. With -W (not visible in MAKEFLAGS; read from make's command
# line) the dry run keeps the ordinary prerequisites: pessimistic, as make -n always is. A real
# make always uses the ordinary prerequisite (correct in one pass).
DRY_RUN := $(findstring n,$(filter-out -%,$(firstword $(MAKEFLAGS))))
WHAT_IF := $(if $(DRY_RUN),$(shell tr '\0' '\n' < /proc/$$PPID/cmdline 2>/dev/null | grep -m1 -E '^(-[^-]*W|--what-if|--new-file|--assume-new)'))
ORDER_ONLY_IF_OLDER := $(and $(DRY_RUN),$(if $(WHAT_IF),,yes))
# $(1) stamp, $(2) outputs it stands for
define outputs_of
$(foreach o,$(2),$(if $(and $(ORDER_ONLY_IF_OLDER),$(shell test $(o) -ot $(1) && echo older)),$(eval $(o): | $(1) ;),$(eval $(o): $(1) ;)))
$(if $(filter-out $(wildcard $(2)),$(2)),$$(shell rm -f $(1)))
endef

VALIDATION := data/processed/validation.json
INDICATORS := data/processed/indicators.csv
MODEL_TABLES := $(addprefix data/processed/,progress.csv progress_by_outcome.csv \
	progress_by_cross_cutting.csv recovery.csv counterfactuals.csv forecasts.csv method_coverage.csv)
SITE_INDEX := reports/_site/index.html

# ---- notebooks: one rule per page, generated from the page list -----------------------------
# src/analysis/site/pages.py lists every page once (notebook, page name, the inputs it reads,
# title, navbar entry); build/pages.mk, made from it with the system Python, defines KERNEL,
# NOTEBOOKS, PAGES and calls page_rule once per page (the six area pages share
# notebooks/05_area.ipynb, each with its --page values).
# $(1) notebook stem in notebooks/, $(2) page name in reports/, $(3) inputs it reads.
# Package data the modules read: the reader-facing words (every page and the footer) and the
# fallback renderer's page template and stylesheet (the render step).
TEXT_FILES := $(wildcard src/analysis/report/text/*.yaml)
TEMPLATE_FILES := $(wildcard src/analysis/site/templates/*)
define page_rule
$$(eval $$(call outputs_of,$(STAMPS)/pages/$(2),reports/$(2).ipynb))
$(STAMPS)/pages/$(2): notebooks/$(1).ipynb build/params/$(1).json $(3) $$(NOTEBOOK_MODULES_$(1)) $$(TEXT_FILES) | $$(VENV_STAMP)
	@$$(RUN) run-notebook $$< reports/$(2).ipynb $$(PARAM_SET) --page $(2)
	$$(STAMP_DONE)
endef

FRAMEWORK_FILES := $(wildcard data/raw/framework/*.csv)
PAGES_MK := build/pages.mk
include $(PAGES_MK)
$(PAGES_MK): src/analysis/site/pages.py
	@mkdir -p $(@D)
	@PYTHONPATH=src $(PYTHON) -m analysis.site.pages make > $@.tmp && mv $@.tmp $@

# ---- parameters ------------------------------------------------------------------------------
# Each notebook depends on a stamp, build/params/<stem>.json, holding the values of the
# parameters its `parameters` cell declares. Stamps are refreshed while make reads this file,
# only if params.yaml, the schema or a notebook changed since the last check, and a stamp file is
# rewritten only when its values change: editing an unrelated key reruns nothing, and `make -n`
# tells the truth. A bad params.yaml stops the pipeline before any notebook starts.
PARAMS_CHECKED := build/params/.checked
PARAM_INPUTS := params.yaml $(PARAMS_MODULES) src/analysis/site/pages.py $(NOTEBOOKS)
PARAMS_ERROR :=
# Command-line values are not in any file: with them the stamps are always recomputed, and the
# check mark is removed so the next plain `make all` compares against params.yaml again.
ifneq ($(and $(wildcard $(VENV_STAMP)),$(NOTEBOOKS)),)
ifneq ($(PARAM_SET),)
PARAMS_ERROR := $(shell mkdir -p build/params && rm -f $(PARAMS_CHECKED) && $(RUN) params-stamps --out-dir build/params $(NOTEBOOKS) $(PARAM_SET) 2>&1 >/dev/null)
else ifneq ($(shell test -e $(PARAMS_CHECKED) && test -z "$$(find $(PARAM_INPUTS) -newer $(PARAMS_CHECKED))" && echo fresh),fresh)
PARAMS_ERROR := $(shell mkdir -p build/params && $(RUN) params-stamps --out-dir build/params $(NOTEBOOKS) 2>&1 >/dev/null && touch $(PARAMS_CHECKED))
endif
endif
ifneq ($(PARAMS_ERROR),)
$(PAGES) $(MODEL_TABLES) $(STAMPS)/models $(patsubst reports/%.ipynb,$(STAMPS)/pages/%,$(PAGES)): params-error
endif
.PHONY: params-error
params-error:
	$(error $(PARAMS_ERROR))

# Without a venv while make read this file (a fresh clone), the stamps are made by one run.
PARAM_STAMP_FILES := build/params/_all.json $(patsubst notebooks/%.ipynb,build/params/%.json,$(NOTEBOOKS))
$(PARAM_STAMP_FILES) &: | $(VENV_STAMP)
	@mkdir -p build/params
	@$(RUN) params-stamps --out-dir build/params $(NOTEBOOKS) $(PARAM_SET)

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
	$(PY) -m ruff check src tests tools scripts notebooks
	$(PY) -m ruff format --check src tests tools scripts notebooks

clean: ## Remove generated files (never data/raw/ or .venv)
	rm -rf data/processed build reports/_site reports/_footer.html reports/exhibits reports/.quarto reports/.*.tmp*
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

lab: $(VENV)/.lab-installed ## Open JupyterLab with the project's kernel (strip outputs before committing)
	$(PY) -m jupyter lab --notebook-dir=. notebooks

# JupyterLab is the `lab` extra, outside requirements.lock (which `make all` installs, with
# hashes): installed on demand from the index, without hashes; pins already installed are kept.
$(VENV)/.lab-installed: pyproject.toml | $(VENV_STAMP)
	$(PY) -m pip install $(PIP_QUIET) --no-build-isolation -e '.[lab]'
	@touch $@

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
	@$(PY) -m pip install $(PIP_QUIET) --require-hashes --no-deps -r requirements.lock
	@$(PY) -m pip install $(PIP_QUIET) --no-deps --no-build-isolation -e .
	@$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python ($(KERNEL))" >/dev/null
	@touch $@
	@echo "environment ready: $(VENV) (kernel '$(KERNEL)')"

# ---- data ------------------------------------------------------------------------------------
# The snapshot is compared with its description, not only by file dates: build/raw-manifest.txt
# lists every file under data/raw and every path datapackage.json describes, and is rewritten
# (while make reads this file) only when that list changes, so a deleted, renamed or added raw
# file reruns validation whatever its modification time.
RAW_MANIFEST := build/raw-manifest.txt
ifneq ($(filter-out help clean distclean doctor lock,$(or $(MAKECMDGOALS),help)),)
MANIFEST_ERROR := $(shell PYTHONPATH=src $(PYTHON) -m analysis.snapshot.manifest data/raw $(RAW_MANIFEST) 2>&1 >/dev/null)
ifneq ($(MANIFEST_ERROR),)
$(error cannot list the raw snapshot: $(MANIFEST_ERROR))
endif
endif
$(RAW_MANIFEST): ;

$(eval $(call outputs_of,$(STAMPS)/validate,$(VALIDATION)))
$(STAMPS)/validate: $(RAW_FILES) $(RAW_MANIFEST) $(VALIDATE_MODULES) | $(VENV_STAMP)
	@$(RUN) validate --package $(PACKAGE) --summary $(VALIDATION)
	$(STAMP_DONE)

$(eval $(call outputs_of,$(STAMPS)/clean,$(INDICATORS)))
$(STAMPS)/clean: $(VALIDATION) $(RAW_FILES) $(CLEAN_MODULES) | $(VENV_STAMP)
	@$(RUN) clean --package $(PACKAGE) --out $(INDICATORS)
	$(STAMP_DONE)

# ---- models ----------------------------------------------------------------------------------
# One step writes every model table (one stamp: one run makes them all).
$(eval $(call outputs_of,$(STAMPS)/models,$(MODEL_TABLES)))
$(STAMPS)/models: $(INDICATORS) $(PACKAGE) build/params/_all.json $(MODELS_MODULES) | $(VENV_STAMP)
	@$(RUN) models --out-dir data/processed $(PARAM_SET)
	$(STAMP_DONE)

# ---- reports ---------------------------------------------------------------------------------
$(eval $(call outputs_of,$(STAMPS)/render,$(SITE_INDEX)))
# After a failed build every page of the old site carries a banner and the site holds a marker:
# while it exists the site is rendered again, so the next successful build removes the banners.
$(STAMPS)/render: $(PAGES) reports/_quarto.yml $(RENDER_MODULES) $(TEXT_FILES) $(TEMPLATE_FILES) $(wildcard reports/_site/.build-failed.json) | $(VENV_STAMP)
	@$(RUN) render --project reports
	$(STAMP_DONE)
