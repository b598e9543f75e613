# `make run` and `make test` each set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PORT ?= 8501
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test lint bench bench-postgres chromium clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

## Set up, migrate, load the demo data into an empty database, and open the dashboard.
run: $(STAMP)
	$(BIN)/campaigns init --demo-if-empty
	$(BIN)/campaigns serve --port $(PORT)

## Debian's chromium for the browser tests (installed when missing and we are root).
chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium not found and not root: the browser tests will be skipped (CI fails)"; fi

## Set up and run the whole test suite (PostgreSQL tests on when a server answers).
test: $(STAMP) chromium
	@PG=$$($(BIN)/python scripts/find_postgres.py "$(PG_URL)"); \
	if [ -n "$$PG" ]; then echo "PostgreSQL found: the PostgreSQL tests will run."; \
	else echo "No PostgreSQL at $(PG_URL): PostgreSQL tests will be skipped (CI fails)."; fi; \
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-$$PG} $(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy campaigns connectors db app.py

## The export benchmark's baseline is the sqlite3 tool (Debian's package, installed when root).
bench: $(STAMP)
	@command -v sqlite3 >/dev/null 2>&1 || { [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1 && \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 >/dev/null; } || \
		echo "sqlite3 not found and not root: install it (apt-get install sqlite3) for the export baseline"
	$(BIN)/python benchmarks/run_all.py

bench-postgres: $(STAMP)
	$(BIN)/python benchmarks/run_all.py --database-url "$${DATABASE_URL:-$(PG_URL)}"

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
