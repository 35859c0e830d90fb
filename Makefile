# The two quick-start commands: `make run` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup lint check-deploy clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

setup: $(STAMP)

## Run the whole product with demo data on embedded defaults (SQLite, filesystem broker).
run: $(STAMP)
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  Attract is starting at http://127.0.0.1:$${ATTRACT_PORT:-8000}/  (Ctrl-C stops everything)"
	@echo "  Demo logins: admin, recruiter, manager, interviewer, readonly"
	@echo "  Password:    $${DEMO_PASSWORD:-attract-demo}"
	@echo ""
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile.dev start

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run

## Set up and pass the whole test suite (lint included).
test: lint
	$(BIN)/pytest

clean:
	rm -rf var $(VENV)
