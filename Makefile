# Jemput: `make run` to try it, `make test` to check it. Only python3 (3.11+) is needed.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 5000
PG_TEST_URL ?= postgresql://127.0.0.1:5432/test
export FLASK_APP := wsgi

.PHONY: run install install-dev test test-sqlite test-postgres test-js lint i18n bench clean

$(VENV)/.base: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.dev: $(VENV)/.base
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.base
	$(VENV)/bin/pybabel compile -d webapp/translations

install-dev: $(VENV)/.dev install

run: install
	$(VENV)/bin/flask init-db
	$(VENV)/bin/flask seed-demo --if-empty
	@echo "Jemput is at http://127.0.0.1:$(PORT)  (Ctrl+C to stop); the job worker runs beside it"
	$(VENV)/bin/flask worker & worker=$$!; trap 'kill $$worker' EXIT; \
	$(VENV)/bin/flask run --host 127.0.0.1 --port $(PORT)

# The whole suite: JavaScript logic, then Python on SQLite, then on PostgreSQL.
test: install-dev lint test-js test-sqlite test-postgres

# JavaScript dev tools (ESLint) from package-lock.json; re-installed when the lock changes.
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund

test-js: node_modules/.package-lock.json
	node --test tests/js/

test-sqlite: install-dev
	$(PY) -m pytest

# Runs the database tests again on PostgreSQL when a server answers (always under CI=true).
test-postgres: install-dev
	@if [ "$$CI" = "true" ] || $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)', connect_timeout=2).close()" 2>/dev/null; then \
		JEMPUT_TEST_DATABASE_URL=$(PG_TEST_URL) $(PY) -m pytest; \
	else echo "PostgreSQL not reachable at $(PG_TEST_URL): PostgreSQL run left out (CI never leaves it out)."; fi

lint: install-dev node_modules/.package-lock.json
	$(VENV)/bin/ruff check webapp fieldsync tests bench migrations/env.py
	npx --no-install eslint .

# After changing user-facing text (Python, templates, the phone's words.js): extract, merge English from
# translations/source/*.json, compile, and generate the phone's static/pwa/words-en.js.
i18n: install-dev
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ -o webapp/translations/messages.pot .
	$(VENV)/bin/pybabel update --no-fuzzy-matching -i webapp/translations/messages.pot -d webapp/translations
	$(PY) scripts/fill_po.py
	$(VENV)/bin/pybabel compile -d webapp/translations

bench: install-dev
	$(PY) -m bench

clean:
	rm -rf $(VENV) instance .pytest_cache
