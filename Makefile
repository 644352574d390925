# Palier: `make run` serves the demo desk on http://127.0.0.1:8000; `make test` runs the suite.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PORT ?= 8000

.PHONY: install run test test-fast test-postgres lint bench clean openapi

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

# The French catalog is compiled from the committed .po (needs gettext's msgfmt).
MO := palier/locale/fr/LC_MESSAGES/django.mo
$(MO): palier/locale/fr/LC_MESSAGES/django.po $(STAMP)
	cd palier && ../$(BIN)/python ../manage.py compilemessages -l fr

install: $(STAMP) $(MO)

run: install
	$(BIN)/palier demo --port $(PORT)

test: install
	$(BIN)/pytest

test-fast: install
	$(BIN)/pytest -m "not slow"

test-postgres: install
	PALIER_DATABASE_URL=$${PALIER_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/palier} $(BIN)/pytest

lint: install
	$(BIN)/ruff check palier tests bench
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

bench: install
	$(BIN)/python bench/core.py --tickets 1000000 --database both

clean:
	rm -rf $(VENV) var .pytest_cache

openapi: install
	$(BIN)/python manage.py export_openapi_schema --api palier.api.main.api --indent 1 --sorted --output docs/openapi.json
