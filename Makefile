# The two commands that matter: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test venv venv-dev lint format messages stop-db bench-slots bench

$(VENV)/bin/activate:
	@test -n "$(PYTHON)" || { echo "Python 3.11 not found (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(VENV)/bin/activate
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed
venv-dev: $(VENV)/.installed-dev

## Run the app: embedded Postgres (unless DATABASE_URL is set), migrations, demo data,
## web server on http://127.0.0.1:8000, Celery worker and beat. Ctrl-C stops everything.
run: venv
	@$(PY) scripts/run.py

## Lint, format check, the direction of imports between apps, and the whole test suite, in which
## each `clock` test also runs at each of CLOCK_TEST_TIMES (just before midnight at a month's end,
## and across the autumn clock change in Stockholm) — one session, one database setup, one
## xdist pool. `make test CLOCK_TEST_TIMES=` runs each test once, at the pinned clock.
CLOCK_TEST_TIMES ?= 2026-11-30T23:50:00+01:00 2026-10-25T01:30:00+02:00
## pytest-xdist: one worker per core; each runs its tests in collection order (pytest-django puts
## the transactional ones, which empty the database, last).
## `make test PYTEST_PARALLEL=` runs in one process.
## The tests' database connections commit without waiting for the disk (PGOPTIONS, libpq):
## what a commit makes visible is the same, and a crash would only lose throwaway test data.
PYTEST_PARALLEL ?= -n auto

test: venv-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache --no-logo
	@DATABASE_URL="$$($(PY) scripts/devdb.py test)" && export DATABASE_URL && \
		export PGOPTIONS="$${PGOPTIONS:--c synchronous_commit=off}" && \
		CLOCK_TEST_TIMES="$(CLOCK_TEST_TIMES)" $(VENV)/bin/pytest $(PYTEST_PARALLEL) \
			--screenshot=only-on-failure --output=test-artifacts $(PYTEST_ARGS)

lint: venv-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache --no-logo

format: venv-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Rebuild the translation catalogues (needs GNU gettext) and the compiled .mo files.
messages: venv-dev
	@DATABASE_URL="$$($(PY) scripts/devdb.py run)" && export DATABASE_URL && \
		$(PY) manage.py makemessages -l sv -l en --ignore=.venv --ignore=staticfiles && \
		$(PY) manage.py compilemessages --ignore=.venv

## Benchmarks (not part of `make test`).
bench-slots: venv
	@DATABASE_URL="$$($(PY) scripts/devdb.py test)" && export DATABASE_URL && \
		export PGOPTIONS="$${PGOPTIONS:--c synchronous_commit=off}" && \
		$(PY) manage.py migrate --noinput -v0 && $(PY) bench/slots.py

## Real use: every main page cold at four data sizes, exports, slots and the reminder sweep, then
## 20 people with writes under gunicorn; in its own database `mentorship_bench`; one table.
bench: venv
	$(PY) bench/run.py

stop-db: venv
	$(PY) scripts/devdb.py stop
