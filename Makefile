# Chợ OCOP: `make run` starts the site with demo data, `make test` runs every test.
# Each step is a file target, so a second run only redoes what changed.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3.11
PORT ?= 8000
PYTEST_ARGS ?=
# Test processes (pytest-xdist): one per core; 0 runs the tests in pytest's own process.
TEST_WORKERS ?= auto
# The address links, QR codes and emails point at: this server's (see .env.example).
PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)

VENV := .venv
BIN := $(VENV)/bin
DEV_SETTINGS := marketplace.settings.dev
DEV_ENV := DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) PUBLIC_BASE_URL=$(PUBLIC_BASE_URL)
MANAGE := $(DEV_ENV) $(BIN)/python manage.py

.PHONY: help run test lint messages translations vendor clean

help:
	@echo "make run       start the site at http://127.0.0.1:$(PORT)/ with demo data"
	@echo "make test      run the tests (PYTEST_ARGS='-k qr' to pass options to pytest)"
	@echo "make lint      ruff check, ruff format --check and the import contracts (lint-imports)"
	@echo "make es        start Elasticsearch at http://127.0.0.1:9200 (make es-stop stops it)"
	@echo "make stripe-mock  start Stripe's mock API at http://127.0.0.1:12111 (needs Go)"
	@echo "make vendor    copy Leaflet from node_modules into marketplace/static/vendor/ (after changing its version)"
	@echo "make messages  update locale/vi/LC_MESSAGES/django.po (needs GNU gettext)"
	@echo "make clean     remove the virtualenv, node_modules, the local database and caches"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.requirements.stamp: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.requirements-dev.stamp: requirements-dev.txt $(VENV)/.requirements.stamp
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# --ignore-scripts: vnu-jar's install script would download a Java runtime; Debian's is used.
node_modules/.package-lock.json: package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

translations: $(VENV)/.requirements.stamp
	$(BIN)/python scripts/compile_messages.py

# migrate (which moves Wagtail's Site to PUBLIC_BASE_URL), load_demo when there are no
# producers, ensure_demo_admin: one Django start-up. Then the task worker (emails, search
# updates, imports, scheduled jobs) beside the server, stopped with it.
run: $(VENV)/.requirements.stamp translations
	$(DEV_ENV) $(BIN)/python scripts/prepare_demo.py
	$(MANAGE) run_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# pytest's own exit codes pass through: 5 ("no tests collected") fails the target too.
test: $(VENV)/.requirements-dev.stamp node_modules/.package-lock.json translations
	DJANGO_SETTINGS_MODULE=marketplace.settings.test $(BIN)/pytest -n $(TEST_WORKERS) --dist load $(PYTEST_ARGS)

# lint-imports: the layers of docs/architecture.md, contracts in pyproject.toml.
lint: $(VENV)/.requirements-dev.stamp
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=. $(BIN)/lint-imports --no-cache

# Leaflet is committed under marketplace/static/vendor/, so `make run` needs no npm; after
# changing its pinned version in package.json: `make vendor`, then commit.
vendor: node_modules/.package-lock.json
	$(BIN)/python scripts/vendor_static.py

messages: $(VENV)/.requirements.stamp
	$(MANAGE) makemessages -l vi --ignore=.venv --ignore=node_modules --ignore=var

# Java and Maven needed. Tests start and stop a node themselves when none runs.
.PHONY: es es-stop
es:
	scripts/elasticsearch start

es-stop:
	scripts/elasticsearch stop

# Go 1.22.1 or later needed the first time, to build it into var/. Tests start and stop it
# themselves when none runs.
.PHONY: stripe-mock stripe-mock-stop
stripe-mock:
	scripts/stripe-mock start

stripe-mock-stop:
	scripts/stripe-mock stop

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .ruff_cache test-results
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find locale -name '*.mo' -delete
