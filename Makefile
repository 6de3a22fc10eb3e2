# Protokollet — the two commands of the README, and a few helpers.
# `make run`  : virtual environment, install, migrate, demo data, serve on 127.0.0.1:$(PORT).
# `make test` : the whole test suite (DATABASE_URL picks the database; SQLite by default).

SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=
# `make test` spreads the tests over this many processes (pytest-xdist; each has its own test
# database and browser); `TEST_WORKERS=0` runs them in this one.
TEST_WORKERS ?= logical

# A Python >= 3.12, found without help: pyenv's shims answer only for versions they hold, so every
# candidate is asked to run and to report its version.
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3 python; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		command -v $$p; break; fi; done)

.PHONY: run test lint format venv clean bench loadtest audit

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 or newer is needed; none was found on PATH." >&2; exit 1; fi
	@if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then rm -rf $(VENV); fi
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	@touch $@

venv: $(VENV)/.installed

run: venv
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo
	DEBUG=1 $(PY) manage.py export_open_data var/oppna-data --publish  # as cron does nightly
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: venv
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache

bench: venv
	$(PY) bench/pdf.py
	$(PY) bench/justering.py
	$(PY) bench/importing.py
	$(PY) bench/load.py
	$(PY) bench/pages.py

loadtest: venv
	$(PY) bench/load.py --loadtest

# Every installed package against the known vulnerabilities: pip-audit, and PyPI's advisories
# for the newest release where pip-audit cannot reach its data (.ci/audit.py says more).
audit: venv
	$(PY) .ci/audit.py
