# The two commands: `make run` (embedded stack with demo data) and `make test` (whole suite).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Rebuilt whenever pyproject.toml is newer, so an unchanged checkout installs nothing.
INSTALLED := $(VENV)/.installed
# Test tools from npm (package.json): only `make test` needs them, so `make run` needs no Node.
NODE_TOOLS := node_modules/.installed
PYTEST_ARGS ?=
BENCH_ARGS ?=
TARGET ?= portfolio dashboard
PROFILE_ARGS ?=

.PHONY: help install run test lint check bench profile

help:
	@echo "make run    - install, migrate, seed demo data, serve 127.0.0.1:8000 with a Celery worker and beat"
	@echo "make test   - install and run the whole test suite"
	@echo "make lint   - ruff check, ruff format --check and the import contracts (lint-imports)"
	@echo "make check  - Django system checks and makemigrations --check"
	@echo "make bench  - benchmark against a bare-Django floor (BENCH_ARGS=\"--scale small\")"
	@echo "make profile - where one bench target spends its time (TARGET=\"api milestone list\")"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The project is not a package (pyproject has packages = []), so install exactly the pinned
# runtime and dev requirements it declares instead of building a wheel of it.
$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
		print("\n".join(p["dependencies"] + p["optional-dependencies"]["dev"]))' \
		> $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r $(VENV)/requirements.txt
	touch $@

install: $(INSTALLED)

$(NODE_TOOLS): package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

run: install
	bin/run-local

# pytest exits 5 when it collects no test; make treats any non-zero exit as a failure.
test: install $(NODE_TOOLS)
	$(BIN)/pytest -n 2 -p no:cacheprovider --durations=15 $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

bench: install
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# Needs the data of a `make bench` run (same DATABASE_URL).
profile: install
	$(BIN)/python -m bench.profile "$(TARGET)" $(PROFILE_ARGS)
