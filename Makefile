# Majlis: `make run` serves the embedded default with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# CI's shell reads no .bashrc, so pyenv may be off PATH: look in its shims and versions too.
PYTHON ?= $(shell command -v python3.13 2>/dev/null || pyenv which python3.13 2>/dev/null || \
  for p in "$${PYENV_ROOT:-$(HOME)/.pyenv}/shims/python3.13" "$(HOME)"/.pyenv/versions/3.13*/bin/python3.13; do \
    "$$p" -c "" 2>/dev/null && { echo "$$p"; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
export UV_PROJECT_ENVIRONMENT := $(VENV)

# The suite runs on PostgreSQL and Redis, as these machines provide them.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
PYTEST_ARGS ?= -n auto

.PHONY: help install system run test lint format css messages clean

help:
	@echo "make run    set up everything and serve Majlis with demo data at http://127.0.0.1:8000"
	@echo "make test   set up everything and run the whole test suite"
	@echo "make lint   ruff and mypy"

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.13 not found on PATH, by pyenv, in ~/.pyenv/shims or in" \
	  "~/.pyenv/versions/3.13*/bin: install it (pyenv install 3.13) or pass PYTHON=/path/to/python3.13" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.synced: $(BIN)/python pyproject.toml uv.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(BIN)/uv sync --locked --inexact --quiet
	@touch $@

# Not `npm ci`: the npm registry these machines reach serves only the Linux builds of Tailwind's
# platform packages (@tailwindcss/oxide-*), so the lock cannot record the others and `npm ci`
# rejects it as out of sync. `npm install --no-save` installs the locked versions, lock untouched.
node_modules/.installed: package.json package-lock.json
	npm install --no-save --no-audit --no-fund --loglevel=error
	@touch $@

majlis/static/majlis/css/app.css: node_modules/.installed majlis/assets/app.css $(shell find majlis -name '*.html' 2>/dev/null)
	npm run --silent build:css

css: majlis/static/majlis/css/app.css

# compilemessages fails outright when the tree has no catalogue, so skip it then.
messages: $(VENV)/.synced
	@if find majlis -path '*/locale/*/LC_MESSAGES/*.po' | grep -q .; then \
	  echo "$(BIN)/majlis compilemessages --ignore=.venv --ignore=node_modules -v0"; \
	  $(BIN)/majlis compilemessages --ignore=.venv --ignore=node_modules -v0; \
	else \
	  echo "No translation catalogues (majlis/*/locale/*/LC_MESSAGES/*.po) to compile"; \
	fi

system:
	@scripts/system-deps.sh

install: system $(VENV)/.synced css messages

run: install
	$(BIN)/majlis migrate --no-input -v0
	$(BIN)/majlis load_demo
	$(BIN)/majlis serve

test: install
	@scripts/services.sh
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.synced
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/bandit -q -c pyproject.toml -r config majlis

format: $(VENV)/.synced
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules var majlis/static/majlis/css/app.css
