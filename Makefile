# Customer lifecycle analytics: `make build` and `make test` work on a fresh clone with
# only Python 3.11 and make; both create .venv and install the pinned dependencies.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-requirements

export DBT_PROFILES_DIR := $(CURDIR)
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_PROJECT_ROOT := $(CURDIR)
export SPARK_LOCAL_IP ?= 127.0.0.1
# numpy's import briefly adds then deletes these variables unless they are set; dbt, reading
# the environment in its other thread at that moment, failed with KeyError 'OPENBLAS_MAIN_FREE'
# (seen once in `make test`). Set, numpy leaves the environment alone.
export OPENBLAS_MAIN_FREE := 1
export GOTOBLAS_MAIN_FREE := 1
DUCKDB_PATH ?= $(CURDIR)/lifecycle.duckdb
export DUCKDB_PATH

.PHONY: build test test-spark test-postgres lint unit demo-data bench report docs chromium postgresql clean

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# optional extra for the Spark target (dbt-spark[session], pyspark); never needed by `make build`
SPARK_STAMP := $(VENV)/.installed-spark
$(SPARK_STAMP): requirements-spark.txt $(STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-spark.txt
	touch $@

# optional extra for the PostgreSQL target (dbt-postgres); never needed by `make build`
POSTGRES_STAMP := $(VENV)/.installed-postgres
$(POSTGRES_STAMP): requirements-postgres.txt $(STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-postgres.txt
	touch $@

## build: dbt build (models, seeds, data and unit tests) on the bundled demo data
build: $(STAMP)
	$(BIN)/dbt build

## test: the whole suite (dbt builds on demo and fixtures, reference checks, lint, report in
## Chromium, incremental = full refresh, the Spark parity build and the PostgreSQL build on a
## throwaway server). Three workers; the Spark build, the longest file, is listed first and
## --no-loadscope-reorder keeps that order (xdist otherwise starts the files with the most
## tests first, which puts the Spark build behind them).
test: $(STAMP) $(SPARK_STAMP) $(POSTGRES_STAMP) chromium postgresql
	$(BIN)/python -m pytest -n 3 --dist loadfile --no-loadscope-reorder --durations=40 tests/spark tests/postgres tests/python

## test-spark: only the Spark parity build (a history and a daily run on local pyspark, every mart and incremental table compared with DuckDB)
test-spark: $(SPARK_STAMP)
	$(BIN)/python -m pytest --durations=5 tests/spark

## test-postgres: only the PostgreSQL tests (a throwaway server: the daily drops run one by one, every test, every mart and incremental table = DuckDB)
test-postgres: $(POSTGRES_STAMP) postgresql
	$(BIN)/python -m pytest --durations=5 tests/postgres

## lint: sqlfluff on models, macros and dbt tests
lint: $(STAMP)
	$(BIN)/sqlfluff lint models tests/dbt analyses

## unit: dbt unit tests only (fast feedback while editing models)
unit: $(STAMP)
	$(BIN)/dbt build --select "+test_type:unit" --exclude "test_type:data"

## bench: generate SIZE (tiny, 2m, 20m, 40m) events, time a full and a one-day build against a floor (TARGET=spark or postgres: there)
SIZE ?= 2m
TARGET ?= duckdb
bench: $(STAMP) $(if $(filter spark,$(TARGET)),$(SPARK_STAMP)) $(if $(filter postgres,$(TARGET)),$(POSTGRES_STAMP) postgresql)
	$(BIN)/python scripts/bench.py --size $(SIZE) --target $(TARGET)

## report: render report/lifecycle_report.html (self-contained) from the marts of the last build
report: $(STAMP)
	$(BIN)/python scripts/report.py

## docs: dbt docs generate, then serve on http://localhost:8080
docs: $(STAMP)
	$(BIN)/dbt docs generate && $(BIN)/dbt docs serve --port 8080

## chromium: Debian's headless Chromium for the report test (installed when run as root, as CI is)
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium not installed: 'sudo apt-get install chromium' (the report's browser test skips without it)"; fi; }

## postgresql: Debian's PostgreSQL server for the PostgreSQL tests and bench (installed when run as root, as CI is)
postgresql:
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else echo "PostgreSQL not installed: 'sudo apt-get install postgresql' (the PostgreSQL tests skip without it)"; fi; }

## demo-data: regenerate the committed demo data (deterministic)
demo-data: $(STAMP)
	$(BIN)/python scripts/generate_data.py --customers 2000 --out data/demo --format csv.gz

clean:
	rm -rf target logs lifecycle.duckdb report artifacts
