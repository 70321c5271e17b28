# Two entry points for a fresh machine with Python 3.11 and make:
#   make demo   virtualenv, install, ingest the sample corpus, diff two years, write reports
#   make test   virtualenv with test extras, then ruff, the import contract (lint-imports),
#               mypy and the whole pytest suite on two workers (make test-fast: the core)
#               (on SQLite and on a private PostgreSQL server, see scripts/ensure-postgres.sh)
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
DEMO := build/demo

.PHONY: demo test test-fast lint typecheck pytest docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	rm -rf $(DEMO) && mkdir -p $(DEMO)
	$(BIN)/tracker --db $(DEMO)/tracker.db ingest snapshots/sample
	$(BIN)/tracker --db $(DEMO)/tracker.db briefs
	$(BIN)/tracker --db $(DEMO)/tracker.db diff 2021 2024
	$(BIN)/tracker --db $(DEMO)/tracker.db diff 2021 2024 --format markdown -o $(DEMO)/changes-2021-2024.md
	$(BIN)/tracker --db $(DEMO)/tracker.db diff 2021 2024 --format json -o $(DEMO)/changes-2021-2024.json
	$(BIN)/tracker --db $(DEMO)/tracker.db diff 2021 2024 --format html -o $(DEMO)/report-2021-2024.html
	$(BIN)/tracker --db $(DEMO)/tracker.db history "renewables share" --limit 1
	$(BIN)/tracker --db $(DEMO)/tracker.db diff 2021 2023 2024 --format html -o $(DEMO)/timeline-2021-2023-2024.html
	@echo "HTML change report: file://$(CURDIR)/$(DEMO)/report-2021-2024.html"
	@echo "HTML timeline:      file://$(CURDIR)/$(DEMO)/timeline-2021-2023-2024.html"
	@echo "Browse and review:  $(BIN)/tracker --db $(DEMO)/tracker.db serve"

lint: $(VENV)/.installed-test
	$(BIN)/ruff check tracker tests migrations benchmarks scripts
	$(BIN)/ruff format --check tracker tests migrations benchmarks scripts
	$(BIN)/lint-imports
	$(BIN)/cog --check docs/cli.md

# docs/cli.md from the click commands (run after changing a command's options or help).
docs: $(VENV)/.installed-test
	$(BIN)/cog -r docs/cli.md

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

pytest: $(VENV)/.installed-test
	scripts/ensure-chromium.sh
	scripts/ensure-postgres.sh
	scripts/ensure-model.sh $(BIN)/python
	$(BIN)/pytest -q -n 2

test: lint typecheck pytest

# The core only: SQLite, without the browser, install, postgres and evaluation tiers (no
# server, no Chromium, no ../shared needed).
test-fast: $(VENV)/.installed-test
	$(BIN)/pytest -q -n 2 --backends sqlite -m "not browser and not install and not postgres and not evaluation"

clean:
	scripts/stop-postgres.sh --remove
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
