# Two commands set up everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test test-browser lint format install browser bench bench-tools sbom

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed

# Debian's Chromium for the browser tests (Playwright's own download does not work here).
browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get install -y -q chromium >/dev/null || (apt-get update -q && apt-get install -y -q chromium >/dev/null)); \
	  else echo "Bitte Chromium installieren: sudo apt-get install -y chromium"; exit 1; fi; \
	fi

run: install
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(PY) manage.py seed_demo
	DEBUG=$${DEBUG:-true} $(PY) manage.py collectstatic --noinput -v0
	@echo ""
	@echo "Intranet: http://127.0.0.1:$(PORT)/   (Anmeldung mit den Demo-Konten oben, Passwort: modellregion)"
	DEBUG=$${DEBUG:-true} $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install node_modules/.installed browser
	$(PY) -m pytest $(PYTEST_ARGS)

test-browser: install node_modules/.installed browser
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The benchmark of issue 6: generates (once per scale and seed) and measures on PostgreSQL
# database soest_bench_data when PostgreSQL runs on 127.0.0.1, else on bench/bench.sqlite3.
# Prints a table and writes bench/results.json. Example: make bench BENCH_ARGS="--scale 0.1"
BENCH_ARGS ?= --scale 1
# wrk drives the throughput measurement (Debian package).
bench-tools:
	@command -v wrk >/dev/null || { if [ "$$(id -u)" = 0 ]; then \
	  (apt-get install -y -q wrk >/dev/null || (apt-get update -q && apt-get install -y -q wrk >/dev/null)); \
	  else echo "Bitte wrk installieren: sudo apt-get install -y wrk (sonst kein Durchsatz)"; fi; }

bench: install bench-tools
	@if [ -z "$$BENCH_DATABASE_URL" ] && pg_isready -q -h 127.0.0.1 2>/dev/null; then \
	  createdb -h 127.0.0.1 -U postgres soest_bench_data 2>/dev/null || true; fi
	$(PY) -m bench.run $(BENCH_ARGS)

# A CycloneDX bill of materials of the pinned runtime dependencies (requirements.txt), for
# the vulnerability audit that needs the advisory databases (README "Tests und CI").
SBOM ?= sbom.cdx.json
sbom: install
	$(VENV)/bin/cyclonedx-py requirements requirements.txt --pyproject pyproject.toml \
	  --output-reproducible --of JSON -o $(SBOM)
	@echo "SBOM: $(SBOM)"
