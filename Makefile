# nucmed — the commands every machine runs. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help venv run test lint format bench reliability clean

help:
	@echo "make run    set up, migrate the database, load the demo network, serve on http://$(HOST):$(PORT)"
	@echo "make test   set up, then run every check (ruff, mypy, import-linter, pytest)"
	@echo "make lint   only the static checks"
	@echo "make bench  start-up and speed benchmarks (prints ratios to targets)"
	@echo "make reliability  load, kill -9 and fuzz a real server on SQLite and PostgreSQL (about 8 min)"
	@echo "make format format the code with ruff"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e . --group dev
	touch $(STAMP)

venv: $(STAMP)

run: venv
	$(BIN)/nucmed db upgrade
	$(BIN)/nucmed demo load
	$(BIN)/nucmed serve --host $(HOST) --port $(PORT)

lint: venv
	$(BIN)/ruff check src tests tools
	$(BIN)/ruff format --check src tests tools
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest -q

format: venv
	$(BIN)/ruff format src tests tools
	$(BIN)/ruff check --fix src tests tools

bench: venv
	$(BIN)/python tools/bench_startup.py
	$(BIN)/python tools/bench_drl.py
	$(BIN)/python tools/bench_board.py
	$(BIN)/python tools/bench_voxel.py
	$(BIN)/python tools/bench_supply.py

# Not part of make test: a real server under 50 clients for 2 minutes per database, killed
# mid-burst, then schemathesis; needs PostgreSQL on 127.0.0.1:5432 and createdb/dropdb.
reliability: venv
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --group reliability
	$(BIN)/python tools/reliability.py --clients 50 --seconds 120 --fuzz-seconds 60

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .import_linter_cache
