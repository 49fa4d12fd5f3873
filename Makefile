# Thematic Review Workbook. `make` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Real DfE statistics files used by the tests that need them (skipped where absent).
WORKBOOK_DFE_DIR ?= $(abspath ../shared/dfe)
export WORKBOOK_DFE_DIR

## Show this help
help:
	@awk '/^## /{doc=substr($$0,4); next} /^[a-zA-Z_-]+:/{if(doc){split($$1,t,":"); printf "  \033[1m%-10s\033[0m %s\n", t[1], doc}; doc=""}' $(MAKEFILE_LIST)

$(BIN)/workbook: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# Byte-compile the library once: an editable install does not, and where
	# PYTHONDONTWRITEBYTECODE is set every process (and every kernel) would compile it again.
	$(BIN)/python -m compileall -q lib/workbook
	touch $@

# axe-core (npm) for the accessibility tests, at the version tests/axe/package-lock.json pins.
# Without npm, or offline, the install goes on and those tests skip, saying why.
# (npm dates the files it unpacks in 1985, so a stamp of our own says when it last ran.)
AXE := tests/axe/node_modules/.installed
$(AXE): tests/axe/package.json tests/axe/package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
		echo "npm not found: the accessibility tests (axe-core) will be skipped"; \
	elif npm ci --prefix tests/axe --no-audit --no-fund --loglevel=error; then touch $@; \
	else echo "npm ci failed: the accessibility tests (axe-core) will be skipped"; fi

## Create the virtual environment (if there is none) and install the project with its dev tools
install: $(BIN)/workbook $(AXE)

## Render every bundled demo partnership and year into outputs/
demo: install
	$(BIN)/workbook run --all

# Tests run on every core (pytest-xdist); tests sharing a render they change run on one worker
# (tests/conftest.py gives them an xdist group). TEST_WORKERS=0 runs them in this process.
# Each run ends with its 25 slowest tests, so a test that grows slow is seen where it is.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup --durations=25

## Run the whole test suite, on every core (HYPOTHESIS_PROFILE=nightly draws many more cases)
test: install
	$(PYTEST)

## Run the unit tests (tests/unit) and one end-to-end render (a run of the small test partnership)
test-fast: install
	$(PYTEST) -m "unit or smoke"

LINTED := lib tests scripts benchmarks notebooks

## Lint: ruff (code and notebooks: it reads .ipynb itself) and its format check, the layers' import contracts, mypy on lib/
lint: install
	@status=0; \
	$(BIN)/ruff check $(LINTED) || status=1; \
	$(BIN)/ruff format --check $(LINTED) || status=1; \
	$(BIN)/lint-imports --no-cache || status=1; \
	$(BIN)/mypy || status=1; \
	exit $$status

## Regenerate the fictional Northdale demo data from its seed
demo-data: install
	$(BIN)/python scripts/generate_demo.py

# JupyterLab at the project root, so that data/, params/ and notebooks/ are all reachable (the
# coding review saves the analyst's themes in data/), opening the scratch notebook. Its kernels'
# messages are encrypted with CurveZMQ keys the server provisions: the kernels are not left
# on plain TCP, and do not say so on every start.
LAB_OPTIONS := --ServerApp.root_dir="$(CURDIR)" --KernelManager.transport_encryption=auto

## Start JupyterLab at the project root on the scratch notebook (notebooks/explore.ipynb)
lab: install
	$(BIN)/jupyter lab $(LAB_OPTIONS) notebooks/explore.ipynb

## Remove rendered outputs (they are disposable)
clean:
	find outputs -mindepth 1 -not -name .gitkeep -not -name README.md -exec rm -rf {} +

.PHONY: help install demo test test-fast lint demo-data lab clean
